"""Field-by-field differences between versions of an event, in the words the timeline uses.

A *snapshot* is an event's user-visible state as a dict of display strings, taken from a historical record, a live
event, or the event form's cleaned data, so that all three compare alike ("their version vs yours").
"""

from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist

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
    ("actors", "Actors"),
    ("issues", "Issues"),
    ("deleted", "Deleted"),
)


@dataclass(frozen=True)
class Change:
    field: str
    label: str
    old: str
    new: str


def _yes_no(value) -> str:
    return "Yes" if value else "No"


def _names(names) -> str:
    return "; ".join(sorted(names, key=str.casefold))


def _label(choices, value) -> str:
    try:
        return choices(value).label
    except ValueError:
        return value or ""


def _snapshot(*, date, title, description, kind, status, is_key, is_privileged, source_note, actors, issues, deleted):
    return {
        "date": date,
        "title": title,
        "description": description or "",
        "kind": _label(EventKind, kind),
        "status": _label(EventStatus, status),
        "is_key": _yes_no(is_key),
        "is_privileged": _yes_no(is_privileged),
        "source_note": source_note or "",
        "actors": _names(actors),
        "issues": _names(issues),
        "deleted": _yes_no(deleted),
    }


def _snapshot_of(obj, *, date: str, actors, issues) -> dict[str, str]:
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


def snapshot_of_record(record) -> dict[str, str]:
    """A historical record of an event, from selectors.event_versions()."""
    return _snapshot_of(
        record,
        date=record.instance.date_display,
        actors=[_name_of(row, "actor") for row in record.historicalevent_actors_set.all()],
        issues=[_name_of(row, "issue") for row in record.historicalevent_issues_set.all()],
    )


def snapshot_of_event(event) -> dict[str, str]:
    return _snapshot_of(
        event,
        date=event.date_display,
        actors=[a.name for a in event.actors.all()],
        issues=[i.name for i in event.issues.all()],
    )


def snapshot_of_form(data: dict, *, deleted: bool) -> dict[str, str]:
    """The cleaned data of evidence.forms.EventForm."""
    return _snapshot(
        date=data["date"].display(),
        title=data["title"],
        description=data["description"],
        kind=data["kind"],
        status=data["status"],
        is_key=data["is_key"],
        is_privileged=data["is_privileged"],
        source_note=data["source_note"],
        actors=data["actors"],
        issues=data["issues"],
        deleted=deleted,
    )


def changes(old: dict[str, str] | None, new: dict[str, str]) -> list[Change]:
    """The fields that differ; against no old version (a creation), every field that has a value."""
    rows = []
    for field, label in FIELDS:
        before = old[field] if old is not None else ""
        if before != new[field] and not (old is None and new[field] in ("", "No")):
            rows.append(Change(field, label, before, new[field]))
    return rows


@dataclass
class Version:
    record: object  # the historical record
    changes: list[Change]
    is_current: bool


def versions_with_changes(records: list) -> list[Version]:
    """Historical records, newest first (as selectors.event_versions gives them), each with what it changed."""
    snapshots = [snapshot_of_record(r) for r in records]
    return [
        Version(
            record=record,
            changes=changes(snapshots[i + 1] if i + 1 < len(snapshots) else None, snapshots[i]),
            is_current=i == 0,
        )
        for i, record in enumerate(records)
    ]


@dataclass(frozen=True)
class Conflict:
    label: str
    opened: str  # the version the editor started from ("" when it is no longer known)
    theirs: str  # the version saved meanwhile
    yours: str  # what the editor submitted
    they_changed: bool
    you_changed: bool


def conflicts(opened: dict[str, str] | None, theirs: dict[str, str], yours: dict[str, str]) -> list[Conflict]:
    """For a stale edit: every field that someone else changed or that differs from what is now saved."""
    rows = []
    for field, label in FIELDS:
        base = opened[field] if opened is not None else None
        they_changed = base is not None and base != theirs[field]
        if theirs[field] != yours[field] or they_changed:
            rows.append(Conflict(
                label=label, opened=base or "", theirs=theirs[field], yours=yours[field], they_changed=they_changed,
                you_changed=base is not None and base != yours[field],
            ))  # fmt: skip
    return rows
