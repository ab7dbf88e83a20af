"""Evidence intake: hashing, numbering, duplicates, size limits, sniffed media types, page counts; restoring a version;
the page counts of PDFs taken in before intake kept them."""

import hashlib
import io

import pytest
from django.core.exceptions import ValidationError

from evidence.models import Document
from evidence.services.chain import verify_chains
from evidence.services.documents import (
    document_delete,
    document_intake,
    document_revert,
    document_update,
    documents_page_count_fill,
)
from tests.factories import make_document, make_matter, make_pdf
from tests.storage import overwrite, remove, stored_names


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
    assert stored_names("evidence") == sorted([doc.file.name, other.document.file.name])  # the same bytes once
    assert doc.file.name.endswith(f"/{doc.sha256}")
    assert doc.file.read() == b"hello evidence\n"
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


def test_intake_stores_a_pdf_s_page_count_and_none_for_other_files(matter, user):
    pdf = document_intake(matter=matter, user=user, file=io.BytesIO(make_pdf(3)), filename="px.pdf", reason="u")
    text = document_intake(matter=matter, user=user, file=io.BytesIO(b"p. 1 of 3"), filename="a.txt", reason="u")
    assert Document.objects.get(pk=pdf.document.pk).page_count == 3
    assert Document.objects.get(pk=text.document.pk).page_count is None


def _taken_in_before_page_counts(*documents):
    Document.objects.filter(pk__in=[d.pk for d in documents]).update(page_count=None)


def test_page_counts_are_filled_for_pdfs_taken_in_before_they_were_kept(matter, user, media_root):
    three = make_document(matter, content=make_pdf(3), filename="three.pdf")
    broken = make_document(matter, content=b"%PDF-1.4 truncated", filename="broken.pdf")
    text = make_document(matter, content=b"a text", filename="a.txt")
    other = make_document(make_matter(owner=user, slug="other"), content=make_pdf(2), filename="two.pdf")
    _taken_in_before_page_counts(three, broken, text, other)
    versions = Document.history.count()

    report = documents_page_count_fill(matter_slug=matter.slug)

    assert report.counted == 1
    why = "no page count (the PDF is damaged or locked by a password)"
    assert report.unknown == [f"{matter.slug} PX-2 (broken.pdf): {why}"]
    counts = dict(Document.objects.values_list("original_filename", "page_count"))
    assert counts == {"three.pdf": 3, "broken.pdf": None, "a.txt": None, "two.pdf": None}  # only the matter asked for
    assert Document.history.count() == versions  # read from the file: no new version
    assert not verify_chains().problems  # and the history chain still verifies
    assert not any((media_root / "tmp").iterdir())  # no copy left behind

    again = documents_page_count_fill()
    assert again.counted == 1 and len(again.unknown) == 1  # the other matter's PDF; the broken one is tried again
    assert Document.objects.get(pk=other.pk).page_count == 2


def test_a_stored_file_that_changed_or_is_gone_is_not_read_for_its_page_count(matter, user, media_root):
    changed = make_document(matter, content=make_pdf(3), filename="changed.pdf")
    gone = make_document(matter, content=make_pdf(4), filename="gone.pdf")
    _taken_in_before_page_counts(changed, gone)
    overwrite(changed.file.name, make_pdf(9))
    remove(gone.file.name)

    report = documents_page_count_fill()

    assert report.counted == 0
    assert report.unknown[0] == (
        f"{matter.slug} PX-1 (changed.pdf): the stored file no longer matches its SHA-256 (see verify_evidence)"
    )
    assert report.unknown[1].startswith(f"{matter.slug} PX-2 (gone.pdf): the stored file cannot be read")
    assert set(Document.objects.values_list("page_count", flat=True)) == {None}


def test_a_pdf_that_exhausts_the_reader_s_limits_gets_no_page_count(matter, user, settings):
    doc = make_document(matter, content=make_pdf(2), filename="slow.pdf")
    _taken_in_before_page_counts(doc)
    settings.IMPORT_READ_TIMEOUT = 0  # the child is given no time at all

    report = documents_page_count_fill()

    assert report.counted == 0 and "took longer than 0 s" in report.unknown[0]
    assert Document.objects.get(pk=doc.pk).page_count is None
