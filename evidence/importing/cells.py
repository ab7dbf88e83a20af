"""A file's cells by field, and the value of one cell read as the words paralegals use: kinds, statuses, yes/no,
bounds, sources.

Each reader returns the value or raises `CellError` with the reason shown to the user next to the row and column.
The kinds and statuses themselves are EventKind and EventStatus (evidence.models): their values and labels are
always understood; the words below are only the other ways people write them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from evidence.exporting.tables import FORMULA_STARTS
from evidence.importing.columns import MACHINE_FIELDS, ColumnMap, key
from evidence.models import EventKind, EventStatus
from evidence.text import clean, from_shown


class CellError(ValueError):
    """A cell that cannot be read; the message is the reason shown to the user."""


def unguard(text: str) -> str:
    """Undo our export's formula guard: "'=SUM(A1)" -> "=SUM(A1)"; any other apostrophe is the cell's own."""
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


class FieldCells(dict[str, list[str]]):
    """The cells of a file by field rather than by header: text cleaned by the one rule (evidence.text) and stripped,
    our export's formula guard undone and the bidi controls it writes out ("[U+202E]") read back. A
    field the file has no column for reads as empty cells; `present` tells the difference where it matters (an
    update keeps what the file does not give). A dict, so that the planner's many lookups cost no Python call."""

    def __init__(self, frame: pd.DataFrame, columns: ColumnMap):
        super().__init__({fld: _column_text(frame[header].tolist(), fld) for fld, header in columns.by_field.items()})
        self.present = frozenset(columns.by_field)
        self._empty = [""] * len(frame)

    def __missing__(self, fld: str) -> list[str]:
        return self._empty


def _column_text(values: list, fld: str) -> list[str]:
    cells = [clean(c).strip() if isinstance(c, str) else "" for c in values]
    if fld in MACHINE_FIELDS:
        return cells
    # the tests first: most cells have no apostrophe and no written-out control
    return [from_shown(unguard(c) if c[:1] == "'" else c) for c in cells]


_KIND_WORDS = {
    EventKind.SETTING_INTRODUCED: ["new setting", "setting added", "setting launched", "feature launched", "launch"],
    EventKind.SETTING_CHANGED: ["setting change", "settings change", "settings changed", "default changed",
                                "setting edit"],
    EventKind.POLICY_EDIT: ["policy change", "policy changed", "policy update", "policy updated",
                            "privacy policy change", "privacy policy update", "privacy policy edit", "policy",
                            "terms change", "terms update", "tos change"],
    EventKind.HELP_PAGE_EDIT: ["faq edit", "faq change", "faq", "help page edit", "help page change", "help page",
                               "help center edit"],
    EventKind.USER_COMMUNICATION: ["user email", "user e-mail", "email to users", "e-mail to users", "user notice",
                                   "notice to users", "user notification", "notification", "in-app notice",
                                   "member email"],
    EventKind.INTERNAL_COMMUNICATION: ["internal email", "internal e-mail", "internal memo", "memo", "internal",
                                       "meeting"],
    EventKind.PUBLIC_STATEMENT: ["statement", "press release", "press statement", "media statement", "announcement",
                                 "blog post", "interview"],
    EventKind.COURT_FILING: ["filing", "complaint", "motion", "pleading", "court order", "order", "docket entry",
                             "brief"],
    EventKind.OTHER: ["misc", "miscellaneous"],
}  # fmt: skip
KIND_LOOKUP = {key(w): kind.value for kind, words in _KIND_WORDS.items() for w in words}
KIND_LOOKUP.update({key(k.value): k.value for k in EventKind})
KIND_LOOKUP.update({key(k.label): k.value for k in EventKind})
KIND_HELP = ", ".join(f"“{k.label}”" for k in EventKind)


def read_kind(text: str) -> str:
    found = KIND_LOOKUP.get(key(text))
    if found is None:
        raise CellError(f"unknown kind “{text}”; use one of {KIND_HELP}")
    return found


