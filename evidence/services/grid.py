"""The timeline grid's writes: each user's settings, and bulk edits of a selection of events with their undo.

A bulk edit is all or nothing: every event of the selection is locked, checked against the version the user saw
(the stale-edit rule of the event form), then changed through evidence.services.events, one new version per event
with the one reason; if any event was changed meanwhile, or any change is refused, nothing is written. The undo
restores each event's version from before the edit with event_revert, the restore of the history page.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from evidence import text
from evidence.models import (
    DOCUMENT_COLUMNS,
    GRID_COLUMNS,
    Actor,
    BulkEdit,
    Event,
    EventKind,
    EventStatus,
    GridSettings,
    Issue,
    Matter,
    Role,
    SavedView,
)  # fmt: skip
from evidence.permissions import has_role
from evidence.selectors import TimelineFilters, events_for_timeline
from evidence.services import events as event_services
from evidence.services.actors import actor_get_or_create, issue_get_or_create

SETTINGS_FIELDS = (
    "columns", "layout", "density", "filters_open", "visual_open", "working_on",
    "document_columns", "document_layout", "document_density",
)  # fmt: skip


@transaction.atomic
def grid_settings_update(*, user, matter: Matter, **fields) -> GridSettings:
    """Change some of the user's grid settings in the matter (the others stay as they are)."""
    unknown = set(fields) - set(SETTINGS_FIELDS)
    if unknown:
        raise TypeError(f"grid_settings_update() got unknown fields {sorted(unknown)}")
    current, _ = GridSettings.objects.select_for_update().get_or_create(
        user=user, matter=matter, defaults={"columns": list(GRID_COLUMNS)}
    )
    if "columns" in fields:
        fields["columns"] = [c for c in GRID_COLUMNS if c in set(fields["columns"])]
    if "document_columns" in fields:
        fields["document_columns"] = [c for c in DOCUMENT_COLUMNS if c in set(fields["document_columns"])]
    if "working_on" in fields:
        fields["working_on"] = " ".join(text.clean(fields["working_on"] or "").split())
    for name, value in fields.items():
        setattr(current, name, value)
    current.full_clean()
    current.save()
    return current


@transaction.atomic
def saved_view_save(
    *, matter: Matter, user, name: str, query: str, columns, density: str, shared: bool = False
) -> SavedView:
    """Save the user's view under `name` (replacing their view of that name). Any member may keep views for
    themselves; sharing one with the matter needs the editor role."""
    name = " ".join(text.clean(name or "").split())
    if not name:
        raise ValidationError({"name": "Give the view a name."})
    if shared and not has_role(user, matter, Role.EDITOR):
        raise PermissionDenied("Sharing a view with the matter needs the editor role.")
    view = SavedView.objects.select_for_update().filter(matter=matter, user=user, name__iexact=name).first()
    view = view or SavedView(matter=matter, user=user)
    view.name, view.query, view.density, view.shared = name, query, density, shared
    view.columns = [c for c in GRID_COLUMNS if c in set(columns)]
    view.full_clean()
    view.save()
    return view


@transaction.atomic
def saved_view_delete(*, view: SavedView, user) -> None:
    """Views are not evidence: deleted for good, by their author or an owner of the matter."""
    if view.user_id != user.pk and not has_role(user, view.matter, Role.OWNER):
        raise PermissionDenied("Only its author or an owner of the matter may delete a shared view.")
    view.delete()


@dataclass(frozen=True)
class BulkAction:
    label: str  # "Add issue", as the toolbar offers it
    needs: str = ""  # what the value is: "issue", "actor", "status", "kind", "yes/no", or nothing


BULK_ACTIONS = {
    "add_issue": BulkAction("Add issue", "issue"),
    "remove_issue": BulkAction("Remove issue", "issue"),
    "add_actor": BulkAction("Add actor", "actor"),
    "remove_actor": BulkAction("Remove actor", "actor"),
    "set_status": BulkAction("Set status", "status"),
    "set_kind": BulkAction("Set kind", "kind"),
    "set_key": BulkAction("Set key fact", "yes/no"),
    "set_privileged": BulkAction("Set privileged", "yes/no"),
    "delete": BulkAction("Delete"),
    "restore": BulkAction("Restore"),
}


