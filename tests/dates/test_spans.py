"""Date windows: an event is in "from X to Y" when the span of days it may fall on overlaps the window, the same on
the timeline, in the export and in export_chronology, on SQLite and PostgreSQL.

The matrix puts every precision x bound x "c." x range against windows that end the day before the event's span
starts, end on its first day, start on its last day, and start the day after it ends. The expected spans are written
out here, not computed by the code under test.
"""

import csv
import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.http import QueryDict

from evidence.forms.filters import ExportForm, TimelineFilterForm
from evidence.selectors import TimelineFilters, events_for_timeline
from tests.factories import make_event, make_matter

D = dt.date
DAY = dt.timedelta(days=1)

# precision: (single date, its stated days), (range, its stated days); times in a New York matter, one of them on
# the next day there than in its own zone.
STATED = {
    "year": (("2024", D(2024, 1, 1), D(2024, 12, 31)), ("2023 – 2024", D(2023, 1, 1), D(2024, 12, 31))),
    "month": (("Aug 2024", D(2024, 8, 1), D(2024, 8, 31)), ("Aug – Sept 2024", D(2024, 8, 1), D(2024, 9, 30))),
    "day": (("Aug 15, 2024", D(2024, 8, 15), D(2024, 8, 15)),
            ("Aug 15 – Sept 3, 2024", D(2024, 8, 15), D(2024, 9, 3))),
    "minute": (("Aug 15, 2024, 11:30 PM PDT", D(2024, 8, 16), D(2024, 8, 16)),
               ("Aug 14, 2024, 9:00 AM PDT to Aug 15, 2024, 11:30 PM PDT", D(2024, 8, 14), D(2024, 8, 16))),
}  # fmt: skip


def _cases():
    for precision, ((single, first, last), (ranged, r_first, r_last)) in STATED.items():
        for approximate in (False, True):
            c = "c. " if approximate else ""
            yield f"{precision}{'-c' if approximate else ''}", f"{c}{single}", (first, last)
            yield f"{precision}-before{'-c' if approximate else ''}", f"{c}before {single}", (D.min, first - DAY)
            yield f"{precision}-after{'-c' if approximate else ''}", f"{c}after {single}", (last + DAY, D.max)
            yield f"{precision}-range{'-c' if approximate else ''}", f"{c}{ranged}", (r_first, r_last)


CASES = list(_cases())
EDGES = {
    # window relative to the span: (from, to) and whether the event is in it
    "ends the day before it starts": (lambda f, la: (f - 10 * DAY, f - DAY), False),
    "ends on its first day": (lambda f, la: (f - 10 * DAY, f), True),
    "starts on its last day": (lambda f, la: (la, la + 10 * DAY), True),
    "starts the day after it ends": (lambda f, la: (la + DAY, la + 10 * DAY), False),
}


@pytest.fixture
def new_york(user):
    return make_matter(owner=user, time_zone="America/New_York")


@pytest.mark.parametrize("edge", list(EDGES))
@pytest.mark.parametrize(("case", "text", "span"), CASES, ids=[c[0] for c in CASES])
def test_a_date_is_in_a_window_its_span_overlaps(new_york, case, text, span, edge):
    event = make_event(new_york, date=text, title=case)
    assert (event.date_first_day, event.date_last_day) == span
    window, expected = EDGES[edge]
    first, last = span
    if (first == D.min and edge.startswith("ends")) or (last == D.max and edge.startswith("starts")):
        # The open side: every window on that side, however far, overlaps.
        date_from, date_to = (D(1000, 1, 1), D(1000, 12, 31)) if first == D.min else (D(9999, 1, 1), D(9999, 12, 30))
        expected = True
    else:
        date_from, date_to = window(first, last)
    make_event(new_york, date="unknown", title="undated")
    window = TimelineFilters(date_from=date_from, date_to=date_to)
    shown = [e.title for e in events_for_timeline(matter=new_york, filters=window)]
    assert shown == ([case] if expected else [])
    only_from = [e.title for e in events_for_timeline(matter=new_york, filters=TimelineFilters(date_from=date_from))]
    assert only_from == ([case] if last >= date_from else [])
    only_to = [e.title for e in events_for_timeline(matter=new_york, filters=TimelineFilters(date_to=date_to))]
    assert only_to == ([case] if first <= date_to else [])


