"""Every error as JSON: {"detail": "...", "errors": {"field": ["why"]}} ("errors" when fields are at fault).

A service refuses with Django's ValidationError (full_clean, or the service's own rule), a role with PermissionDenied
(403) and a matter the user is no member of with Http404: they are answered here, so the API says what the pages
say."""

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from evidence.integrity import IntegrityFailure


class PreconditionRequired(exceptions.APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = "This write needs the version it is based on."
    default_code = "precondition_required"


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "The record changed since that version."
    default_code = "stale"


def field_errors(error: DjangoValidationError) -> dict[str, list[str]]:
    """A Django ValidationError as {field: [messages]}; errors of no one field under "non_field_errors"."""
    if hasattr(error, "error_dict"):
        return {
            ("non_field_errors" if name == NON_FIELD_ERRORS else name): list(DjangoValidationError(errors).messages)
            for name, errors in error.error_dict.items()
        }
    return {"non_field_errors": list(error.messages)}


def form_errors(form, *, names: dict[str, str] | None = None) -> dict[str, list[str]]:
    """A bound Django form's errors as {field: [messages]}, each field under the name the request used (`names`)."""
    names = names or {}
    return {
        ("non_field_errors" if name == NON_FIELD_ERRORS else names.get(name, name)): list(errors)
        for name, errors in form.errors.items()
    }


def _summary(errors: dict[str, list[str]]) -> str:
    parts = []
    for name, messages in errors.items():
        text = " ".join(str(m) for m in messages)
        parts.append(text if name == "non_field_errors" else f"{name}: {text}")
    return "; ".join(parts)


def _flatten(detail) -> dict[str, list[str]]:
    """DRF's error detail ({"field": ["…"]}, or a list, or nested for a list of objects) as {field: [messages]}."""
    if isinstance(detail, dict):
        flat = {}
        for name, value in detail.items():
            key = "non_field_errors" if name == "non_field_errors" else str(name)
            if isinstance(value, dict):
                for sub, messages in _flatten(value).items():
                    flat[f"{key}.{sub}"] = messages
            else:
                flat[key] = [str(m) for m in (value if isinstance(value, list) else [value])]
        return flat
    return {"non_field_errors": [str(m) for m in (detail if isinstance(detail, list) else [detail])]}


def handle(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(field_errors(exc))
    if isinstance(exc, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        detail = f"The body is larger than {limit:,} bytes (setting DATA_UPLOAD_MAX_MEMORY_SIZE)."
        return Response({"detail": detail}, status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
    if isinstance(exc, IntegrityFailure):
        return Response({"detail": exc.message}, status=exc.status)
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, PreconditionFailed) and getattr(exc, "current_version", None):
        response.data = {"detail": str(exc.detail), "current_version": exc.current_version}
        response["ETag"] = f'"{exc.current_version}"'
    elif isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        response.data = {"detail": _summary(errors), "errors": errors}
    elif isinstance(response.data, dict) and "detail" in response.data:
        response.data = {
            "detail": str(response.data["detail"]),
            **{k: v for k, v in response.data.items() if k != "detail"},
        }
    return response


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The record is not in a state that allows this."
    default_code = "conflict"
