"""Field-by-field differences between versions of an event or a document, in the words the pages use.

A *snapshot* is a record's user-visible state as a dict of display strings, taken from a historical record, a live
record, or the event form's cleaned data, so that all three compare alike ("their version vs yours"). An event's
snapshot also holds its citations ("Sources"): a version is the whole event, and a change of citations is described
citation by citation ("added PX-2 p. 3", "removed PX-1", "PX-1: note changed …").
"""

from dataclasses import dataclass
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.core.exceptions import ObjectDoesNotExist
from django.utils.dateformat import format as format_date
from django.utils.timezone import localtime

from evidence import dates
from evidence.models import EventKind, EventStatus

FIELDS = (
    ("date", "Date"),
    ("title", "Title"),
    ("description", "Description"),
    ("kind", "Kind"),
    ("status", "Status"),
    ("is_key", "Key fact"),
    ("is_privileged", "Privileged"),
    ("source_note", "Source note"),
    ("sources", "Sources"),
    ("actors", "Actors"),
    ("issues", "Issues"),
    ("deleted", "Deleted"),
)

DOCUMENT_FIELDS = (
    ("title", "Title"),
    ("date", "Date"),
    ("author", "Author / custodian"),
    ("source_url", "Source URL"),
    ("captured_at", "Captured"),
    ("bates", "Bates range"),
    ("is_privileged", "Privileged"),
    ("deleted", "Deleted"),
)

# A snapshot's key for its sources as Source tuples, beside the display string under "sources"; None where a version
# did not record its citations (the sources are then left out of every comparison).
SOURCES = "sources_list"


@dataclass(frozen=True)
class Change:
    field: str
    label: str
    old: str
    new: str
    details: tuple[str, ...] = ()  # for sources: each citation added, removed or re-noted


class Source(NamedTuple):
    """One citation as a version shows it; sorts in exhibit order."""

    number: int
    pinpoint: str
    note: str
    document: int
    exhibit: str  # the label as it read then ("PX-3")

    @property
    def cite(self) -> str:
        return f"{self.exhibit} {self.pinpoint}" if self.pinpoint else self.exhibit

    @property
    def line(self) -> str:
        return f"{self.cite} — {self.note}" if self.note else self.cite


def sources_of_entries(entries) -> list[Source] | None:
    """Event.citations_snapshot (as its history rows keep it) as sources; None stays None (not recorded)."""
    if entries is None:
        return None
    return sorted(Source(e["number"], e["pinpoint"], e["note"], e["document"], e["exhibit"]) for e in entries)


def sources_of_citations(citations) -> list[Source]:
    """(document, pinpoint, note) tuples, as the event form and the services take them."""
    return sorted(Source(d.exhibit_number, p.strip(), n.strip(), d.pk, d.exhibit_label) for d, p, n in citations)


def source_details(old: list[Source], new: list[Source]) -> list[str]:
    """What changed in the citations, one line per citation, in exhibit order."""
    before = {(s.document, s.pinpoint): s for s in old}
    after = {(s.document, s.pinpoint): s for s in new}
    lines = []
    for key in sorted(before.keys() | after.keys(), key=lambda k: (before.get(k) or after[k])[:2]):
        was, now = before.get(key), after.get(key)
        if was is None:
            lines.append(f"added {now.cite}" + (f" (note “{now.note}”)" if now.note else ""))
        elif now is None:
            lines.append(f"removed {was.cite}")
        elif was.note != now.note:
            lines.append(f"{now.cite}: note changed from {_quoted(was.note)} to {_quoted(now.note)}")
    return lines


def _quoted(note: str) -> str:
    return f"“{note}”" if note else "none"


def _yes_no(value) -> str:
    return "Yes" if value else "No"


def _names(names) -> str:
    return "; ".join(sorted(names, key=str.casefold))


def _label(choices, value) -> str:
    try:
        return choices(value).label
    except ValueError:
        return value or ""


def _snapshot(
    *, date, title, description, kind, status, is_key, is_privileged, source_note, sources, actors, issues, deleted
):
    return {
        "date": date,
        "title": title,
        "description": description or "",
        "kind": _label(EventKind, kind),
        "status": _label(EventStatus, status),
        "is_key": _yes_no(is_key),
        "is_privileged": _yes_no(is_privileged),
        "source_note": source_note or "",
        "sources": "\n".join(s.line for s in sources or ()),
        SOURCES: sources,
        "actors": _names(actors),
        "issues": _names(issues),
        "deleted": _yes_no(deleted),
    }


def _snapshot_of(obj, *, date: str, sources, actors, issues) -> dict:
    """A live event or a historical record: both carry the event's fields under the same names."""
    return _snapshot(
        date=date,
        title=obj.title,
        description=obj.description,
        kind=obj.kind,
        status=obj.status,
        is_key=obj.is_key,
        is_privileged=obj.is_privileged,
        source_note=obj.source_note,
        sources=sources,
        actors=actors,
        issues=issues,
        deleted=obj.deleted_at is not None,
    )


def _name_of(row, relation: str) -> str:
    """The name of a version's actor or issue; one whose row is gone is still listed, by its id."""
    try:
        related = getattr(row, relation)
    except ObjectDoesNotExist:
        related = None
    return related.name if related is not None else f"(removed #{getattr(row, relation + '_id')})"


