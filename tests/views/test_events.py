"""The timeline, the event form (dates, citations, reasons, concurrent edits), the event page and its history."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evidence.models import Actor, Citation, Event, Issue
from evidence.services.citations import citation_create
from evidence.services.documents import document_delete
from evidence.services.events import event_create, event_delete, event_update
from tests import factories


@pytest.fixture
def editor_client(client, user):
    client.force_login(user)  # the matter's owner
    return client


def url(name, matter, *args):
    return reverse(name, args=[matter.slug, *args])


def event_data(**overrides):
    data = {
        "date": "Aug 2024", "title": "A setting is introduced", "description": "", "kind": "setting_introduced",
        "status": "disputed", "actors": "LinkedIn", "issues": "AI training", "source_note": "", "order": "0",
        "reason": "", "version": "",
        "cite-TOTAL_FORMS": "2", "cite-INITIAL_FORMS": "0", "cite-MIN_NUM_FORMS": "0", "cite-MAX_NUM_FORMS": "1000",
    }  # fmt: skip
    data.update(overrides)
    return data


def edit_data(event, **overrides):
    """The edit form as the page would post it, with the event's current values and citations."""
    citations = list(event.citations.all())
    data = event_data(
        date=event.date_display, title=event.title, description=event.description, kind=event.kind,
        status=event.status, actors="; ".join(a.name for a in event.actors.all()),
        issues="; ".join(i.name for i in event.issues.all()), source_note=event.source_note, order=str(event.order),
        version=str(event.version),
        **{"cite-TOTAL_FORMS": str(len(citations) + 2), "cite-INITIAL_FORMS": str(len(citations))},
    )  # fmt: skip
    if event.is_key:
        data["is_key"] = "on"
    for i, c in enumerate(citations):
        data.update(
            {
                f"cite-{i}-id": c.pk,
                f"cite-{i}-document": c.document_id,
                f"cite-{i}-pinpoint": c.pinpoint,
                f"cite-{i}-note": c.note,
            }
        )
    data.update(overrides)
    return data


# Permissions ------------------------------------------------------------------------------------------------------


def test_every_page_needs_a_login(client, matter):
    event = factories.make_event(matter)
    for name, args in [("timeline", []), ("event_new", []), ("event_detail", [event.pk]), ("event_edit", [event.pk]),
                       ("date_preview", [])]:  # fmt: skip
        response = client.get(url(name, matter, *args))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_non_members_get_404_everywhere(client, matter, make_user):
    event = factories.make_event(matter)
    client.force_login(make_user())
    for name, args in [("timeline", []), ("event_new", []), ("event_detail", [event.pk]), ("event_edit", [event.pk]),
                       ("date_preview", [])]:  # fmt: skip
        assert client.get(url(name, matter, *args)).status_code == 404
    for name in ("event_delete", "event_restore", "event_revert"):
        assert client.post(url(name, matter, event.pk)).status_code == 404
    assert client.post(url("event_new", matter), event_data()).status_code == 404


def test_viewers_see_but_cannot_edit(client, matter, viewer):
    event = factories.make_event(matter, title="Seen by a viewer")
    client.force_login(viewer)
    page = client.get(url("timeline", matter)).content.decode()
    assert "Seen by a viewer" in page
    assert url("event_new", matter) not in page and url("event_edit", matter, event.pk) not in page
    detail = client.get(url("event_detail", matter, event.pk)).content.decode()
    assert "Restore this version" not in detail and "Delete event" not in detail
    assert client.get(url("event_new", matter)).status_code == 403
    assert client.get(url("event_edit", matter, event.pk)).status_code == 403
    assert client.post(url("event_new", matter), event_data()).status_code == 403
    assert client.post(url("event_edit", matter, event.pk), edit_data(event, reason="x")).status_code == 403
    for name in ("event_delete", "event_restore", "event_revert"):
        assert (
            client.post(url(name, matter, event.pk), {"history_id": event.history.first().history_id}).status_code
            == 403
        )
    assert Event.objects.get(pk=event.pk).version == 1


def test_an_event_of_another_matter_is_not_found(editor_client, matter):
    other = factories.make_matter()
    foreign = factories.make_event(other)
    assert editor_client.get(url("event_detail", matter, foreign.pk)).status_code == 404
    assert editor_client.get(url("event_edit", matter, foreign.pk)).status_code == 404
    assert editor_client.post(url("event_delete", matter, foreign.pk)).status_code == 404


def test_state_changes_refuse_get(editor_client, matter):
    event = factories.make_event(matter)
    for name in ("event_delete", "event_restore", "event_revert"):
        assert editor_client.get(url(name, matter, event.pk)).status_code == 405


# Timeline ---------------------------------------------------------------------------------------------------------


