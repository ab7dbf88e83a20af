"""/healthz and /livez as a load balancer and a supervisor see them, and the app served by gunicorn with
deploy/gunicorn.conf.py."""

import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.test import Client

from tests.accounts.conftest import log_in
from tests.conftest import S3

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def media(media_root):
    media_root.mkdir(parents=True)
    return media_root


def test_livez_answers_without_the_database_a_session_or_a_login(client):
    # No `db` fixture: any query would fail the request.
    response = client.get("/livez")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {}}
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies
    assert client.head("/livez").status_code == 200


@pytest.mark.django_db
def test_healthz_is_ok_when_the_database_and_the_storage_answer(client, media):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "storage": "ok"}}
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies
    assert client.head("/healthz").status_code == 200


def test_readyz_is_gone(client):
    assert client.get("/readyz").status_code == 404


@pytest.mark.skipif(S3, reason="the evidence is in the S3 endpoint, not in a local folder")
@pytest.mark.django_db
def test_healthz_fails_when_the_media_directory_is_missing_and_says_only_which_check(client, media_root, caplog):
    assert not media_root.exists()  # e.g. a shared volume that was not mounted
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "fail",
        "checks": {"database": "ok", "storage": "fail: FileNotFoundError"},
    }
    assert str(media_root) not in response.content.decode()
    failure = next(r for r in caplog.records if r.name == "evidence.views.health")
    assert failure.levelname == "WARNING" and "storage" in failure.getMessage()
    assert str(media_root) in caplog.text  # the detail is in the log, for the operator


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _unreachable_database(tmp_path) -> dict:
    broken = dict(connections.settings[DEFAULT_DB_ALIAS])
    if connection.vendor == "sqlite":
        broken["NAME"] = str(tmp_path)  # a directory: SQLite cannot open it
    else:
        broken["HOST"], broken["PORT"] = "127.0.0.1", _free_port()  # nothing listens there
    return broken


def _get_with_database(path: str, database: dict):
    """GET `path` from a thread of its own: Django opens a connection per thread, from the settings as they are when
    it first connects, so this request meets `database` while the test's own connection stays as it was."""
    original = connections.settings[DEFAULT_DB_ALIAS]
    connections.settings[DEFAULT_DB_ALIAS] = database
    result = {}
    try:
        thread = threading.Thread(target=lambda: result.update(response=Client().get(path)))
        thread.start()
        thread.join(60)
    finally:
        connections.settings[DEFAULT_DB_ALIAS] = original
    return result["response"]


@pytest.mark.django_db
def test_healthz_fails_when_the_database_is_unreachable_while_livez_still_answers(media, tmp_path):
    database = _unreachable_database(tmp_path)

    health = _get_with_database("/healthz", database)
    assert health.status_code == 503
    assert health.json() == {"status": "fail", "checks": {"database": "fail: OperationalError", "storage": "ok"}}

    assert _get_with_database("/livez", database).status_code == 200


@pytest.mark.django_db
def test_probes_are_served_over_plain_http_when_everything_else_is_redirected(client, settings, media):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/accounts/login/").status_code == 301
    assert client.get("/healthz").status_code == 200
    assert client.get("/livez").status_code == 200