def _record_date(record) -> str:
    """The version's date as displayed, from its own columns (its `instance` would read the live row again, for the
    fields its history leaves out)."""
    return dates.from_columns(
        start=record.date_start, end=record.date_end, tz=record.date_tz, approximate=record.date_approximate,
        bound=record.date_bound,
    ).display()  # fmt: skip


def snapshot_of_record(record) -> dict:
    """A historical record of an event, from selectors.event_versions()."""
    return _snapshot_of(
        record,
        date=_record_date(record),
        sources=sources_of_entries(record.citations_snapshot),
        actors=[_name_of(row, "actor") for row in record.historicalevent_actors_set.all()],
        issues=[_name_of(row, "issue") for row in record.historicalevent_issues_set.all()],
    )


def snapshot_of_event(event) -> dict:
    return _snapshot_of(
        event,
        date=event.date_display,
        sources=sources_of_citations((c.document, c.pinpoint, c.note) for c in event.citations.all()),
        actors=[a.name for a in event.actors.all()],
        issues=[i.name for i in event.issues.all()],
    )


def snapshot_of_form(data: dict, *, deleted: bool, citations=None) -> dict:
    """The cleaned data of evidence.forms.EventForm, with the (document, pinpoint, note) of its citation rows."""
    return _snapshot(
        date=data["date"].display(),
        title=data["title"],
        description=data["description"],
        kind=data["kind"],
        status=data["status"],
        is_key=data["is_key"],
        is_privileged=data["is_privileged"],
        source_note=data["source_note"],
        sources=sources_of_citations(citations) if citations is not None else None,
        actors=data["actors"],
        issues=data["issues"],
        deleted=deleted,
    )


def _known(snapshot: dict | None, field: str) -> bool:
    """False for the sources of a version that did not record them."""
    return snapshot is None or field != "sources" or snapshot[SOURCES] is not None


def changes(old: dict | None, new: dict, fields=FIELDS) -> list[Change]:
    """The fields that differ; against no old version (a creation), every field that has a value."""
    rows = []
    for field, label in fields:
        if not (_known(old, field) and _known(new, field)):
            continue
        before = old[field] if old is not None else ""
        if before != new[field] and not (old is None and new[field] in ("", "No")):
            details = ()
            if field == "sources":
                details = tuple(source_details(old[SOURCES] if old is not None else [], new[SOURCES]))
            rows.append(Change(field, label, before, new[field], details))
    return rows


@dataclass
class Version:
    record: object  # the historical record
    changes: list[Change]
    is_current: bool


def versions_with_changes(records: list, *, snapshot=snapshot_of_record, fields=FIELDS) -> list[Version]:
    """Historical records, newest first (as selectors.event_versions gives them), each with what it changed."""
    snapshots = [snapshot(r) for r in records]
    return [
        Version(
            record=record,
            changes=changes(snapshots[i + 1] if i + 1 < len(snapshots) else None, snapshots[i], fields),
            is_current=i == 0,
        )
        for i, record in enumerate(records)
    ]


# Documents -----------------------------------------------------------------------------------------------------------


def display_time(moment, zone: str) -> str:
    """An aware datetime as the pages show one, in the matter's zone: "Sep 18, 2024, 9:30 AM PDT"."""
    return format_date(localtime(moment, ZoneInfo(zone)), "M j, Y, g:i A T")


def snapshot_of_document(document, *, zone: str) -> dict:
    """A live document or a historical record of one (through its `instance`), times shown in the matter's `zone`."""
    document = getattr(document, "instance", document)
    captured = document.captured_at
    return {
        "title": document.title,
        "date": document.date_display,
        "author": document.author,
        "source_url": document.source_url,
        "captured_at": display_time(captured, zone) if captured else "",
        "bates": document.bates_range,
        "is_privileged": _yes_no(document.is_privileged),
        "deleted": _yes_no(document.deleted_at is not None),
    }


def document_versions_with_changes(records: list, *, zone: str) -> list[Version]:
    """Historical records of a document, newest first (selectors.document_versions), each with what it changed."""
    return versions_with_changes(
        records, snapshot=lambda record: snapshot_of_document(record, zone=zone), fields=DOCUMENT_FIELDS
    )


@dataclass(frozen=True)
class Conflict:
    label: str
    opened: str  # the version the editor started from ("" when it is no longer known)
    theirs: str  # the version saved meanwhile
    yours: str  # what the editor submitted
    they_changed: bool
    you_changed: bool


def conflicts(opened: dict | None, theirs: dict, yours: dict) -> list[Conflict]:
    """For a stale edit: every field that someone else changed or that differs from what is now saved."""
    rows = []
    for field, label in FIELDS:
        if not (_known(theirs, field) and _known(yours, field)):
            continue
        base = opened[field] if opened is not None and _known(opened, field) else None
        they_changed = base is not None and base != theirs[field]
        if theirs[field] != yours[field] or they_changed:
            rows.append(Conflict(
                label=label, opened=base or "", theirs=theirs[field], yours=yours[field], they_changed=they_changed,
                you_changed=base is not None and base != yours[field],
            ))  # fmt: skip
    return rows
