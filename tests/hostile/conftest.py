"""The three ways a hostile file comes in (a command, an admin import page, the documents upload page), each run in a
memory-capped child (bounded.py), with the state before and after: row counts of every model of the app (history
included), the files under MEDIA_ROOT and those in the storage."""

from __future__ import annotations

import html
import io
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import TestCase
from django.urls import reverse

from evidence.admin.groups import ensure_role_groups
from evidence.models import Event, Job, Role, TrackedSource
from tests.hostile.bounded import MEMORY_LIMIT, TIME_LIMIT, run_bounded
from tests.hostile.cases import Case, data_of
from tests.storage import stored_names


@pytest.fixture
def staff_editor(editor):
    """The matter's editor, allowed into the admin as its editors are."""
    editor.is_staff = True
    editor.save()
    editor.groups.add(ensure_role_groups()[Role.EDITOR])
    return editor


@pytest.fixture
def hostile(settings, tmp_path, matter, staff_editor, media_root, client):
    """Runs a case through a channel; returns what the child saw (see `Outcome`)."""
    client.force_login(staff_editor)
    _warm_up(client, matter)

    def run(case: Case, channel: str) -> Outcome:
        for name, value in case.settings.items():
            setattr(settings, name, value)
        path = tmp_path / "incoming" / case.filename
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(data_of(case))
        outcome = run_bounded(_observed, CHANNELS[channel], client, matter, staff_editor, path, media_root)
        return Outcome(case, channel, outcome)

    return run


_warm: list[bool] = []


def _warm_up(client, matter) -> None:
    """Render the pages once in this process, so that each child finds the templates compiled."""
    if _warm:
        return
    _warm.append(True)
    for url in (reverse("admin:evidence_event_import"), reverse("admin:evidence_document_import"),
                reverse("document_upload", args=[matter.slug])):  # fmt: skip
        assert client.get(url).status_code == 200
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(reverse("admin:evidence_event_import"), {"matter": matter.pk, "order": "auto",
                               "file": SimpleUploadedFile("warm.csv", b"Date,Title\nAug 2024,Warm up\n")})  # fmt: skip
    client.get(response["Location"])


def _observed(action, client, matter, user, path: Path, media_root: Path) -> dict:
    before = _state(media_root)
    refused, text = action(client, matter, user, path)
    return {"refused": refused, "text": text, "before": before, "after": _state(media_root)}


def _state(media_root: Path) -> dict:
    counts = {m._meta.label: m.objects.count() for m in apps.get_app_config("evidence").get_models() if m._meta.managed}
    # a preview job, and a document import's job, record the attempt and its refusal for the page; they are not a
    # write to the matter
    attempts = [Job.Kind.PREVIEW_EVENTS, Job.Kind.IMPORT_DOCUMENTS, Job.Kind.IMPORT_CAPTURES]
    counts[Job._meta.label] = Job.objects.exclude(kind__in=attempts).count()
    # the scratch folder on this host, and the storage (the same folder, or the bucket with TEST_STORAGE=s3)
    local = {str(p.relative_to(media_root)) for p in media_root.rglob("*") if p.is_file()}
    files = sorted(local | set(stored_names()))
    titles = list(Event.objects.order_by("pk").values_list("title", flat=True))
    return {"counts": counts, "files": files, "titles": titles}


_measured: list[tuple[float, int, str]] = []


def pytest_terminal_summary(terminalreporter):
    if _measured:
        slowest, biggest = max(_measured), max(_measured, key=lambda m: m[1])
        terminalreporter.write_line(
            f"hostile cases: {len(_measured)}, {sum(m[0] for m in _measured):.1f} s in the cases; slowest "
            f"{slowest[0]:.2f} s ({slowest[2]}); most memory {biggest[1] / 2**20:.0f} MB above the start ({biggest[2]})"
        )