def test_timeline_lists_events_in_date_order_with_what_is_known(editor_client, matter):
    doc = factories.make_document(matter, title="The complaint")
    late = factories.make_event(matter, date="Jan 2025", title="Complaint filed", is_key=True)
    citation_create(event=late, document=doc, pinpoint="¶ 12", user=late.matter.memberships.first().user, reason="t")
    factories.make_event(matter, date="c. Sept 2024", title="Policy amended", status="disputed", is_privileged=True,
                         actors=["LinkedIn"], issues=["concealment"])  # fmt: skip
    factories.make_event(matter, date="", title="Undated statement")
    factories.make_event(matter, date="Aug 2024", title="Setting introduced")
    grid = editor_client.get(url("timeline", matter)).content.decode()
    order = [grid.index(t) for t in ("Setting introduced", "Policy amended", "Complaint filed", "Undated statement")]
    assert order == sorted(order)
    assert "c. Sept 2024" in grid and "Date unknown" in grid
    assert 'data-field="key" data-value="yes"' in grid and "Disputed" in grid and "Privileged" in grid
    assert "PX-1</a> ¶ 12" in grid and "LinkedIn" in grid and "concealment" in grid
    # The cards show the same, grouped by year.
    editor_client.post(url("grid_settings", matter), {"layout": "cards"})
    cards = editor_client.get(url("timeline", matter)).content.decode()
    order = [cards.index(t) for t in ("Setting introduced", "Policy amended", "Complaint filed", "Undated statement")]
    assert order == sorted(order)
    assert "c. Sept 2024" in cards and "Date unknown" in cards and ">Undated<" in cards
    assert "★ Key" in cards and "Disputed" in cards and "Privileged" in cards
    assert "PX-1</a> ¶ 12" in cards and "LinkedIn" in cards and "concealment" in cards
    # The visual timeline (fetched by the page when opened) draws them, each mark linking to its event.
    visual = editor_client.get(url("visual_timeline", matter), HTTP_ACCEPT="text/html+fragment").content.decode()
    assert "<svg" in visual and url("event_detail", matter, late.pk) in visual


@pytest.mark.parametrize(
    "query, shown",
    [
        ({"q": "ACME"}, {"Cites the memo"}),  # document text
        ({"q": "quietly"}, {"Setting introduced"}),  # description
        ({"from": "Sept 2024"}, {"Policy amended", "Complaint filed", "Cites the memo"}),
        ({"from": "Aug 2024", "to": "Sept 2024"}, {"Setting introduced", "Policy amended"}),
        ({"kind": ["policy_edit", "court_filing"]}, {"Policy amended", "Complaint filed"}),
        ({"issue": "consent"}, {"Setting introduced"}),
        ({"actor": "Court"}, {"Complaint filed"}),
        ({"status": "disputed"}, {"Policy amended"}),
        ({"key": "on"}, {"Complaint filed"}),
        ({"deleted": "on", "q": "Deleted one"}, {"Deleted one"}),
        ({"q": "Deleted one"}, set()),
    ],
)
def test_timeline_filters(editor_client, matter, user, query, shown):
    factories.make_event(matter, date="Aug 2024", title="Setting introduced", description="Introduced quietly",
                         issues=["consent"], kind="setting_introduced")  # fmt: skip
    factories.make_event(matter, date="c. Sept 2024", title="Policy amended", status="disputed", kind="policy_edit")
    factories.make_event(
        matter, date="Jan 2025", title="Complaint filed", is_key=True, kind="court_filing", actors=["Court"]
    )
    memo = factories.make_event(matter, date="Dec 2024", title="Cites the memo")
    doc = factories.make_document(matter, content=b"internal memo from ACME", filename="memo.txt")
    citation_create(event=memo, document=doc, user=user, reason="t")
    gone = factories.make_event(matter, date="2024", title="Deleted one")
    event_delete(event=gone, user=user, reason="t")
    page = editor_client.get(url("timeline", matter), query).content.decode()
    titles = {"Setting introduced", "Policy amended", "Complaint filed", "Cites the memo", "Deleted one"}
    assert {t for t in titles if f">{t}</a>" in page or f"</span>{t}</a>" in page} == shown


def test_timeline_filter_keeps_the_query_and_reports_a_bad_date(editor_client, matter):
    factories.make_event(matter, title="Kept")
    page = editor_client.get(url("timeline", matter), {"from": "Sept 45 2024", "q": "Kept"}).content.decode()
    assert 'value="Sept 45 2024"' in page and 'value="Kept"' in page
    assert 'class="error"' in page
    assert ">Kept</a>" in page  # the valid filters still apply


def test_timeline_pages_keep_the_filters(editor_client, matter, user):
    for i in range(105):
        event_create(matter=matter, user=user, date="2024", title=f"Event {i:03}", reason="t", order=i)
    page = editor_client.get(url("timeline", matter), {"q": "Event"}).content.decode()
    assert "Event 099" in page and "Event 100" not in page and "Page 1 of 2" in page
    assert "?q=Event&amp;page=2" in page
    page2 = editor_client.get(url("timeline", matter), {"q": "Event", "page": 2}).content.decode()
    assert "Event 100" in page2 and "Event 099" not in page2


def _many_events(matter, user, n, start=0):
    doc = factories.make_document(matter, content=f"doc {start}".encode(), filename=f"d{start}.pdf")
    for i in range(start, start + n):
        event = event_create(matter=matter, user=user, date=f"Aug {1 + i % 28}, 2024", title=f"Event {i}",
                                      reason="t", actors=[f"Actor {i % 7}"], issues=[f"Issue {i % 5}"])  # fmt: skip
        citation_create(event=event, document=doc, pinpoint=f"p. {i}", user=user, reason="t")