@pytest.mark.django_db
def test_probes_answer_a_locked_out_address_and_refuse_writes(client, user, media, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 2
    for _ in range(3):
        log_in(client, user, password="wrong")
    assert "Too many failed attempts" in log_in(client, user).content.decode()

    assert client.get("/healthz").status_code == 200
    assert client.get("/livez").status_code == 200
    assert client.post("/healthz").status_code == 405
    assert client.post("/livez").status_code == 405


# The app as deployed: gunicorn with deploy/gunicorn.conf.py, DEBUG off, a migrated throwaway SQLite database, static
# files collected into a manifest and served by WhiteNoise.
SMOKE_SETTINGS = """\
from casetimeline.settings import *  # noqa: F403

# The deployed storage also writes gzip and Brotli copies, which takes most of a minute: the manifest alone is what
# the pages need.
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}  # noqa: F405
"""


def _smoke_env(tmp_path, port: int) -> dict:
    (tmp_path / "smoke_settings.py").write_text(SMOKE_SETTINGS)
    (tmp_path / "media").mkdir()
    keep = {"PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "SYSTEMROOT"}
    return {
        **{k: v for k, v in os.environ.items() if k in keep},
        "PYTHONPATH": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "smoke_settings",
        "DEBUG": "false",
        "SECRET_KEY": "smoke-test-only-" + "k" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "STATIC_ROOT": str(tmp_path / "static"),
        "BEHIND_PROXY": "true",
        "LOG_FORMAT": "json",
        "BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "1",
        "GUNICORN_THREADS": "2",
    }


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # the redirect itself is what a test looks at


def _get(port: int, path: str, **headers):
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers)
    try:
        with urllib.request.build_opener(_NoRedirect).open(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def _wait_until_listening(process, port: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert process.poll() is None, "gunicorn exited"
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    pytest.fail("gunicorn did not listen within 30 s")


def test_gunicorn_serves_the_app_with_request_ids_and_json_access_lines(tmp_path):
    port = _free_port()
    env = _smoke_env(tmp_path, port)
    # Side by side: each takes a few seconds, and they touch different files.
    preparing = [
        subprocess.Popen(
            [sys.executable, "manage.py", command, "--noinput", "-v", "0"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for command in ("migrate", "collectstatic")
    ]
    for step in preparing:
        output = step.communicate(timeout=120)[0]
        assert step.returncode == 0, output

    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        _wait_until_listening(process, port)
        health = _get(port, "/healthz")  # plain HTTP, as a load balancer probes
        live = _get(port, "/livez")
        login = _get(port, "/accounts/login/?next=/m/smith-v-jones/", **{"X-Forwarded-Proto": "https",
                                                                        "X-Request-ID": "smoke-1"})  # fmt: skip
        redirect = _get(port, "/accounts/login/")  # plain HTTP to a page: sent to HTTPS
        stylesheet = re.search(r'href="(/static/[^"]+\.[0-9a-f]{12}\.css)"', login[2].decode())
        assert stylesheet, "the login page links no hashed stylesheet"
        static = _get(port, stylesheet.group(1), **{"X-Forwarded-Proto": "https"})
        # The document viewer's modules (pdf.js, vendored) load only when served as JavaScript, under hashed names.
        hashed = json.loads((tmp_path / "static" / "staticfiles.json").read_text())["paths"]
        modules = {
            name: _get(port, "/static/" + hashed[name], **{"X-Forwarded-Proto": "https"})
            for name in ("js/viewer.mjs", "vendor/pdfjs/build/pdf.min.mjs", "vendor/pdfjs/build/pdf.worker.min.mjs",
                         "vendor/pdfjs/web/pdf_viewer.mjs")
        }  # fmt: skip
    finally:
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=30)

    assert health[0] == 200 and json.loads(health[2])["checks"] == {"database": "ok", "storage": "ok"}
    assert re.fullmatch(r"[0-9a-f]{32}", health[1]["X-Request-ID"])
    assert live[0] == 200 and json.loads(live[2]) == {"status": "ok", "checks": {}}
    assert login[0] == 200 and "Log in" in login[2].decode()
    assert login[1]["X-Request-ID"] == "smoke-1"
    assert redirect[0] == 301 and redirect[1]["Location"].startswith("https://")
    assert static[0] == 200 and "immutable" in static[1]["Cache-Control"]
    for name, (status, headers, _) in modules.items():
        assert status == 200 and headers["Content-Type"].startswith("text/javascript"), name

    access = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    assert all(set(entry) >= {"time", "level", "logger", "message", "request_id"} for entry in access), out
    by_request = {entry["request_id"]: entry for entry in access}
    line = by_request["smoke-1"]
    assert (line["logger"], line["level"], line["method"], line["path"], line["status"]) == (
        "gunicorn.access", "INFO", "GET", "/accounts/login/", 200,
    )  # fmt: skip
    assert isinstance(line["duration_ms"], float)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", line["time"])
    assert "smith-v-jones" not in out + err  # the query string is never logged
    assert not [entry for entry in access if entry["path"] in ("/healthz", "/livez")]  # probes that succeed
    assert any(json.loads(line)["message"].startswith("Booting worker") for line in err.splitlines()), err


# The sample deployment (deploy/): its environment file names every variable the app reads and passes the checks.
def _example_environment() -> dict:
    values = {}
    for line in (ROOT / "deploy" / "env.example").read_text().splitlines():
        if line and not line.startswith("#"):
            key, value = line.split("=", 1)
            values[key] = value.strip('"')
    return values


def test_env_example_lists_every_variable_the_app_and_gunicorn_read():
    listed = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", (ROOT / "deploy" / "env.example").read_text(), re.M))
    settings_py = (ROOT / "casetimeline" / "settings.py").read_text()
    read = set(re.findall(r"\benv(?:\.\w+)?\(\s*\"([A-Z][A-Z0-9_]+)\"", settings_py))
    gunicorn_conf = (ROOT / "deploy" / "gunicorn.conf.py").read_text()
    read |= set(re.findall(r"os\.environ(?:\.get\(|\[)\"([A-Z][A-Z0-9_]+)\"", gunicorn_conf))
    assert {"SECRET_KEY", "DATABASE_URL", "WEB_CONCURRENCY", "FORWARDED_ALLOW_IPS"} <= read  # the patterns still match
    assert read - listed == set()


def test_check_deploy_is_clean_with_the_example_environment(tmp_path):
    unset = {"DJANGO_SETTINGS_MODULE", "DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}  # the browser tests set it
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env.update(_example_environment())
    assert env["SECRET_KEY"] == ""  # the example leaves the key to be made, never shipped
    env["SECRET_KEY"] = "example-environment-" + "k" * 40
    env["MEDIA_ROOT"], env["STATIC_ROOT"] = str(tmp_path / "media"), str(tmp_path / "static")
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=120)  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