class Outcome:
    """What a case did, with the checks every case shares."""

    def __init__(self, case: Case, channel: str, outcome: dict):
        self.case, self.channel = case, channel
        assert "error" not in outcome, f"{case.id} via {channel} failed:\n{outcome['error']}"
        self.seconds, self.grew = outcome["seconds"], outcome["grew"]
        _measured.append((self.seconds, self.grew, f"{case.id} via {channel}"))
        seen = outcome["result"]
        self.refused, self.text = seen["refused"], seen["text"]
        self.before, self.after = seen["before"], seen["after"]

    def check(self, model: str) -> None:
        """Bounded, clear, and either nothing changed or exactly `case.stored` rows of `model` were added."""
        assert self.seconds <= TIME_LIMIT, f"{self.case.id} took {self.seconds:.1f} s"
        assert self.grew <= MEMORY_LIMIT
        assert re.search(self.case.expect, self.text, re.S), f"{self.case.expect!r} not in:\n{self.text[:3000]}"
        assert "Traceback" not in self.text
        tmp = [f for f in self.after["files"] if f.startswith("tmp/")]
        assert tmp == [f for f in self.before["files"] if f.startswith("tmp/")], "a temporary file was left behind"
        if not self.case.stored:
            assert self.refused, f"{self.case.id} via {self.channel} was not refused:\n{self.text[:3000]}"
            assert self.after == self.before
            return
        added = self.after["counts"][model] - self.before["counts"][model]
        assert not self.refused and added == self.case.stored, self.text[:3000]


# The channels: each returns (refused, the text the user sees) --------------------------------------------------------


def _command(name: str, *extra: str):
    def run(client, matter, user, path):
        out, err = io.StringIO(), io.StringIO()
        try:
            call_command(name, str(path), "--matter", matter.slug, "--user", user.username, *extra, stdout=out,
                         stderr=err)  # fmt: skip
        except CommandError as error:
            return True, f"{error}\n{err.getvalue()}\n{out.getvalue()}"
        return False, out.getvalue() + err.getvalue()

    return run


def _admin_events(client, matter, user, path):
    with TestCase.captureOnCommitCallbacks(execute=True):  # the preview job runs at commit (immediate backend)
        response = client.post(
            reverse("admin:evidence_event_import"),
            {"matter": matter.pk, "file": SimpleUploadedFile(path.name, path.read_bytes()), "sheet": "",
             "order": "auto"},
        )  # fmt: skip
    if response.status_code == 302:
        response = client.get(response["Location"])
    assert response.status_code == 200, response.status_code
    page = html.unescape(response.content.decode())
    preview = response.context.get("preview")
    if preview is None or not preview["ok"]:
        return True, page
    confirmed = client.post(reverse("admin:evidence_event_import_confirm"), {"token": response.context["token"]},
                            follow=True)  # fmt: skip
    assert confirmed.status_code == 200, confirmed.status_code
    return False, page + html.unescape(confirmed.content.decode())


def _admin_documents(client, matter, user, path):
    with TestCase.captureOnCommitCallbacks(execute=True):  # the import job runs at commit (immediate backend)
        response = client.post(
            reverse("admin:evidence_document_import"),
            {"matter": matter.pk, "file": SimpleUploadedFile(path.name, path.read_bytes())},
        )
    if response.status_code == 302:
        response = client.get(response["Location"])
    assert response.status_code == 200, response.status_code
    job = response.context.get("job")
    return job is None or job.state != "done", html.unescape(response.content.decode())


def _source_captures(client, matter, user, path):
    source = TrackedSource.objects.get(matter=matter, name="Privacy Policy")
    with TestCase.captureOnCommitCallbacks(execute=True):  # the import job runs at commit (immediate backend)
        response = client.post(reverse("source_captures_import", args=[matter.slug, source.pk]),
                               {"file": SimpleUploadedFile(path.name, path.read_bytes())})  # fmt: skip
    if response.status_code == 302:
        response = client.get(response["Location"])
    assert response.status_code == 200, response.status_code
    job = response.context.get("job")
    return job is None or job.state != "done", html.unescape(response.content.decode())


def _upload(client, matter, user, path):
    response = client.post(
        reverse("document_upload", args=[matter.slug]),
        {"files": [SimpleUploadedFile(path.name, path.read_bytes())]},
        HTTP_X_REQUESTED_WITH="XMLHttpRequest",
    )
    assert response.status_code in (200, 400), response.status_code
    data = response.json()
    lines = data.get("results", [])
    refused = not lines or lines[0]["status"] == "error"
    return refused, data.get("error", "") + "\n".join(line["text"] for line in lines)


CHANNELS = {
    "command": _command("import_events"),
    "admin": _admin_events,
    "command-documents": _command("import_documents"),
    "command-captures": _command("import_captures", "--source", "Privacy Policy"),
    "page-captures": _source_captures,
    "admin-documents": _admin_documents,
    "upload": _upload,
}