def test_timeline_query_count_does_not_grow_with_events(editor_client, matter, user, django_assert_num_queries):
    _many_events(matter, user, 30)
    # session, user, matter, role (once), filter choices x2, grid settings, saved views, count, events + 3 prefetches,
    # snippets, the last event version (what "select all matching" saw); on PostgreSQL, the matching documents ranked
    # once for the ranking (evidence.search.postgres.event_documents_rank)
    with django_assert_num_queries(15 + (connection.vendor == "postgresql")) as ctx:
        editor_client.get(url("timeline", matter), {"q": "Event", "key": ""})
    _many_events(matter, user, 80, start=30)
    with django_assert_num_queries(len(ctx.captured_queries)):
        response = editor_client.get(url("timeline", matter), {"q": "Event", "key": ""})
    assert "Page 1 of 2" in response.content.decode()


def test_an_edit_is_saved_in_a_fixed_number_of_queries(editor_client, matter, django_assert_num_queries):
    """The save of the edit form (a new version with its history, chain link and citations): the event's checks are
    asked in one query (evidence.models.checks)."""
    doc = factories.make_document(matter, content=b"cited")
    event = factories.make_event(matter, title="Saved", actors=["LinkedIn"], issues=["Consent"],
                                 citations=[(doc, "p. 1", "")])  # fmt: skip
    # The first save of the process also fills Django's caches (content types): the second is counted.
    editor_client.post(url("event_edit", matter, event.pk), edit_data(event, status="undisputed", reason="first"))
    event.refresh_from_db()
    data = edit_data(event, status="unverified", reason="status per PX-1")
    # 21 more when Django asked each of the event's eight checks apart
    with django_assert_num_queries(45):
        response = editor_client.post(url("event_edit", matter, event.pk), data)
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.status == "unverified" and event.version == 3


def test_the_edit_form_reads_the_documents_once_however_many_citations_it_shows(editor_client, matter):
    """Each citation row's document select lists every document of the matter: read once for the form, not per row."""
    docs = [factories.make_document(matter, content=f"exhibit {n}".encode()) for n in range(4)]
    one = factories.make_event(matter, title="One citation", citations=[(docs[0], "p. 1", "")])
    four = factories.make_event(matter, title="Four", citations=[(d, "p. 1", "") for d in docs])
    editor_client.get(url("event_edit", matter, one.pk))  # Django's caches filled
    counts = {}
    for event in (one, four):
        with CaptureQueriesContext(connection) as queries:
            response = editor_client.get(url("event_edit", matter, event.pk))
        assert response.status_code == 200
        counts[event.title] = len(queries)
        page = response.content.decode()
        assert page.count(f'<option value="{docs[3].pk}"') == len(event.citations.all()) + 2  # each row, 2 blank
    assert counts["Four"] == counts["One citation"]


# Date preview -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, ok, message",
    [
        ("c. Sept 2024", True, "Understood as: c. Sept 2024 (month, approximate)"),
        ("Aug 2024", True, "Understood as: Aug 2024 (month)"),
        ("after Aug 2024", True, "Understood as: after Aug 2024 (month, some time after it)"),
        ("1/21/2025 9:30am", True, "Understood as: Jan 21, 2025, 9:30 AM PST (day and time)"),  # the matter's zone
        ("Aug–Sept 2024", True, "Understood as: Aug – Sept 2024 (range of months)"),
        ("Aug 2024 - Jan 13, 2025", True, "Understood as: Aug 2024 – Jan 13, 2025 (range from a month to a day)"),
        ("", True, "No date: the event is listed as undated."),
    ],
)
def test_date_preview(editor_client, matter, text, ok, message):
    data = editor_client.get(url("date_preview", matter), {"text": text}).json()
    assert data["ok"] is ok and data["message"] == message


def test_date_preview_explains_an_unreadable_date(editor_client, matter):
    data = editor_client.get(url("date_preview", matter), {"text": "Sept 31 2024"}).json()
    assert data["ok"] is False and data["message"]


# Event form -------------------------------------------------------------------------------------------------------


def test_create_an_event_with_a_fuzzy_date_actors_issues_and_citations(editor_client, matter, user):
    doc = factories.make_document(matter, title="DMR News article")
    Actor.objects.create(matter=matter, name="LinkedIn")
    data = event_data(date="c. Sept 2024", actors="linkedin; New Person, New Person", issues="AI training; notice",
                      is_key="on",
                      **{"cite-0-document": doc.pk, "cite-0-pinpoint": "¶ 3", "cite-0-note": "quote"})  # fmt: skip
    response = editor_client.post(url("event_new", matter), data, follow=True)
    event = Event.objects.get(title="A setting is introduced")
    assert response.redirect_chain[-1][0] == url("event_detail", matter, event.pk)
    assert event.date_display == "c. Sept 2024" and event.is_key
    assert sorted(a.name for a in event.actors.all()) == ["LinkedIn", "New Person"]  # existing name reused
    assert Issue.objects.filter(matter=matter).count() == 2
    citation = event.citations.get()
    assert (citation.document, citation.pinpoint, citation.note) == (doc, "¶ 3", "quote")
    record = event.history.get()
    assert record.history_change_reason == "created in timeline" and record.history_user == user
    assert "Event added: c. Sept 2024" in response.content.decode()


def test_add_and_start_another(editor_client, matter):
    response = editor_client.post(url("event_new", matter), event_data(another="1"))
    event = Event.objects.get()
    assert response.status_code == 302 and response["Location"] == url("event_new", matter) + f"?after={event.pk}"


