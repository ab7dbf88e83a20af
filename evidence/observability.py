"""Request ids and structured logs.

Each request gets an id: the proxy's `X-Request-ID` when it is a sane token, else a new one. Every log record emitted
while the request is handled carries it (a context variable, so records from any module do), the response returns it
in `X-Request-ID`, and gunicorn's access line (deploy/gunicorn.conf.py) names it with the user's id. A task run by the
worker carries its task id instead; the request that queued it logs that task id, so each leads to the other.

Logs are one line per record, as text (the default, for `make run`) or as JSON (`LOG_FORMAT=json`). Request fields
are the method, the path, the status, the duration and the user's id, never a query string or a body: those may hold
a client's name.

This module is loaded by the logging configuration, before the apps are ready, in every process (web, worker,
commands): it imports nothing that needs them.
"""

import contextvars
import json
import logging
import re
import uuid
from datetime import UTC, datetime

from django.core.signals import request_finished
from django.dispatch import receiver
from django.http import HttpRequest
from django.tasks.signals import task_enqueued, task_finished, task_started

REQUEST_ID_HEADER = "X-Request-ID"
# Where the middleware leaves what the WSGI server's access log needs (Django's request.META is the WSGI environ).
ENVIRON_REQUEST_ID = "casetimeline.request_id"
ENVIRON_USER_ID = "casetimeline.user_id"
# Load balancers probe these every few seconds: their successes are not worth a log line.
QUIET_PATHS = frozenset({"/healthz", "/livez"})
REQUEST_FIELDS = ("method", "path", "status", "duration_ms", "user_id")

_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)
_task_id_set: contextvars.ContextVar[bool] = contextvars.ContextVar("task_id_set", default=False)

logger = logging.getLogger("casetimeline.tasks")


def current_request_id() -> str | None:
    return _request_id.get()


def request_id_from(value: str | None) -> str:
    """The proxy's id when it is a short token of letters, digits, dots, dashes and underscores; otherwise a new one
    (a longer or stranger value could forge log lines or bloat every record)."""
    if value and _SANE_REQUEST_ID.fullmatch(value):
        return value
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """First in MIDDLEWARE, so that even the HTTPS redirect and the lockout page carry the id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request_id_from(request.headers.get(REQUEST_ID_HEADER))
        request.request_id = request_id
        request.META[ENVIRON_REQUEST_ID] = request_id
        # Not reset on the way out: Django logs a 4xx/5xx after the middleware has returned, and a streamed file is
        # sent after that; request_finished clears it once the response is closed.
        _request_id.set(request_id)
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = request_id
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            request.META[ENVIRON_USER_ID] = user.pk
        return response


@receiver(request_finished, dispatch_uid="evidence.observability.forget_request_id")
def _forget_request_id(**kwargs):
    _request_id.set(None)


@receiver(task_enqueued, dispatch_uid="evidence.observability.task_enqueued")
def _log_task_enqueued(sender, task_result, **kwargs):
    if _request_id.get() is not None:
        logger.info("Task id=%s path=%s queued", task_result.id, task_result.task.module_path)


@receiver(task_started, dispatch_uid="evidence.observability.task_started")
def _adopt_task_id(sender, task_result, **kwargs):
    # A task run inside a request (the immediate backend) keeps the request's id.
    if _request_id.get() is None:
        _request_id.set(f"task-{task_result.id}")
        _task_id_set.set(True)


@receiver(task_finished, dispatch_uid="evidence.observability.task_finished")
def _drop_task_id(sender, task_result, **kwargs):
    if _task_id_set.get():
        _request_id.set(None)
        _task_id_set.set(False)


class RequestIdFilter(logging.Filter):
    """Gives every record a `request_id` attribute ("-" outside a request or task), for any formatter to use."""

    def filter(self, record):
        if not getattr(record, "request_id", None):
            record.request_id = _request_id.get() or "-"
        return True


def _request_fields(record) -> dict:
    fields = {name: getattr(record, name) for name in REQUEST_FIELDS if getattr(record, name, None) is not None}
    # django.request's records (4xx, 5xx) carry the request itself: its path, never its query string.
    request = getattr(record, "request", None)
    if isinstance(request, HttpRequest):
        fields.setdefault("method", request.method)
        fields.setdefault("path", request.path)
        status = getattr(record, "status_code", None)
        if status is not None:
            fields.setdefault("status", status)
    return fields


def _utc_iso(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, tz=UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _record_request_id(record) -> str | None:
    request_id = getattr(record, "request_id", None)
    if request_id in (None, "", "-"):  # "-" is the filter's placeholder for text
        return _request_id.get()
    return request_id


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (ISO 8601, UTC), level, logger, message, request_id, and the request fields
    when the record has them."""

    def format(self, record):
        entry = {
            "time": _utc_iso(record.created),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": _record_request_id(record),
        }
        entry.update(_request_fields(record))
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    def __init__(self):
        super().__init__("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")

    def format(self, record):
        if not getattr(record, "request_id", None):
            record.request_id = _request_id.get() or "-"
        return super().format(record)


def formatter(log_format: str) -> logging.Formatter:
    return JsonFormatter() if log_format == "json" else TextFormatter()


def access_record(environ: dict, *, status: int, duration_ms: float) -> tuple[int, str, dict]:
    """The level, message and fields of a WSGI server's access line for one request: the path without its query
    string, the user's id, the request id. A health probe that succeeded is only worth DEBUG."""
    method = environ.get("REQUEST_METHOD", "-")
    path = environ.get("PATH_INFO", "") or "/"
    fields = {
        "method": method,
        "path": path,
        "status": status,
        "duration_ms": round(duration_ms, 1),
        "user_id": environ.get(ENVIRON_USER_ID),
        "request_id": environ.get(ENVIRON_REQUEST_ID) or _request_id.get() or "-",
    }
    level = logging.DEBUG if path in QUIET_PATHS and status < 400 else logging.INFO
    user = f" user={fields['user_id']}" if fields["user_id"] is not None else ""
    return level, f"{_printable(method)} {_printable(path)} {status} {fields['duration_ms']}ms{user}", fields


def _printable(text: str) -> str:
    # A decoded path may hold a newline: in a text log it would start a forged line.
    return "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in text)
