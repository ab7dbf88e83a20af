"""Re-verifying stored evidence (evidence/integrity.py); the command's output is tested in tests/commands."""

import io

from django.core.files.storage import default_storage

from evidence.integrity import verify_documents
from evidence.services.documents import document_intake
from tests.factories import MatterFactory, make_document


def test_one_matter_is_checked_alone_and_unreferenced_files_are_listed_only_for_the_whole_store(matter, user):
    make_document(matter, content=b"exhibit of the first matter")
    other = MatterFactory(owner=user)
    make_document(other, content=b"exhibit of the second matter")
    orphan = "evidence/ab/cd/" + "0" * 64
    default_storage.save(orphan, io.BytesIO(b"left by a rolled-back intake"))

    report = verify_documents(matter_slug=matter.slug)
    assert (report.checked, report.problems, report.unreferenced) == (1, [], [])
    report = verify_documents()
    assert (report.checked, report.problems, report.unreferenced) == (2, [], [orphan])


def test_the_same_bytes_in_two_matters_are_one_file_and_no_orphan(matter, user):
    other = MatterFactory(owner=user)
    for target in (matter, other):
        document_intake(matter=target, user=user, file=io.BytesIO(b"shared"), filename="s.txt", reason="test")
    report = verify_documents()
    assert (report.checked, report.problems, report.unreferenced) == (2, [], [])