def _form_token(page: str) -> str:
    match = re.search(r'name="submission_token" value="([0-9a-f-]{36})"', page)
    assert match, "the create form carries a one-time submission token"
    return match.group(1)


def test_submitting_the_same_form_twice_creates_one_event_and_says_so(editor_client, matter):
    token = _form_token(editor_client.get(url("event_new", matter)).content.decode())
    data = event_data(submission_token=token, title="Notice sent")
    first = editor_client.post(url("event_new", matter), data)
    event = Event.objects.get()
    assert first.status_code == 302 and first["Location"] == url("event_detail", matter, event.pk)

    again = editor_client.post(url("event_new", matter), data, follow=True)  # Back, then submit again
    assert Event.objects.count() == 1
    assert again.redirect_chain[-1][0] == url("event_detail", matter, event.pk)
    page = again.content.decode()
    assert "This event was already saved:" in page and "No second event was created." in page
    assert f'<a href="{url("event_detail", matter, event.pk)}">Aug 2024 — Notice sent</a>' in page
    assert event.history.count() == 1  # nothing was written the second time


def test_add_and_start_another_sent_twice_is_one_event_and_the_next_form_has_a_new_token(editor_client, matter):
    token = _form_token(editor_client.get(url("event_new", matter)).content.decode())
    data = event_data(submission_token=token, another="1")
    editor_client.post(url("event_new", matter), data)
    again = editor_client.post(url("event_new", matter), data)
    assert Event.objects.count() == 1
    assert again["Location"] == url("event_detail", matter, Event.objects.get().pk)
    following = _form_token(editor_client.get(url("event_new", matter)).content.decode())
    assert following != token


def test_two_forms_with_their_own_tokens_are_two_events(editor_client, matter):
    for _ in range(2):
        token = _form_token(editor_client.get(url("event_new", matter)).content.decode())
        editor_client.post(url("event_new", matter), event_data(submission_token=token))
    assert Event.objects.count() == 2


def test_a_form_with_errors_keeps_its_token_and_saves_once_corrected(editor_client, matter):
    token = _form_token(editor_client.get(url("event_new", matter)).content.decode())
    response = editor_client.post(url("event_new", matter), event_data(submission_token=token, date="Sept 31 2024"))
    assert _form_token(response.content.decode()) == token and not Event.objects.exists()
    editor_client.post(url("event_new", matter), event_data(submission_token=token))
    editor_client.post(url("event_new", matter), event_data(submission_token=token))
    assert Event.objects.count() == 1


def test_a_token_used_in_another_matter_does_not_lead_there(editor_client, matter, user):
    other = factories.make_matter(owner=user)
    token = _form_token(editor_client.get(url("event_new", other)).content.decode())
    editor_client.post(url("event_new", other), event_data(submission_token=token))
    response = editor_client.post(url("event_new", matter), event_data(submission_token=token))
    event = Event.objects.get(matter=matter)
    assert response["Location"] == url("event_detail", matter, event.pk)
    assert Event.objects.count() == 2


def test_the_edit_form_has_no_submission_token(editor_client, matter):
    event = factories.make_event(matter)
    assert "submission_token" not in editor_client.get(url("event_edit", matter, event.pk)).content.decode()


def test_the_form_keeps_the_input_on_error(editor_client, matter):
    response = editor_client.post(url("event_new", matter), event_data(date="Sept 31 2024", title="Keep me"))
    page = response.content.decode()
    assert response.status_code == 200 and not Event.objects.exists()
    assert 'value="Sept 31 2024"' in page and 'value="Keep me"' in page
    assert "nothing was saved" in page


def test_the_form_labels_every_field(editor_client, matter):
    factories.make_document(matter)
    page = editor_client.get(url("event_new", matter)).content.decode()
    for field in ("id_date", "id_title", "id_description", "id_kind", "id_status", "id_is_key", "id_is_privileged",
                  "id_actors", "id_issues", "id_source_note", "id_order", "id_reason", "id_cite-0-document",
                  "id_cite-0-pinpoint", "id_cite-0-note"):  # fmt: skip
        assert f'for="{field}"' in page, field
    assert 'aria-live="polite"' in page and "js/event-form.js" in page


def test_a_citation_must_be_of_a_document_of_the_matter(editor_client, matter):
    foreign = factories.make_document(factories.make_matter())
    response = editor_client.post(url("event_new", matter), event_data(**{"cite-0-document": foreign.pk}))
    assert response.status_code == 200 and not Event.objects.exists()
    assert "Select a valid choice" in response.content.decode()


def test_a_deleted_document_cannot_be_newly_cited(editor_client, matter, user):
    doc = factories.make_document(matter)
    document_delete(document=doc, user=user, reason="t")
    response = editor_client.post(url("event_new", matter), event_data(**{"cite-0-document": doc.pk}))
    assert response.status_code == 200 and not Event.objects.exists()


def test_the_same_citation_twice_is_refused(editor_client, matter):
    doc = factories.make_document(matter)
    data = event_data(
        **{"cite-0-document": doc.pk, "cite-0-pinpoint": "p. 3", "cite-1-document": doc.pk, "cite-1-pinpoint": "p. 3"}
    )
    response = editor_client.post(url("event_new", matter), data)
    assert "cited twice" in response.content.decode() and not Event.objects.exists()


