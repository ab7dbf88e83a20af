"""What the user told the import about their spreadsheet: which field an unrecognised column gives, and what an
unknown kind or status means ("Press" is a public statement; "Contested" is disputed; "Pending review" is kept as an
issue tag).

A value the import does not know never blocks the file: it takes its default (kept as an issue tag, on the field's
neutral value: kind Other, status Unverified), so nothing the sheet said is lost, and the preview and the command
list it with its count so that the user can map it. A mapping is remembered per matter (ImportMapping) once an
import that used it is written; the next file of the same team is read the same way.

Labels and headers are matched as columns.key() matches headers: ignoring case, spaces and punctuation.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from evidence.importing.columns import FIELD_LABELS, key
from evidence.models import EventKind, EventStatus, ImportMapping, Matter

ISSUE_TAG = "issue"
IGNORE = ""  # a column mapped to nothing: not imported, and not reported again as unrecognised

# field -> (its choices, the neutral value a label kept as an issue tag leaves in the field)
VALUE_FIELDS = {"kind": (EventKind, EventKind.OTHER.value), "status": (EventStatus, EventStatus.UNVERIFIED.value)}
# the fields a column may be mapped to: what an import reads, except our export's machine-only columns
COLUMN_FIELDS = {f: label for f, label in FIELD_LABELS.items() if f not in ("date_start_iso", "date_end_iso")}


class MappingError(ValueError):
    """A mapping that names a field or a target that does not exist; the message says which and what would do."""


def value_targets(fld: str) -> list[tuple[str, str]]:
    """The choices for an unknown value of `fld`: each kind (or status), then keeping it as an issue tag."""
    choices, neutral = VALUE_FIELDS[fld]
    return [(c.value, c.label) for c in choices] + [
        (ISSUE_TAG, f"{choices(neutral).label}, and keep the label as an issue tag")
    ]


def column_targets() -> list[tuple[str, str]]:
    return [(IGNORE, "— not imported —")] + [(f, label.capitalize()) for f, label in COLUMN_FIELDS.items()]


def read_target(fld: str, text: str) -> str:
    """A target as a person writes it ("Public statement", "public_statement", "issue tag") -> its stored value."""
    wanted = key(text)
    if wanted in ("issue", "issuetag", "tag", "keepasissue", "keepasissuetag"):
        return ISSUE_TAG
    for value, label in value_targets(fld)[:-1]:
        if wanted in (key(value), key(label)):
            return value
    names = ", ".join(f"“{label}”" for _, label in value_targets(fld)[:-1])
    raise MappingError(f"“{text}” is not a {fld}; use one of {names}, or “issue” to keep the label as an issue tag")


def read_column_field(text: str) -> str:
    wanted = key(text)
    if wanted in ("", "ignore", "none", "skip", "notimported"):
        return IGNORE
    for fld, label in COLUMN_FIELDS.items():
        if wanted in (key(fld), key(label)):
            return fld
    names = ", ".join(f"“{label}”" for label in COLUMN_FIELDS.values())
    raise MappingError(f"“{text}” is not a field an import reads; use one of {names}, or “ignore”")


@dataclass
class Mapping:
    """columns: key(header) -> field (IGNORE: not imported); values: field -> key(label) -> target."""

    columns: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)

    def column(self, header: str) -> str | None:
        return self.columns.get(key(header))

    def target(self, fld: str, label: str) -> str | None:
        return self.values.get(fld, {}).get(key(label))

    def set_column(self, header: str, fld: str) -> None:
        self.columns[key(header)] = fld

    def set_value(self, fld: str, label: str, target: str) -> None:
        self.values.setdefault(fld, {})[key(label)] = target

    def updated(self, other: Mapping) -> Mapping:
        """This mapping with `other`'s entries added, `other` winning where both say something."""
        merged = Mapping(dict(self.columns), {f: dict(v) for f, v in self.values.items()})
        merged.columns.update(other.columns)
        for fld, targets in other.values.items():
            merged.values.setdefault(fld, {}).update(targets)
        return merged

    def to_json(self) -> dict:
        return {"columns": self.columns, "values": self.values}

    @classmethod
    def from_json(cls, data: dict | None) -> Mapping:
        data = data or {}
        return cls(dict(data.get("columns", {})), {f: dict(v) for f, v in data.get("values", {}).items()})

    @classmethod
    def from_file(cls, text: str) -> Mapping:
        """A mapping file, as a person writes it:

        {"columns": {"Doc Ref": "sources"}, "kind": {"Press": "Public statement"}, "status": {"Pending": "issue"}}
        """
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise MappingError(f"the mapping file is not JSON: {error}") from None
        if not isinstance(data, dict) or not set(data) <= {"columns", *VALUE_FIELDS}:
            raise MappingError("the mapping file must be a JSON object with “columns”, “kind” and/or “status”")
        mapping = cls()
        for section, entries in data.items():
            if not isinstance(entries, dict) or not all(isinstance(v, str) for v in entries.values()):
                raise MappingError(f"“{section}” in the mapping file must map names to names")
            for name, target in entries.items():
                if section == "columns":
                    mapping.set_column(name, read_column_field(target))
                else:
                    mapping.set_value(section, name, read_target(section, target))
        return mapping


@dataclass
class UnknownValue:
    """A label the import does not know, in a column it recognises, and what the import does with it."""

    field: str
    label: str
    count: int = 0
    rows: list[int] = field(default_factory=list)  # the first few, as the user numbers them
    target: str = ISSUE_TAG
    defaulted: bool = True  # no mapping said what it is

    ROWS_SHOWN = 5

    def seen(self, row: int) -> None:
        self.count += 1
        if len(self.rows) < self.ROWS_SHOWN:
            self.rows.append(row)

    @property
    def value(self) -> str:
        """What the field stores."""
        return VALUE_FIELDS[self.field][1] if self.target == ISSUE_TAG else self.target

    @property
    def tag(self) -> str | None:
        """The issue tag the label becomes, if it becomes one."""
        return self.label if self.target == ISSUE_TAG else None

    def describe(self) -> str:
        """ "kind “Press” (3 rows: 2, 5, 9) → Other, kept as issue tag “Press”" """
        rows = ", ".join(str(r) for r in self.rows) + (", …" if self.count > len(self.rows) else "")
        choices = dict(value_targets(self.field))
        outcome = (
            f"{VALUE_FIELDS[self.field][0](self.value).label}, kept as issue tag “{self.label}”"
            if self.target == ISSUE_TAG
            else choices[self.target]
        )
        return f"{self.field} “{self.label}” ({self.count} row{'s' if self.count != 1 else ''}: {rows}) → {outcome}"


def remembered_mapping(matter: Matter) -> Mapping:
    """The matter's remembered mapping (empty until an import that used one is written)."""
    return Mapping.from_json(ImportMapping.objects.filter(matter=matter).values_list("mapping", flat=True).first())
