"""Which column holds what: headers matched by the names paralegals use, ignoring case and punctuation ("#" is read as
"No.", so "Fact #" is "Fact No." and not "Fact").

Covers our own CSV/XLSX export (so a chronology round-trips), a CaseMap fact spreadsheet as CaseMap exports it
("Date & Time", "Fact Text", "Source(s)", "Linked Issues", "Key", "Status") and the headers chronologies are
written with ("Date of Event", "Event Description", "Source / Exhibit", "Doc Ref", "Bates No.").

Three kinds of column stand in for another when the file lacks it:

* "Date (approx.)" (`date_approx`) is a date column whose every date is approximate: each row's date is read as
  "c. …" unless the row's Approximate column says "no". It is the date column when the file has no other; beside a
  "Date" column it gives the date of the rows whose "Date" is empty (a row with both is refused, see
  date_columns.py).
* "Fact #", "Fact No.", "Seq." (`sequence`) number the facts. When the file has no id column, the number is each
  event's external id, so that importing the sheet again after editing it updates those events instead of adding
  them a second time (a number that no longer matches its fact shows as an update of the wrong event in the
  preview, field by field). Beside an id column it is not imported. A bare "No." or "#" is a row number (our
  export writes one): it changes when rows are sorted or inserted, so it is never an id.
* "Event Description" (and "Description of Event", "Fact Description") is the description, or the title of each
  event when the file has no title column: it then states the event.

Two different headers that claim one field ("Source" and "Exhibit"): the first is read, and the preview says the
other was not imported. Two columns with the same header are refused when the file is read (tables.build_table).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from evidence.exporting.tables import MACHINE_COLUMNS

# Headers naming the event's own text: the description, or the title when the file has none.
EVENT_TEXT = ("Event Description", "Description of Event", "Fact Description")

# field -> the header names that mean it, written as people write them (normalised by `key`)
SYNONYMS: dict[str, tuple[str, ...]] = {
    "date": ("Date", "Event Date", "When", "Date & Time", "Date and Time", "Date/Time", "Fact Date", "Start Date",
             "Start", "Date From", "Begin Date", "Date of Event", "Date of Fact", "Date Occurred", "Dates",
             "Date(s)"),
    # "Date (approximate)" would be "Date Approximate", the yes/no column below
    "date_approx": ("Date (approx.)", "Approx. Date", "Approximate Date", "Date (circa)", "Circa Date",
                    "Date (est.)", "Estimated Date", "Date (estimated)"),
    "end_date": ("End Date", "End", "Date To", "Until", "Through", "Date Through"),
    # our export's exact parts: when present they are used instead of parsing `date`
    "date_start_iso": ("date_start",),
    "date_end_iso": ("date_end",),
    "approximate": ("approximate", "Approx", "Approx.", "Circa", "Date Approximate"),
    "bound": ("bound", "Date Bound"),
    "time_zone": ("time_zone", "Time Zone", "TZ", "Zone"),
    "title": ("Title", "Event", "Fact", "Fact Text", "Summary", "Event Title", "Short Description", "Headline",
              "Event Summary", "Fact Summary"),
    "description": ("Description", "Details", "Detail", "Notes", "Note", "Comments", "Fact Details",
                    "Long Description", *EVENT_TEXT),
    "kind": ("Kind", "Type", "Category", "Event Type", "Event Kind", "Fact Type"),
    "status": ("Status", "Fact Status"),
    "key": ("Key", "Key?", "Key Fact", "Key Fact?", "Is Key", "Hot", "Important"),
    "privileged": ("Privileged", "Privileged?", "Privilege", "Work Product", "Attorney Work Product", "AWP"),
    "issues": ("Issues", "Issue", "Tags", "Tag", "Linked Issues", "Issue Tags"),
    "actors": ("Actors", "Actor", "People", "Persons", "Person", "Characters", "Linked Characters", "Parties",
               "Who", "Participants"),
    "sources": ("Sources", "Source", "Source(s)", "Exhibit", "Exhibits", "Citation", "Citations", "Cite",
                "Evidence", "Support", "Supporting Documents", "Source / Exhibit", "Exhibit / Source",
                "Sources / Exhibits", "Exhibits / Sources", "Exhibit No.", "Exhibit Number", "Exhibit Nos.", "Ex.",
                "Exh.", "Ex. No.", "Doc Ref", "Document Reference", "Doc Reference", "Document Ref", "Document",
                "Documents", "Source Document", "Source Documents"),
    # Bates numbers are no exhibit labels: kept as written, beside the row's citations
    "source_note": ("source_note", "Source Note", "Bates", "Bates No.", "Bates Nos.", "Bates Number",
                    "Bates Numbers", "Bates Range", "Bates Cite"),
    "external_id": ("external_id", "External ID", "Ref", "Ref.", "Reference", "ID", "Fact ID", "Event ID", "Row ID",
                    "UID"),
    "sequence": ("Fact No.", "Fact Number", "Event No.", "Event Number", "Seq.", "Seq. No.", "Sequence",
                 "Sequence No.", "Sequence Number"),
    # the export's row number and derived precision: recognised, deliberately not imported
    "ignored": ("No", "No.", "#", "Number", "precision", "Date Precision", "history_chain"),
}  # fmt: skip

FIELD_LABELS = {
    "date": "date", "end_date": "end date", "date_start_iso": "date start (ISO)", "date_end_iso": "date end (ISO)",
    "approximate": "approximate", "bound": "bound", "time_zone": "time zone", "title": "title",
    "description": "description", "kind": "kind", "status": "status", "key": "key fact", "privileged": "privileged",
    "issues": "issues", "actors": "actors", "sources": "sources", "source_note": "source note",
    "external_id": "external id", "date_approx": "approximate date",
}  # fmt: skip


def key(header: str) -> str:
    """'Source(s)' -> 'sources', 'Key Fact?' -> 'keyfact', 'date_start' -> 'datestart', 'Fact #' -> 'factno'."""
    return re.sub(r"[^0-9a-z]+", "", header.casefold().replace("#", "no"))


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
    notes: list[str] = field(default_factory=list)  # how a column stands in for another (see the module docstring)
    approximate_date: bool = False  # the date column is a "Date (approx.)" column

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
    _stand_ins(result)
    return result


def _stand_ins(result: ColumnMap) -> None:
    """The columns that stand in for a missing one (see the module's docstring), each said in a note."""
    by_field = result.by_field
    if (header := by_field.get("date_approx")) and "date" not in by_field:
        by_field["date"] = by_field.pop("date_approx")
        result.approximate_date = True
        unless = f", unless the row's “{by_field['approximate']}” says no" if "approximate" in by_field else ""
        result.notes.append(f"Every date in “{header}” is read as approximate (“c.”){unless}.")
    elif header:
        result.notes.append(f"“{header}” gives the date, approximate, of the rows whose “{by_field['date']}” is "
                            "empty.")  # fmt: skip
    if header := by_field.pop("sequence", None):
        if "external_id" in by_field:
            result.duplicates.append((header, "external_id"))
        else:
            by_field["external_id"] = header
            result.notes.append(f"“{header}” is kept as each event's id (the file has no ID column): importing this "
                                "sheet again updates these events rather than adding them twice.")  # fmt: skip
    description = by_field.get("description")
    if "title" not in by_field and description is not None and key(description) in _EVENT_TEXT_KEYS:
        by_field["title"] = by_field.pop("description")
        result.notes.append(f"“{description}” gives each event's title (the file has no title column).")


_EVENT_TEXT_KEYS = frozenset(key(h) for h in EVENT_TEXT)
