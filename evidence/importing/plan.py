"""The preview: what an import would do, row by row, without writing anything.

Each data row becomes a `PlannedRow` (new, updated or unchanged, with the values as they will be stored) or one or
more `RowError`s (row number as the user sees it, the file's column header, the reason). The plan is the whole
contract between the preview and the write: `apply.apply_plan` writes exactly what it lists, and only if it has no
errors.

Idempotency: a row with an external id is matched to the matter's event with that id (updated if anything differs,
else unchanged); a row without one is unchanged when the matter already has an event with the same date and title
(that event is left as it is: without an id there is nothing to say the row is a newer version of it), else new.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from evidence import dates
from evidence.importing.columns import ColumnMap, match_columns
from evidence.importing.reading import Table, UnusableInput, _rows
from evidence.importing.cells import (
    CellError,
    SourceReader,
    read_bool,
    read_bound,
    read_kind,
    read_status,
    split_names,
    unguard,
)
from evidence.models import Actor, Citation, Document, Event, EventKind, EventStatus, Issue, Matter

NEW, UPDATED, UNCHANGED = "new", "updated", "unchanged"
# The event fields an import sets (besides the date, actors, issues and citations), with the column that holds each.
VALUE_FIELDS = {
    "title": "title", "description": "description", "kind": "kind", "status": "status", "is_key": "key",
    "is_privileged": "privileged", "source_note": "source_note", "external_id": "external_id",
}  # fmt: skip
DEFAULTS = {
    "description": "", "kind": EventKind.OTHER.value, "status": EventStatus.UNVERIFIED.value, "is_key": False,
    "is_privileged": False, "source_note": "", "external_id": "",
}  # fmt: skip
MACHINE_FIELDS = frozenset({"date_start_iso", "date_end_iso", "time_zone"})
DATE_ATTRS = ("date_start", "date_end", "date_tz", "date_approximate", "date_bound")
_MAX = {f: Event._meta.get_field(f).max_length for f in ("title", "source_note", "external_id")}
_MAX_ACTOR = Actor._meta.get_field("name").max_length
_MAX_ISSUE = Issue._meta.get_field("name").max_length
_MAX_PINPOINT = Citation._meta.get_field("pinpoint").max_length


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
    notices: list[str] = field(default_factory=list)
    date_orders: list[str] = field(default_factory=list)  # which day/month order each date column was read in
    data_rows: int = 0

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


def date_parts(value: dates.PartialDate) -> tuple:
    """The stored columns of a date (as Event.date's setter writes them), for comparing with an existing event."""
    s, e = value.start, value.end
    tz = (s.tz if s else "") or (e.tz if e else "")
    return (s.iso() if s else "", e.iso() if e else "", tz, value.approximate, value.bound.value)


# --------------------------------------------------------------------------------------------------------------


def build_plan(
    table: Table, *, matter: Matter, day_first: bool | None = None, progress: Callable[[int, int], None] | None = None
) -> Plan:
    """Validate every row and decide what it would do. Raises UnusableInput when there is no date or title column."""
    columns = match_columns(list(table.frame.columns))
    if "title" not in columns.by_field:
        raise UnusableInput(
            f"“{table.name}” has no title column (looked for Title, Event, Fact, Fact Text, Summary); "
            f"its columns are: {', '.join(table.frame.columns)}."
        )
    if "date" not in columns.by_field and "date_start_iso" not in columns.by_field:
        raise UnusableInput(
            f"“{table.name}” has no date column (looked for Date, Event Date, When, Date & Time); "
            f"its columns are: {', '.join(table.frame.columns)}."
        )
    plan = Plan(matter=matter, name=table.name, row_label=table.row_label, columns=columns, notices=list(table.notices))
    plan.data_rows = len(table.frame)
    for header, fld in columns.duplicates:
        plan.notices.append(
            f"Column “{header}” was not imported: “{columns.by_field[fld]}” already gives the {fld.replace('_', ' ')}."
        )
    _Planner(plan, table, day_first, progress).run()
    return plan


class _Planner:
    def __init__(self, plan: Plan, table: Table, day_first: bool | None, progress):
        self.plan, self.table, self.forced, self.progress = plan, table, day_first, progress
        self.matter = plan.matter
        self.sources = SourceReader(self.matter.exhibit_prefix)
        self.cache: dict = {}

    # -- columns -----------------------------------------------------------------------------------------------

    def column(self, fld: str) -> list[str] | None:
        header = self.plan.columns.by_field.get(fld)
        if header is None:
            return None
        cells = [c.strip() if isinstance(c, str) else "" for c in self.table.frame[header].tolist()]
        if fld in MACHINE_FIELDS:  # written as stored by our export: an offset "-08:00" is data, not a formula
            return cells
        return [unguard(c) if c[:1] == "'" else c for c in cells]

    def error(self, row: int, fld: str, reason: str) -> None:
        self.plan.errors.append(RowError(row, self.plan.columns.header(fld), reason))

    def decide_order(self, fld: str, values: list[str], rows: list[int]) -> bool | None:
        """The column's day/month order: forced, or proven by its own values; a column proving both is refused."""
        header = self.plan.columns.header(fld)
        if self.forced is not None:
            order = "day/month" if self.forced else "month/day (US)"
            self.plan.date_orders.append(f"“{header}”: {order}, as chosen for this import.")
            return self.forced
        proofs: dict[str, bool | None | ValidationError] = {}
        for value in set(values):
            try:
                proofs[value] = dates.detect_day_first([value]) if value else None
            except ValidationError as error:
                proofs[value] = error
        day_rows = [r for r, v in zip(rows, values) if proofs[v] is True]
        us_rows = [r for r, v in zip(rows, values) if proofs[v] is False]
        for r, v in zip(rows, values):
            if isinstance(proofs[v], ValidationError):
                self.error(r, fld, "; ".join(proofs[v].messages))
        if day_rows and us_rows:

            def label(rows):
                return self.plan.row_label + ("s" if len(rows) > 1 else "")

            for r, v in zip(rows, values):
                if proofs[v] is True:
                    self.error(
                        r,
                        fld,
                        f"“{v}” is day/month, but the column also has month/day dates ({label(us_rows)} "
                        f"{_rows(us_rows)}); write the column in one order or choose the order",
                    )
                elif proofs[v] is False:
                    self.error(
                        r,
                        fld,
                        f"“{v}” is month/day, but the column also has day/month dates ({label(day_rows)} "
                        f"{_rows(day_rows)}); write the column in one order or choose the order",
                    )
            self.plan.date_orders.append(f"“{header}”: refused, it mixes day/month and month/day dates.")
            return None
        if day_rows:
            example = next(v for v in values if proofs[v] is True)
            self.plan.date_orders.append(
                f"“{header}”: day/month, because the column has “{example}” ({self.plan.row_label} {day_rows[0]})."
            )
            return True
        if any(v and any(ch.isdigit() for ch in v) and "/" in v for v in values):
            self.plan.date_orders.append(f"“{header}”: month/day (US), as no value proves day/month.")
        return False

    def parse_date(self, text: str, order: bool | None) -> dates.PartialDate:
        key = (text, order)
        try:
            found = self.cache[key]
        except KeyError:
            try:
                found = self.matter.read_date(dates.parse(text, day_first=order))
            except ValidationError as error:
                found = error
            self.cache[key] = found
        if isinstance(found, ValidationError):
            raise found
        return found

    # -- existing data -----------------------------------------------------------------------------------------

    def load_existing(self):
        matter = self.matter
        fields = ["id", "deleted_at", *DATE_ATTRS, *VALUE_FIELDS]
        self.by_external_id: dict[str, dict] = {}
        self.by_key: dict[tuple, list[int]] = defaultdict(list)
        self.existing: dict[int, dict] = {}
        for ev in Event.objects.filter(matter=matter).order_by("id").values(*fields).iterator(chunk_size=5000):
            self.existing[ev["id"]] = ev
            if ev["external_id"]:
                self.by_external_id[ev["external_id"]] = ev
            if ev["deleted_at"] is None:
                self.by_key[(*[ev[a] for a in DATE_ATTRS], ev["title"])].append(ev["id"])
        self.actor_names = _names_by_event(Event.actors.through, "actor", matter)
        self.issue_names = _names_by_event(Event.issues.through, "issue", matter)
        self.citations: dict[int, set] = defaultdict(set)
        for event_id, number, pinpoint in Citation.objects.filter(event__matter=matter).values_list(
            "event_id", "document__exhibit_number", "pinpoint"
        ):
            self.citations[event_id].add((number, pinpoint))
        self.exhibits = dict(Document.objects.filter(matter=matter).values_list("exhibit_number", "deleted_at"))

    # -- rows --------------------------------------------------------------------------------------------------

    def run(self):
        plan = self.plan
        rows = [int(r) for r in self.table.frame.index]
        n = len(rows)
        col = {fld: self.column(fld) for fld in (
            "date", "end_date", "date_start_iso", "date_end_iso", "approximate", "bound", "time_zone", "title",
            "description", "kind", "status", "key", "privileged", "issues", "actors", "sources", "source_note",
            "external_id",
        )}  # fmt: skip
        empty = [""] * n
        get = lambda fld: col[fld] if col[fld] is not None else empty  # noqa: E731
        # Rows whose exact parts (our export) give the date do not take part in deciding the text column's order.
        iso = get("date_start_iso")
        text_rows = [(r, v) for r, v, s in zip(rows, get("date"), iso) if not s]
        orders = {}
        for fld, pairs in (("date", text_rows), ("end_date", list(zip(rows, get("end_date"))))):
            if col[fld] is not None:
                orders[fld] = self.decide_order(fld, [v for _, v in pairs], [r for r, _ in pairs])
        refused = {e.row for e in plan.errors}
        self.load_existing()
        seen_ids: dict[str, int] = {}
        bool_cache: dict[str, bool | CellError] = {}
        for i, row in enumerate(rows):
            if progress := self.progress:
                if i % 5000 == 0:
                    progress(i, n)
            errors_before = len(plan.errors)
            value = {}
            title = get("title")[i]
            if not title:
                self.error(row, "title", "the title is empty")
            elif len(title) > _MAX["title"]:
                self.error(row, "title", f"the title has {len(title)} characters; at most {_MAX['title']}")
            value["title"] = title
            for fld, reader in (("kind", read_kind), ("status", read_status), ("bound", read_bound)):
                if col[fld] is not None and get(fld)[i]:
                    try:
                        value[fld] = reader(get(fld)[i])
                    except CellError as error:
                        self.error(row, fld, str(error))
            for fld, attr in (("key", "is_key"), ("privileged", "is_privileged"), ("approximate", "approximate")):
                if col[fld] is not None:
                    text = get(fld)[i]
                    if (found := bool_cache.get(text)) is None:
                        try:
                            found = bool_cache[text] = read_bool(text)
                        except CellError as error:
                            found = bool_cache[text] = error
                    if isinstance(found, CellError):
                        self.error(row, fld, str(found))
                    else:
                        value[attr] = found
            if col["description"] is not None:
                value["description"] = get("description")[i]
            # sources: exhibits become citations, anything else the source note
            citations, notes = self.sources.read(get("sources")[i]) if col["sources"] is not None else ([], [])
            for number, pinpoint in citations:
                label = f"{self.matter.exhibit_prefix}{number}"
                if number not in self.exhibits:
                    self.error(row, "sources", f"{label} does not exist in this matter{self.exhibit_range()}")
                elif self.exhibits[number] is not None:
                    self.error(row, "sources", f"{label} is deleted; restore it or remove the citation")
                elif len(pinpoint) > _MAX_PINPOINT:
                    self.error(row, "sources", f"the pinpoint of {label} has more than {_MAX_PINPOINT} characters")
            if col["source_note"] is not None or col["sources"] is not None:
                note_parts = [get("source_note")[i]] if get("source_note")[i] else []
                note_parts += [p for p in notes if p not in note_parts]
                value["source_note"] = "; ".join(note_parts)
                if len(value["source_note"]) > _MAX["source_note"]:
                    column = "sources" if col["sources"] is not None else "source_note"
                    self.error(
                        row,
                        column,
                        f"the source note has {len(value['source_note'])} characters; at most {_MAX['source_note']}",
                    )
            if col["external_id"] is not None:
                ext = value["external_id"] = get("external_id")[i]
                if len(ext) > _MAX["external_id"]:
                    self.error(row, "external_id", f"the id has {len(ext)} characters; at most {_MAX['external_id']}")
                elif ext and ext in seen_ids:
                    self.error(row, "external_id", f"the id “{ext}” is also on {plan.row_label} {seen_ids[ext]}")
                elif ext:
                    seen_ids[ext] = row
                    if (old := self.by_external_id.get(ext)) is not None and old["deleted_at"] is not None:
                        self.error(row, "external_id", f"the id “{ext}” belongs to a deleted event; restore it first")
            actors = split_names(get("actors")[i], commas=False) if col["actors"] is not None else None
            issues = split_names(get("issues")[i], commas=True) if col["issues"] is not None else None
            for fld, names, limit in (("actors", actors, _MAX_ACTOR), ("issues", issues, _MAX_ISSUE)):
                for name in names or ():
                    if len(name) > limit:
                        self.error(row, fld, f"“{name[:40]}…” is longer than {limit} characters")
            date = None if row in refused else self.row_date(i, row, get, orders, value)
            if len(plan.errors) > errors_before or row in refused:
                continue
            plan.rows.append(self.decide(row, value, date, actors, issues, citations, col))
        if self.progress:
            self.progress(n, n)

    def row_date(self, i, row, get, orders, value) -> dates.PartialDate | None:
        start_iso = get("date_start_iso")[i]
        try:
            if start_iso:
                tz = get("time_zone")[i]
                start = dates.DatePoint.from_iso(start_iso, tz=tz)
                end_iso = get("date_end_iso")[i]
                end = dates.DatePoint.from_iso(end_iso, tz=tz) if end_iso else None
                date = dates.PartialDate(
                    start, end, approximate=value.pop("approximate", False), bound=value.pop("bound", "")
                )
                return self.matter.read_date(date)
        except ValidationError as error:
            self.error(row, "date_start_iso", "; ".join(error.messages))
            return None
        value.pop("approximate", None)
        value.pop("bound", None)
        try:
            date = self.parse_date(get("date")[i], orders.get("date"))
        except ValidationError as error:
            self.error(row, "date", "; ".join(error.messages))
            return None
        end_text = get("end_date")[i]
        if not end_text:
            return date
        try:
            end = self.parse_date(end_text, orders.get("end_date"))
        except ValidationError as error:
            self.error(row, "end_date", "; ".join(error.messages))
            return None
        if date.undated:
            self.error(row, "end_date", "an end date needs a start date")
        elif date.end is not None or end.end is not None or end.bound or end.undated:
            self.error(row, "end_date", f"“{end_text}” cannot end “{date.display()}”: give one date as the end")
        else:
            try:
                return dates.PartialDate(date.start, end.start, date.approximate or end.approximate, date.bound)
            except ValidationError as error:
                self.error(row, "end_date", "; ".join(error.messages))
        return None

    def exhibit_range(self) -> str:
        alive = sorted(n for n, deleted in self.exhibits.items() if deleted is None)
        if not alive:
            return " (it has no exhibits yet: import the documents first)"
        p = self.matter.exhibit_prefix
        return (
            f" (its exhibits are {p}{alive[0]} to {p}{alive[-1]})"
            if len(alive) > 1
            else f" (its exhibit is {p}{alive[0]})"
        )

    def decide(self, row, value, date, actors, issues, citations, col) -> PlannedRow:
        parts = date_parts(date)
        ext = value.get("external_id", "")
        old = self.by_external_id.get(ext) if ext else None
        if old is None:
            if not ext:
                matches = self.by_key.get((*parts, value["title"]))
                if matches:
                    existing_id = matches.pop(0)  # each existing event answers for one row
                    return PlannedRow(
                        row, UNCHANGED, {**DEFAULTS, **value}, date, actors, issues, citations, existing_id
                    )
            return PlannedRow(row, NEW, {**DEFAULTS, **value}, date, actors, issues, citations)
        changed = [f for f, v in value.items() if old[f] != v]
        if parts != tuple(old[a] for a in DATE_ATTRS):
            changed.append("date")
        for label, names, current in (("actors", actors, self.actor_names), ("issues", issues, self.issue_names)):
            if names is not None and {n.casefold() for n in names} != current.get(old["id"], set()):
                changed.append(label)
        if not set(citations) <= self.citations.get(old["id"], set()):
            changed.append("citations")
        merged = {f: value.get(f, old[f]) for f in VALUE_FIELDS}
        action = UPDATED if changed else UNCHANGED
        return PlannedRow(row, action, merged, date, actors, issues, citations, old["id"], changed)


def _names_by_event(through, target: str, matter) -> dict[int, set[str]]:
    names: dict[int, set[str]] = defaultdict(set)
    for event_id, name in through.objects.filter(event__matter=matter).values_list("event_id", f"{target}__name"):
        names[event_id].add(name.casefold())
    return names
