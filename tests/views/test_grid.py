"""The timeline grid as each role gets it: sorting by the chronology's order, cells edited in place with the standing
"working on" reason, bulk actions and their undo, the grid settings, and the visual timeline fetched apart."""

import json

import pytest
from django.urls import reverse

from evidence.models import BulkEdit, Event, GridSettings, SavedView
from evidence.services.events import event_update
from evidence.services.grid import grid_settings_update
from tests import factories


def url(name, matter, *args):
    return reverse(name, args=[matter.slug, *args])


def titles_in_order(page: str, titles) -> list[str]:
    return sorted(titles, key=page.index)


@pytest.fixture
def events(matter):
    make = factories.make_event
    return [
        make(matter, date="Sept 2024", title="b: policy amended", kind="policy_edit", issues=["notice"]),
        make(matter, date="Aug 3, 2024", title="C: setting switched on", kind="setting_introduced", is_key=True),
        make(matter, date="Aug 2024", title="a: FAQ changed", kind="help_page_edit", status="disputed",
             actors=["LinkedIn"], issues=["consent"]),
        make(matter, date="", title="d: undated statement", kind="public_statement"),
    ]  # fmt: skip


# Roles ------------------------------------------------------------------------------------------------------------


def test_outsiders_get_404_from_every_grid_address(client, matter, outsider, events):
    client.force_login(outsider)
    bulk = BulkEdit.objects.create(matter=matter, user=matter.memberships.first().user, action="delete",
                                   description="d", reason="r")  # fmt: skip
    assert client.get(url("timeline", matter)).status_code == 404
    assert client.get(url("visual_timeline", matter)).status_code == 404
    assert (
        client.post(url("cell_edit", matter, events[0].pk), {"field": "title", "value": "x", "version": 1}).status_code
        == 404
    )
    assert (
        client.post(
            url("bulk_edit", matter), {"action": "delete", "reason": "r", "event": f"{events[0].pk}:1"}
        ).status_code
        == 404
    )
    assert client.post(url("bulk_undo", matter, bulk.pk)).status_code == 404
    assert client.post(url("grid_settings", matter), {"layout": "cards"}).status_code == 404
    assert Event.objects.alive().count() == 4


def test_viewers_see_the_grid_read_only(client, matter, viewer, events):
    client.force_login(viewer)
    page = client.get(url("timeline", matter)).content.decode()
    assert 'id="grid"' in page and "a: FAQ changed" in page
    assert "data-editable" not in page and 'name="event"' not in page and "bulk-form" not in page
    assert 'id="working-on"' not in page
    response = client.post(url("cell_edit", matter, events[0].pk), {"field": "title", "value": "x", "version": 1})
    assert response.status_code == 403
    response = client.post(url("bulk_edit", matter), {"action": "delete", "reason": "r", "event": f"{events[0].pk}:1"})
    assert response.status_code == 403
    assert Event.objects.alive().count() == 4 and Event.objects.get(pk=events[0].pk).title == "b: policy amended"
    # Their own view settings are kept; a reason for edits they cannot make is not.
    client.post(url("grid_settings", matter), {"columns_set": "1", "columns": ["kind"], "working_on": "x"})
    assert GridSettings.objects.get(user=viewer).columns == ["kind"]
    assert GridSettings.objects.get(user=viewer).working_on == ""
    assert client.get(url("visual_timeline", matter)).status_code == 200


def test_editors_get_the_editing_grid(client, matter, editor, events):
    client.force_login(editor)
    page = client.get(url("timeline", matter)).content.decode()
    assert 'data-editable="1"' in page and f'value="{events[0].pk}:1"' in page and 'id="bulk-form"' in page


# Sorting ----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sort, expected",
    [
        # The chronology's order: a month before the days of that month, undated last; not the text of the dates.
        ("", ["a: FAQ changed", "C: setting switched on", "b: policy amended", "d: undated statement"]),
        ("date", ["a: FAQ changed", "C: setting switched on", "b: policy amended", "d: undated statement"]),
        ("-date", ["d: undated statement", "b: policy amended", "C: setting switched on", "a: FAQ changed"]),
        ("title", ["a: FAQ changed", "b: policy amended", "C: setting switched on", "d: undated statement"]),
        ("-title", ["d: undated statement", "C: setting switched on", "b: policy amended", "a: FAQ changed"]),
        # Kinds by their label ("FAQ / help-page edit" < "Policy edit" < "Public statement" < "Setting introduced").
        ("kind", ["a: FAQ changed", "b: policy amended", "d: undated statement", "C: setting switched on"]),
        ("key", ["C: setting switched on", "a: FAQ changed", "b: policy amended", "d: undated statement"]),
        # By first issue, events without one last, then by date.
        ("issues", ["a: FAQ changed", "b: policy amended", "C: setting switched on", "d: undated statement"]),
        ("nonsense", ["a: FAQ changed", "C: setting switched on", "b: policy amended", "d: undated statement"]),
    ],
)
def test_the_grid_sorts_by_any_column(client, matter, user, events, sort, expected):
    client.force_login(user)
    page = client.get(url("timeline", matter), {"sort": sort} if sort else {}).content.decode()
    grid = page[page.index('id="grid"') :]
    assert titles_in_order(grid, expected) == expected