def test_edit_needs_a_real_reason_and_records_it(editor_client, matter, user):
    event = factories.make_event(matter, title="Old title")
    for reason in ("", "edited in timeline"):
        response = editor_client.post(
            url("event_edit", matter, event.pk), edit_data(event, title="New title", reason=reason)
        )
        assert response.status_code == 200 and 'value="New title"' in response.content.decode()
    assert Event.objects.get(pk=event.pk).title == "Old title"
    response = editor_client.post(
        url("event_edit", matter, event.pk),
        edit_data(event, title="New title", reason="title per complaint ¶ 2"),
        follow=True,
    )
    event.refresh_from_db()
    assert event.title == "New title" and event.version == 2
    assert event.history.first().history_change_reason == "title per complaint ¶ 2"
    assert "Event saved (version 2)" in response.content.decode()


def test_edit_changes_citations(editor_client, matter, user):
    a = factories.make_document(matter, content=b"a", filename="a.pdf")
    b = factories.make_document(matter, content=b"b", filename="b.pdf")
    event = factories.make_event(matter)
    keep = citation_create(event=event, document=a, pinpoint="p. 1", user=user, reason="t")
    drop = citation_create(event=event, document=a, pinpoint="p. 2", user=user, reason="t")
    change = citation_create(event=event, document=b, pinpoint="p. 3", user=user, reason="t")
    data = edit_data(event, reason="sources checked")
    index = {c.pk: i for i, c in enumerate(event.citations.all())}
    data[f"cite-{index[drop.pk]}-DELETE"] = "on"
    data[f"cite-{index[change.pk]}-pinpoint"] = "p. 4"
    data["cite-3-document"], data["cite-3-pinpoint"] = b.pk, "p. 9"
    editor_client.post(url("event_edit", matter, event.pk), data)
    assert sorted((c.document.exhibit_number, c.pinpoint) for c in event.citations.all()) == [
        (1, "p. 1"),
        (2, "p. 4"),
        (2, "p. 9"),
    ]
    assert Citation.objects.filter(pk=keep.pk).exists()
    assert Citation.history.filter(event_id=event.pk, history_type="-").count() == 2
    detail = editor_client.get(url("event_detail", matter, event.pk)).content.decode()
    assert "removed PX-1 p. 2" in detail and "sources checked" in detail


def test_saving_without_changes_writes_no_version(editor_client, matter):
    event = factories.make_event(matter, actors=["LinkedIn"])
    response = editor_client.post(
        url("event_edit", matter, event.pk), edit_data(event, reason="looked at it"), follow=True
    )
    assert "Nothing had changed" in response.content.decode()
    assert Event.objects.get(pk=event.pk).version == 1


def test_a_stale_edit_overwrites_nothing_and_shows_the_difference(editor_client, matter, user, make_user):
    event = factories.make_event(matter, title="Original", date="Aug 2024", actors=["LinkedIn"])
    opened = edit_data(event)  # the first editor opens the form at version 1
    colleague = make_user()
    event_update(event=event, user=colleague, reason="their fix", expected_version=1, title="Their title")

    mine = {**opened, "date": "Sept 2024", "reason": "my fix"}
    response = editor_client.post(url("event_edit", matter, event.pk), mine)
    page = response.content.decode()
    event.refresh_from_db()
    assert response.status_code == 200
    assert event.title == "Their title" and event.date_display == "Aug 2024" and event.version == 2  # nothing lost
    assert "changed by someone else" in page and "Their version (saved)" in page
    assert "Their title" in page and "changed by them" in page and "changed by you" in page
    assert 'value="Sept 2024"' in page and 'value="my fix"' in page  # their input kept
    assert 'name="version" value="2"' in page  # a second, informed save is based on their version

    # Saving again, knowingly, from what the page now holds: their title is replaced by the form's, as the table showed.
    mine["version"] = "2"
    editor_client.post(url("event_edit", matter, event.pk), mine)
    event.refresh_from_db()
    assert event.version == 3 and event.date_display == "Sept 2024" and event.title == "Original"


def test_a_deleted_event_is_not_edited(editor_client, matter, user):
    event = factories.make_event(matter)
    event_delete(event=event, user=user, reason="t")
    response = editor_client.get(url("event_edit", matter, event.pk))
    assert response.status_code == 302 and response["Location"] == url("event_detail", matter, event.pk)


# Event page, history, delete / restore / revert -------------------------------------------------------------------


def test_detail_shows_citations_and_the_history_diff(editor_client, matter, user, make_user):
    doc = factories.make_document(matter, title="Complaint")
    event = factories.make_event(matter, title="Filed", date="Jan 2025", issues=["notice"])
    citation_create(event=event, document=doc, pinpoint="¶ 1", user=user, reason="t")
    other = make_user(username="alice")
    event_update(event=event, user=other, reason="exact date from docket", date="Jan 13, 2025",
                          issues=["notice", "consent"], status="disputed")  # fmt: skip
    page = editor_client.get(url("event_detail", matter, event.pk)).content.decode()
    assert "PX-1</a> ¶ 1" in page and "Complaint" in page
    assert "Version 2" in page and "alice" in page and "exact date from docket" in page
    assert "<del>Jan 2025</del>" in page and "<ins>Jan 13, 2025</ins>" in page
    assert "<del>notice</del>" in page and "<ins>consent; notice</ins>" in page
    assert "<del>Unverified</del>" in page and "<ins>Disputed</ins>" in page
    assert "Value when created" in page
    assert "PST" in page  # when, in the matter's zone (America/Los_Angeles)


