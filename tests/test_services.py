import hashlib
import io

import pytest
from django.core.exceptions import ValidationError

from evidence import dates
from evidence.models import Citation, Document, Event, EventStatus
from evidence.services.base import StaleEdit
from evidence.services.citations import citation_create
from evidence.services.documents import document_intake
from evidence.services.events import event_create, event_delete, event_restore, event_revert, event_update
from tests.factories import make_document, make_event


def test_event_create_records_user_reason_and_date_as_known(matter, user):
    event = event_create(
        matter=matter, user=user, date="c. Sept 2024", title="Policy amended", reason="entered by hand",
        actors=["LinkedIn"], issues=["notice", "concealment"],
    )  # fmt: skip
    event.refresh_from_db()
    assert event.date.display() == "c. Sept 2024"
    assert event.date_precision == dates.Precision.MONTH
    assert event.date_start == "2024-09"  # never filled in to a day
    versions = list(event.history.all())
    assert len(versions) == 1  # one row for the save and its actors and issues, not one per m2m change
    assert versions[0].history_user == user
    assert versions[0].history_change_reason == "entered by hand"
    assert sorted(a.actor.name for a in versions[0].actors.all()) == ["LinkedIn"]
    assert sorted(i.issue.name for i in versions[0].issues.all()) == ["concealment", "notice"]


def test_time_without_zone_is_read_in_the_matters_zone(matter, user):
    event = make_event(matter, date="2025-01-24 09:30")
    assert event.date.display() == "Jan 24, 2025, 9:30 AM PST"


def test_event_update_is_refused_when_someone_saved_in_between(matter, user, make_user):
    event = make_event(matter, title="First")
    event_update(event=event, user=user, reason="fix title", expected_version=1, title="Second")
    with pytest.raises(StaleEdit) as stale:
        event_update(event=event, user=user, reason="late edit", expected_version=1, title="Third")
    assert stale.value.current.title == "Second"
    event.refresh_from_db()
    assert (event.title, event.version) == ("Second", 2)


def test_soft_delete_and_restore_keep_the_event_and_record_why(matter, user):
    event = make_event(matter)
    event_delete(event=event, user=user, reason="duplicate entry")
    assert not Event.objects.alive().filter(pk=event.pk).exists()
    assert Event.objects.filter(pk=event.pk).exists()
    event_restore(event=event, user=user, reason="not a duplicate after all")
    assert Event.objects.alive().filter(pk=event.pk).exists()
    reasons = list(event.history.order_by("history_id").values_list("history_change_reason", flat=True))
    assert reasons == ["test", "duplicate entry", "not a duplicate after all"]


def test_revert_brings_back_an_earlier_version_as_a_new_one(matter, user):
    event = make_event(matter, title="Original", date="Aug 2024", issues=["consent"])
    first = event.history.get()
    event_update(event=event, user=user, reason="edit", title="Changed", date="2025", issues=["notice"])
    reverted = event_revert(event=event, history_id=first.history_id, user=user, reason="undo edit")
    assert reverted.title == "Original"
    assert reverted.date.display() == "Aug 2024"
    assert [i.name for i in reverted.issues.all()] == ["consent"]
    assert reverted.history.count() == 3


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


def test_citation_is_unique_per_pinpoint_and_within_the_matter(matter, user, make_user):
    from tests.factories import MatterFactory

    event = make_event(matter)
    doc = make_document(matter)
    citation_create(event=event, document=doc, pinpoint="p. 3", user=user, reason="cite")
    with pytest.raises(ValidationError):
        citation_create(event=event, document=doc, pinpoint="p. 3", user=user, reason="cite")
    other_doc = make_document(MatterFactory(owner=user), content=b"elsewhere")
    with pytest.raises(ValidationError, match="its own matter"):
        citation_create(event=event, document=other_doc, user=user, reason="cite")
    assert Citation.objects.count() == 1
    assert Citation.objects.get().label == "PX-1 p. 3"


def test_invalid_date_changes_nothing(matter, user):
    with pytest.raises(ValidationError, match="February has 29 days in 2024"):
        event_create(matter=matter, user=user, date="2/30/2024", title="x", reason="r")
    assert Event.objects.count() == 0


def test_status_and_kind_are_checked(matter, user):
    with pytest.raises(ValidationError):
        event_create(matter=matter, user=user, date="2024", title="x", reason="r", status="maybe")
    event = make_event(matter, status=EventStatus.DISPUTED)
    assert event.is_disputed


def test_event_update_sets_its_citations_in_the_same_write(matter, user):
    doc = make_document(matter)
    event = event_create(
        matter=matter, user=user, date="2024", title="t", reason="new", citations=[(doc, "p. 1", ""), (doc, "p. 2", "")]
    )
    event_update(event=event, user=user, reason="pinpoint fixed", citations=[(doc, "p. 1", ""), (doc, "p. 3", "")])
    assert sorted(Citation.objects.filter(event=event).values_list("pinpoint", flat=True)) == ["p. 1", "p. 3"]
    removed = Citation.history.filter(pinpoint="p. 2", history_type="-").get()
    assert removed.history_change_reason == "pinpoint fixed"
    with pytest.raises(StaleEdit):
        event_update(event=event, user=user, reason="late", expected_version=1, citations=[])
    assert Citation.objects.filter(event=event).count() == 2  # nothing of the refused edit was written
