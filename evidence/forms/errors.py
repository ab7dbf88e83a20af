"""A service's refusal (a ValidationError) shown on the form that asked for the change."""

from django.core.exceptions import ValidationError


def add_refusal(form, error: ValidationError) -> None:
    """Each field's messages beside its field; messages about a field the form does not show, or about the whole
    record, above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)
