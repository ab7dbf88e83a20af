"""Merging duplicate actors or issues: every event naming the duplicate is given the one kept instead, each as a new
version with the reason (through event_update), and the duplicate is retired, in one transaction."""

from django.core.exceptions import ValidationError
from django.db import transaction

from evidence.models import Actor, Event, Issue
from evidence.services import events as event_services
from evidence.services.actors import tag_retire


@transaction.atomic
def tags_merge(*, keep: Actor | Issue, duplicate: Actor | Issue, user, reason: str) -> int:
    """Merge `duplicate` into `keep` (two actors, or two issues, of one matter). Returns how many events changed."""
    model = type(keep)
    if type(duplicate) is not model or model not in (Actor, Issue):
        raise ValidationError("Only two actors, or two issues, can be merged.")
    if keep.matter_id != duplicate.matter_id:
        raise ValidationError("Only two actors or issues of the same matter can be merged.")
    if keep.pk == duplicate.pk:
        raise ValidationError(f"Choose another {model._meta.verbose_name} to merge “{keep.name}” with.")
    if not (reason or "").strip():
        raise ValidationError("A merge needs a reason: it is recorded in the history of every event it changes.")
    field = "actors" if model is Actor else "issues"
    events = list(
        Event.objects.select_for_update()
        .filter(**{field: duplicate})
        .order_by("pk")  # the one locking order of every writer
        .prefetch_related(field)
    )
    for event in events:
        now = [t for t in getattr(event, field).all() if t.pk != duplicate.pk]
        if keep.pk not in {t.pk for t in now}:
            now.append(keep)
        event_services.event_update(event=event, user=user, reason=reason, expected_version=event.version,
                                    **{field: now})  # fmt: skip
    tag_retire(item=duplicate, user=user, reason=f"merged into “{keep.name}”: {reason}")
    return len(events)
