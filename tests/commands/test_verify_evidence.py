"""python manage.py verify_evidence: intact files pass; altered, missing ones and entries that are not files are named,
without a traceback; what it finds is recorded, and the document page and its download say so."""

import hashlib
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from evidence.models import IntegrityCheck
from tests.factories import make_document
from tests.storage import filesystem_only, overwrite, remove


def test_verify_evidence_passes_on_intact_files_and_names_altered_and_missing_ones(matter, media_root, capsys):
    kept = make_document(matter, content=b"intact exhibit")
    altered = make_document(matter, content=b"original bytes")
    missing = make_document(matter, content=b"will vanish")
    call_command("verify_evidence")
    assert "3 files checked, 0 problems." in capsys.readouterr().out

    overwrite(altered.file.name, b"tampered bytes")
    remove(missing.file.name)
    with pytest.raises(CommandError, match="3 files checked, 2 problems"):
        call_command("verify_evidence")
    err = capsys.readouterr().err
    assert f"ALTERED {matter.slug} PX-2" in err and f"MISSING {matter.slug} PX-3" in err
    assert "PX-1" not in err and kept.sha256 not in err


@filesystem_only
def test_a_directory_in_place_of_a_file_is_reported_without_a_traceback_with_everything_else(
    matter, media_root, capsys
):
    became_directory = make_document(matter, content=b"became a directory")
    altered = make_document(matter, content=b"original bytes")
    path = media_root / became_directory.file.name
    path.unlink()
    path.mkdir()
    overwrite(altered.file.name, b"tampered bytes")
    orphan = media_root / "evidence/00/00" / ("0" * 64)
    orphan.parent.mkdir(parents=True)
    orphan.write_bytes(b"left by a rolled-back intake")

    with pytest.raises(CommandError, match="2 files checked, 2 problems") as failed:
        call_command("verify_evidence")
    assert failed.value.returncode == 1
    out, err = capsys.readouterr()
    assert f"NOT A FILE {matter.slug} PX-1 “doc.pdf”: a directory is stored in place of the file" in err
    assert f"ALTERED {matter.slug} PX-2" in err
    assert f"Unreferenced stored file (harmless; left from a rolled-back intake): evidence/00/00/{'0' * 64}" in out
    assert "Traceback" not in out + err


def test_what_verify_evidence_finds_is_what_the_document_page_and_its_download_say(client, matter, user, media_root):
    intact = make_document(matter, content=b"x" * 1200, filename="kept.txt")
    altered = make_document(matter, content=b"original bytes", filename="memo.txt")
    overwrite(altered.file.name, b"tampered bytes")
    with pytest.raises(CommandError):
        call_command("verify_evidence")
    check = IntegrityCheck.objects.get(document=altered)
    assert (check.ok, check.problem, check.source) == (False, "sha256", "verify_evidence")

    client.force_login(user)
    page = client.get(reverse("document_detail", args=[matter.slug, altered.pk])).content.decode()
    tampered = hashlib.sha256(b"tampered bytes").hexdigest()
    assert f"Integrity failure: SHA-256 {tampered}, expected {altered.sha256}" in page
    assert reverse("document_file", args=[matter.slug, altered.pk]) not in page  # no download link, no preview
    download = client.get(reverse("document_file", args=[matter.slug, altered.pk]))
    assert download.status_code == 409
    assert "Integrity failure" in download.content.decode() and b"tampered bytes" not in download.content

    page = client.get(reverse("document_detail", args=[matter.slug, intact.pk])).content.decode()
    day = timezone.localtime(IntegrityCheck.objects.get(document=intact).checked_at, ZoneInfo(matter.time_zone))
    assert f"SHA-256 verified on {day:%b} {day.day}, {day.year}" in page


def test_verify_evidence_walks_the_history_chains_and_names_the_first_row_changed(matter, user, capsys):
    from evidence.models import Event, HistoryLink
    from evidence.services.events import event_create, event_update

    event = event_create(matter=matter, user=user, date="Aug 2024", title="Policy amended", reason="entered")
    event_update(event=event, user=user, reason="corrected", title="Policy amended again")
    call_command("verify_evidence")
    out = capsys.readouterr().out
    links = HistoryLink.objects.filter(matter=matter).count()
    assert f"{links} history links checked, 0 chains broken." in out

    first = Event.history.filter(id=event.pk).order_by("history_id").first()
    Event.history.filter(history_id=first.history_id).update(title="Rewritten")  # behind the app's back
    sequence = HistoryLink.objects.get(model="evidence.historicalevent", history_id=first.history_id).sequence
    with pytest.raises(CommandError, match="0 problems. .* 1 chains broken"):
        call_command("verify_evidence")
    err = capsys.readouterr().err
    assert (
        f"matter {matter.slug}: history chain broken at link {sequence} (Event history #{first.history_id}): "
        "content changed"
    ) in err


def test_verify_evidence_names_an_event_versions_actor_changed_in_the_database(matter, user, capsys):
    from django.db import connection

    from evidence.models import Event, HistoryLink, m2m_history_models
    from evidence.services.events import event_create

    event = event_create(matter=matter, user=user, date="Aug 2024", title="Policy amended", reason="entered",
                         actors=["LinkedIn"])  # fmt: skip
    someone = event_create(matter=matter, user=user, date="Sept 2024", title="FAQ changed", reason="entered",
                           actors=["Someone else"]).actors.get()  # fmt: skip
    call_command("verify_evidence")
    assert "0 chains broken." in capsys.readouterr().out

    actors = m2m_history_models(Event)["actors"]
    row = actors.objects.get(history__id=event.pk)
    with connection.cursor() as cursor:  # the version now says someone else was involved
        cursor.execute(
            f"UPDATE {actors._meta.db_table} SET {actors._meta.get_field('actor').column} = %s "
            "WHERE m2m_history_id = %s",
            [someone.pk, row.m2m_history_id],
        )
    sequence = HistoryLink.objects.get(model="evidence.historicalevent_actors", history_id=row.m2m_history_id).sequence
    with pytest.raises(CommandError, match="1 chains broken"):
        call_command("verify_evidence")
    assert (
        f"matter {matter.slug}: history chain broken at link {sequence} (Event actors history #{row.m2m_history_id}): "
        "content changed"
    ) in capsys.readouterr().err


def test_verify_evidence_rehashes_each_editions_file_and_snapshot(matter, user, media_root, tmp_path, capsys):
    from tests.editions.support import cited_matter, export_edition

    cited_matter(matter, user)
    edition, _ = export_edition(matter, user, tmp_path)
    capsys.readouterr()
    call_command("verify_evidence")
    assert "4 files checked, 0 problems." in capsys.readouterr().out  # two documents, the edition's file and snapshot

    overwrite(edition.file.name, b"%PDF-1.7 another chronology")
    remove(edition.snapshot.name)
    with pytest.raises(CommandError, match="4 files checked, 2 problems"):
        call_command("verify_evidence")
    err = capsys.readouterr().err
    assert f"ALTERED {matter.slug} edition 1 file “{edition.filename}”" in err
    assert f"MISSING {matter.slug} edition 1 snapshot" in err
