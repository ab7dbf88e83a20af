"""A matter always keeps an owner: in the admin, and when two owners demote or remove each other at the same moment."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from evidence.models import Membership, Role
from evidence.services.matters import membership_remove, membership_set
from tests.factories import UserFactory, make_matter


def _at_once(*calls):
    """Run the calls in parallel sessions, released together; returns the ValidationErrors they raised."""
    barrier = threading.Barrier(len(calls))
    refused, unexpected = [], []

    def run(call):
        try:
            barrier.wait()
            call()
        except ValidationError as error:
            refused.append(error)
        except Exception as error:  # collected and asserted below: a thread's exception would otherwise vanish
            unexpected.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert unexpected == []
    return refused


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's row locks and parallel sessions")
@pytest.mark.parametrize("how", ["demote", "remove"])
def test_two_owners_leaving_at_once_leave_one_owner(how):
    first, second = UserFactory(), UserFactory()
    for _ in range(5):  # a race that passes once may have been lucky
        matter = make_matter(owner=first, members={second: Role.OWNER})

        def leave(member, matter=matter):
            if how == "demote":
                return lambda: membership_set(matter=matter, user=member, member=member, role=Role.VIEWER, reason="t")
            return lambda: membership_remove(matter=matter, user=member, member=member, reason="t")

        refused = _at_once(leave(first), leave(second))
        assert [e.messages for e in refused] == [["A matter must keep at least one owner."]]
        assert Membership.objects.filter(matter=matter, role=Role.OWNER).count() == 1
