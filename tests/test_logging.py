"""Request ids and structured logs: the id a proxy sends (or a new one) comes back in X-Request-ID and is on every log
line of the request, and a background task's lines carry the task's id."""

import io
import json
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from evidence.models import Job
from evidence.observability import JsonFormatter, RequestIdFilter, access_record, current_request_id
from tests.conftest import S3
from tests.factories import make_event

ROOT = Path(__file__).resolve().parent.parent
NEW_ID = re.compile(r"[0-9a-f]{32}")


@pytest.fixture
def json_lines():
    """What the console handler writes under LOG_FORMAT=json, one parsed line per record."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)


@pytest.mark.parametrize("sent", ["lb-7.a_b", "0af7651916cd43dd8448eb211c80319c", "x" * 64])
def test_the_proxys_request_id_comes_back(client, sent):
    assert client.get("/livez", headers={"X-Request-ID": sent})["X-Request-ID"] == sent


@pytest.mark.parametrize("sent", ["x" * 65, "two words", "id\r\nX-Forged: 1", "<script>", "dossier-é", ""])
def test_a_request_id_that_is_not_a_short_token_is_replaced(client, sent):
    returned = client.get("/livez", headers={"X-Request-ID": sent})["X-Request-ID"]
    assert NEW_ID.fullmatch(returned) and returned != sent


def test_each_request_without_an_id_gets_its_own(client):
    first, second = (client.get("/livez")["X-Request-ID"] for _ in range(2))
    assert NEW_ID.fullmatch(first) and NEW_ID.fullmatch(second) and first != second


def test_a_record_logged_during_a_request_carries_its_id_and_no_query_string(client, json_lines):
    response = client.get("/no-such-page?client=Smith+Holdings", headers={"X-Request-ID": "req-42"})
    assert response.status_code == 404

    [line] = [line for line in json_lines() if line["logger"] == "django.request"]
    assert line["request_id"] == "req-42"
    assert (line["level"], line["message"]) == ("WARNING", "Not Found: /no-such-page")
    assert (line["method"], line["path"], line["status"]) == ("GET", "/no-such-page", 404)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", line["time"])
    assert "Smith" not in json.dumps(json_lines())
    assert current_request_id() is None  # cleared once the response is closed


@pytest.mark.skipif(S3, reason="the evidence is in the S3 endpoint, not in a local folder (tests/test_storage_s3.py)")
@pytest.mark.django_db
def test_a_failed_health_check_logs_its_detail_under_the_request_id(client, media_root, json_lines):
    response = client.get("/healthz", headers={"X-Request-ID": "probe-9"})
    assert response.status_code == 503

    [line] = [line for line in json_lines() if line["logger"] == "evidence.views.health"]
    assert (line["request_id"], line["level"]) == ("probe-9", "WARNING")
    assert line["message"] == "Health check storage failed"
    assert "FileNotFoundError" in line["exception"] and str(media_root) in line["exception"]


@pytest.mark.django_db(transaction=True)  # the export is queued when its transaction commits
def test_a_queued_task_is_named_under_the_request_and_its_worker_lines_carry_the_task_id(
    client, settings, matter, user, json_lines, caplog
):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "exports", "imports"]}
    }
    caplog.set_level(logging.INFO, logger="casetimeline.tasks")
    make_event(matter, title="Complaint filed", date="Jan 2025")
    client.force_login(user)

    response = client.post(
        reverse("export", args=[matter.slug]), {"format": "csv", "paper": "letter"}, headers={"X-Request-ID": "req-7"}
    )
    assert response.status_code == 302 and Job.objects.get().state == Job.State.QUEUED
    [queued] = [line for line in json_lines() if line["logger"] == "casetimeline.tasks"]
    assert queued["request_id"] == "req-7"
    task_id = re.match(r"Task id=(\S+) path=\S+ queued$", queued["message"]).group(1)

    call_command("db_worker", queue_name="*", batch=True, no_startup_delay=True, reload=False, stdout=io.StringIO())

    assert Job.objects.get().state == Job.State.DONE
    [finished] = [line for line in json_lines() if "state=SUCCESSFUL" in line["message"]]
    assert finished["logger"] == "django.tasks" and finished["request_id"] == f"task-{task_id}"
    assert current_request_id() is None


LOG_HELLO = ("shell", "-c", "import logging; logging.getLogger('evidence').warning('hello')")


def _manage(tmp_path, *args, **env):
    clean = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DEBUG", "LOG_FORMAT"}}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, "SECRET_KEY": "k" * 50, "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_log_lines_are_text_by_default_and_json_with_log_format_json(tmp_path):
    text = _manage(tmp_path, *LOG_HELLO)
    assert text.returncode == 0, text.stderr
    assert re.fullmatch(r"\d{4}-\d\d-\d\d [\d:,]+ WARNING evidence \[-\] hello\n", text.stderr)

    as_json = _manage(tmp_path, *LOG_HELLO, LOG_FORMAT="json")
    assert as_json.returncode == 0, as_json.stderr
    line = json.loads(as_json.stderr)
    assert (line["level"], line["logger"], line["message"]) == ("WARNING", "evidence", "hello")
    assert line["request_id"] is None  # outside a request

    refused = _manage(tmp_path, "check", LOG_FORMAT="xml")
    assert refused.returncode != 0 and "LOG_FORMAT must be text or json, not 'xml'" in refused.stderr


@pytest.mark.django_db
def test_the_access_line_names_a_signed_in_user_by_id_and_leaves_probes_quiet(client, user):
    client.force_login(user)
    page = client.get("/?q=Smith", headers={"X-Request-ID": "req-home"})
    level, message, fields = access_record(page.wsgi_request.META, status=page.status_code, duration_ms=12.34)
    assert level == logging.INFO
    assert message == f"GET / 200 12.3ms user={user.pk}"
    assert fields == {"method": "GET", "path": "/", "status": 200, "duration_ms": 12.3, "user_id": user.pk,
                      "request_id": "req-home"}  # fmt: skip

    for path in ("/healthz", "/livez"):
        probe = client.get(path)
        assert access_record(probe.wsgi_request.META, status=200, duration_ms=1)[0] == logging.DEBUG
        assert access_record(probe.wsgi_request.META, status=503, duration_ms=1)[0] == logging.INFO
