"""The preview: what an import would do, row by row, without writing anything.

Each data row becomes a `PlannedRow` (new, updated or unchanged, with the values as they will be stored) or one or
more `RowError`s (row number as the user sees it, the file's column header, the reason). The plan is the whole
contract between the preview and the write: `apply.apply_plan` writes exactly what it lists, and only if it has no
errors. Its `RowWarning`s (pages.py: a pinpoint past an exhibit's last page) are shown with their rows and never block.

The parts: which column is what (columns.py), the value of each cell (cells.py), the dates (date_columns.py), and
whether a row is new, an update or already there (matching.py). Errors are listed in the order the user reads them:
first what a whole date column refuses, then row by row, each row's cells from left to right as the checks below run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from evidence import dates
from evidence.importing.cells import CellError, FieldCells, SourceReader, read_bool, read_bound, read_kind, read_status
from evidence.importing.columns import ColumnMap, key, match_columns
from evidence.importing.date_columns import DateColumns
from evidence.importing.mapping import Mapping, UnknownValue
from evidence.importing.matching import NEW, UNCHANGED, UPDATED, MatterEvents
from evidence.importing.pages import RowWarning, page_warnings
from evidence.importing.reading import Table, UnusableInputError
from evidence.models import Actor, Citation, Event, Issue, Matter
from evidence.names import split_names

_MAX = {f: Event._meta.get_field(f).max_length for f in ("title", "source_note", "external_id")}
_MAX_ACTOR = Actor._meta.get_field("name").max_length
_MAX_ISSUE = Issue._meta.get_field("name").max_length
_MAX_PINPOINT = Citation._meta.get_field("pinpoint").max_length
_MAX_CITATION_NOTE = Citation._meta.get_field("note").max_length
_PROGRESS_EVERY = 5000


@dataclass
class RowError:
    row: int
    column: str
    reason: str


@dataclass
class PlannedRow:
    row: int
    action: str
    values: dict
    date: dates.PartialDate
    actors: list[str] | None  # None: the file has no actors column (an update keeps the event's actors)
    issues: list[str] | None
    citations: list[tuple[int, str]]  # (exhibit number, pinpoint)
    existing_id: int | None = None
    changed: list[str] = field(default_factory=list)
    citation_notes: dict[tuple[int, str], str] = field(default_factory=dict)  # citation -> its note, when it has one

    @property
    def date_display(self) -> str:
        return date_with_precision(self.date)


def date_with_precision(value: dates.PartialDate) -> str:
    """ "Aug 2024 (month)", "c. Sept 2024 (month, approximate)", "Date unknown"."""
    if value.undated:
        return "Date unknown"
    precision = value.start.precision.name.lower()
    if value.end is not None and value.end.precision != value.start.precision:
        precision += f" to {value.end.precision.name.lower()}"
    return f"{value.display()} ({precision}{', approximate' if value.approximate else ''})"


@dataclass
class Plan:
    matter: Matter
    name: str
    row_label: str
    columns: ColumnMap
    rows: list[PlannedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowWarning] = field(default_factory=list)  # pinpoints past an exhibit's last page; never blocking
    notices: list[str] = field(default_factory=list)
    date_orders: list[str] = field(default_factory=list)  # which day/month order each date column was read in
    data_rows: int = 0
    mapping: Mapping = field(default_factory=Mapping)  # what the user said about columns and values
    unknown_values: dict[tuple[str, str], UnknownValue] = field(default_factory=dict)  # (field, key(label)) -> it
    column_samples: dict[str, list[str]] = field(default_factory=dict)  # unrecognised header -> a few of its cells

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def invalid_rows(self) -> list[int]:
        return sorted({e.row for e in self.errors})

    @property
    def counts(self) -> dict[str, int]:
        counts = {NEW: 0, UPDATED: 0, UNCHANGED: 0}
        for row in self.rows:
            counts[row.action] += 1
        counts["invalid"] = len(self.invalid_rows)
        return counts

    def summary(self) -> str:
        c = self.counts
        return f"{c[NEW]} new, {c[UPDATED]} updated, {c[UNCHANGED]} unchanged, {c['invalid']} invalid"


def build_plan(
    table: Table,
    *,
    matter: Matter,
    day_first: bool | None = None,
    progress: Callable[[int, int], None] | None = None,
    mapping: Mapping | None = None,
) -> Plan:
    """Validate every row and decide what it would do, reading columns and values as `mapping` says. Raises
    MissingColumnError without a date or title column."""
    mapping = mapping or Mapping()
    columns = match_columns(list(table.frame.columns), mapped=mapping.columns)
    samples = _samples(table, columns.unrecognised + [h for h in table.frame.columns if mapping.column(h) is not None])
    if "title" not in columns.by_field:
        raise MissingColumnError(
            f"“{table.name}” has no title column (looked for Title, Event, Fact, Fact Text, Summary); "
            f"its columns are: {', '.join(table.frame.columns)}.",
            columns=columns,
            samples=samples,
        )
    if "date" not in columns.by_field and "date_start_iso" not in columns.by_field:
        raise MissingColumnError(
            f"“{table.name}” has no date column (looked for Date, Event Date, When, Date & Time); "
            f"its columns are: {', '.join(table.frame.columns)}.",
            columns=columns,
            samples=samples,
        )
    plan = Plan(matter=matter, name=table.name, row_label=table.row_label, columns=columns, notices=list(table.notices),
                mapping=mapping, column_samples=samples)  # fmt: skip
    plan.data_rows = len(table.frame)
    for header, fld in columns.duplicates:
        plan.notices.append(
            f"Column “{header}” was not imported: “{columns.by_field[fld]}” already gives the {fld.replace('_', ' ')}."
        )
    plan.notices += columns.notes
    _Planner(plan, table, day_first, progress).run()
    plan.warnings = page_warnings(plan)
    return plan


class MissingColumnError(UnusableInputError):
    """No title or no date column: the file cannot be planned until one of its columns is mapped to it."""

    def __init__(self, message: str, *, columns: ColumnMap, samples: dict[str, list[str]]):
        super().__init__(message)
        self.columns, self.samples = columns, samples


def _samples(table: Table, headers: list[str], shown: int = 3) -> dict[str, list[str]]:
    """A few non-empty cells of each of `headers`, so that the user can tell what an unrecognised column holds."""
    samples = {}
    for header in dict.fromkeys(headers):
        cells = (str(c).strip() for c in table.frame[header].head(200).tolist() if isinstance(c, str))
        samples[header] = [c[:60] for c in dict.fromkeys(c for c in cells if c)][:shown]
    return samples


class _Planner:
    """Checks each row's cells, reporting every problem, and plans the rows that have none."""

    def __init__(self, plan: Plan, table: Table, day_first: bool | None, progress):
        self.plan, self.progress = plan, progress
        self.rows = [int(r) for r in table.frame.index]
        self.cells = FieldCells(table.frame, plan.columns)
        self.dates = DateColumns(plan, self.cells, day_first=day_first, error=self.error)
        self.sources = SourceReader(plan.matter.exhibit_prefix)
        self.seen_ids: dict[str, int] = {}  # external id -> the row that has it
        self.flags: dict[str, bool | CellError] = {}  # yes/no cells, read once per distinct text

    def error(self, row: int, fld: str, reason: str) -> None:
        self.plan.errors.append(RowError(row, self.plan.columns.header(fld), reason))

    def run(self) -> None:
        self.dates.decide_orders(self.rows)
        refused = {e.row for e in self.plan.errors}  # rows whose date the column refuses: not read further
        self.existing = MatterEvents(self.plan.matter)
        total = len(self.rows)
        for i, row in enumerate(self.rows):
            if self.progress and i % _PROGRESS_EVERY == 0:
                self.progress(i, total)
            planned = self.plan_row(i, row, date_refused=row in refused)
            if planned is not None:
                self.plan.rows.append(planned)
        if self.progress:
            self.progress(total, total)

    def plan_row(self, i: int, row: int, *, date_refused: bool) -> PlannedRow | None:
        """The `i`th data row (row `row` of the file) planned, or None when it has errors (each one reported)."""
        errors_before = len(self.plan.errors)
        value = {"title": self.title(i, row)}
        tags: list[str] = []
        for fld, reader in (("kind", read_kind), ("status", read_status)):
            if (found := self.mapped_choice(i, row, fld, reader, tags)) is not None:
                value[fld] = found
        bound = self.choice(i, row, "bound", read_bound)
        for fld, attr in (("key", "is_key"), ("privileged", "is_privileged")):
            if (flag := self.flag(i, row, fld)) is not None:
                value[attr] = flag
        approximate = self.flag(i, row, "approximate")
        if "description" in self.cells.present:
            value["description"] = self.cells["description"][i]
        citations, citation_notes = self.sources_and_note(i, row, value)
        self.external_id(i, row, value)
        actors = self.names(i, row, "actors", commas="keep", limit=_MAX_ACTOR)
        issues = self.names(i, row, "issues", commas="separate unless semicolons", limit=_MAX_ISSUE)
        if date_refused:
            return None
        date = self.dates.row_date(i, row, approximate=bool(approximate), bound=bound or "")
        if len(self.plan.errors) > errors_before:
            return None
        decision = self.existing.decide(value, date, actors, issues, citations, tags=tags)
        return PlannedRow(
            row=row,
            action=decision.action,
            values=decision.values,
            date=date,
            actors=actors,
            issues=decision.issues,
            citations=citations,
            existing_id=decision.existing_id,
            changed=decision.changed,
            citation_notes=citation_notes,
        )

    # -- one check per kind of cell, each reporting its own errors ----------------------------------------------

    def title(self, i: int, row: int) -> str:
        title = self.cells["title"][i]
        if not title:
            self.error(row, "title", "the title is empty")
        elif len(title) > _MAX["title"]:
            self.error(row, "title", f"the title has {len(title)} characters; at most {_MAX['title']}")
        return title

    def choice(self, i: int, row: int, fld: str, reader: Callable[[str], str]) -> str | None:
        """A kind, status or bound; None when the cell is empty (or has no column) or cannot be read."""
        text = self.cells[fld][i]
        if not text:
            return None
        try:
            return reader(text)
        except CellError as error:
            self.error(row, fld, str(error))
            return None

    def mapped_choice(self, i: int, row: int, fld: str, reader: Callable[[str], str], tags: list[str]) -> str | None:
        """A kind or status as the mapping says, else as the words the import knows; a label neither knows takes its
        default and is listed for the user to map (mapping.UnknownValue). A label kept as an issue tag joins `tags`."""
        text = self.cells[fld][i]
        if not text:
            return None
        label = " ".join(text.split())
        target = self.plan.mapping.target(fld, label)
        if target is None:
            try:
                return reader(text)
            except CellError:
                pass
        unknown = self.plan.unknown_values.get((fld, key(label)))
        if unknown is None:
            unknown = self.plan.unknown_values[(fld, key(label))] = UnknownValue(fld, label)
            if target is not None:
                unknown.target, unknown.defaulted = target, False
        unknown.seen(row)
        if unknown.tag and len(unknown.tag) > _MAX_ISSUE:
            self.error(row, fld, f"“{label[:40]}…” is longer than {_MAX_ISSUE} characters, too long for an issue tag")
        elif unknown.tag and unknown.tag.casefold() not in (t.casefold() for t in tags):
            tags.append(unknown.tag)
        return unknown.value

    def flag(self, i: int, row: int, fld: str) -> bool | None:
        """A yes/no cell; None when the file has no such column or the cell cannot be read."""
        if fld not in self.cells.present:
            return None
        text = self.cells[fld][i]
        if (found := self.flags.get(text)) is None:
            try:
                found = self.flags[text] = read_bool(text)
            except CellError as error:
                found = self.flags[text] = error
        if isinstance(found, CellError):
            self.error(row, fld, str(found))
            return None
        return found

    def sources_and_note(self, i: int, row: int, value: dict) -> tuple[list[tuple[int, str]], dict]:
        """The row's citations (exhibit number, pinpoint) and their notes; what its sources cite that is no exhibit
        joins the source note."""
        present = self.cells.present
        if "sources" not in present and "source_note" not in present:
            return [], {}
        citations, citation_notes, notes = self.sources.read_with_notes(self.cells["sources"][i])
        for number, pinpoint in citations:
            if problem := self.existing.exhibit_problem(number):
                self.error(row, "sources", problem)
            elif len(pinpoint) > _MAX_PINPOINT:
                label = f"{self.plan.matter.exhibit_prefix}{number}"
                self.error(row, "sources", f"the pinpoint of {label} has more than {_MAX_PINPOINT} characters")
            elif len(citation_notes.get((number, pinpoint), "")) > _MAX_CITATION_NOTE:
                label = f"{self.plan.matter.exhibit_prefix}{number}"
                self.error(row, "sources", f"the note of {label} has more than {_MAX_CITATION_NOTE} characters")
        note = self.cells["source_note"][i]
        parts = [note] if note else []
        parts += [p for p in notes if p not in parts]
        value["source_note"] = "; ".join(parts)
        if len(value["source_note"]) > _MAX["source_note"]:
            column = "sources" if "sources" in present else "source_note"
            length = len(value["source_note"])
            self.error(row, column, f"the source note has {length} characters; at most {_MAX['source_note']}")
        return citations, citation_notes

    def external_id(self, i: int, row: int, value: dict) -> None:
        if "external_id" not in self.cells.present:
            return
        ext = value["external_id"] = self.cells["external_id"][i]
        if len(ext) > _MAX["external_id"]:
            self.error(row, "external_id", f"the id has {len(ext)} characters; at most {_MAX['external_id']}")
        elif ext and ext in self.seen_ids:
            self.error(row, "external_id", f"the id “{ext}” is also on {self.plan.row_label} {self.seen_ids[ext]}")
        elif ext:
            self.seen_ids[ext] = row
            if self.existing.is_deleted(ext):
                self.error(row, "external_id", f"the id “{ext}” belongs to a deleted event; restore it first")

    def names(self, i: int, row: int, fld: str, *, commas, limit: int) -> list[str] | None:
        """The row's actors or issues; None when the file has no such column."""
        if fld not in self.cells.present:
            return None
        names = split_names(self.cells[fld][i], commas=commas)
        for name in names:
            if len(name) > limit:
                self.error(row, fld, f"“{name[:40]}…” is longer than {limit} characters")
        return names
