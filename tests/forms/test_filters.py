"""evidence.forms.filters: one form says which events, whether the timeline, the export page or the command asks."""

import datetime as dt

from django.http import QueryDict

from evidence.forms.filters import ExportForm, TimelineFilterForm
from tests.factories import make_event


def test_the_timeline_reads_its_short_query_names_into_the_same_filters(matter):
    make_event(matter, issues=["Consent"], actors=["LinkedIn"])
    query = QueryDict("q=policy&from=Aug+2024&to=2025&kind=policy_edit&issue=Consent&actor=LinkedIn&key=on&deleted=on")
    form = TimelineFilterForm(query, matter=matter)
    assert form.is_valid(), form.errors
    filters = form.to_filters()
    assert filters.text == "policy"
    assert (filters.date_from, filters.date_to) == (dt.date(2024, 8, 1), dt.date(2025, 12, 31))
    assert (filters.kinds, filters.issues, filters.actors) == (("policy_edit",), ("Consent",), ("LinkedIn",))
    assert filters.key_only and filters.show_deleted and filters.include_privileged
    assert 'name="q"' in str(form["text"]) and 'name="from"' in str(form["date_from"])


def test_the_export_takes_the_same_filters_under_its_long_names(matter):
    make_event(matter, issues=["Consent"])
    data = {"format": "csv", "paper": "letter", "text": "policy", "date_from": "Aug 2024", "date_to": "2025",
            "kinds": ["policy_edit"], "issues": ["Consent"], "key_only": "on"}  # fmt: skip
    export = ExportForm(data, matter=matter)
    assert export.is_valid(), export.errors
    timeline = TimelineFilterForm(QueryDict("q=policy&from=Aug+2024&to=2025&kind=policy_edit&issue=Consent&key=on"),
                                  matter=matter)  # fmt: skip
    assert timeline.is_valid()
    exported, shown = export.to_filters(), timeline.to_filters()
    assert exported.include_privileged is False and shown.include_privileged is True  # exports leave them out
    assert exported == type(exported)(**{**shown.__dict__, "include_privileged": False})


def test_a_bad_bound_says_what_was_typed_and_an_inverted_window_is_refused(matter):
    form = TimelineFilterForm(QueryDict("from=Febtember+2024"), matter=matter)
    assert not form.is_valid()
    assert form.errors["date_from"][0].count("Febtember 2024") == 1  # named, and once
    form = ExportForm({"format": "pdf", "paper": "letter", "date_from": "2025", "date_to": "2024"}, matter=matter)
    assert not form.is_valid() and form.errors["date_to"] == ["The end is before the start."]


def test_an_issue_of_another_matter_is_not_a_choice(matter, user):
    from tests.factories import make_matter

    make_event(make_matter(owner=user), issues=["Elsewhere"])
    form = ExportForm({"format": "csv", "paper": "letter", "issues": ["Elsewhere"]}, matter=matter)
    assert not form.is_valid() and "issues" in form.errors
