"""The attorney reports built from a chronology: facts by issue, cast of characters, exhibit list, privilege log.

A report is read from the same `Chronology` as the chronology export (the same filters, the same numbering 1..N),
plus one query for what it adds (the matter's issues, actors or documents), so it costs a fixed number of queries
whatever the numbers of events, actors and issues. The writers print it in the chronology's frame (caption page,
running header, "Page X of Y", legend, metadata: pdf.py, docx.py) with a body of its own.

* Facts by issue: each issue of the matter (those of the issue filter, when it is set), by name, with its events in
  chronological order; then the events tagged with no issue. An event with two issues is under both. An issue with
  no event in the export is listed only when it has no live event at all (a gap in the proof, "no events yet"):
  one whose events are all privileged, in an export without them, must not show its name.
* Cast of characters: each actor (those of the actor filter, when set), by name, with its events; an actor without
  events in the export as an issue is.
* Exhibit list: every live document of the matter in exhibit order (privileged ones only when the export includes
  privileged material, then marked), with its SHA-256 and the events citing it.
* Privilege log: the privileged documents of the matter and the privileged events the filters select, by date as
  known (undated last; a document before an event of the same date): date, document, type, author, recipients,
  privilege asserted, description. Case Timeline records no recipients, and no privilege asserted for a document:
  those cells are printed empty, to be completed before the log is served. An event's privilege is work product,
  as its flag is defined. The description is the title only: an event's description and a document's text are
  what the privilege protects.

"No." in the facts by issue and the cast of characters, and "Cited by" in the exhibit list, are the events' numbers
in the chronology exported with the same filters. The filters select events; the exhibit list and the privilege
log list documents whatever their dates.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from evidence import selectors
from evidence.exporting import PRIVILEGE_LOG, Chronology, Exhibit, Row, glyphs
from evidence.text import shown

# How a privilege log names a document's type; any other media type is printed as it is stored.
DOCUMENT_TYPES = {
    "application/pdf": "PDF document",
    "message/rfc822": "E-mail",
    "text/plain": "Text",
    "text/html": "Web page",
    "text/csv": "Spreadsheet (CSV)",
    "application/msword": "Word document",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word document",
    "application/vnd.ms-excel": "Spreadsheet",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Spreadsheet",
    "image/png": "Image",
    "image/jpeg": "Image",
    "image/gif": "Image",
    "image/tiff": "Image",
}
WORK_PRODUCT = "Work product"


@dataclass
class Group:
    """An issue or an actor, with the events under it."""

    heading: str
    detail: str  # "Organisation; 3 events"
    rows: list[Row]


@dataclass(frozen=True)
class LogEntry:
    no: int
    date: str
    document: str  # "PX-7", or "Event" for a privileged event
    bates: str
    type: str  # "E-mail", or the event's kind
    author: str
    recipients: str  # not recorded by Case Timeline: always ""
    privilege: str  # "Work product" for an event; not recorded for a document: ""
    description: str
    actors: str  # an event's actors


@dataclass
class Report:
    chronology: Chronology
    lead: str  # what the report holds, printed under the cover's facts
    count: tuple[str, str]  # the cover's line of figures: ("Issues", "3 issues; 7 events")
    empty: str  # printed when there is nothing to list
    groups: list[Group] = field(default_factory=list)
    exhibits: list[Exhibit] = field(default_factory=list)
    log: list[LogEntry] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.chronology.options.report

    @property
    def title(self) -> str:
        return self.chronology.title

    @property
    def is_empty(self) -> bool:
        return not (self.groups or self.exhibits or self.log)

    def places(self) -> Iterator[tuple[str, list[str]]]:
        """What the report prints, for glyphs.missing_glyph_warnings."""
        yield from glyphs.frame_places(self.chronology)
        seen: set[int] = set()
        for group in self.groups:
            yield f"the heading “{group.heading}”", [group.heading]
            yield from glyphs.row_places(r for r in group.rows if not (r.no in seen or seen.add(r.no)))
        yield from glyphs.exhibit_places(self.exhibits)
        for entry in self.log:
            texts = [entry.document, entry.bates, entry.author, entry.description, entry.actors]
            yield f"privilege log entry {entry.no}", texts


def report_for(chronology: Chronology) -> Report:
    builders = {"facts-by-issue": facts_by_issue, "cast-of-characters": cast_of_characters,
                "exhibit-list": exhibit_list, PRIVILEGE_LOG: privilege_log}  # fmt: skip
    return builders[chronology.options.report](chronology)


def _events_text(n: int) -> str:
    return f"{n} event{'s' if n != 1 else ''}"


def _by_name(items, selected: tuple[str, ...]) -> list:
    """Issues or actors by name as shown (case aside), only the selected ones when a filter names some."""
    items = [i for i in items if not selected or i.name in selected]
    return sorted(items, key=lambda i: (shown(i.name).casefold(), i.pk))


def _grouped(chronology: Chronology, items, tags) -> tuple[list, list[Group], list[Row]]:
    """The items listed (see the module docstring), a group for each with the rows `tags(row)` puts under it, and
    the rows under none."""
    under: dict[int, list[Row]] = {item.pk: [] for item in items}
    untagged = []
    for row in chronology.rows:
        pks = [t.pk for t in tags(row)]
        for pk in pks:
            if pk in under:
                under[pk].append(row)
        if not pks:
            untagged.append(row)
    listed = [i for i in items if under[i.pk] or not i.live_events]
    return listed, [Group(shown(i.name), "", under[i.pk]) for i in listed], untagged


def _events_detail(group: Group) -> str:
    return _events_text(len(group.rows)) if group.rows else "no events yet"


def facts_by_issue(chronology: Chronology) -> Report:
    issues = _by_name(selectors.issues_of(matter=chronology.matter), chronology.options.filters.issues)
    issues, groups, untagged = _grouped(chronology, issues, lambda row: row.event.issues.all())
    for group in groups:
        group.detail = _events_detail(group)
    if untagged:
        groups.append(Group("No issue", _events_text(len(untagged)), untagged))
    return Report(
        chronology,
        lead="Each issue with its events in chronological order; an event tagged with several issues is listed "
        "under each. No. is the event’s number in the chronology exported with the same filters.",
        count=("Issues", f"{len(issues)} issue{'s' if len(issues) != 1 else ''}; {chronology.events_count_text}"),
        empty="The matter has no issues and no events match the filters.",
        groups=groups,
    )


def cast_of_characters(chronology: Chronology) -> Report:
    actors = _by_name(selectors.actors_of(matter=chronology.matter), chronology.options.filters.actors)
    actors, groups, _ = _grouped(chronology, actors, lambda row: row.event.actors.all())
    for actor, group in zip(actors, groups, strict=True):
        group.detail = f"{actor.get_kind_display()}; {_events_detail(group)}"
    return Report(
        chronology,
        lead="Each person and organisation with the events they take part in, in chronological order. No. is the "
        "event’s number in the chronology exported with the same filters.",
        count=("Actors", f"{len(actors)} actor{'s' if len(actors) != 1 else ''}; {chronology.events_count_text}"),
        empty="The matter has no actors.",
        groups=groups,
    )


def exhibit_list(chronology: Chronology) -> Report:
    include_privileged = chronology.options.filters.include_privileged
    cited = {x.document.pk: x.cited_by for x in chronology.exhibits}
    documents = selectors.exhibits_listed(matter=chronology.matter, include_privileged=include_privileged)
    exhibits = [Exhibit(document, list(cited.get(document.pk, []))) for document in documents]
    privileged = "included and marked" if include_privileged else "left out"
    return Report(
        chronology,
        lead="Every exhibit of the matter in exhibit order, with its SHA-256 as computed at intake. “Cited by” gives "
        f"the No. of each event citing it in the chronology exported with the same filters. Privileged documents are "
        f"{privileged}.",
        count=("Exhibits", f"{len(exhibits)} exhibit{'s' if len(exhibits) != 1 else ''}"),
        empty="The matter has no exhibits.",
        exhibits=exhibits,
    )


def privilege_log(chronology: Chronology) -> Report:
    documents = list(selectors.privileged_documents(matter=chronology.matter))
    rows = [row for row in chronology.rows if row.event.is_privileged]
    # Documents and events share one rule of order (evidence.dates: the sort key); a document before an event.
    items = sorted(
        [((d.date_sort, 0, d.exhibit_number), d) for d in documents]
        + [((r.event.date_sort, 1, r.no), r) for r in rows],
        key=lambda pair: pair[0],
    )
    log = [_document_entry(no, item) if (key[1] == 0) else _event_entry(no, item)
           for no, (key, item) in enumerate(items, start=1)]  # fmt: skip
    counts = f"{len(documents)} document{'s' if len(documents) != 1 else ''}, {_events_text(len(rows))}"
    return Report(
        chronology,
        lead="The privileged documents of the matter and the privileged events the filters select, by date. Case "
        "Timeline records no recipients, and no privilege asserted for a document: those cells are left blank, to "
        "be completed before the log is served. An event’s privilege is work product, as its flag records. Each "
        "description is the title only.",
        count=("Entries", counts),
        empty="Nothing in the matter is marked privileged.",
        log=log,
    )


def _document_entry(no: int, document) -> LogEntry:
    return LogEntry(
        no=no,
        date=document.date.display(),
        document=shown(document.exhibit_label),
        bates=shown(document.bates_range),
        type=DOCUMENT_TYPES.get(document.media_type, document.media_type),
        author=shown(document.author),
        recipients="",
        privilege="",
        description=shown(document.title),
        actors="",
    )


def _event_entry(no: int, row: Row) -> LogEntry:
    return LogEntry(
        no=no,
        date=row.date,
        document="Event",
        bates="",
        type=row.event.get_kind_display(),
        author="",
        recipients="",
        privilege=WORK_PRODUCT,
        description=row.title,
        actors=row.actors,
    )
