"""Exhibit numbering under concurrent intake, on a database that really runs transactions side by side."""

import io
import threading

import pytest
from django.db import connection, connections

from evidence.models import Document
from evidence.services.documents import document_intake
from tests.factories import UserFactory, make_matter

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's row locks and parallel sessions")
def test_concurrent_intake_gives_each_document_its_own_number_without_gaps():
    user = UserFactory()
    matter = make_matter(owner=user)
    workers = 12
    barrier = threading.Barrier(workers)
    errors = []

    def intake(i):
        try:
            barrier.wait()
            document_intake(
                matter=matter, user=user, file=io.BytesIO(f"exhibit {i}".encode()), filename=f"{i}.txt", reason="load"
            )
        except Exception as error:  # collected and asserted below: a thread's exception would otherwise vanish
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=intake, args=(i,)) for i in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    numbers = sorted(Document.objects.filter(matter=matter).values_list("exhibit_number", flat=True))
    assert numbers == list(range(1, workers + 1))


def test_the_same_number_is_never_given_twice_in_sequence():
    user = UserFactory()
    matter = make_matter(owner=user)
    labels = [
        document_intake(
            matter=matter, user=user, file=io.BytesIO(bytes([i])), filename=f"{i}.bin", reason="load"
        ).document.exhibit_label
        for i in range(1, 4)
    ]
    assert labels == ["PX-1", "PX-2", "PX-3"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's row locks and parallel sessions")
def test_the_same_form_submitted_at_once_creates_one_event():
    """Two requests with one submission token, side by side: the unique constraint decides, both get the winner."""
    from evidence.models import Event
    from evidence.services.events import event_create_once

    user = UserFactory()
    matter = make_matter(owner=user)
    workers = 6
    barrier = threading.Barrier(workers)
    errors, results = [], []

    def submit():
        try:
            barrier.wait()
            results.append(
                event_create_once(
                    matter=matter,
                    submission_token="0b8e7a52-3d1c-4f7e-9a61-5c2d8f0e4b17",
                    user=user,
                    date="Aug 2024",
                    title="Notice sent",
                    reason="r",
                )  # fmt: skip
            )
        except Exception as error:  # collected and asserted below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    event = Event.objects.get(matter=matter)
    assert {e.pk for e, _ in results} == {event.pk}
    assert sorted(created for _, created in results) == [False] * (workers - 1) + [True]
