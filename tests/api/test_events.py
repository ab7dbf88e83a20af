"""Events through the API: the timeline's filters and pages, and changes with a reason, a version and history."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from evidence.models import Event, EventKind, EventStatus
from tests import factories
from tests.api.conftest import ROLES, api_client, read_status, write_status

pytestmark = pytest.mark.django_db


def events_url(matter, *rest) -> str:
    return "/".join([f"/api/matters/{matter.slug}/events", *map(str, rest)]) + ("/" if not rest else "")


def patch(api, url, body, **headers):
    return api.patch(url, body, content_type="application/json", headers=headers)


@pytest.mark.parametrize("role", ROLES)
def test_list_and_detail_by_role(api_as, matter, role):
    event = factories.make_event(matter, title="Setting introduced", is_privileged=True)
    api = api_as(role)
    listed = api.get(events_url(matter))
    detail = api.get(events_url(matter, event.pk))
    assert listed.status_code == detail.status_code == read_status(role)
    if role == "outsider":
        assert detail.json() == {"detail": "No such matter."}
        return
    assert [e["title"] for e in listed.json()["results"]] == ["Setting introduced"]
    # Privileged events are on the timeline page for every member, marked; the API shows them the same way.
    assert detail.json()["privileged"] is True
    assert detail["ETag"] == '"1"' and detail.json()["version"] == 1


@pytest.mark.parametrize("role", ROLES)
def test_versions_by_role(api_as, matter, role):
    event = factories.make_event(matter, title="Setting introduced")
    versions = api_as(role).get(events_url(matter, event.pk, "versions"))
    assert versions.status_code == read_status(role)
    if role != "outsider":
        assert [v["version"] for v in versions.json()] == [1]


@pytest.mark.parametrize("role", ROLES)
def test_create_by_role(api_as, matter, role):
    body = {"date": "c. Sept 2024", "title": "Policy amended", "actors": ["LinkedIn"], "reason": "from the complaint"}
    response = api_as(role).post(events_url(matter), body, content_type="application/json")
    assert response.status_code == write_status(role, 201)
    assert Event.objects.filter(title="Policy amended").exists() == (response.status_code == 201)


@pytest.mark.parametrize("role", ROLES)
def test_update_delete_restore_by_role(api_as, matter, role):
    event = factories.make_event(matter, title="Old title")
    api = api_as(role)
    changed = patch(api, events_url(matter, event.pk), {"title": "New title", "reason": "typo"}, if_match='"1"')
    assert changed.status_code == write_status(role, 200)
    deleted = api.delete(events_url(matter, event.pk) + "?reason=duplicate", headers={"If-Match": '"2"'})
    assert deleted.status_code == write_status(role, 200)
    restored = api.post(
        events_url(matter, event.pk, "restore"), {"reason": "not a duplicate", "version": 3}, "application/json"
    )
    assert restored.status_code == write_status(role, 200)
    event.refresh_from_db()
    if role in ("editor", "owner"):
        assert (event.title, event.version, event.is_deleted) == ("New title", 4, False)
        assert restored["ETag"] == '"4"'
    else:
        assert (event.title, event.version) == ("Old title", 1)


def test_an_update_keeps_history_with_the_user_and_reason(matter, editor):
    event = factories.make_event(matter, date="Aug 2024", title="FAQ changed")
    api = api_client(editor)
    response = patch(
        api,
        events_url(matter, event.pk),
        {"date": "Sept 2024", "issues": ["AI training"], "reason": "date corrected from Dkt. 1 ¶ 2"},
        if_match='"1"',
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["date"], body["title"], body["issues"], body["version"]) == (
        "Sept 2024",
        "FAQ changed",
        ["AI training"],
        2,
    )
    latest = event.history.order_by("-history_id").first()
    assert (latest.history_user, latest.history_change_reason, latest.version) == (
        editor,
        "date corrected from Dkt. 1 ¶ 2",
        2,
    )
    versions = api.get(events_url(matter, event.pk, "versions")).json()
    assert [(v["version"], v["user"], v["reason"]) for v in versions][:1] == [
        (2, editor.username, "date corrected from Dkt. 1 ¶ 2")
    ]


def test_a_stale_write_gets_412_and_changes_nothing(matter, editor, user):
    event = factories.make_event(matter, title="As read")
    api = api_client(editor)
    etag = api.get(events_url(matter, event.pk))["ETag"]
    # Someone else saves first.
    assert (
        patch(
            api_client(user), events_url(matter, event.pk), {"title": "Theirs", "reason": "r"}, if_match=etag
        ).status_code
        == 200
    )
    response = patch(api, events_url(matter, event.pk), {"title": "Mine", "reason": "r"}, if_match=etag)
    assert response.status_code == 412
    assert "changed by someone else (now version 2)" in response.json()["detail"]
    assert response.json()["current_version"] == 2 and response["ETag"] == '"2"'
    event.refresh_from_db()
    assert (event.title, event.version) == ("Theirs", 2)
    assert event.history.count() == 2
    # The body's version is the same precondition.
    stale = patch(api, events_url(matter, event.pk), {"title": "Mine", "reason": "r", "version": 1})
    assert stale.status_code == 412
    gone = api.delete(events_url(matter, event.pk) + "?reason=dup", headers={"If-Match": '"1"'})
    assert gone.status_code == 412
    event.refresh_from_db()
    assert (event.title, event.is_deleted) == ("Theirs", False)


def test_a_write_without_a_precondition_gets_428(matter, editor):
    event = factories.make_event(matter, title="Kept")
    api = api_client(editor)
    response = patch(api, events_url(matter, event.pk), {"title": "Lost update", "reason": "r"})
    assert response.status_code == 428
    assert "If-Match" in response.json()["detail"]
    assert patch(api, events_url(matter, event.pk), {"title": "x", "reason": "r"}, if_match="*").status_code == 428
    assert api.delete(events_url(matter, event.pk) + "?reason=r").status_code == 428
    event.refresh_from_db()
    assert (event.title, event.version, event.is_deleted) == ("Kept", 1, False)


def test_a_write_without_a_reason_is_refused(matter, editor):
    event = factories.make_event(matter, title="Kept")
    api = api_client(editor)
    for body in ({"title": "No reason"}, {"title": "No reason", "reason": "   "}):
        response = patch(api, events_url(matter, event.pk), body, if_match='"1"')
        assert response.status_code == 400
        assert response.json()["errors"] == {
            "reason": ["Every change needs a reason, kept in the history (e.g. “date corrected from Dkt. 1 ¶ 2”)."]
        }
        assert response.json()["detail"].startswith("reason: Every change needs a reason")
    created = api.post(events_url(matter), {"title": "New"}, "application/json")
    assert created.status_code == 400 and "reason" in created.json()["errors"]
    assert api.delete(events_url(matter, event.pk), headers={"If-Match": '"1"'}).status_code == 400
    event.refresh_from_db()
    assert (event.title, event.version) == ("Kept", 1)
    assert Event.objects.count() == 1


def test_bad_fields_are_named(matter, editor):
    api = api_client(editor)
    response = api.post(
        events_url(matter), {"title": "x", "date": "Smarch 2024", "kind": "rumour", "reason": "r"}, "application/json"
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"kind"}  # the shape first; the date is read once the shape is right
    response = api.post(events_url(matter), {"title": "x", "date": "Smarch 2024", "reason": "r"}, "application/json")
    assert set(response.json()["errors"]) == {"date"} and "Smarch" in response.json()["errors"]["date"][0]
    response = api.post(events_url(matter), {"title": "", "reason": "r"}, "application/json")
    assert set(response.json()["errors"]) == {"title"}


def test_dates_in_and_out_as_the_csv_writes_them(matter, editor):
    api = api_client(editor)
    typed = api.post(
        events_url(matter), {"date": "c. Sept 2024", "title": "Amended", "reason": "r"}, "application/json"
    ).json()
    fields = ("date", "date_start", "date_end", "precision", "approximate", "bound", "time_zone")
    assert {k: typed[k] for k in fields} == {
        "date": "c. Sept 2024", "date_start": "2024-09", "date_end": "", "precision": "month", "approximate": True,
        "bound": "", "time_zone": "",
    }  # fmt: skip
    exact = api.post(
        events_url(matter),
        {"date_start": "2025-01-24T09:30", "time_zone": "America/Los_Angeles", "title": "Filed", "reason": "r"},
        "application/json",
    ).json()
    assert (exact["date"], exact["precision"], exact["time_zone"]) == (
        "Jan 24, 2025, 9:30 AM PST",
        "minute",
        "America/Los_Angeles",
    )
    ranged = api.post(
        events_url(matter), {"date": "Aug–Sept 2024", "title": "Range", "reason": "r"}, "application/json"
    ).json()
    assert (ranged["date_start"], ranged["date_end"]) == ("2024-08", "2024-09")
    after = api.post(
        events_url(matter), {"date": "after Aug 2024", "title": "After", "reason": "r"}, "application/json"
    )
    assert (after.json()["bound"], after.json()["date"]) == ("after", "after Aug 2024")
    undated = api.post(events_url(matter), {"title": "Undated", "reason": "r"}, "application/json").json()
    assert (undated["date"], undated["date_start"], undated["precision"]) == ("Date unknown", "", "")
    back = patch(api, events_url(matter, undated["id"]), {"date": "Date unknown", "reason": "r"}, if_match='"1"')
    assert back.status_code == 200 and back.json()["date_start"] == ""
    # A record sent back whole (text and exact parts) is the same date.
    body = {k: typed[k] for k in ("date", "date_start", "date_end", "approximate", "bound", "time_zone")}
    again = patch(api, events_url(matter, typed["id"]), {**body, "reason": "no change of date"}, if_match='"1"')
    assert again.status_code == 200 and again.json()["date"] == "c. Sept 2024"
    clash = patch(api, events_url(matter, typed["id"]), {**body, "date": "Oct 2024", "reason": "r"}, if_match='"2"')
    assert clash.status_code == 400 and "date" in clash.json()["errors"]
    bad = api.post(events_url(matter), {"date_start": "2024-13", "title": "x", "reason": "r"}, "application/json")
    assert bad.status_code == 400 and "date_start" in bad.json()["errors"]


def test_the_timelines_filters_and_pages(matter, viewer):
    factories.make_event(matter, date="July 2024", title="Early", kind=EventKind.POLICY_EDIT)
    factories.make_event(matter, date="Aug 15, 2024", title="Key one", is_key=True, status=EventStatus.DISPUTED)
    factories.make_event(matter, date="Jan 2025", title="Filed", kind=EventKind.COURT_FILING, issues=["Consent"])
    factories.make_event(matter, date="", title="Undated")
    api = api_client(viewer)

    def titles(query):
        response = api.get(events_url(matter) + query)
        assert response.status_code == 200, response.json()
        return [e["title"] for e in response.json()["results"]]

    assert titles("") == ["Early", "Key one", "Filed", "Undated"]
    assert titles("?from=Aug 2024&to=2024") == ["Key one"]
    assert titles("?from=Aug 2024&to=2024&undated=1") == ["Key one", "Undated"]
    assert titles("?kind=policy_edit&kind=court_filing") == ["Early", "Filed"]
    assert titles("?issue=Consent") == ["Filed"]
    assert titles("?key=1") == ["Key one"]
    assert titles("?status=disputed") == ["Key one"]
    assert titles("?q=filed") == ["Filed"]
    page = api.get(events_url(matter) + "?page_size=2&page=2").json()
    assert (page["count"], [e["title"] for e in page["results"]]) == (4, ["Filed", "Undated"])
    assert page["previous"] and page["next"] is None
    bad = api.get(events_url(matter) + "?from=Smarch&issue=Nope")
    assert bad.status_code == 400 and set(bad.json()["errors"]) == {"from", "issue"}


def test_deleted_events_only_when_asked(matter, editor):
    event = factories.make_event(matter, title="Gone")
    api = api_client(editor)
    api.delete(events_url(matter, event.pk) + "?reason=dup", headers={"If-Match": '"1"'})
    assert api.get(events_url(matter)).json()["results"] == []
    assert [e["deleted"] for e in api.get(events_url(matter) + "?deleted=1").json()["results"]] == [True]
    changed = patch(api, events_url(matter, event.pk), {"title": "x", "reason": "r"}, if_match='"2"')
    assert changed.status_code == 409 and "restore it" in changed.json()["detail"]


def test_the_same_idempotency_key_makes_one_event(matter, editor):
    api = api_client(editor)
    body = {"title": "Once", "date": "Aug 2024", "reason": "r"}
    first = api.post(events_url(matter), body, "application/json", headers={"Idempotency-Key": "k-1"})
    second = api.post(events_url(matter), body, "application/json", headers={"Idempotency-Key": "k-1"})
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"] and Event.objects.count() == 1


def test_listing_costs_a_fixed_number_of_queries(matter, viewer):
    document = factories.make_document(matter)
    for i in range(3):
        factories.make_event(matter, title=f"e{i}", actors=["A", "B"], issues=["I"], citations=[(document, "p. 1", "")])
    api = api_client(viewer)
    api.get(events_url(matter))  # the token's last use is written once a minute, not on each request

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert api.get(events_url(matter)).status_code == 200
        return len(queries)

    few = count()
    for i in range(10):
        factories.make_event(matter, title=f"more{i}", actors=["A"], issues=["J"], citations=[(document, "p. 2", "")])
    assert count() == few