class BulkStale(ValidationError):
    """Some events of the selection changed since the user saw them; `changed` lists them as they are now."""

    def __init__(self, changed: list[Event], total: int):
        names = "; ".join(f"“{text.shown(e.title)}” (now version {e.version})" for e in changed[:5])
        more = f" and {len(changed) - 5} more" if len(changed) > 5 else ""
        super().__init__(
            f"{len(changed)} of the {total} selected events were changed by someone else since you loaded the page: "
            f"{names}{more}. Nothing was changed; reload to see their changes.",
            code="stale",
        )
        self.changed = changed


@transaction.atomic
def events_bulk_edit(
    *, matter: Matter, user, reason: str, action: str, value: str = "", expected: dict[int, int],
    new_actor_kind: str | None = None,
) -> BulkEdit:  # fmt: skip
    """Apply `action` (a BULK_ACTIONS key) with `value` to the events `expected` names, {event id: version seen}.
    An actor added that the matter does not have yet is created of `new_actor_kind`, or of the guessed kind.

    Events already as asked (the issue already there, the status already set) get no new version; the BulkEdit
    returned lists the ones changed. Raises BulkStale, or ValidationError for a bad action or value or an empty
    selection, and then nothing is written."""
    if action not in BULK_ACTIONS:
        raise ValidationError(f"Unknown bulk action “{action}”.")
    reason = " ".join(text.clean(reason or "").split())
    if not reason:
        raise ValidationError("A bulk edit needs a reason: it is recorded in the history of every event it changes.")
    if not expected:
        raise ValidationError("No event is selected.")
    events = list(
        Event.objects.select_for_update()
        .filter(matter=matter, pk__in=list(expected))
        .order_by("pk")  # every writer locks in id order: no deadlock
        .prefetch_related("actors", "issues")
    )
    if len(events) != len(expected):
        raise ValidationError("Some selected events are not in this matter.")
    changed = [e for e in events if e.version != expected[e.pk]]
    if changed:
        raise BulkStale(changed, len(events))
    change, description = _change(matter, user, reason, action, value, new_actor_kind)
    before = dict(
        Event.history.filter(id__in=[e.pk for e in events])
        .values("id")
        .annotate(last=Max("history_id"))
        .values_list("id", "last")
    )
    entries = []
    for event in events:
        updated = change(event)
        if updated is not None:
            entries.append({"event": event.pk, "before": before[event.pk], "after": updated.version})
    bulk = BulkEdit(
        matter=matter, user=user, action=action, value=value, reason=reason, entries=entries,
        description=f"{description}: {len(entries)} of {len(events)} event{'s' if len(events) != 1 else ''} changed",
    )  # fmt: skip
    bulk.full_clean()
    bulk.save()
    return bulk


