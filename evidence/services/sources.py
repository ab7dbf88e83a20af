"""Tracked sources, their versions and the audiences a version applies to: create, change, soft delete and restore,
the order in which a source changed, and the event a new version proposes.

A version is a document of the source's matter (the same intake, hash and exhibit number); a version is written as
one history row holding its audiences, as an event version holds its actors and issues.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from evidence import dates
from evidence.dates import zones
from evidence.models import (
    Audience,
    Document,
    EventKind,
    Matter,
    SourceKind,
    SourceVersion,
    TrackedSource,
)
from evidence.services.actors import free_name
from evidence.services.base import save_with_history
from evidence.services.documents import document_intake

SOURCE_FIELDS = TrackedSource.EDITABLE_FIELDS
VERSION_FIELDS = SourceVersion.EDITABLE_FIELDS


# Sources ------------------------------------------------------------------------------------------------------------


@transaction.atomic
def source_create(
    *,
    matter: Matter,
    user,
    name: str,
    kind: str,
    reason: str,
    url: str = "",
    description: str = "",
    is_illustrative: bool = False,
) -> TrackedSource:
    """A new tracked source; a name the matter already has (in any case) is refused."""
    source = TrackedSource(
        matter=matter,
        name=free_name(TrackedSource, matter, name),
        kind=kind,
        url=url.strip(),
        description=description,
        is_illustrative=is_illustrative,
    )
    save_with_history(source, user=user, reason=reason)
    return source


@transaction.atomic
def source_update(*, source: TrackedSource, user, reason: str, **fields) -> TrackedSource:
    unknown = set(fields) - set(SOURCE_FIELDS)
    if unknown:
        raise TypeError(f"source_update() got unknown fields {sorted(unknown)}")
    current = TrackedSource.objects.select_for_update().get(pk=source.pk)
    if "name" in fields:
        fields["name"] = free_name(TrackedSource, current.matter, fields["name"], exclude_pk=current.pk)
    if "url" in fields:
        fields["url"] = (fields["url"] or "").strip()
    for name, value in fields.items():
        setattr(current, name, value)
    save_with_history(current, user=user, reason=reason)
    return current


@transaction.atomic
def source_delete(*, source: TrackedSource, user, reason: str) -> TrackedSource:
    """Soft delete: the source and its versions are hidden and can be restored; their documents stay evidence."""
    return _set_deleted(TrackedSource, source, timezone.now(), user=user, reason=reason)


@transaction.atomic
def source_restore(*, source: TrackedSource, user, reason: str) -> TrackedSource:
    return _set_deleted(TrackedSource, source, None, user=user, reason=reason)


def _set_deleted(model, item, deleted_at, *, user, reason):
    current = model.objects.select_for_update().get(pk=item.pk)
    current.deleted_at = deleted_at
    if isinstance(current, SourceVersion):
        save_with_history(current, user=user, reason=reason, m2m={"audiences": list(current.audiences.all())})
    else:
        save_with_history(current, user=user, reason=reason)
    return current


# Audiences ----------------------------------------------------------------------------------------------------------


@transaction.atomic
def audience_create(*, matter: Matter, user, name: str, reason: str, description: str = "") -> Audience:
    audience = Audience(matter=matter, name=free_name(Audience, matter, name), description=description)
    save_with_history(audience, user=user, reason=reason)
    return audience


@transaction.atomic
def audience_update(
    *, audience: Audience, user, reason: str, name: str | None = None, description: str | None = None
) -> Audience:
    current = Audience.objects.select_for_update().get(pk=audience.pk)
    if name is not None:
        current.name = free_name(Audience, current.matter, name, exclude_pk=current.pk)
    if description is not None:
        current.description = description
    save_with_history(current, user=user, reason=reason)
    return current


@transaction.atomic
def audience_retire(*, audience: Audience, user, reason: str, retired: bool = True) -> Audience:
    """Retire an audience (no longer offered for new versions; the versions that name it keep it), or bring it
    back. Never deleted: versions and their history refer to it."""
    current = Audience.objects.select_for_update().get(pk=audience.pk)
    current.retired_at = timezone.now() if retired else None
    save_with_history(current, user=user, reason=reason)
    return current


# Versions -----------------------------------------------------------------------------------------------------------


@transaction.atomic
def version_add(
    *,
    source: TrackedSource,
    document: Document,
    user,
    capture_method: str,
    reason: str,
    captured_at: dt.datetime | None = None,
    first_seen: dates.PartialDate | str | None = None,
    effective: dates.PartialDate | str | None = None,
    audiences: Iterable[Audience] = (),
    note: str = "",
) -> SourceVersion:
    """`document` (of the source's matter) as a new version of `source`. Dates are as known (None: unknown); a text
    is parsed as the event form parses it. Refused, with nothing written, when the source or the document is deleted
    or of another matter, when the document is a version of this source already, or when an audience is another
    matter's."""
    # Read afresh and locked: a source or a document deleted since the caller read it is refused, not versioned.
    source = TrackedSource.objects.select_for_update().select_related("matter").get(pk=source.pk)
    document = Document.objects.select_for_update().select_related("matter").get(pk=document.pk)
    matter = source.matter
    if source.is_deleted:
        raise ValidationError(f"“{source.name}” is deleted: restore it before adding a version.")
    if document.matter_id != matter.pk:
        raise ValidationError({"document": "The document must be evidence in this source's matter."})
    if document.is_deleted:
        raise ValidationError({"document": f"{document.exhibit_label} is deleted: restore it first."})
    existing = SourceVersion.objects.filter(source=source, document=document).first()
    if existing is not None:
        state = " (deleted: restore it instead)" if existing.is_deleted else ""
        raise ValidationError({"document": f"{document.exhibit_label} is already a version of “{source.name}”{state}."})
    version = SourceVersion(matter=matter, source=source, document=document, capture_method=capture_method, note=note)
    version.captured_at = _aware(captured_at)
    version.first_seen_date = _read(matter, first_seen)
    version.effective_date = _read(matter, effective)
    save_with_history(version, user=user, reason=reason, m2m={"audiences": _audiences(matter, audiences)})
    return version


@transaction.atomic
def version_add_upload(
    *, source: TrackedSource, file, filename: str, user, reason: str, title: str = "", **version
) -> SourceVersion:
    """A file taken in as a document of the source's matter (documents.document_intake: hashed, numbered; the same
    bytes already there are that document) and added as a version, in one transaction: a version refused leaves no
    new document. `version`: what version_add takes besides the document."""
    matter = source.matter
    dated = next((version.get(k) for k in ("effective", "first_seen") if version.get(k) is not None), None)
    result = document_intake(
        matter=matter, user=user, file=file, filename=filename, reason=reason,
        title=title or f"{source.name} — {filename}", date=dated, source_url=source.url,
        captured_at=_aware(version.get("captured_at")),
    )  # fmt: skip
    return version_add(source=source, document=result.document, user=user, reason=reason, **version)


@transaction.atomic
def version_update(
    *,
    version: SourceVersion,
    user,
    reason: str,
    first_seen: dates.PartialDate | str | None = None,
    effective: dates.PartialDate | str | None = None,
    audiences: Iterable[Audience] | None = None,
    **fields,
) -> SourceVersion:
    """Change a version's capture method, capture time, note, dates (dates.UNDATED clears one; None leaves it) or
    audiences (None leaves them). Its document never changes: add the other document as a version instead."""
    unknown = set(fields) - set(VERSION_FIELDS)
    if unknown:
        raise TypeError(f"version_update() got unknown fields {sorted(unknown)}")
    current = SourceVersion.objects.select_for_update().select_related("matter").get(pk=version.pk)
    if "captured_at" in fields:
        fields["captured_at"] = _aware(fields["captured_at"])
    for name, value in fields.items():
        setattr(current, name, value)
    if first_seen is not None:
        current.first_seen_date = _read(current.matter, first_seen)
    if effective is not None:
        current.effective_date = _read(current.matter, effective)
    chosen = current.audiences.all() if audiences is None else _audiences(current.matter, audiences)
    save_with_history(current, user=user, reason=reason, m2m={"audiences": list(chosen)})
    return current


@transaction.atomic
def version_delete(*, version: SourceVersion, user, reason: str) -> SourceVersion:
    """Soft delete: the version leaves its source's time line and can be restored; its document stays evidence."""
    return _set_deleted(SourceVersion, version, timezone.now(), user=user, reason=reason)


@transaction.atomic
def version_restore(*, version: SourceVersion, user, reason: str) -> SourceVersion:
    return _set_deleted(SourceVersion, version, None, user=user, reason=reason)


def _read(matter: Matter, value: dates.PartialDate | str | None) -> dates.PartialDate:
    return dates.UNDATED if value is None else matter.read_date(value)


def _aware(moment: dt.datetime | None) -> dt.datetime | None:
    if moment is not None and timezone.is_naive(moment):
        raise ValidationError({"captured_at": "A capture time needs its time zone."})
    return moment


def _audiences(matter: Matter, audiences: Iterable[Audience]) -> list[Audience]:
    chosen = list(audiences)
    if any(a.matter_id != matter.pk for a in chosen):
        raise ValidationError({"audiences": "An audience must be one of this matter's."})
    return chosen


# The order of a source's versions, and what a new one proposes --------------------------------------------------


def capture_date(version: SourceVersion) -> dates.PartialDate:
    """The capture time as a minute-precision date on the matter's clock (UNDATED when unknown)."""
    if version.captured_at is None:
        return dates.UNDATED
    zone = version.matter.time_zone
    t = version.captured_at.astimezone(zones.tzinfo(zone))
    point = dates.DatePoint(dates.Precision.MINUTE, t.year, t.month, t.day, t.hour, t.minute, zone)
    return dates.PartialDate(start=point)


def version_order(version: SourceVersion) -> tuple:
    """The one rule for the order in which a source changed: by the effective date when known, else by the
    first-seen date, else by the capture time (each as the partial-date order places it); ties, and versions with
    none of them (last), by exhibit number."""
    if version.effective_start:
        key = version.effective_sort
    elif version.first_seen_start:
        key = version.first_seen_sort
    else:
        key = capture_date(version).sort_key(version.matter.time_zone)
    return key, version.document.exhibit_number, version.pk


def ordered_versions(versions: Iterable[SourceVersion]) -> list[SourceVersion]:
    return sorted(versions, key=version_order)


# What each kind of source proposes: (event kind of its first version, of a later one; the verb of a change).
_PROPOSALS = {
    SourceKind.POLICY: (EventKind.POLICY_EDIT, EventKind.POLICY_EDIT, "amended"),
    SourceKind.TERMS: (EventKind.POLICY_EDIT, EventKind.POLICY_EDIT, "amended"),
    SourceKind.FAQ: (EventKind.HELP_PAGE_EDIT, EventKind.HELP_PAGE_EDIT, "changed"),
    SourceKind.SETTING: (EventKind.SETTING_INTRODUCED, EventKind.SETTING_CHANGED, "changed"),
    SourceKind.EMAIL_TEMPLATE: (EventKind.USER_COMMUNICATION, EventKind.USER_COMMUNICATION, "changed"),
}


def proposed_version_event(version: SourceVersion) -> dict:
    """The event a version proposes, for the user to confirm or edit on the event form: {"title", "kind", "date"
    (a PartialDate), "description", "citations" [(document, pinpoint, note)]}.

    A later version proposes "<source> amended" (a setting or FAQ "changed"), dated by its effective date when it
    states one, else by the window between the last sight of the version before it (its capture, else its first-seen
    date, else its effective date) and the first sight of this one (its first-seen date, else its capture):
    "Aug 12 – Sept 18, 2024"; it cites both versions. The first version proposes "<source> published" (a setting
    "introduced") on its effective date, or "<source> first captured" on the day it was first seen."""
    source = version.source
    earlier = [
        v
        for v in ordered_versions(source.versions.alive().select_related("document__matter", "matter"))
        if v.pk != version.pk and version_order(v) < version_order(version)
    ]
    previous = earlier[-1] if earlier else None
    first_kind, later_kind, verb = _PROPOSALS[SourceKind(source.kind)]
    seen = _first_sight(version)
    if previous is None:
        kind = first_kind
        if not version.effective_date.undated:
            title, date = f"{source.name} {'introduced' if kind == EventKind.SETTING_INTRODUCED else 'published'}", None
        else:
            title, date = f"{source.name} first captured", seen
    else:
        kind, title = later_kind, f"{source.name} {verb}"
        date = None if not version.effective_date.undated else _window(_last_sight(previous), seen)
    if date is None:
        date = version.effective_date
    citations = [(version.document, "", f"{source.name}, new version")]
    if previous is not None:
        citations.insert(0, (previous.document, "", f"{source.name}, version before"))
    return {
        "title": title,
        "kind": kind,
        "date": date,
        "description": _description(version, previous),
        "citations": citations,
    }


def _first_sight(version: SourceVersion) -> dates.PartialDate:
    if not version.first_seen_date.undated:
        return version.first_seen_date
    return _day_of(capture_date(version))


def _last_sight(version: SourceVersion) -> dates.PartialDate:
    """The latest date the version is known to have been there: its capture, else its first sight, else the date
    it took effect."""
    for known in (_day_of(capture_date(version)), version.first_seen_date, version.effective_date):
        if not known.undated:
            return known
    return dates.UNDATED


def _day_of(value: dates.PartialDate) -> dates.PartialDate:
    """A timed date as its calendar day (a window between captures is stated in days)."""
    start = value.start
    if start is None or start.precision != dates.Precision.MINUTE:
        return value
    return dates.PartialDate(start=dates.DatePoint(dates.Precision.DAY, start.year, start.month, start.day))


def _window(after: dates.PartialDate, until: dates.PartialDate) -> dates.PartialDate:
    """The change happened after the last sight of the version before and by the first sight of this one."""
    if after.undated or until.undated:
        return until if after.undated else dates.PartialDate(start=after.start, bound=dates.Bound.AFTER)
    try:
        return dates.PartialDate(start=after.start, end=(until.end or until.start))
    except ValidationError:  # the sightings contradict the order: say only what this one's sight shows
        return dates.PartialDate(start=until.start, bound=dates.Bound.BEFORE)


def _description(version: SourceVersion, previous: SourceVersion | None) -> str:
    source = version.source
    lines = [f"{source.get_kind_display()} “{source.name}”{f' ({source.url})' if source.url else ''}: version "
             f"{version.document.exhibit_label}"
             + (f", replacing {previous.document.exhibit_label}" if previous is not None else "") + "."]  # fmt: skip
    facts = [
        ("Effective", version.effective_date),
        ("First seen", version.first_seen_date),
        ("Captured", capture_date(version)),
    ]
    lines += [f"{label}: {value.display()}." for label, value in facts if not value.undated]
    audiences = [a.name for a in version.audiences.all()]
    if audiences:
        lines.append(f"Applies to: {'; '.join(audiences)}.")
    return "\n".join(lines)
