"""The visual timeline's lanes of tracked sources: a lane per source under the axis, a diamond per version linked to
its page, the axis stretched to the versions' dates, a zoom leaving out the versions outside its window."""

import datetime as dt
import xml.etree.ElementTree as ET

from evidence.exporting.timeline import render_layout, timeline_layout
from evidence.tracked.band import BandVersion, SourceBand
from tests.exporting.test_timeline import SVG, fake_event

D = dt.date


def policy():
    return SourceBand(
        name="Privacy Policy",
        versions=[
            BandVersion(days=(D(2024, 1, 1), D(2024, 1, 1)), label="v1", tip="v1 effective Jan 1, 2024", href="/v/1"),
            BandVersion(days=(D(2024, 9, 1), D(2024, 9, 30)), label="v2", tip="v2 effective Sept 2024", href="/v/2"),
        ],
    )


def test_each_source_has_a_lane_under_the_axis_with_a_mark_per_version():
    events = [fake_event("Aug 15, 2024", "Setting introduced", pk=1), fake_event("Oct 2, 2024", "FAQ", pk=2)]
    plain = timeline_layout(events)
    layout = timeline_layout(events, sources=[policy(), SourceBand(name="FAQ", versions=[])])
    # the source without a dated version gets no lane; the axis reaches back to v1's Jan 1, 2024
    assert [lane.name for lane in layout.lanes] == ["Privacy Policy"]
    assert layout.first_day == D(2024, 1, 1) and plain.first_day == D(2024, 8, 15)
    lane = layout.lanes[0]
    assert lane.y > layout.axis_y and layout.legend_y > lane.y and layout.height > plain.height
    v1, v2 = lane.marks
    assert v1.x < v2.x
    # v2's month is drawn at its middle, between the events of Aug 15 and Oct 2
    marks = sorted(m.x for m in layout.marks)
    assert marks[0] < v2.x < marks[1]


def test_the_lane_is_drawn_with_links_to_the_versions():
    layout = timeline_layout([fake_event("Aug 15, 2024", pk=1)], sources=[policy()])
    root = ET.fromstring(render_layout(layout))
    lane = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "source-lane")
    links = [a.get("href") for a in lane.iter(f"{SVG}a")]
    assert links == ["/v/1", "/v/2"]
    texts = ["".join(t.itertext()) for t in lane.iter(f"{SVG}text")]
    assert texts == ["Privacy Policy", "v1", "v2"]
    assert [t.text for t in lane.iter(f"{SVG}title")] == ["v1 effective Jan 1, 2024", "v2 effective Sept 2024"]


def test_a_zoom_leaves_out_the_versions_outside_its_window():
    layout = timeline_layout(
        [fake_event("Sept 10, 2024", pk=1)], sources=[policy()], window=(D(2024, 8, 1), D(2024, 10, 31))
    )
    assert [m.label for m in layout.lanes[0].marks] == ["v2"]


def test_without_sources_the_timeline_is_drawn_as_before():
    layout = timeline_layout([fake_event("Aug 15, 2024", pk=1)])
    assert layout.lanes == []
    assert 'class="source-lane"' not in render_layout(layout)