def test_the_sorted_heading_says_so_and_links_the_reverse(client, matter, user, events):
    client.force_login(user)
    page = client.get(url("timeline", matter), {"sort": "title", "q": "changed OR amended"}).content.decode()
    assert 'data-col="title" aria-sort="ascending"' in page
    assert "?sort=-title&amp;q=changed+OR+amended" in page or "?q=changed+OR+amended&amp;sort=-title" in page
    assert 'name="sort" value="title"' in page  # filtering again keeps the sort


def _row(page: str, event) -> str:
    start = page.index(f'<tr id="event-{event.pk}"')
    return page[start : page.index("</tr>", start)]


def test_a_row_shows_what_is_stored_with_names_shown_and_sources_linked(client, matter, user):
    """Each cell of a row in both layouts: names and titles through evidence.text.shown (a bidi override written out),
    tags by name, the cell editor's value as stored, each citation opening the viewer at its pinpoint, the columns the
    user chose."""
    client.force_login(user)
    first = factories.make_document(matter, content=factories.make_pdf(1), title="Policy \u202etxt.exe")
    second = factories.make_document(matter, content=factories.make_pdf(1), title="Complaint")
    event = factories.make_event(
        matter, date="Aug 3, 2024", title="Cut \u202eover", issues=["Notice", "Con\u202esent"], actors=["Li & Co"],
        citations=[(first, "p. 3", ""), (second, "", "")], source_note="Dkt. 1",
        description="Line one\nline <b>two</b>",
    )  # fmt: skip
    grid_settings_update(matter=matter, user=user, columns=["kind", "issues", "sources"])
    page = client.get(url("timeline", matter)).content.decode()
    row = _row(page, event)
    assert (
        '<a tabindex="-1" class="title" href="{}">Cut [U+202E]over</a>'.format(url("event_detail", matter, event.pk))
        in row
    )
    assert 'data-value="Aug 3, 2024">Aug 3, 2024</td>' in row
    assert 'data-value="Con\u202esent; Notice">Con[U+202E]sent; Notice</td>' in row
    assert 'data-field="actors" data-value="Li &amp; Co" hidden>Li &amp; Co</td>' in row  # a column not chosen
    viewer = url("document_viewer", matter, first.pk)
    assert f'<a href="{viewer}?pin=p.%203" title="Policy [U+202E]txt.exe, at p. 3">PX-1</a> p. 3' in row
    assert f'<a href="{url("document_viewer", matter, second.pk)}" title="Complaint">PX-2</a>' in row
    assert '<span class="muted">Dkt. 1</span></td>' in row
    description = "Line one<br>line &lt;b&gt;two&lt;/b&gt;</td></tr>"
    assert f'<tr class="desc-row" id="desc-{event.pk}" hidden><td colspan="10">{description}' in page
    grid_settings_update(matter=matter, user=user, layout="cards")
    card = _row(client.get(url("timeline", matter)).content.decode(), event)
    assert (
        "Cut [U+202E]over</a>" in card
        and "<li>Con[U+202E]sent</li><li>Notice</li>" in card
        and " · Li &amp; Co" in card
    )
    assert f'<a href="{viewer}?pin=p.%203" title="Policy [U+202E]txt.exe, at p. 3">PX-1</a> p. 3' in card
    assert f'href="{url("event_edit", matter, event.pk)}" aria-label="Edit “Cut [U+202E]over”"' in card


def test_query_count_is_the_same_at_any_size_and_sort(client, matter, user, django_assert_num_queries):
    client.force_login(user)
    for i in range(5):
        factories.make_event(matter, title=f"E{i}", issues=[f"I{i % 3}"], actors=["A"])
    with django_assert_num_queries(14) as ctx:
        client.get(url("timeline", matter), {"sort": "issues"})
    for i in range(40):
        factories.make_event(matter, title=f"F{i}", issues=[f"I{i % 3}"], actors=["A", f"B{i}"])
    with django_assert_num_queries(len(ctx.captured_queries)):
        client.get(url("timeline", matter), {"sort": "issues"})