def read_status(text: str) -> str:
    k = key(text)
    if k.startswith(EventStatus.UNDISPUTED) or k in ("agreed", "admitted", "stipulated", "notdisputed"):
        return EventStatus.UNDISPUTED.value
    if k.startswith(EventStatus.DISPUTED) or k in ("contested", "denied"):
        return EventStatus.DISPUTED.value
    if k in (EventStatus.UNVERIFIED, "unsure", "unknown", "prospective", "tbd", "notverified", "pending"):
        return EventStatus.UNVERIFIED.value
    raise CellError(
        f"unknown status “{text}”; use “Undisputed”, “Disputed” (or CaseMap's “Disputed by Opposition”) "
        "or “Unverified” (“Unsure”)"
    )


_CHECK_MARKS = ("\u2713", "\u2714")
_TRUE = {"y", "yes", "true", "t", "x", "1", "key", "keyfact", "privileged", "checked", *_CHECK_MARKS}
_FALSE = {"", "n", "no", "false", "f", "0", "unchecked"}


def read_bool(text: str) -> bool:
    k = text if text in _CHECK_MARKS else key(text)
    if k in _TRUE:
        return True
    if k in _FALSE or text.strip() == "-":
        return False
    raise CellError(f"“{text}” is not yes or no (write Y, yes, true or x; N, no, false or leave it empty)")


def read_bound(text: str) -> str:
    k = key(text)
    if k in ("", "before", "after"):
        return k
    raise CellError(f"bound “{text}” must be “before”, “after” or empty")


@dataclass(frozen=True)
class SourceReader:
    """Reads "PX-3 p. 2; PX-7 ¶ 4 [note: quoted in the complaint]; Complaint ¶ 2" into citations (exhibit number,
    pinpoint), their notes and source-note text. A note is written as our export writes it (tables.citation_text):
    inside it, "\\]" is a "]" and "\\\\" a backslash, and ";" and line breaks are the note's own."""

    prefix: str

    def __post_init__(self):
        letters = re.escape(re.sub(r"[\s\-_.#]+$", "", self.prefix)) or "PX"
        pattern = rf"(?:{letters}|exhibit|exh\.?|ex\.?)\s*[-_#.]?\s*(\d+)(?![\d])\s*[,:]?\s*(.*)"
        # or the number alone ("3", "#3"), as an "Exhibit No." column gives it; never a number before other text
        # ("2019 Annual Report" is no exhibit)
        pattern = rf"{pattern}|#?\s*(\d{{1,6}})()"
        object.__setattr__(self, "_re", re.compile(pattern, re.IGNORECASE | re.DOTALL))

    def read(self, text: str) -> tuple[list[tuple[int, str]], list[str]]:
        citations, _, notes = self.read_with_notes(text)
        return citations, notes

    def read_with_notes(self, text: str) -> tuple[list[tuple[int, str]], dict[tuple[int, str], str], list[str]]:
        """(citations, {citation: its note}, source-note parts). A citation given twice keeps its first note."""
        citations: list[tuple[int, str]] = []
        citation_notes: dict[tuple[int, str], str] = {}
        notes: list[str] = []
        for raw, note in _parts(text):
            part = " ".join(raw.split())
            if not part:
                continue
            if m := self._re.fullmatch(part):
                item = (int(m[1] or m[3]), (m[2] or "").strip())
                if item not in citations:
                    citations.append(item)
                    if note:
                        citation_notes[item] = note
            elif note is not None:
                notes.append(f"{part} [note: {note}]")
            elif part not in notes:
                notes.append(part)
        return citations, citation_notes, notes


_NOTE_OPEN = re.compile(r"\[note:\s?", re.IGNORECASE)


def _parts(text: str) -> list[tuple[str, str | None]]:
    """The cell split at ";" and line breaks outside notes: (the part without its note, the note or None)."""
    if "[" not in text:  # most cells: no note
        return [(part, None) for part in re.split(r"[;\n]", text)]
    parts: list[tuple[str, str | None]] = []
    current, note, i = [], None, 0
    while i < len(text):
        char = text[i]
        if char in ";\n":
            parts.append(("".join(current), note))
            current, note = [], None
            i += 1
        elif char == "[" and (m := _NOTE_OPEN.match(text, i)):
            i = m.end()
            chars = []
            while i < len(text) and text[i] != "]":
                if text[i] == "\\" and i + 1 < len(text):
                    i += 1
                chars.append(text[i])
                i += 1
            i += 1  # the closing "]"
            note = "".join(chars).strip()
        else:
            current.append(char)
            i += 1
    parts.append(("".join(current), note))
    return parts