def test_detail_query_count_does_not_grow_with_versions(editor_client, matter, user, django_assert_num_queries):
    event = factories.make_event(matter, actors=["A"], issues=["I"])
    for i in range(2):
        event = event_update(event=event, user=user, reason=f"r{i}", title=f"T{i}")
    # session, user, matter, role (once), event + 3 prefetches, versions + 4 prefetch levels, citation history
    with django_assert_num_queries(14) as ctx:
        editor_client.get(url("event_detail", matter, event.pk))
    for i in range(6):
        event = event_update(event=event, user=user, reason=f"s{i}", title=f"U{i}", actors=[f"A{i}"])
    with django_assert_num_queries(len(ctx.captured_queries)):
        editor_client.get(url("event_detail", matter, event.pk))


def test_delete_and_restore(editor_client, matter):
    event = factories.make_event(matter, title="Soon gone")
    response = editor_client.post(url("event_delete", matter, event.pk), {"reason": "duplicate of #3"}, follow=True)
    event.refresh_from_db()
    assert event.is_deleted and event.history.first().history_change_reason == "duplicate of #3"
    assert "can be restored" in response.content.decode()
    assert ">Soon gone</a>" not in editor_client.get(url("timeline", matter)).content.decode()
    assert ">Soon gone</a>" in editor_client.get(url("timeline", matter), {"deleted": "on"}).content.decode()
    editor_client.post(url("event_restore", matter, event.pk), {"reason": ""})
    event.refresh_from_db()
    assert not event.is_deleted and event.history.first().history_change_reason == "restored in timeline"


def test_restore_an_earlier_version(editor_client, matter, user):
    event = factories.make_event(matter, title="First", actors=["A"])
    first = event.history.get()
    event_update(event=event, user=user, reason="r", title="Second", actors=["B"])
    response = editor_client.post(
        url("event_revert", matter, event.pk),
        {"history_id": first.history_id, "reason": "restored version 1 of the first entry"},
        follow=True,
    )
    event.refresh_from_db()
    assert event.title == "First" and [a.name for a in event.actors.all()] == ["A"] and event.version == 3
    assert "Version 1 restored as version 3" in response.content.decode()
    assert event.history.first().history_change_reason.startswith("restored version 1 of ")


def test_restore_refuses_a_version_of_another_event(editor_client, matter):
    event, other = factories.make_event(matter), factories.make_event(matter)
    for history_id in (other.history.get().history_id, "x", ""):
        assert editor_client.post(url("event_revert", matter, event.pk), {"history_id": history_id}).status_code == 404


# A version is the whole event; restore and delete are confirmed, with a reason -------------------------------------


def test_the_history_shows_a_change_of_sources_as_a_version(editor_client, matter, user):
    doc = factories.make_document(matter, title="Complaint")
    event = factories.make_event(matter, citations=[(doc, "¶ 3", "quoted")])
    data = edit_data(event, reason="not the right paragraph", **{"cite-0-DELETE": "on"})
    editor_client.post(url("event_edit", matter, event.pk), data)
    event.refresh_from_db()
    assert event.version == 2 and not event.citations.exists()
    page = editor_client.get(url("event_detail", matter, event.pk)).content.decode()
    newest = page[page.index("Version 2") : page.index("Version 1")]
    assert "Sources" in newest and "removed PX-1 ¶ 3" in newest and "not the right paragraph" in newest
    assert "No change" not in newest


def test_a_citation_added_alone_is_a_new_version_on_the_page(editor_client, matter, user):
    doc = factories.make_document(matter)
    event = factories.make_event(matter)
    citation_create(event=event, document=doc, pinpoint="p. 3", user=user, reason="cite the memo")
    page = editor_client.get(url("event_detail", matter, event.pk)).content.decode()
    assert "version 2" in page and "added PX-1 p. 3" in page and "No change to the fields shown here" not in page


def test_restoring_a_version_brings_back_a_removed_citation_after_confirmation(editor_client, matter, user):
    doc = factories.make_document(matter, title="Complaint")
    event = factories.make_event(matter, title="Filed", citations=[(doc, "¶ 3", "")])
    first = event.history.get()
    event_update(event=event, user=user, reason="uncited", title="Filed (draft)", citations=[])
    detail = editor_client.get(url("event_detail", matter, event.pk)).content.decode()
    confirm_url = url("event_revert_confirm", matter, event.pk, first.history_id)
    assert confirm_url in detail

    page = editor_client.get(confirm_url).content.decode()
    assert "Restore version 1 of" in page and "What will change" in page
    assert "<del>Filed (draft)</del>" in page and "<ins>Filed</ins>" in page and "added PX-1 ¶ 3" in page
    assert f'name="history_id" value="{first.history_id}"' in page and 'name="reason"' in page

    refused = editor_client.post(url("event_revert", matter, event.pk), {"history_id": first.history_id})
    assert refused.status_code == 200 and "Give a reason" in refused.content.decode()
    assert Event.objects.get(pk=event.pk).version == 2  # nothing restored without a reason

    response = editor_client.post(
        url("event_revert", matter, event.pk), {"history_id": first.history_id, "reason": "citation was right"},
        follow=True,
    )  # fmt: skip
    event.refresh_from_db()
    assert "Version 1 restored as version 3" in response.content.decode()
    assert event.title == "Filed" and [c.label for c in event.citations.all()] == ["PX-1 ¶ 3"]
    assert event.history.first().history_change_reason == "citation was right"


