"""What every write shares: validate, then save with the history user and reason set first (one history row)."""

from django.core.exceptions import ValidationError

from evidence.models import EVENT_HISTORY


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
    """Validate and save with history user and reason set first; with m2m, record one history row after setting it.

    simple-history would otherwise write one row for the save and another for each m2m change.
    """
    if not reason:
        raise ValueError("Every write needs a reason for the history.")
    instance.full_clean()
    instance._history_user = user
    instance._change_reason = reason
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
    EVENT_HISTORY.create_historical_record(instance, "+" if created else "~")
