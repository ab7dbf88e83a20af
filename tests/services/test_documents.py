"""Evidence intake: hashing, numbering, duplicates, size limits, sniffed media types; restoring a version."""

import hashlib
import io

import pytest
from django.core.exceptions import ValidationError

from evidence.models import Document
from evidence.services.documents import document_delete, document_intake, document_revert, document_update
from tests.factories import make_document


def test_intake_hashes_numbers_and_recognises_the_same_bytes(matter, user, media_root):
    first = document_intake(
        matter=matter, user=user, file=io.BytesIO(b"hello evidence\n"), filename="a.txt", reason="upload"
    )
    again = document_intake(
        matter=matter, user=user, file=io.BytesIO(b"hello evidence\n"), filename="copy.txt", reason="upload"
    )
    other = document_intake(
        matter=matter, user=user, file=io.BytesIO(b"other evidence\n"), filename="b.txt", reason="upload"
    )
    doc = first.document
    assert first.created and not again.created and again.document.pk == doc.pk
    assert doc.sha256 == hashlib.sha256(b"hello evidence\n").hexdigest()
    assert doc.size == 15 and doc.media_type == "text/plain"
    assert doc.extracted_text.strip() == "hello evidence"
    assert (doc.exhibit_label, other.document.exhibit_label) == ("PX-1", "PX-2")
    stored = media_root / doc.file.name
    assert stored.read_bytes() == b"hello evidence\n"
    assert stored.name == doc.sha256
    assert not any((media_root / "tmp").iterdir())  # nothing left half-written


def test_intake_refuses_empty_and_oversized_files_and_keeps_nothing(matter, user, settings, media_root):
    with pytest.raises(ValidationError, match="empty"):
        document_intake(matter=matter, user=user, file=io.BytesIO(b""), filename="e.pdf", reason="upload")
    settings.EVIDENCE_MAX_UPLOAD_BYTES = 10
    with pytest.raises(ValidationError, match="larger than the upload limit of 10 bytes"):
        document_intake(matter=matter, user=user, file=io.BytesIO(b"x" * 11), filename="big.bin", reason="u")
    assert Document.objects.count() == 0
    assert not any((media_root / "tmp").iterdir())
    matter.refresh_from_db()
    assert matter.last_exhibit_number == 0  # no number was used up


def test_explicit_exhibit_number_must_be_free_and_moves_the_counter(matter, user):
    make_document(matter, content=b"a", exhibit_number=5)
    with pytest.raises(ValidationError, match="PX-5 is already"):
        make_document(matter, content=b"b", exhibit_number=5)
    assert make_document(matter, content=b"c").exhibit_label == "PX-6"


def test_media_type_is_sniffed_from_content_not_name(matter):
    doc = make_document(matter, content=b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", filename="innocent.txt")
    assert doc.media_type == "application/pdf"


def test_revert_brings_back_the_metadata_of_a_version_as_a_new_one(matter, user):
    doc = make_document(matter, title="Privacy policy", date="Aug 2024", bates_start="ACME_1", author="LinkedIn")
    first = doc.history.get()
    document_update(document=doc, user=user, reason="retitled", title="Policy v2", date="Sept 2024", bates_start="")
    document_delete(document=doc, user=user, reason="wrong matter")
    reverted = document_revert(document=doc, history_id=first.history_id, user=user, reason="it was right")
    assert (reverted.title, reverted.date_display, reverted.bates_start) == ("Privacy policy", "Aug 2024", "ACME_1")
    assert not reverted.is_deleted and reverted.date_sort == first.date_sort
    assert (reverted.sha256, reverted.exhibit_number) == (doc.sha256, doc.exhibit_number)  # the file never changes
    assert list(doc.history.values_list("history_change_reason", flat=True))[:2] == ["it was right", "wrong matter"]