def test_restoring_a_citation_of_a_deleted_document_says_so(editor_client, matter, user):
    doc = factories.make_document(matter)
    event = factories.make_event(matter, citations=[(doc, "p. 1", "")])
    first = event.history.get()
    event_update(event=event, user=user, reason="uncited", citations=[])
    document_delete(document=doc, user=user, reason="duplicate")
    notice = "PX-1 p. 1 is cited again although PX-1 is deleted"
    assert notice in editor_client.get(url("event_revert_confirm", matter, event.pk, first.history_id)).content.decode()
    data = {"history_id": first.history_id, "reason": "needed"}
    response = editor_client.post(url("event_revert", matter, event.pk), data, follow=True)
    assert notice in response.content.decode() and event.citations.count() == 1


def test_delete_asks_for_confirmation_and_a_reason(editor_client, matter):
    event = factories.make_event(matter, title="Soon gone")
    detail = editor_client.get(url("event_detail", matter, event.pk)).content.decode()
    assert url("event_delete_confirm", matter, event.pk) in detail
    page = editor_client.get(url("event_delete_confirm", matter, event.pk)).content.decode()
    assert "Delete “Soon gone”?" in page and f'action="{url("event_delete", matter, event.pk)}"' in page
    for data in ({}, {"reason": "   "}):
        again = editor_client.post(url("event_delete", matter, event.pk), data)
        assert again.status_code == 200 and "Give a reason" in again.content.decode()
    assert not Event.objects.get(pk=event.pk).is_deleted
    editor_client.post(url("event_delete", matter, event.pk), {"reason": "duplicate of #3"})
    assert Event.objects.get(pk=event.pk).is_deleted


def test_confirmation_pages_are_for_editors_of_the_matter(client, matter, viewer, make_user):
    event = factories.make_event(matter)
    pages = [url("event_delete_confirm", matter, event.pk),
             url("event_revert_confirm", matter, event.pk, event.history.get().history_id)]  # fmt: skip
    client.force_login(viewer)
    assert [client.get(p).status_code for p in pages] == [403, 403]
    client.force_login(make_user())
    assert [client.get(p).status_code for p in pages] == [404, 404]
    client.force_login(matter.memberships.get(role="owner").user)
    assert [client.post(p).status_code for p in pages] == [405, 405]
    assert client.get(url("event_revert_confirm", matter, event.pk, 0)).status_code == 404


# Pinpoints past a document's last page --------------------------------------------------------------------------


def _confirmation(page: str) -> str:
    match = re.search(r'<input type="checkbox" name="confirm_pages" value="([0-9a-f]+)">', page)
    assert match, "the page offers to save anyway"
    return match.group(1)


def test_a_pinpoint_past_the_last_page_is_warned_about_and_saved_once_confirmed(editor_client, matter):
    exhibit = factories.make_document(matter, content=factories.make_pdf(3), filename="px.pdf")
    data = event_data(**{"cite-0-document": exhibit.pk, "cite-0-pinpoint": "p. 99", "cite-0-note": "the opt-in"})

    response = editor_client.post(url("event_new", matter), data)

    page = response.content.decode()
    assert response.status_code == 200 and not Event.objects.exists()  # nothing saved yet
    assert "Check the pinpoints: nothing was saved yet." in page
    assert page.count("PX-1 has 3 pages; p. 99 is past its last page.") == 2  # at the top and beside the row
    assert 'value="p. 99"' in page and 'value="the opt-in"' in page  # the input is kept

    data["confirm_pages"] = _confirmation(page)
    response = editor_client.post(url("event_new", matter), data, follow=True)

    event = Event.objects.get()
    assert response.redirect_chain[-1][0] == url("event_detail", matter, event.pk)
    assert [(c.document, c.pinpoint, c.note) for c in event.citations.all()] == [(exhibit, "p. 99", "the opt-in")]
    assert event.history.count() == 1


def test_a_confirmation_does_not_cover_a_pinpoint_changed_after_the_warning(editor_client, matter):
    exhibit = factories.make_document(matter, content=factories.make_pdf(3), filename="px.pdf")
    data = event_data(**{"cite-0-document": exhibit.pk, "cite-0-pinpoint": "p. 99"})
    confirmed = _confirmation(editor_client.post(url("event_new", matter), data).content.decode())

    data.update({"cite-0-pinpoint": "pp. 4-5", "confirm_pages": confirmed})
    page = editor_client.post(url("event_new", matter), data).content.decode()

    assert "PX-1 has 3 pages; pp. 4-5 is past its last page." in page and not Event.objects.exists()


def test_pinpoints_within_a_document_or_of_unknown_length_are_saved_at_once(editor_client, matter):
    exhibit = factories.make_document(matter, content=factories.make_pdf(3), filename="px.pdf")
    text = factories.make_document(matter, content=b"an article", filename="article.txt")
    data = event_data(
        **{"cite-0-document": exhibit.pk, "cite-0-pinpoint": "pp. 2-3", "cite-1-document": text.pk,
           "cite-1-pinpoint": "p. 99"}
    )  # fmt: skip
    response = editor_client.post(url("event_new", matter), data)
    assert response.status_code == 302
    assert sorted(Citation.objects.values_list("pinpoint", flat=True)) == ["p. 99", "pp. 2-3"]


