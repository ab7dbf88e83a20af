"""Every single write cleans its text by the one rule (evidence/services/base.py with evidence/text.py): what a page,
the admin, a command or an intake saves is what every export can write."""

import pytest
from django.core.exceptions import ValidationError

from evidence.models import Actor, Document, Event
from evidence.services.actors import actor_create
from evidence.services.documents import document_update
from evidence.services.events import event_update
from evidence.services.matters import matter_update
from tests.factories import make_document, make_event

pytestmark = pytest.mark.django_db


def test_an_event_is_stored_cleaned_with_its_history_reason(matter, user):
    event = make_event(
        matter,
        title="Policy\x00 amended\x07",
        description="first line\r\nsecond line\x0bthird\x1b",
        source_note="Dkt.\x0c1",
        reason="entered\x00 by hand\x01",
    )
    event = Event.objects.get(pk=event.pk)
    assert event.title == "Policy amended\ufffd"
    assert event.description == "first line\nsecond line\nthird\ufffd"
    assert event.source_note == "Dkt.\n1"
    assert event.history.get().history_change_reason == "entered by hand\ufffd"
    event_update(event=event, user=user, reason="fixed", title="Policy\x85amended")
    assert Event.objects.get(pk=event.pk).title == "Policy\namended"


def test_bidi_controls_are_kept_as_typed(matter):
    event = make_event(matter, title="invoice\u202eexe.pdf", description="مرحبا\u200fعالم")
    event.refresh_from_db()
    assert (event.title, event.description) == ("invoice\u202eexe.pdf", "مرحبا\u200fعالم")


def test_an_actor_name_is_cleaned_before_it_is_looked_up(matter, user):
    first = make_event(matter, actors=["Acme\x00 Corp"])
    second = make_event(matter, actors=["Acme Corp"])
    assert [a.name for a in Actor.objects.filter(matter=matter)] == ["Acme Corp"]
    assert first.actors.get() == second.actors.get()
    with pytest.raises(ValidationError, match="already in this matter"):
        actor_create(matter=matter, name="Acme\x00 Corp", user=user, reason="test")


def test_a_file_name_with_undecodable_bytes_is_stored_with_replacement_characters(matter, user):
    # A name decoded with surrogateescape keeps its bad bytes as lone surrogates, which no database can store.
    document = make_document(matter, content=b"scan", filename="scan\udcff\x00 2024\x07.pdf")
    document = Document.objects.get(pk=document.pk)
    assert document.original_filename == "scan\ufffd 2024\ufffd.pdf" and document.title == document.original_filename
    document_update(document=document, user=user, reason="test", bates_start="ACME\x1f1")
    assert Document.objects.get(pk=document.pk).bates_start == "ACME\ufffd1"


def test_a_matter_caption_is_stored_cleaned(matter, user):
    matter_update(matter=matter, user=user, reason="test", court="Court\x00\x02", parties="A\r\nB\rC")
    matter.refresh_from_db()
    assert (matter.court, matter.parties) == ("Court\ufffd", "A\nB\nC")