@pytest.mark.parametrize(
    ("text", "date_from", "date_to", "expected"),
    [
        ("before 2025", "June 2025", "Dec 2025", False),
        ("before 2025", "Dec 2024", "", True),
        ("before Aug 2024", "Aug 2024", "", False),
        ("after Aug 2024", "Oct 2024", "Dec 2025", True),
        ("after Aug 2024", "", "Aug 2024", False),
        ("after Aug 2024", "", "Sept 1, 2024", True),
        ("c. Aug 2024", "Sept 2024", "", False),  # "c." does not invent a margin
        ("Aug 2024", "Aug 15, 2024", "Dec 2024", True),
    ],
)
def test_the_issues_examples_through_the_filter_form(new_york, text, date_from, date_to, expected):
    make_event(new_york, date=text, title=text)
    form = TimelineFilterForm(QueryDict(mutable=True) | {"from": date_from, "to": date_to}, matter=new_york)
    assert form.is_valid(), form.errors
    assert [e.title for e in events_for_timeline(matter=new_york, filters=form.to_filters())] == (
        [text] if expected else []
    )


def test_undated_events_only_when_asked_for_once_a_window_is_set(new_york):
    make_event(new_york, date="Nov 2024", title="dated")
    make_event(new_york, date="unknown", title="undated")

    def titles(**filters):
        return [e.title for e in events_for_timeline(matter=new_york, filters=TimelineFilters(**filters))]

    assert titles() == ["dated", "undated"]
    assert titles(include_undated=True) == ["dated", "undated"]
    assert titles(date_from=D(2024, 10, 1)) == ["dated"]
    assert titles(date_from=D(2024, 10, 1), include_undated=True) == ["dated", "undated"]
    assert titles(date_to=D(2024, 1, 1), include_undated=True) == ["undated"]
    form = TimelineFilterForm(QueryDict("from=Oct+2024&undated=on"), matter=new_york)
    assert form.is_valid() and form.to_filters().include_undated
    assert 'name="undated"' in str(form["include_undated"])
    assert ExportForm.initial_from_query(QueryDict("from=Oct+2024&undated=on"))["include_undated"] is True


def test_the_timeline_the_export_and_the_command_keep_the_same_events(new_york, user, tmp_path):
    for title, date in [("before 2025", "before 2025"), ("after Aug 2024", "after Aug 2024"), ("Sept", "Sept 2024"),
                        ("undated", "unknown"), ("2026", "2026")]:  # fmt: skip
        make_event(new_york, date=date, title=title)
    timeline = TimelineFilterForm(QueryDict("from=Oct+2024&to=2025"), matter=new_york)
    export = ExportForm({"format": "csv", "paper": "letter", "date_from": "Oct 2024", "date_to": "2025"},
                        matter=new_york)  # fmt: skip
    assert timeline.is_valid() and export.is_valid(), (timeline.errors, export.errors)
    shown = [e.title for e in events_for_timeline(matter=new_york, filters=timeline.to_filters())]
    exported = [e.title for e in events_for_timeline(matter=new_york, filters=export.to_filters())]
    out = tmp_path / "chronology.csv"
    call_command("export_chronology", matter=new_york.slug, out=str(out), date_from="Oct 2024", date_to="2025",
                 user=user.username, stdout=io.StringIO())  # fmt: skip
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert shown == exported == [row["title"] for row in rows] == ["after Aug 2024", "before 2025"]
    call_command("export_chronology", matter=new_york.slug, out=str(out), date_from="Oct 2024", date_to="2025",
                 include_undated=True, user=user.username, stdout=io.StringIO())  # fmt: skip
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert [row["title"] for row in rows] == ["after Aug 2024", "before 2025", "undated"]


@pytest.mark.parametrize(
    ("filters", "line"),
    [
        (TimelineFilters(date_from=D(2024, 10, 1), date_to=D(2025, 12, 31)),
         "Dates: events that may fall between Oct 1, 2024 and Dec 31, 2025 (overlapping spans; undated events "
         "excluded)"),
        (TimelineFilters(date_from=D(2024, 9, 1), include_undated=True),
         "Dates: events that may fall on or after Sept 1, 2024 (overlapping spans; undated events included)"),
        (TimelineFilters(date_to=D(2025, 6, 30)),
         "Dates: events that may fall on or before June 30, 2025 (overlapping spans; undated events excluded)"),
    ],
)  # fmt: skip
def test_the_cover_states_the_rule_with_the_window(filters, line):
    described = filters.describe()
    assert line in described
    assert sum(part.startswith("Dates:") for part in described) == 1
    assert not any(part.startswith("Dates:") for part in TimelineFilters(include_undated=True).describe())