def test_an_edit_is_warned_about_new_pinpoints_only(editor_client, matter, user):
    exhibit = factories.make_document(matter, content=factories.make_pdf(3), filename="px.pdf")
    event = factories.make_event(matter, title="Opt-in introduced")
    citation_create(event=event, document=exhibit, pinpoint="p. 99", user=user, reason="as the complaint has it")

    # The pinpoint kept earlier is not warned about again when something else changes.
    response = editor_client.post(url("event_edit", matter, event.pk), edit_data(event, title="Opt-in", reason="t"))
    assert response.status_code == 302 and Event.objects.get(pk=event.pk).title == "Opt-in"

    event.refresh_from_db()
    data = edit_data(event, reason="second source", **{"cite-1-document": exhibit.pk, "cite-1-pinpoint": "at 7"})
    page = editor_client.post(url("event_edit", matter, event.pk), data).content.decode()
    assert "PX-1 has 3 pages; at 7 is past its last page." in page and "p. 99 is past" not in page
    assert Event.objects.get(pk=event.pk).version == 3  # created, cited, retitled: the new citation is not saved

    data["confirm_pages"] = _confirmation(page)
    editor_client.post(url("event_edit", matter, event.pk), data)
    assert sorted(Citation.objects.filter(event=event).values_list("pinpoint", flat=True)) == ["at 7", "p. 99"]


def test_the_moments_of_the_record_are_written_as_the_chronology_writes_instants(editor_client, matter, user):
    """A version saved, a document received: "Sept" and the matter's zone as the timeline writes a timed event, not
    Django's "Sep" or the server's zone."""
    import datetime

    event = factories.make_event(matter, user=user, title="Policy updated")
    saved = datetime.datetime(2024, 9, 18, 16, 30, tzinfo=datetime.UTC)
    event.history.update(history_date=saved)
    page = editor_client.get(url("event_detail", matter, event.pk)).content.decode()
    assert "Sept 18, 2024, 9:30 AM PDT" in page and "Sep 18" not in page
    document = factories.make_document(matter, content=b"x", filename="x.txt")
    type(document).objects.filter(pk=document.pk).update(created_at=saved.replace(month=12))
    page = editor_client.get(url("document_detail", matter, document.pk)).content.decode()
    assert "Dec 18, 2024, 8:30 AM PST" in page


def test_add_and_start_another_keeps_kind_status_actors_issues_and_sources(editor_client, matter):
    doc = factories.make_document(matter, title="The complaint")
    data = event_data(
        title="First fact", kind="court_filing", status="undisputed", actors="Plaintiff; LinkedIn",
        issues="consent", source_note="Complaint ¶ 2", another="1",
        **{"cite-0-document": str(doc.pk), "cite-0-pinpoint": "¶ 2"},
    )  # fmt: skip
    response = editor_client.post(url("event_new", matter), data)
    first = Event.objects.get(title="First fact")
    assert response["Location"] == url("event_new", matter) + f"?after={first.pk}"
    page = editor_client.get(response["Location"]).content.decode()
    assert '<option value="court_filing" selected>' in page and '<option value="undisputed" selected>' in page
    assert 'value="LinkedIn; Plaintiff"' in page and 'value="consent"' in page and 'value="Complaint ¶ 2"' in page
    assert f'<option value="{doc.pk}" selected>' in page  # the source, its pinpoint left to fill in
    assert 'name="cite-0-pinpoint"' in page and "¶ 2</" not in page
    assert 'name="title"' in page and 'value="First fact"' not in page
    # Saved as it is, the next event cites the same document; nothing of another matter's event is ever shown.
    editor_client.post(url("event_new", matter) + f"?after={first.pk}", event_data(
        title="Second fact", kind="court_filing", status="undisputed", actors="Plaintiff", issues="consent",
        **{"cite-TOTAL_FORMS": "3", "cite-INITIAL_FORMS": "1", "cite-0-document": str(doc.pk)},
    ))  # fmt: skip
    second = Event.objects.get(title="Second fact")
    assert [c.document for c in second.citations.all()] == [doc]
    other = factories.make_event(factories.make_matter(), title="Secret of another matter", kind="policy_edit")
    page = editor_client.get(url("event_new", matter) + f"?after={other.pk}").content.decode()
    assert '<option value="policy_edit" selected>' not in page


def test_messages_end_with_one_full_stop_when_the_title_has_its_own(editor_client, matter):
    response = editor_client.post(
        url("event_new", matter), event_data(title="Statement by LinkedIn Corp."), follow=True
    )
    page = response.content.decode()
    assert "Event added: Aug 2024 — Statement by LinkedIn Corp.<" in page and "Corp..<" not in page
    response = editor_client.post(url("event_new", matter), event_data(title="Was consent given?"), follow=True)
    assert "Was consent given?<" in response.content.decode()


def test_a_bad_date_in_the_filter_bar_is_said_once_and_not_as_a_failed_save(editor_client, matter):
    factories.make_event(matter, title="Kept")
    page = editor_client.get(url("timeline", matter), {"from": "Sept 45 2024"}).content.decode()
    assert "nothing was saved" not in page
    error = page.split('class="filter-error"')[1].split("</p>")[0]
    assert error.count("Sept 45 2024") == 1 and "That filter is left out; the others apply." in error
