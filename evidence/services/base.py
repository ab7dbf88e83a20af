"""What every write shares: clean the text, validate, then save with the history user and reason set first (one
history row)."""

from django.core.exceptions import ValidationError

from evidence import text
from evidence.models import EVENT_HISTORY, SOURCE_VERSION_HISTORY, Event, SourceVersion

# The history of each model with m2m fields in its history, by which save_with_history writes a version once its m2m
# fields are set.
M2M_HISTORY = {Event: EVENT_HISTORY, SourceVersion: SOURCE_VERSION_HISTORY}


class StaleEdit(ValidationError):
    """The record changed since the editor loaded it; `current` is the version now stored."""

    def __init__(self, current):
        super().__init__(
            f"This event was changed by someone else (now version {current.version}) since you opened it. "
            "Review their changes and save again.",
            code="stale",
        )
        self.current = current


def save_with_history(instance, *, user, reason: str, m2m: dict | None = None) -> None:
    """Clean the text (evidence.text.clean), validate and save with history user and reason set first; with m2m,
    record one history row after setting it.

    Every single write of a page, the admin, a command or the e-mail and document intake comes through here, so the
    text rule is applied here once rather than in each of them (bulk imports apply it as they read their cells).
    simple-history would otherwise write one row for the save and another for each m2m change.
    """
    if not reason:
        raise ValueError("Every write needs a reason for the history.")
    text.clean_fields(instance)
    instance.full_clean()
    instance._history_user = user
    instance._change_reason = text.clean(reason)
    if not m2m:
        instance.save()
        return
    created = instance._state.adding
    instance.skip_history_when_saving = True
    try:
        instance.save()
        for name, values in m2m.items():
            getattr(instance, name).set(values)
    finally:
        del instance.skip_history_when_saving
    M2M_HISTORY[type(instance)].create_historical_record(instance, "+" if created else "~")
