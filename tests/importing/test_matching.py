"""Idempotency (evidence/importing/matching.py): which existing event a row is, and what an import changes in it."""

from evidence.models import EVENT_HISTORY, Actor, Citation, Event
from evidence.services.events import event_delete
from tests.factories import UserFactory, make_event, make_matter
from tests.importing.support import run


def test_the_same_file_twice_changes_nothing(matter, user, exhibit):
    run(matter, user, "casemap_facts.csv")
    counts = (Event.history.count(), Citation.objects.count(), Actor.objects.count(), EVENT_HISTORY.m2m_models)
    again = run(matter, user, "casemap_facts.csv")
    assert again.counts == {"new": 0, "updated": 0, "unchanged": 6, "invalid": 0}
    assert (Event.history.count(), Citation.objects.count(), Actor.objects.count(), EVENT_HISTORY.m2m_models) == counts


def test_a_row_with_an_external_id_updates_its_event_with_history(matter, user):
    editor = UserFactory()
    event = make_event(
        matter, date="Aug 2024", title="Old title", external_id="r1", actors=["Old actor"], issues=["kept"]
    )
    data = b"Date,Title,Ref,Actors,Status\nc. Sept 2024,New title,r1,LinkedIn; DMR News,Disputed\n"
    result = run(matter, editor, "update.csv", data)
    assert result.counts["updated"] == 1 and result.plan.rows[0].changed == ["title", "status", "date", "actors"]
    event.refresh_from_db()
    assert (event.title, event.date_display, event.status, event.version) == (
        "New title",
        "c. Sept 2024",
        "disputed",
        2,
    )
    assert sorted(a.name for a in event.actors.all()) == ["DMR News", "LinkedIn"]
    assert [i.name for i in event.issues.all()] == ["kept"]  # no issues column: kept
    latest = event.history.first()
    assert (latest.history_type, latest.history_user, latest.history_change_reason) == (
        "~",
        editor,
        "Imported from update.csv",
    )
    assert sorted(latest.actors.values_list("actor__name", flat=True)) == ["DMR News", "LinkedIn"]
    assert list(latest.issues.values_list("issue__name", flat=True)) == ["kept"]
    assert run(matter, editor, "update.csv", data).counts["unchanged"] == 1


def test_a_row_without_id_matching_an_event_leaves_it_alone(matter, user):
    event = make_event(matter, date="Aug 2024", title="Setting introduced", description="kept as edited")
    result = run(matter, user, "m.csv", b"Date,Title,Description\nAug 2024,Setting introduced,other text\n")
    assert result.counts["unchanged"] == 1 and result.plan.rows[0].existing_id == event.pk
    event.refresh_from_db()
    assert event.description == "kept as edited" and event.history.count() == 1


def test_an_id_of_a_deleted_event_is_refused(matter, user):
    event = make_event(matter, external_id="r1")
    event_delete(event=event, user=user, reason="test")
    errors = run(matter, user, "d.csv", b"Date,Title,ID\nAug 2024,X,r1\n").plan.errors
    assert [e.reason for e in errors] == ["the id “r1” belongs to a deleted event; restore it first"]


def test_imports_do_not_cross_matters(user):
    a, b = make_matter(owner=user), make_matter(owner=user)
    make_event(a, date="Aug 2024", title="Same", external_id="r1")
    result = run(b, user, "x.csv", b"Date,Title,Ref\nAug 2024,Same,r1\n")
    assert result.counts["new"] == 1 and Event.objects.filter(external_id="r1").count() == 2
