"""Re-verifying stored evidence (evidence/integrity.py); the command's output is tested in tests/commands."""

import hashlib
import io
import os

import pytest
from django.core.files.storage import FileSystemStorage, default_storage

from evidence.integrity import document_status, verify_documents
from evidence.models import IntegrityCheck
from evidence.services.documents import document_intake
from tests.conftest import S3
from tests.factories import make_document, make_matter
from tests.storage import filesystem_only, overwrite, place, remove


def test_one_matter_is_checked_alone_and_unreferenced_files_are_listed_only_for_the_whole_store(matter, user):
    make_document(matter, content=b"exhibit of the first matter")
    other = make_matter(owner=user)
    make_document(other, content=b"exhibit of the second matter")
    orphan = "evidence/ab/cd/" + "0" * 64
    default_storage.save(orphan, io.BytesIO(b"left by a rolled-back intake"))

    report = verify_documents(matter_slug=matter.slug)
    assert (report.checked, report.problems, report.unreferenced) == (1, [], [])
    report = verify_documents()
    assert (report.checked, report.problems, report.unreferenced) == (2, [], [orphan])


def test_the_same_bytes_in_two_matters_are_one_file_and_no_orphan(matter, user):
    other = make_matter(owner=user)
    for target in (matter, other):
        document_intake(matter=target, user=user, file=io.BytesIO(b"shared"), filename="s.txt", reason="test")
    report = verify_documents()
    assert (report.checked, report.problems, report.unreferenced) == (2, [], [])


# What verify_documents records, and what it finds in place of files ------------------------------------------------


def test_each_document_gets_its_check_recorded_with_the_time(matter, media_root):
    intact = make_document(matter, content=b"intact exhibit")
    altered = make_document(matter, content=b"original bytes")
    overwrite(altered.file.name, b"tampered bytes")
    report = verify_documents()
    assert report.checked == 2 and len(report.problems) == 1
    ok = IntegrityCheck.objects.get(document=intact)
    assert (ok.ok, ok.hashed, ok.problem, ok.actual_sha256, ok.source) == (
        True,
        True,
        "",
        intact.sha256,
        "verify_evidence",
    )
    failed = IntegrityCheck.objects.get(document=altered)
    assert (failed.ok, failed.problem, failed.actual_size) == (False, "sha256", 14)
    assert failed.actual_sha256 == hashlib.sha256(b"tampered bytes").hexdigest() and failed.checked_at is not None


@filesystem_only
def test_a_directory_in_place_of_a_file_is_a_problem_and_the_rest_is_still_found(matter, media_root):
    became_directory = make_document(matter, content=b"became a directory")
    altered = make_document(matter, content=b"original bytes")
    path = media_root / became_directory.file.name
    path.unlink()
    path.mkdir()
    (path / "inside").write_bytes(b"whatever")
    overwrite(altered.file.name, b"tampered bytes")
    stray_directory = "evidence/ab/cd/" + "1" * 64
    (media_root / stray_directory).mkdir(parents=True)
    orphan = "evidence/ab/cd/" + "0" * 64
    default_storage.save(orphan, io.BytesIO(b"left by a rolled-back intake"))

    report = verify_documents()
    assert report.checked == 2
    assert report.problems == [
        f"NOT A FILE {matter.slug} PX-1 “doc.pdf”: a directory is stored in place of the file",
        f"ALTERED {matter.slug} PX-2 “doc.pdf”: SHA-256 {hashlib.sha256(b'tampered bytes').hexdigest()}, "
        f"expected {altered.sha256}",
        f"NOT A FILE {stray_directory}: a directory where only files are stored",
    ]
    assert report.unreferenced == [orphan]
    assert IntegrityCheck.objects.get(document=became_directory).problem == "not_a_file"


@filesystem_only
def test_a_special_file_in_place_of_the_evidence_is_reported_without_being_opened(matter, media_root):
    document = make_document(matter, content=b"became a FIFO")
    path = media_root / document.file.name
    path.unlink()
    os.mkfifo(path)  # opening it for reading would wait for a writer forever
    stray = media_root / "evidence/ab/cd/fifo"
    stray.parent.mkdir(parents=True)
    os.mkfifo(stray)
    report = verify_documents()
    assert report.problems == [
        f"NOT A FILE {matter.slug} PX-1 “doc.pdf”: "
        "a special file (FIFO, socket or device) is stored in place of the file",
        "NOT A FILE evidence/ab/cd/fifo: a special file (FIFO, socket or device)",
    ]


@pytest.mark.skipif(S3, reason="it makes the local folder refuse reads; a bucket's refusals: tests/test_storage_s3.py")
def test_unreadable_files_and_directories_are_problems_not_tracebacks(matter, monkeypatch):
    document = make_document(matter, content=b"unreadable")
    make_document(matter, content=b"readable")
    real_open, real_listdir = FileSystemStorage._open, FileSystemStorage.listdir

    def open_refusing(self, name, mode="rb"):
        if name == document.file.name:
            raise PermissionError(13, "Permission denied")
        return real_open(self, name, mode)

    def listdir_refusing(self, path):
        if path == "evidence/" + document.sha256[:2]:
            raise PermissionError(13, "Permission denied")
        return real_listdir(self, path)

    # As root (the test machines), chmod cannot take read permission away; the storage refuses as the OS would.
    monkeypatch.setattr(FileSystemStorage, "_open", open_refusing)
    monkeypatch.setattr(FileSystemStorage, "listdir", listdir_refusing)
    report = verify_documents()
    assert report.checked == 2
    assert report.problems == [
        f"UNREADABLE {matter.slug} PX-1 “doc.pdf”: the stored file cannot be read (Permission denied)",
        f"UNREADABLE evidence/{document.sha256[:2]}/: Permission denied",
    ]


def test_bidi_controls_in_a_name_are_written_out_in_the_report(matter, media_root):
    document = make_document(matter, content=b"x", filename="invoice\u202efdp.exe")
    remove(document.file.name)
    assert verify_documents().problems == [
        f"MISSING {matter.slug} PX-1 “invoice[U+202E]fdp.exe”: the stored file is missing"
    ]


# The document page's status ----------------------------------------------------------------------------------------


def test_the_page_status_is_the_latest_check_or_a_size_that_differs_now(matter, media_root):
    document = make_document(matter, content=b"x" * 1200)
    assert document_status(document).state == "unchecked"
    verify_documents()
    status = document_status(document)
    assert (status.state, status.text, status.source) == ("verified", "SHA-256 verified", "verify_evidence")

    overwrite(document.file.name, b"x" * 1234)
    status = document_status(document)
    assert (status.state, status.text) == ("failed", "Integrity failure: size 1,234 bytes, expected 1,200")
    document_status(document)  # seen again: still one recorded finding
    assert list(IntegrityCheck.objects.filter(document=document).order_by("id").values_list("ok", "source")) == [
        (True, "verify_evidence"),
        (False, "page"),
    ]


def test_an_object_no_document_refers_to_is_listed_as_unreferenced_and_the_evidence_still_checks(matter):
    document = make_document(matter, content=b"original bytes")
    orphan = "evidence/00/00/" + "0" * 64
    place(orphan, b"left by a rolled-back intake")
    report = verify_documents()
    assert (report.checked, report.problems, report.unreferenced) == (1, [], [orphan])
    assert IntegrityCheck.objects.get(document=document).ok
