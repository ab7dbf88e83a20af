"""The one error every date rule raises: a ValidationError that forms, imports and commands show as it is."""

from django.core.exceptions import ValidationError


def invalid(message: str) -> ValidationError:
    return ValidationError(message, code="invalid_date")