# Cells edited in place --------------------------------------------------------------------------------------------


def _cell(client, matter, event, field, value, version=None):
    response = client.post(
        url("cell_edit", matter, event.pk), {"field": field, "value": value, "version": version or event.version}
    )
    return response.status_code, json.loads(response.content)


def test_a_cell_saves_with_the_working_on_reason(client, matter, editor, events):
    client.force_login(editor)
    status, body = _cell(client, matter, events[0], "status", "disputed")
    assert status == 400 and body["needs_reason"]  # no reason yet: nothing saved
    grid_settings_update(user=editor, matter=matter, working_on="entering facts from the complaint")
    status, body = _cell(client, matter, events[0], "status", "disputed")
    assert status == 200 and body["version"] == 2 and body["cells"]["status"]["text"] == "Disputed"
    status, body = _cell(client, matter, events[0], "date", "c. Oct 2024", version=2)
    assert status == 200 and body["cells"]["date"]["text"] == "c. Oct 2024"
    status, body = _cell(client, matter, events[0], "issues", "notice; <b>AI</b>", version=3)
    assert body["cells"]["issues"]["text"] == "<b>AI</b>; notice"  # text; the page sets it as text, never markup
    event = Event.objects.get(pk=events[0].pk)
    assert (event.status, event.date_display, event.version) == ("disputed", "c. Oct 2024", 4)
    history = list(event.history.order_by("history_id"))
    assert [h.history_change_reason for h in history[1:]] == ["entering facts from the complaint"] * 3
    assert {h.history_user for h in history[1:]} == {editor}


@pytest.mark.parametrize(
    "field, value, message",
    [("date", "Sept 31 2024", "31"), ("title", "", "A title is needed"), ("kind", "gossip", "Choose one of the kinds"),
     ("key", "maybe", "yes or no")],
)  # fmt: skip
def test_a_bad_cell_is_refused_with_why(client, matter, editor, events, field, value, message):
    client.force_login(editor)
    grid_settings_update(user=editor, matter=matter, working_on="checking")
    status, body = _cell(client, matter, events[0], field, value)
    assert status == 400 and message in body["message"]
    assert Event.objects.get(pk=events[0].pk).version == 1


def test_a_cell_changed_by_someone_else_is_reported_not_overwritten(client, matter, user, editor, events):
    client.force_login(editor)
    grid_settings_update(user=editor, matter=matter, working_on="checking")
    event_update(event=events[0], user=user, reason="their correction", title="b: policy amended in Sept")
    status, body = _cell(client, matter, events[0], "title", "b: my title", version=1)
    assert status == 409 and body["stale"] and body["version"] == 2
    assert body["cells"]["title"]["text"] == "b: policy amended in Sept"
    assert "changed by someone else" in body["message"] and "b: policy amended in Sept" in body["message"]
    assert Event.objects.get(pk=events[0].pk).title == "b: policy amended in Sept"


# Bulk actions -----------------------------------------------------------------------------------------------------


def test_bulk_tag_then_undo_from_the_page(client, matter, editor, events):
    client.force_login(editor)
    selected = [f"{e.pk}:{e.version}" for e in events[:3]]
    back = url("timeline", matter) + "?sort=title"
    data = {"action": "add_issue", "value": "Opt-out", "reason": "issue review", "event": selected, "next": back}
    response = client.post(url("bulk_edit", matter), data)
    assert response.status_code == 302 and response["Location"] == back
    page = client.get(back).content.decode()
    assert "Added issue “Opt-out”: 3 of 3 events changed, with the reason “issue review”." in page
    bulk = BulkEdit.objects.get()
    assert url("bulk_undo", matter, bulk.pk) in page  # the Undo button
    assert Event.objects.filter(issues__name="Opt-out").count() == 3
    response = client.post(url("bulk_undo", matter, bulk.pk), {"next": back})
    page = client.get(back).content.decode()
    assert "Undone: 3 events restored to their version before" in page
    assert url("bulk_undo", matter, bulk.pk) not in page
    assert not Event.objects.filter(issues__name="Opt-out").exists()


