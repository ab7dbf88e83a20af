"""The access log's writes (evidence/services/access.py): numbered per matter, hashed, append-only."""

import threading

import pytest
from django.db import DatabaseError, connection, connections, transaction

from evidence.integrity import Finding
from evidence.models import AccessEvent, AppendOnlyError, IntegrityCheck
from evidence.services.access import access_document_viewed, access_record, integrity_failure_record
from tests.factories import UserFactory, make_document, make_matter

pytestmark = pytest.mark.django_db


def test_each_matter_numbers_its_events_from_one(matter, user):
    other = make_matter(owner=user)
    document = make_document(matter)
    numbers = [access_document_viewed(user=user, document=document).sequence for _ in range(3)]
    assert numbers == [1, 2, 3]
    assert access_record(matter=other, kind=AccessEvent.Kind.EXPORT, user=user).sequence == 1
    assert access_record(matter=matter, kind=AccessEvent.Kind.EXPORT, user=user).sequence == 4


def test_an_event_stores_the_sha256_of_its_own_content(matter, user):
    document = make_document(matter, title="Policy “v2”")
    event = access_document_viewed(user=user, document=document, address="2001:db8::1")
    stored = AccessEvent.objects.get(pk=event.pk)
    assert stored.content_sha256 == event.content_sha256 == stored.compute_sha256()
    assert stored.content()["username"] == user.get_username() and stored.content()["sequence"] == 1
    assert stored.detail == {"exhibit": "PX-1", "title": "Policy “v2”"}


def test_the_log_is_append_only_through_the_app(matter, user):
    event = access_document_viewed(user=user, document=make_document(matter))
    event.username = "someone else"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AccessEvent.objects.filter(pk=event.pk).update(username="someone else")
    with pytest.raises(AppendOnlyError):
        AccessEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(AppendOnlyError), transaction.atomic():  # bulk_update's own atomic block marks it failed
        AccessEvent.objects.bulk_update([event], ["username"])
    assert AccessEvent.objects.get().username == user.get_username()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's (see migration 0005)")
def test_on_postgresql_a_trigger_refuses_updates_and_deletes_even_in_raw_sql(matter, user):
    document = make_document(matter)
    access_document_viewed(user=user, document=document)
    IntegrityCheck.objects.create(document=document, ok=True, hashed=True, source="verify_evidence")
    for sql in (
        "UPDATE evidence_accessevent SET username = 'x'",
        "DELETE FROM evidence_accessevent",
        "UPDATE evidence_integritycheck SET ok = false, problem = 'size'",
        "DELETE FROM evidence_integritycheck",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)


def test_a_user_who_reached_evidence_cannot_be_deleted(matter, viewer):
    from django.db.models import ProtectedError

    access_document_viewed(user=viewer, document=make_document(matter))
    with pytest.raises(ProtectedError):
        viewer.delete()


def test_a_failure_seen_again_is_recorded_once(matter):
    document = make_document(matter, content=b"x" * 10)
    finding = Finding(problem="size", actual_size=12)
    assert integrity_failure_record(document=document, finding=finding, source="page") is not None
    assert integrity_failure_record(document=document, finding=finding, source="download") is None
    assert integrity_failure_record(document=document, finding=Finding(problem="missing"), source="page")
    assert IntegrityCheck.objects.filter(document=document).count() == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs parallel sessions")
def test_concurrent_accesses_get_every_number_once():
    user = UserFactory()
    matter = make_matter(owner=user)
    workers = 10
    barrier = threading.Barrier(workers)
    errors = []

    def record():
        try:
            barrier.wait()
            access_record(matter=matter, kind=AccessEvent.Kind.EXPORT, user=user)
        except Exception as error:  # collected and asserted below: a thread's exception would otherwise vanish
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=record) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(AccessEvent.objects.values_list("sequence", flat=True)) == list(range(1, workers + 1))
