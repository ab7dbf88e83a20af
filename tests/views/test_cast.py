"""The people and issues pages as each role gets them."""

import pytest
from django.urls import reverse

from evidence.models import Actor, Event, Issue
from tests import factories


def url(name, matter, *args):
    return reverse(name, args=[matter.slug, *args])


@pytest.fixture
def cast(matter):
    factories.make_event(matter, title="Notice sent", actors=["LinkedIn", "Jane <b>Doe</b>"], issues=["notice"])
    factories.make_event(matter, title="FAQ edited", actors=["Linkedin Corp"], issues=["notice"])
    factories.make_document(matter, title="Complaint", author="Jane <b>Doe</b>")
    return matter


def test_outsiders_get_404(client, cast, outsider):
    client.force_login(outsider)
    actor = Actor.objects.first()
    for kind in ("people", "issues"):
        assert client.get(url("cast_list", cast, kind)).status_code == 404
    assert (
        client.post(url("cast_new", cast, "people"), {"name": "X", "kind": "person", "reason": "r"}).status_code == 404
    )
    assert client.post(url("cast_merge", cast, "people", actor.pk)).status_code == 404
    assert client.post(url("cast_retire", cast, "people", actor.pk)).status_code == 404


def test_viewers_read_the_cast_but_change_nothing(client, cast, viewer):
    client.force_login(viewer)
    page = client.get(url("cast_list", cast, "people")).content.decode()
    assert "Jane &lt;b&gt;Doe&lt;/b&gt;" in page and "<b>Doe</b>" not in page  # user text escaped
    assert "?actor=LinkedIn" in page and "Add a person or organisation" not in page and "Merge" not in page
    jane = Actor.objects.get(name="Jane <b>Doe</b>")
    row = page[page.index(f'id="actor-{jane.pk}"') :]
    assert '<td class="num"><a href="/m/' in row  # her document, as author
    assert (
        client.post(url("cast_new", cast, "people"), {"name": "X", "kind": "person", "reason": "r"}).status_code == 403
    )
    assert (
        client.post(url("cast_retire", cast, "issues", Issue.objects.get().pk), {"r1-reason": "r"}).status_code == 403
    )
    assert Actor.objects.count() == 3 and not Issue.objects.filter(retired_at__isnull=False).exists()
    assert "notice" in client.get(url("cast_list", cast, "issues")).content.decode()


def test_editors_create_edit_merge_and_retire(client, cast, editor):
    client.force_login(editor)
    new = {"name": "DMR News", "kind": "organisation", "emails": "desk@dmrnews.example", "reason": "the source"}
    client.post(url("cast_new", cast, "people"), new)
    dmr = Actor.objects.get(name="DMR News")
    assert (dmr.kind, dmr.emails) == ("organisation", "desk@dmrnews.example")
    response = client.post(url("cast_new", cast, "people"), {"name": "X", "kind": "person", "reason": ""})
    assert response.status_code == 400 and "Say why" in response.content.decode()
    edit = {"name": "DMR News Desk", "kind": "organisation", "description": "Reported the suit", "reason": "full name"}
    client.post(url("cast_edit", cast, "people", dmr.pk), {f"e{dmr.pk}-{k}": v for k, v in edit.items()})
    dmr.refresh_from_db()
    assert (dmr.name, dmr.description) == ("DMR News Desk", "Reported the suit")
    keep, duplicate = Actor.objects.get(name="LinkedIn"), Actor.objects.get(name="Linkedin Corp")
    merge = {f"m{duplicate.pk}-into": keep.pk, f"m{duplicate.pk}-reason": "one company"}
    response = client.post(url("cast_merge", cast, "people", duplicate.pk), merge, follow=True)
    assert "Merged “Linkedin Corp” into “LinkedIn”: 1 event changed, each as a new version" in response.content.decode()
    faq = Event.objects.get(title="FAQ edited")
    assert [a.name for a in faq.actors.all()] == [
        "LinkedIn"
    ] and faq.history.latest().history_change_reason == "one company"
    issue = Issue.objects.get()
    client.post(url("cast_retire", cast, "issues", issue.pk), {f"r{issue.pk}-reason": "no longer used"})
    issue.refresh_from_db()
    assert issue.retired_at is not None
    page = client.get(url("event_new", cast)).content.decode()
    assert '<option value="notice">' not in page and '<option value="LinkedIn">' in page  # offered: live ones only


def test_the_pages_cost_a_fixed_number_of_queries(client, cast, user, django_assert_num_queries):
    client.force_login(user)
    # session, user, matter, role (once), actors with their counts, documents by author
    with django_assert_num_queries(6) as ctx:
        client.get(url("cast_list", cast, "people"))
    for i in range(20):
        factories.make_event(cast, actors=[f"Person {i}"], issues=[f"Issue {i}"])
    with django_assert_num_queries(len(ctx.captured_queries)):
        client.get(url("cast_list", cast, "people"))