def test_a_stale_bulk_edit_changes_nothing_and_says_which(client, matter, user, editor, events):
    client.force_login(editor)
    selected = [f"{e.pk}:1" for e in events]
    event_update(event=events[2], user=user, reason="theirs", status="undisputed")
    client.post(
        url("bulk_edit", matter), {"action": "set_status", "value": "disputed", "reason": "r", "event": selected}
    )
    page = client.get(url("timeline", matter)).content.decode()
    assert "1 of the 4 selected events were changed by someone else" in page and "a: FAQ changed" in page
    assert list(Event.objects.filter(status="disputed")) == []


def test_a_bulk_edit_without_reason_or_selection_says_so(client, matter, editor, events):
    client.force_login(editor)
    client.post(url("bulk_edit", matter), {"action": "delete", "reason": "", "event": [f"{events[0].pk}:1"]})
    page = client.get(url("timeline", matter)).content.decode()
    assert "Nothing was changed: A bulk edit needs a reason" in page
    client.post(url("bulk_edit", matter), {"action": "delete", "reason": "r"})
    page = client.get(url("timeline", matter)).content.decode()
    assert "Select the events first" in page
    assert Event.objects.alive().count() == 4


def test_undo_of_another_matters_bulk_edit_is_404(client, matter, user, events):
    other = factories.make_matter(owner=user)
    bulk = BulkEdit.objects.create(matter=other, user=user, action="delete", description="d", reason="r")
    client.force_login(user)
    assert client.post(url("bulk_undo", matter, bulk.pk)).status_code == 404


# Settings and the visual timeline ---------------------------------------------------------------------------------


def test_columns_and_layout_are_remembered(client, matter, user, events):
    client.force_login(user)
    client.post(url("grid_settings", matter), {"columns_set": "1", "columns": ["status", "issues"]})
    page = client.get(url("timeline", matter)).content.decode()
    assert 'data-col="status" aria-sort="none"><a' in page
    assert 'data-col="kind" aria-sort="none" hidden' in page and 'class="c-kind" data-field="kind"' in page
    response = client.post(url("grid_settings", matter), {"layout": "cards", "next": "https://evil.example/"})
    assert response["Location"] == url("timeline", matter)  # never sent away from the app
    assert 'class="table timeline"' in client.get(url("timeline", matter)).content.decode()


def test_the_visual_timeline_draws_every_filtered_event_not_only_the_page(client, matter, user):
    client.force_login(user)
    for i in range(105):
        kind = "court_filing" if i % 20 == 0 else "other"
        factories.make_event(matter, date=f"Aug {1 + i % 28}, 2024", title=f"Event {i}", kind=kind)
    fragment = client.get(url("visual_timeline", matter), HTTP_ACCEPT="text/html+fragment").content.decode()
    assert "Drawn: 105 of the 105 events the filters keep" in fragment and "<svg" in fragment
    assert "<html" not in fragment
    page = client.get(url("visual_timeline", matter), {"kind": "court_filing"}).content.decode()
    assert "<html" in page and "Drawn: 6 of the 6 events the filters keep" in page  # 0, 20, … 100


# Saved views ------------------------------------------------------------------------------------------------------


def test_a_saved_view_keeps_filters_sort_columns_and_density(client, matter, user, events):
    client.force_login(user)
    grid_settings_update(user=user, matter=matter, columns=["status"], density="comfortable")
    query = "q=policy&sort=-date&page=3&view=99&evil=1"
    response = client.post(url("saved_view_create", matter), {"name": " Disputed  facts ", "query": query})
    view = SavedView.objects.get()
    assert (view.name, view.query, view.columns, view.density) == ("Disputed facts", "q=policy&sort=-date", ["status"],
                                                                    "comfortable")  # fmt: skip
    assert response["Location"] == url("timeline", matter) + f"?q=policy&sort=-date&view={view.pk}"
    grid_settings_update(user=user, matter=matter, columns=["kind", "issues"], density="compact")
    page = client.get(response["Location"]).content.decode()
    assert "Saved the view “Disputed facts”." in page and "<summary>Views: Disputed facts</summary>" in page
    assert 'class="grid density-comfortable"' in page and 'data-col="kind" aria-sort="none" hidden' in page
    assert 'data-col="date" aria-sort="descending"' in page
    # "Export this view" carries exactly the view's filters.
    assert f'href="{url("export", matter)}?q=policy&amp;sort=-date&amp;view={view.pk}"' in page
    # The same name again replaces the view.
    client.post(url("saved_view_create", matter), {"name": "disputed facts", "query": "status=disputed"})
    assert SavedView.objects.get().query == "status=disputed"


