"""The export service as callers use it: permissions, file names, background jobs, the command line."""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from evidence.exporting import ExportOptions, export_chronology, export_job_start
from evidence.models import Job, Role
from evidence.permissions import MatterPermissionDenied
from evidence.selectors import TimelineFilters
from evidence.services.citations import citation_create
from tests.factories import make_document, make_event, make_matter
from tests.storage import remove


def test_a_non_member_cannot_tell_the_matter_exists(matter, make_user):
    make_event(matter, title="Secret")
    with pytest.raises(MatterPermissionDenied):
        export_chronology(matter=matter, user=make_user(), options=ExportOptions(format="csv"))
    with pytest.raises(MatterPermissionDenied):
        export_job_start(matter=matter, user=make_user(), options=ExportOptions(format="csv"))
    assert not Job.objects.exists()


def test_a_viewer_may_export(db, user, make_user):
    viewer = make_user()
    matter = make_matter(owner=user, slug="doe-v-acme", members={viewer: Role.VIEWER})
    make_event(matter, title="Seen by the viewer")
    result = export_chronology(matter=matter, user=viewer, options=ExportOptions(format="csv"))
    assert b"Seen by the viewer" in result.content
    assert result.filename.startswith("doe-v-acme-chronology-20") and result.filename.endswith(".csv")


def test_progress_is_reported(matter, user):
    for i in range(3):
        make_event(matter, title=f"E{i}")
    calls = []
    export_chronology(
        matter=matter, user=user, options=ExportOptions(format="pdf"), progress=lambda d, t: calls.append((d, t))
    )
    assert calls[0] == (0, 3) and calls[-1] == (3, 3)


def test_options_survive_json():
    options = ExportOptions(
        format="xlsx",
        filters=TimelineFilters(
            date_from=dt.date(2024, 8, 1),
            kinds=("policy_edit",),
            issues=("notice",),
            key_only=True,
            include_privileged=True,
        ),  # fmt: skip
        embed_exhibits=True,
        paper="a4",
    )
    assert ExportOptions.from_json(options.to_json()) == options
    assert ExportOptions.from_json({}) == ExportOptions()
    with pytest.raises(ValueError):
        ExportOptions(format="html")


@pytest.mark.django_db(transaction=True)  # the job is enqueued on commit
def test_job_runs_and_keeps_the_file(matter, user):
    make_event(matter, title="Job event")
    job = export_job_start(matter=matter, user=user, options=ExportOptions(format="pdf", paper="a4"))
    job.refresh_from_db()
    assert (job.kind, job.state) == (Job.Kind.EXPORT, Job.State.DONE)
    assert job.options["paper"] == "a4" and job.options["filters"]["include_privileged"] is False
    assert (job.progress, job.total) == (1, 1)
    assert job.result.name.startswith("jobs/") and job.result_name.endswith(".pdf")
    with job.result.open("rb") as fh:
        assert fh.read(5) == b"%PDF-"
    assert job.finished_at is not None


@pytest.mark.django_db(transaction=True)  # the job is enqueued on commit
def test_job_failure_is_recorded(matter, user, media_root):
    doc = make_document(matter, content=b"evidence", filename="gone.txt")
    event = make_event(matter, title="Cites a missing file")
    citation_create(event=event, document=doc, user=user, reason="test")
    remove(doc.file.name)  # the stored file is lost
    job = export_job_start(matter=matter, user=user, options=ExportOptions(embed_exhibits=True))
    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    assert job.message == "PX-1: integrity failure: the stored file is missing" and not job.result


def test_command_writes_each_format(matter, user, tmp_path):
    make_event(matter, title="Key policy edit", date="Aug 2024", kind="policy_edit", is_key=True, issues=["notice"])
    make_event(matter, title="Other", date="Jan 2025", kind="other")
    make_event(matter, title="Privileged note", date="Aug 2024", is_privileged=True)
    out = tmp_path / "chrono.csv"
    stdout = io.StringIO()
    call_command("export_chronology", "--matter", matter.slug, "--out", str(out), "--from", "Aug 2024", "--to",
                 "Dec 2024", "--kind", "policy_edit", "--issue", "notice", "--key-only", stdout=stdout)  # fmt: skip
    assert "Wrote" in stdout.getvalue()
    text = out.read_text()
    assert "Key policy edit" in text and "Other" not in text and "Privileged note" not in text
    call_command("export_chronology", "--matter", matter.slug, "--out", str(out), "--include-privileged",
                 stdout=io.StringIO())  # fmt: skip
    assert "Privileged note" in out.read_text()
    for fmt, magic in (("pdf", b"%PDF-"), ("xlsx", b"PK"), ("docx", b"PK")):
        path = tmp_path / f"chrono.{fmt}"
        call_command("export_chronology", "--matter", matter.slug, "--out", str(path), "--paper", "a4",
                     stdout=io.StringIO())  # fmt: skip
        assert path.read_bytes().startswith(magic)
    with pytest.raises(CommandError):
        call_command("export_chronology", "--matter", "no-such-matter", "--out", str(out))
    with pytest.raises(CommandError):
        call_command("export_chronology", "--matter", matter.slug, "--out", str(out), "--from", "someday")


def test_command_as_a_named_user_checks_membership(matter, make_user, tmp_path):
    stranger = make_user()
    with pytest.raises((MatterPermissionDenied, PermissionDenied)):
        call_command("export_chronology", "--matter", matter.slug, "--out", str(tmp_path / "x.pdf"),
                     "--user", stranger.username)  # fmt: skip


def test_the_command_takes_every_filter_of_the_export_page_and_names_a_bad_option(matter, tmp_path):
    make_event(matter, title="Said by LinkedIn", actors=["LinkedIn"], status="disputed", description="opt-out")
    make_event(matter, title="Said by the plaintiff", actors=["Plaintiff"], status="disputed")
    out = tmp_path / "chrono.csv"
    call_command("export_chronology", "--matter", matter.slug, "--out", str(out), "--actor", "LinkedIn",
                 "--status", "disputed", "--text", "opt-out", stdout=io.StringIO())  # fmt: skip
    text = out.read_text()
    assert "Said by LinkedIn" in text and "Said by the plaintiff" not in text
    with pytest.raises(CommandError, match="--from: could not read 'someday' as a date"):
        call_command("export_chronology", "--matter", matter.slug, "--out", str(out), "--from", "someday")
    with pytest.raises(CommandError, match="--actor: "):
        call_command("export_chronology", "--matter", matter.slug, "--out", str(out), "--actor", "Nobody")
