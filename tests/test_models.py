"""The rules the database itself enforces, even for writes that bypass the services."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

from evidence import dates
from evidence.models import Citation, Document, Event
from tests.factories import make_document, make_event


def _violates(fn):
    with pytest.raises(IntegrityError), transaction.atomic():
        fn()


def test_exhibit_numbers_and_contents_are_unique_per_matter(matter):
    doc = make_document(matter, content=b"one")
    clone = dict(matter=matter, title="x", original_filename="x", size=1, media_type="text/plain", file="f")
    _violates(lambda: Document.objects.create(**clone, sha256="0" * 64, exhibit_number=doc.exhibit_number))
    _violates(lambda: Document.objects.create(**clone, sha256=doc.sha256, exhibit_number=99))
    _violates(lambda: Document.objects.create(**clone, sha256="1" * 64, exhibit_number=0))


def test_citation_is_unique_per_event_document_and_pinpoint(matter):
    event, doc = make_event(matter), make_document(matter)
    Citation.objects.create(event=event, document=doc, pinpoint="p. 3")
    Citation.objects.create(event=event, document=doc, pinpoint="p. 4")
    _violates(lambda: Citation.objects.create(event=event, document=doc, pinpoint="p. 3"))


def test_date_columns_must_agree_with_their_precision(matter):
    event = make_event(matter, date="Aug 2024")
    _violates(lambda: Event.objects.filter(pk=event.pk).update(date_precision=None))
    _violates(lambda: Event.objects.filter(pk=event.pk).update(date_precision=9))
    _violates(lambda: Event.objects.filter(pk=event.pk).update(date_end="2024-09"))  # no end precision
    _violates(lambda: Event.objects.filter(pk=event.pk).update(date_bound="maybe"))
    _violates(lambda: Event.objects.filter(pk=event.pk).update(kind="rumour"))


def test_external_ids_are_unique_per_matter_but_may_be_blank(matter):
    first = make_event(matter, external_id="R-1")
    make_event(matter), make_event(matter)  # blank ids do not collide
    with pytest.raises(ValidationError, match="already has this external id"):
        make_event(matter, external_id="R-1")
    clone = Event(matter=matter, title="copy", external_id="R-1", date_sort=first.date_sort)
    _violates(lambda: Event.objects.bulk_create([clone]))


def test_date_round_trips_through_the_columns(matter):
    for text in ["Aug 2024", "c. Sept 2024", "after Aug 2024", "Aug – Sept 2024", "Jan 24, 2025, 9:30 AM PST", ""]:
        event = make_event(matter, date=text)
        event.refresh_from_db()
        assert event.date == dates.parse(text)


def test_timeline_order_is_chronological_by_known_precision_then_manual_order(matter):
    for title, date, order in [
        ("undated", "unknown", 0), ("day", "Aug 15, 2024", 0), ("month", "Aug 2024", 0), ("year", "2024", 0),
        ("after", "after Aug 2024", 0), ("same day, second", "Aug 15, 2024", 2), ("same day, first", "Aug 15, 2024", 1),
    ]:  # fmt: skip
        make_event(matter, title=title, date=date, order=order)
    titles = list(Event.objects.filter(matter=matter).values_list("title", flat=True))
    assert titles == ["year", "month", "day", "same day, first", "same day, second", "after", "undated"]


def test_a_time_without_a_zone_is_read_in_the_matters_zone_and_a_stated_zone_is_kept(matter):
    assert matter.time_zone == "America/Los_Angeles"
    assert matter.read_date("2025-01-24 09:30").display() == "Jan 24, 2025, 9:30 AM PST"
    assert matter.read_date("2025-01-24 09:30 EST").display() == "Jan 24, 2025, 9:30 AM EST"
    assert matter.read_date("Aug 2024") == dates.parse("Aug 2024")


# Validation before a save (evidence.models.checks): an event's and a document's checks in one query --------------


def _errors(validate) -> dict:
    with pytest.raises(ValidationError) as raised:
        validate()
    return raised.value.message_dict


@pytest.mark.parametrize(
    "broken",
    [
        {"date_precision": None},  # a start without its precision
        {"date_end": "2024-09"},  # an end without its precision
        {"number": 0},
        {"kind": "nonsense", "status": "nonsense"},  # two checks at once: both are named
        {"external_id": "EXT-1"},  # another event of the matter has it (a unique constraint, not a check)
    ],
)
def test_a_broken_event_gets_the_errors_djangos_own_validation_gives(matter, broken):
    make_event(matter, title="Other", external_id="EXT-1")
    event = make_event(matter, title="Checked", date="Aug 2024")
    for name, value in broken.items():
        setattr(event, name, value)
    ours = _errors(event.validate_constraints)
    assert ours == _errors(lambda: models.Model.validate_constraints(event)) and ours
    # Left out of validation, a field's checks are left out too, as Django leaves them.
    excluded = set(broken) | {"date_start", "date_end_precision", "matter"}
    event.validate_constraints(exclude=excluded)


def test_a_valid_event_is_validated_in_a_fixed_few_queries(matter, django_assert_num_queries):
    event = make_event(matter, title="Checked", date="Aug 2024", external_id="EXT-2")
    # Its matter's existence; its eight checks in one query (Django asks each apart: 24 statements with their
    # savepoints in a transaction, 21 more than here); its two unique constraints as Django asks them.
    with django_assert_num_queries(8):
        event.full_clean()
    doc = make_document(matter, content=b"checked")
    with django_assert_num_queries(6):
        doc.full_clean()
