"""Which column holds what: headers matched by the names paralegals use, ignoring case and punctuation.

Covers our own CSV/XLSX export (so a chronology round-trips) and a CaseMap fact spreadsheet as CaseMap exports it
("Date & Time", "Fact Text", "Source(s)", "Linked Issues", "Key", "Status").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from evidence.exporting.tables import MACHINE_COLUMNS

# field -> the header names that mean it, written as people write them (normalised by `key`)
SYNONYMS: dict[str, tuple[str, ...]] = {
    "date": ("Date", "Event Date", "When", "Date & Time", "Date and Time", "Date/Time", "Fact Date", "Start Date",
             "Start", "Date From", "Begin Date"),
    "end_date": ("End Date", "End", "Date To", "Until", "Through", "Date Through"),
    # our export's exact parts: when present they are used instead of parsing `date`
    "date_start_iso": ("date_start",),
    "date_end_iso": ("date_end",),
    "approximate": ("approximate", "Approx", "Approx.", "Circa", "Date Approximate"),
    "bound": ("bound", "Date Bound"),
    "time_zone": ("time_zone", "Time Zone", "TZ", "Zone"),
    "title": ("Title", "Event", "Fact", "Fact Text", "Summary", "Event Title", "Short Description", "Headline"),
    "description": ("Description", "Details", "Detail", "Notes", "Note", "Comments", "Fact Details",
                    "Long Description"),
    "kind": ("Kind", "Type", "Category", "Event Type", "Event Kind", "Fact Type"),
    "status": ("Status", "Fact Status"),
    "key": ("Key", "Key?", "Key Fact", "Key Fact?", "Is Key", "Hot", "Important"),
    "privileged": ("Privileged", "Privileged?", "Privilege", "Work Product", "Attorney Work Product", "AWP"),
    "issues": ("Issues", "Issue", "Tags", "Tag", "Linked Issues", "Issue Tags"),
    "actors": ("Actors", "Actor", "People", "Persons", "Person", "Characters", "Linked Characters", "Parties",
               "Who", "Participants"),
    "sources": ("Sources", "Source", "Source(s)", "Exhibit", "Exhibits", "Citation", "Citations", "Cite",
                "Evidence", "Support", "Supporting Documents"),
    "source_note": ("source_note", "Source Note"),
    "external_id": ("external_id", "External ID", "Ref", "Ref.", "Reference", "ID", "Fact ID", "Event ID", "Row ID",
                    "UID"),
    # the export's row number and derived precision: recognised, deliberately not imported
    "ignored": ("No", "No.", "#", "Number", "precision", "Date Precision", "history_chain"),
}  # fmt: skip

FIELD_LABELS = {
    "date": "date", "end_date": "end date", "date_start_iso": "date start (ISO)", "date_end_iso": "date end (ISO)",
    "approximate": "approximate", "bound": "bound", "time_zone": "time zone", "title": "title",
    "description": "description", "kind": "kind", "status": "status", "key": "key fact", "privileged": "privileged",
    "issues": "issues", "actors": "actors", "sources": "sources", "source_note": "source note",
    "external_id": "external id",
}  # fmt: skip


def key(header: str) -> str:
    """'Source(s)' -> 'sources', 'Key Fact?' -> 'keyfact', 'date_start' -> 'datestart'."""
    return re.sub(r"[^0-9a-z]+", "", header.casefold())


_LOOKUP = {key(name): fld for fld, names in SYNONYMS.items() for name in names}

# Our export writes its machine columns (ISO dates, zone names and offsets) without the formula guard: an offset
# such as "-08:00" is data, read back as it is.
MACHINE_FIELDS = frozenset(_LOOKUP[key(column)] for column in MACHINE_COLUMNS)


@dataclass
class ColumnMap:
    """Which header of the file gives each field, and the headers that give none."""

    by_field: dict[str, str] = field(default_factory=dict)  # field -> the file's header
    unrecognised: list[str] = field(default_factory=list)
    mapped: dict[str, str] = field(default_factory=dict)  # header -> the field the user mapped it to ("": none)
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (header, field it would have been)

    def header(self, fld: str) -> str:
        return self.by_field.get(fld, FIELD_LABELS.get(fld, fld))


def match_columns(headers: list[str], *, mapped: dict[str, str] | None = None) -> ColumnMap:
    """Map each header to a field; the first header that claims a field wins, later ones are reported. `mapped`
    (key(header) -> field, "" for none) is what the user said about columns (importing.mapping): it comes first."""
    result = ColumnMap()
    mapped = mapped or {}
    for header in headers:
        if (fld := mapped.get(key(header))) is not None:
            result.mapped[header] = fld
            if fld and fld not in result.by_field:
                result.by_field[fld] = header
    for header in headers:
        if header in result.mapped:
            if (fld := result.mapped[header]) and result.by_field[fld] != header:
                result.duplicates.append((header, fld))
            continue
        fld = _LOOKUP.get(key(header))
        if fld is None:
            result.unrecognised.append(header)
        elif fld == "ignored":
            continue
        elif fld in result.by_field:
            result.duplicates.append((header, fld))
        else:
            result.by_field[fld] = header
    # Our export's date_end is an ISO end; in a file without date_start it is just an end date as typed.
    if "date_end_iso" in result.by_field and "date_start_iso" not in result.by_field:
        header = result.by_field.pop("date_end_iso")
        if "end_date" not in result.by_field:
            result.by_field["end_date"] = header
    return result
