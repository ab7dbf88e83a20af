"""Probes for a load balancer or an orchestrator: /healthz (the instance can serve: the database and the evidence
store answer) and /livez (the process answers, whatever the database and the store do: a supervisor restarts a
process on that one only, since restarting cannot bring back a database).

Both are open to anyone over plain HTTP (SECURE_REDIRECT_EXEMPT): they need no session, no login, no CSRF token, and
they say nothing an outsider could use. A failed check is named with the exception's class only; its detail goes to
the log.
"""

import logging

from django.core.files.storage import default_storage
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _storage() -> None:
    # Listing reaches the backend with only the Storage API, whatever the backend: a missing media directory, or an
    # object store that is down, refuses it (exists() would quietly say False for both).
    default_storage.listdir("")


CHECKS = {"database": _database, "storage": _storage}


def _response(checks: dict[str, str]) -> JsonResponse:
    ok = all(result == "ok" for result in checks.values())
    return JsonResponse({"status": "ok" if ok else "fail", "checks": checks}, status=200 if ok else 503)


@never_cache
@require_safe
def livez(request):
    return _response({})


@never_cache
@require_safe
def healthz(request):
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as error:  # any failure means "unhealthy"; which one is for the log
            logger.warning("Health check %s failed", name, exc_info=True)
            results[name] = f"fail: {type(error).__name__}"
        else:
            results[name] = "ok"
    return _response(results)
