"""An archived value read back for its column: of the column's type, within its length and choices, a URL a URL,
text cleaned by the one rule (evidence.text); ArchiveRefused naming where it is otherwise."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models

from evidence import text
from evidence.archive.reader import ArchiveRefused


def archived_time(value, where: str) -> dt.datetime:
    if not isinstance(value, str):
        raise ArchiveRefused(f"{where}: expected a time (ISO 8601 with its offset).")
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        raise ArchiveRefused(f"{where}: “{value[:40]}” is not a time (ISO 8601 with its offset).") from None
    if parsed.tzinfo is None:
        raise ArchiveRefused(f"{where}: “{value[:40]}” has no offset; times are archived in UTC.")
    return parsed


def archived_value(f: models.Field, value, where: str):
    """An archived value for column `f`, of its type and within its bounds; ArchiveRefused otherwise."""
    if value is None:
        if f.null:
            return None
        raise ArchiveRefused(f"{where}: may not be null.")
    if isinstance(f, models.DateTimeField):
        return archived_time(value, where)
    if isinstance(f, models.DateField):
        try:
            return dt.date.fromisoformat(value) if isinstance(value, str) else _wrong(where, "a day")
        except ValueError:
            raise ArchiveRefused(f"{where}: “{value[:40]}” is not a day (YYYY-MM-DD).") from None
    if isinstance(f, models.BooleanField):
        return value if isinstance(value, bool) else _wrong(where, "true or false")
    if isinstance(f, models.JSONField):
        return value
    if isinstance(f, models.IntegerField):
        if type(value) is not int:
            _wrong(where, "a whole number")
    elif isinstance(f, (models.CharField, models.TextField, models.FileField)):
        if not isinstance(value, str):
            _wrong(where, "text")
        value = text.clean_for(f, value)
    else:
        raise ArchiveRefused(f"{where}: a column of a type the archive does not know ({type(f).__name__}).")
    if f.choices and value not in {choice for choice, _ in f.flatchoices}:
        raise ArchiveRefused(f"{where}: {value!r} is not one of its choices.")
    try:
        f.run_validators(value)
    except ValidationError as error:
        raise ArchiveRefused(f"{where}: {' '.join(error.messages)}") from None
    return value


def _wrong(where: str, expected: str):
    raise ArchiveRefused(f"{where}: expected {expected}.")
