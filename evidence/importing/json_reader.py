"""JSON to a Table: a list of objects (or {"events": [...]}), one per event, bounded while it is parsed.

json.loads is given hooks that refuse, as the parser meets them, a number too long or out of range (a 100,000-digit
integer, 1e999999), NaN and Infinity (not JSON), and an object with more keys than IMPORT_MAX_COLUMNS. Nesting
deeper than the parser's own recursion limit ends in RecursionError, which is reported; below that, the depth is
measured without recursion against IMPORT_MAX_JSON_DEPTH. The keys of all records together become the columns, and
are capped like a spreadsheet's.
"""

from __future__ import annotations

import json
import math

from django.conf import settings

from evidence.importing.csv_reader import decode
from evidence.importing.tables import Limits, Table, UnusableInputError, build_table, is_blank

MAX_NUMBER_CHARS = 100  # an id or a count; a longer number is an attack or a mistake, and costs quadratic time


class _Refused(Exception):
    """Raised by a parser hook; carries the reason."""


def read_json(data: bytes, name: str) -> Table:
    limits = Limits.current()
    notices: list[str] = []
    payload = _parse(decode(data, name, notices), name, limits)
    if isinstance(payload, dict):
        payload = next((v for k, v in payload.items() if k.lower() in ("events", "facts", "rows", "data")), None)
    if not isinstance(payload, list) or not all(isinstance(r, dict) for r in payload):
        raise UnusableInputError(f'“{name}”: expected a list of objects (or {{"events": [...]}}), one per event.')
    if len(payload) > limits.rows:
        raise limits.too_many_rows(name, "record")
    header = _header(payload, name, limits)
    if not header:
        raise UnusableInputError(f"“{name}” is empty: no records with any keys.")
    rows = [(0, header)]
    for number, record in enumerate(payload, start=1):
        cells = [_json_text(record.get(k)) for k in header]
        for key, text in zip(header, cells, strict=True):
            if len(text) > limits.cell:
                raise limits.too_long(name, f"record {number:,}, key “{key[:80]}”,", len(text))
        if not is_blank(cells):
            rows.append((number, cells))
    table = build_table(rows, name, notices)
    table.row_label = "record"
    return table


def parse_bounded(text: str, name: str):
    """JSON text (one value) under the same bounds as a chronology file: keys per object, numbers, NaN, depth;
    UnusableInputError naming `name` otherwise. For other readers of untrusted JSON (a matter archive's records)."""
    return _parse(text, name, Limits.current())


def _parse(text: str, name: str, limits: Limits):
    depth = settings.IMPORT_MAX_JSON_DEPTH

    def keys(pairs):
        if len(pairs) > limits.columns:
            raise _Refused(f"an object has {len(pairs):,} keys; the import limit is {limits.columns:,} "
                           "(setting IMPORT_MAX_COLUMNS)")  # fmt: skip
        return dict(pairs)

    try:
        payload = json.loads(text, parse_int=_integer, parse_float=_float, parse_constant=_constant,
                             object_pairs_hook=keys)  # fmt: skip
    except json.JSONDecodeError as error:
        raise UnusableInputError(
            f"“{name}” is not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})."
        ) from None
    except RecursionError:
        raise _too_deep(name, depth) from None
    except _Refused as error:
        raise UnusableInputError(f"“{name}”: {error}.") from None
    if _deeper_than(payload, depth):
        raise _too_deep(name, depth)
    return payload


def _too_deep(name: str, depth: int) -> UnusableInputError:
    return UnusableInputError(
        f"“{name}” is nested more than {depth} levels deep (setting IMPORT_MAX_JSON_DEPTH); "
        "a chronology is a list of flat objects, one per event."
    )


def _integer(text: str) -> int:
    if len(text) > MAX_NUMBER_CHARS:
        raise _Refused(f"the number {text[:20]}… has {len(text):,} digits; numbers may have up to "
                       f"{MAX_NUMBER_CHARS} (write a long identifier as a string)")  # fmt: skip
    return int(text)


def _float(text: str) -> float:
    if len(text) > MAX_NUMBER_CHARS:
        raise _Refused(f"the number {text[:20]}… has {len(text):,} characters; numbers may have up to "
                       f"{MAX_NUMBER_CHARS}")  # fmt: skip
    value = float(text)
    if not math.isfinite(value):
        raise _Refused(f"the number {text} is out of range")
    return value


def _constant(text: str):
    raise _Refused(f"{text} is not a JSON value (write it as a string if it is meant as text)")


def _deeper_than(payload, limit: int) -> bool:
    stack = [(payload, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > limit:
            return True
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)
    return False


def _header(payload: list[dict], name: str, limits: Limits) -> list[str]:
    header: dict[str, None] = {}
    for number, record in enumerate(payload, start=1):
        header.update(dict.fromkeys(record))
        if len(header) > limits.columns:
            raise UnusableInputError(
                f"“{name}”: records 1 to {number:,} use more than {limits.columns:,} different keys (columns); the "
                f"import limit is {limits.columns:,} columns (setting IMPORT_MAX_COLUMNS)."
            )
    return list(header)


def _json_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return "; ".join(_json_text(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)
