"""The visual timeline, zoomed and crowded: labels never overlap, key facts keep theirs, a window is drawn as asked,
and a group links to the list of its period."""

import datetime as dt

import pytest

from evidence.exporting.timeline import FONT, timeline_layout
from tests.exporting.test_timeline import fake_event


def crowded():
    """Forty events a week apart, every fifth a key fact, each with a long title: more labels than lanes can hold."""
    start = dt.date(2024, 1, 1)
    return [
        fake_event(
            (start + dt.timedelta(days=7 * i)).isoformat(),
            f"A long title for event number {i} of forty",
            key=i % 5 == 4,
            pk=i + 1,
        )  # fmt: skip
        for i in range(40)
    ]


def test_labels_never_overlap_and_every_key_fact_keeps_its_label():
    layout = timeline_layout(crowded(), width=960)
    boxes = [(label.y, label.ground_x, label.ground_x + label.ground_width) for label in layout.labels]
    for i, (y, x0, x1) in enumerate(boxes):
        for y2, a0, a1 in boxes[i + 1 :]:
            assert y != y2 or x1 <= a0 or a1 <= x0, "two labels overlap on one lane"
    assert len(layout.labels) < len(layout.marks)  # thinned, not overlapped
    key_marks = [m for m in layout.marks if m.colour == "#a4161a"]
    key_labels = [label for label in layout.labels if label.bold]
    assert len(key_labels) == len(key_marks) == 8
    assert all(label.y > 0 and label.ground_width > FONT for label in layout.labels)


def test_a_window_is_drawn_as_asked_with_only_the_events_centred_in_it():
    events = crowded() + [fake_event("2024", "The whole year", pk=99)]
    layout = timeline_layout(events, window=(dt.date(2024, 3, 1), dt.date(2024, 3, 31)))
    assert (layout.first_day, layout.last_day) == (dt.date(2024, 3, 1), dt.date(2024, 3, 31))
    assert layout.dated == 4  # March 4, 11, 18, 25; the year's middle (July 1) is outside
    assert all(layout.left <= m.x <= layout.right for m in layout.marks)
    empty = timeline_layout(events, window=(dt.date(2030, 1, 1), dt.date(2030, 1, 31)))
    assert empty.note == "No event falls in this window." and not empty.marks


def test_a_group_links_to_the_list_of_its_period_and_an_event_to_its_page():
    events = [fake_event("Aug 1, 2024", "a", pk=1), fake_event("Aug 2, 2024", "b", pk=2),
              fake_event("Dec 1, 2024", "c", pk=3)]  # fmt: skip
    layout = timeline_layout(events, link=lambda e: f"/event/{e.pk}", span_link=lambda a, b: f"/list?from={a}&to={b}")
    hrefs = sorted(m.href for m in layout.marks)
    assert hrefs == ["/event/3", "/list?from=2024-08-01&to=2024-08-02"]


@pytest.mark.parametrize("width", [320, 480, 720, 960, 1200, 2400])
@pytest.mark.parametrize(
    "window", [None, (dt.date(2024, 2, 1), dt.date(2024, 5, 31)), (dt.date(2024, 3, 4), dt.date(2024, 3, 20))]
)
def test_at_any_size_and_zoom_labels_never_overlap_and_key_facts_are_labelled_first(width, window):
    events = crowded()
    layout = timeline_layout(events, width=width, window=window)
    boxes = [(label.y, label.ground_x, label.ground_x + label.ground_width) for label in layout.labels]
    for i, (y, x0, x1) in enumerate(boxes):
        for y2, a0, a1 in boxes[i + 1 :]:
            assert y != y2 or x1 <= a0 or a1 <= x0, "two labels overlap on one lane"
    assert all(x0 >= 0 and x1 <= layout.width and y > 0 for y, x0, x1 in boxes), "a label drawn off the picture"
    key_marks = [m for m in layout.marks if m.colour == "#a4161a"]
    assert sum(m.count for m in layout.marks) == layout.dated
    drawn_keys = [e for e in events if e.is_key and (window is None or window[0] <= e.date_drawn_days[0] <= window[1])]
    assert len(key_marks) >= min(1, len(drawn_keys))  # every key fact is drawn red (alone or in its group)
    if any(not label.bold for label in layout.labels):  # an ordinary event labelled: then every key fact is
        assert len([label for label in layout.labels if label.bold]) == len(key_marks)
