"""What every write of the API needs: a reason for the history, and for a record that exists, the version it is based
on (the stale-edit rule the event form applies with its hidden version field).

A read answers with `ETag: "<version>"` and the record's `version` field. A write sends either back, as `If-Match`
or as `version` in its body: a stale one gets 412 and changes nothing; a write that sends neither gets 428, since a
write that does not say what it was based on could silently overwrite someone else's change."""

from rest_framework import exceptions

from evidence.api.errors import PreconditionFailed, PreconditionRequired


def body_with_reason(request) -> dict:
    """The request's body, with `reason` taken from the query string when the body has none (a DELETE often has no
    body)."""
    data = dict(request.data.items()) if hasattr(request.data, "items") else {}
    if "reason" not in data and "reason" in request.query_params:
        data["reason"] = request.query_params["reason"]
    return data


def etag(version: int) -> str:
    return f'"{version}"'


def expected_version(request) -> int:
    """The version the write is based on, from If-Match or the body's `version`; 428 when neither is given, 400 when
    it is not a version, and 412 when the two disagree."""
    header = request.headers.get("If-Match", "").strip()
    body = request.data.get("version") if hasattr(request.data, "get") else None
    from_header = _parse_if_match(header) if header else None
    from_body = _parse_version(body) if body not in (None, "") else None
    if from_header is None and from_body is None:
        raise PreconditionRequired(
            "Say which version this change is based on: send If-Match with the ETag the record was read with "
            '(If-Match: "3"), or its "version" field.'
        )
    if from_header is not None and from_body is not None and from_header != from_body:
        raise PreconditionFailed(f"If-Match names version {from_header} but the body's version is {from_body}.")
    return from_header if from_header is not None else from_body


def _parse_if_match(header: str) -> int:
    if header == "*":
        raise PreconditionRequired(
            'If-Match: * does not say which version the change is based on; send the ETag read (If-Match: "3").'
        )
    if "," in header:
        raise exceptions.ValidationError({"If-Match": ["Send one ETag, the one the record was read with."]})
    if header.startswith("W/"):
        raise exceptions.ValidationError({"If-Match": ["A weak ETag cannot be a precondition; send the ETag read."]})
    return _parse_version(header.strip('"'), name="If-Match")


def _parse_version(value, *, name: str = "version") -> int:
    try:
        version = int(value)
    except (TypeError, ValueError):
        raise exceptions.ValidationError({name: [f"“{value}” is not a version number."]}) from None
    if version < 1 or isinstance(value, bool):
        raise exceptions.ValidationError({name: [f"“{value}” is not a version number."]})
    return version


def stale(error) -> PreconditionFailed:
    """The 412 for a service's StaleEdit: its message, and the version now stored."""
    failure = PreconditionFailed(" ".join(error.messages))
    failure.current_version = error.current.version
    return failure