@transaction.atomic
def events_bulk_edit_matching(
    *,
    matter: Matter,
    user,
    reason: str,
    action: str,
    value: str = "",
    filters: TimelineFilters,
    count: int,
    seen_up_to: int,
    new_actor_kind: str | None = None,
) -> BulkEdit:
    """Apply `action` to every event `filters` keep (the timeline's selector, so exactly the events the user's
    filtered list holds, on every page), as events_bulk_edit does: all or nothing, one version per event, one reason.

    The user saw `count` events, and the matter's events as they were when the history's last row was `seen_up_to`
    (selectors.history_mark, read with the page). The edit is refused whole if another number of events matches now,
    or if anyone else has changed one of them since: the stale-edit rule, for rows the user never had on screen."""
    ids = list(events_for_timeline(matter=matter, filters=filters).order_by().values_list("pk", flat=True))
    if len(ids) != count:
        raise ValidationError(
            f"{len(ids)} events match these filters now, not {count} as when you loaded the page. Nothing was "
            "changed; reload to see the list as it is.",
            code="stale",
        )
    locked = list(Event.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    changed_ids = set(
        Event.history.filter(id__in=ids, history_id__gt=seen_up_to)
        .exclude(history_user=user)
        .values_list("id", flat=True)
    )
    if changed_ids:
        raise BulkStale([e for e in locked if e.pk in changed_ids], len(locked))
    return events_bulk_edit(
        matter=matter, user=user, reason=reason, action=action, value=value,
        expected={e.pk: e.version for e in locked}, new_actor_kind=new_actor_kind,
    )  # fmt: skip


def _change(matter, user, reason, action, value, new_actor_kind=None):
    """(a function changing one event and returning it, or None when it is already as asked; the action in words)."""
    update = event_services.event_update
    if action in ("add_issue", "remove_issue", "add_actor", "remove_actor"):
        kind = "issues" if action.endswith("issue") else "actors"
        name = " ".join(text.clean(value or "").split())
        if not name:
            raise ValidationError(f"Name the {kind[:-1]} to {'add' if action.startswith('add') else 'remove'}.")
        new = False
        if action.startswith("add"):
            if kind == "issues":
                item = issue_get_or_create(matter=matter, name=name, user=user, reason=reason)
            else:
                new = not Actor.objects.filter(matter=matter, name__iexact=name).exists()
                item = actor_get_or_create(matter=matter, name=name, kind=new_actor_kind, user=user, reason=reason)
        else:
            model = Issue if kind == "issues" else Actor
            item = model.objects.filter(matter=matter, name__iexact=name).first()
            if item is None:
                raise ValidationError(f"There is no {kind[:-1]} “{name}” in this matter.")
        adding = action.startswith("add")

        def tag(event):
            now = list(getattr(event, kind).all())
            if (item in now) == adding:
                return None
            after = [*now, item] if adding else [x for x in now if x.pk != item.pk]
            return update(event=event, user=user, reason=reason, expected_version=event.version, **{kind: after})

        verb = "Added" if adding else "Removed"
        said = f"{verb} {kind[:-1]} “{item.name}”"
        if kind == "actors" and adding and new:
            said += f" (a new {item.get_kind_display().lower()})"
        return tag, said
    if action in ("set_status", "set_kind"):
        field, choices = ("status", EventStatus) if action == "set_status" else ("kind", EventKind)
        if value not in choices.values:
            raise ValidationError(f"Choose a {field} to set.")
        label = choices(value).label
        return _setter(field, value, user, reason), f"Set {field} to “{label}”"
    if action in ("set_key", "set_privileged"):
        if value not in ("yes", "no"):
            raise ValidationError("Choose yes or no.")
        field = "is_key" if action == "set_key" else "is_privileged"
        words = {"is_key": ("Marked as key facts", "Unmarked as key facts"),
                 "is_privileged": ("Marked privileged", "Unmarked privileged")}[field]  # fmt: skip
        return _setter(field, value == "yes", user, reason), words[0 if value == "yes" else 1]
    if action == "delete":
        return (
            lambda e: None if e.is_deleted else event_services.event_delete(event=e, user=user, reason=reason)
        ), "Deleted"
    return (lambda e: event_services.event_restore(event=e, user=user, reason=reason) if e.is_deleted else None), (
        "Restored"
    )


def _setter(field, value, user, reason):
    def set_one(event):
        if getattr(event, field) == value:
            return None
        if event.is_deleted:
            raise ValidationError(
                f"“{text.shown(event.title)}” is deleted; restore it before editing. Nothing was changed."
            )
        return event_services.event_update(
            event=event, user=user, reason=reason, expected_version=event.version, **{field: value}
        )

    return set_one


class UndoRefused(ValidationError):
    pass


@transaction.atomic
def bulk_edit_undo(*, bulk: BulkEdit, user) -> int:
    """Restore every event of `bulk` to its version from before it (event_revert), all or nothing; refused if the
    edit was undone already or if any of its events was changed since. Returns how many events were restored."""
    bulk = BulkEdit.objects.select_for_update().get(pk=bulk.pk)
    if bulk.undone_at is not None:
        raise UndoRefused("This bulk edit was undone already.")
    ids = [entry["event"] for entry in bulk.entries]
    events = {e.pk: e for e in Event.objects.select_for_update().filter(matter=bulk.matter, pk__in=ids).order_by("pk")}
    changed = [events[entry["event"]] for entry in bulk.entries if events[entry["event"]].version != entry["after"]]
    if changed:
        names = "; ".join(f"“{text.shown(e.title)}”" for e in changed[:5])
        raise UndoRefused(
            f"{len(changed)} of these events were changed again since the bulk edit ({names}). Nothing was undone; "
            "restore them one by one from their history."
        )
    reason = f"undo of: {bulk.description} ({bulk.reason})"
    for entry in bulk.entries:
        event_services.event_revert(event=events[entry["event"]], history_id=entry["before"], user=user, reason=reason)
    bulk.undone_at = timezone.now()
    bulk.undone_by = user
    bulk.save(update_fields=["undone_at", "undone_by"])
    return len(bulk.entries)