def test_views_are_private_unless_shared_and_only_editors_share(client, matter, user, viewer, outsider):
    client.force_login(user)
    client.post(url("saved_view_create", matter), {"name": "Mine", "query": "q=x"})
    client.post(url("saved_view_create", matter), {"name": "For the team", "query": "key=on", "shared": "on"})
    mine, team = SavedView.objects.order_by("id")
    client.force_login(viewer)
    page = client.get(url("timeline", matter)).content.decode()
    assert "For the team" in page and f"(shared by {user.username})" in page and ">Mine<" not in page
    client.post(url("saved_view_create", matter), {"name": "Viewer's", "query": "", "shared": "on"})
    assert not SavedView.objects.filter(user=viewer).exists()
    assert (
        "Sharing a view with the matter needs the editor role." in client.get(url("timeline", matter)).content.decode()
    )
    assert client.post(url("saved_view_delete", matter, team.pk)).status_code == 403
    assert client.post(url("saved_view_delete", matter, mine.pk)).status_code == 404
    # A private view's address opens the plain timeline for anyone else.
    page = client.get(url("timeline", matter), {"view": mine.pk}).content.decode()
    assert "<summary>Views</summary>" in page
    client.force_login(outsider)
    assert client.post(url("saved_view_create", matter), {"name": "x"}).status_code == 404
    assert client.post(url("saved_view_delete", matter, team.pk)).status_code == 404
    client.force_login(user)
    client.post(url("saved_view_delete", matter, team.pk))
    assert list(SavedView.objects.values_list("name", flat=True)) == ["Mine"]


def test_the_visual_timeline_zooms_to_a_window_and_its_groups_open_their_period(client, matter, user):
    client.force_login(user)
    for i in range(6):
        factories.make_event(matter, date="Aug 3, 2024", title=f"Notice {i}", kind="user_communication")
    factories.make_event(matter, date="Aug 20, 2024", title="Reminder", kind="user_communication")
    factories.make_event(matter, date="Dec 2024", title="Complaint", kind="user_communication")
    fragment = client.get(url("visual_timeline", matter), {"kind": "user_communication"},
                          HTTP_ACCEPT="text/html+fragment").content.decode()  # fmt: skip
    # The six of Aug 3 are one numbered group, which opens the list of that day with the same filters.
    assert ">6</text>" in fragment and "?kind=user_communication&amp;from=2024-08-03&amp;to=2024-08-03" in fragment
    assert "Drawn: 8 of the 8 events the filters keep" in fragment
    params = {"kind": "user_communication", "from": "2024-07-15", "to": "2024-08-31"}
    fragment = client.get(url("visual_timeline", matter), params, HTTP_ACCEPT="text/html+fragment").content.decode()
    assert 'data-first="2024-07-15" data-last="2024-08-31"' in fragment
    assert "Drawn: 7 of the 7 events that may fall between July 15, 2024 and Aug 31, 2024" in fragment


def test_select_all_matching_from_the_page_applies_to_every_page_of_the_filtered_list(client, matter, editor):
    client.force_login(editor)
    for i in range(105):
        factories.make_event(matter, date=f"Oct {1 + i % 28}, 2024", title=f"Notice {i:03}", kind="user_communication")
    factories.make_event(matter, title="Policy amended", kind="policy_edit")
    page = client.get(url("timeline", matter), {"kind": "user_communication"})
    assert "Select all 105 matching events" in page.content.decode()
    context = page.context
    data = {"action": "set_key", "value": "yes", "reason": "the notices matter", "all_matching": "1",
            "query": context["view_query"], "matching": "105", "seen_up_to": context["seen_up_to"]}  # fmt: skip
    client.post(url("bulk_edit", matter), data)
    assert Event.objects.filter(is_key=True).count() == 105
    assert not Event.objects.get(title="Policy amended").is_key
    shown = client.get(url("timeline", matter)).content.decode()
    assert "Marked as key facts: 105 of 105 events changed, with the reason “the notices matter”." in shown


def test_select_all_matching_with_filters_it_cannot_read_changes_nothing(client, matter, editor, events):
    client.force_login(editor)
    data = {"action": "delete", "reason": "r", "all_matching": "1", "query": "from=not+a+date", "matching": "4",
            "seen_up_to": "0"}  # fmt: skip
    client.post(url("bulk_edit", matter), data)
    page = client.get(url("timeline", matter)).content.decode()
    assert "Nothing was changed: The page&#x27;s filters could not be read" in page
    assert not Event.objects.filter(deleted_at__isnull=False).exists()
