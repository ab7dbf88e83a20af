"""The visual timeline: well-formed SVG, escaped text, key facts highlighted, grouping when dense, links."""

import datetime as dt
import re
import xml.etree.ElementTree as ET

from evidence import dates
from evidence.exporting.timeline import BAND_COLOUR, EVENT_COLOUR, KEY_COLOUR, render_timeline_svg
from evidence.models import Event
from tests.factories import make_event

SVG = "{http://www.w3.org/2000/svg}"


def fake_event(date_text: str, title="Event", *, key=False, pk=None) -> Event:
    """An unsaved Event: the SVG needs only its date, title and key flag."""
    event = Event(title=title, is_key=key, pk=pk)
    event.date = dates.parse(date_text)
    return event


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def texts(root) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def test_small_timeline_labels_every_event_and_notes_undated(matter):
    events = [
        make_event(matter, date="Aug 2024", title="Setting introduced", is_key=True),
        make_event(matter, date="c. Sept 2024", title="Policy edited"),
        make_event(matter, date="Jan 24, 2025", title="Complaint filed"),
        make_event(matter, date="unknown", title="FAQ changed"),
    ]
    root = parse(render_timeline_svg(events))
    assert root.tag == f"{SVG}svg" and root.get("width") == "960"
    labels = texts(root)
    assert "Aug 2024: Setting introduced" in labels
    assert "c. Sept 2024: Policy edited" in labels
    assert "Jan 24, 2025: Complaint filed" in labels
    assert "1 undated event not shown" in labels
    assert not any("FAQ changed" in t for t in labels)
    key_marks = [c for c in root.iter(f"{SVG}circle") if c.get("fill") == KEY_COLOUR and c.get("stroke")]
    assert len(key_marks) == 1
    # Marks are in date order along the axis.
    marks = [float(c.get("cx")) for c in root.iter(f"{SVG}circle") if c.get("stroke")]
    assert marks == sorted(marks) and len(marks) == 3
    assert any(t.startswith("Sept 2024") or t.startswith("Aug 2024") for t in labels)  # month ticks


def test_user_text_is_escaped_and_links_are_marks():
    events = [
        fake_event("Aug 2024", '<script>alert("x")</script> & "quotes"', pk=1),
        fake_event("Jan 2025", "</svg><img src=x onerror=alert(1)>", pk=2),
    ]
    svg = render_timeline_svg(events, link=lambda e: f'/events/{e.pk}/?a=1&b="2"')
    assert "<script>" not in svg and "<img" not in svg
    root = parse(svg)  # well-formed: nothing broke out
    assert any('<script>alert("x")</script> & "quotes"' in t for t in texts(root))
    links = [a.get("href") for a in root.iter(f"{SVG}a")]
    assert links == ['/events/1/?a=1&b="2"', '/events/2/?a=1&b="2"']
    assert "<a " not in render_timeline_svg(events)  # no link for the PDF


def test_a_thousand_events_are_grouped_and_counted():
    events = []
    start = dt.date(2020, 1, 1)
    for i in range(1000):
        day = start + dt.timedelta(days=(i * 7) % 1500)
        events.append(fake_event(day.isoformat(), f"Event {i}", key=i % 97 == 0))
    events.append(fake_event("unknown", "Undated"))
    root = parse(render_timeline_svg(events, width=960))
    marks = [c for c in root.iter(f"{SVG}circle") if c.get("stroke")]
    assert len(marks) <= 80  # one mark per ~13 px at most
    counts = []
    for group in root.iter(f"{SVG}g"):
        label = list(group.iter(f"{SVG}text"))
        counts.append(int("".join(label[0].itertext())) if label else 1)
    assert sum(counts) == 1000
    assert any(c.get("fill") == KEY_COLOUR for c in marks) and any(c.get("fill") == EVENT_COLOUR for c in marks)
    assert "1 undated event not shown" in texts(root)
    years = [t for t in texts(root) if re.fullmatch(r"20\d\d", t)]
    assert years == ["2020", "2021", "2022", "2023", "2024"]


def test_no_dated_events():
    svg = render_timeline_svg([fake_event("unknown", "x"), fake_event("unknown", "y")])
    assert "No dated events to show. 2 undated events." in texts(parse(svg))
    assert "No dated events to show." in texts(parse(render_timeline_svg([])))


def test_a_single_day_and_a_range():
    root = parse(render_timeline_svg([fake_event("Aug 15, 2024", "Day"), fake_event("Aug 1 – 20, 2024", "Range")]))
    bands = [r for r in root.iter(f"{SVG}rect") if r.get("fill-opacity") == "0.18"]
    assert len(bands) == 2 and max(float(b.get("width")) for b in bands) > 10 * min(
        float(b.get("width")) for b in bands
    )


def band_rects(root) -> list[ET.Element]:
    """The bands drawn along the axis, in order (the last rectangle of their colour is the legend's sample)."""
    return [r for r in root.iter(f"{SVG}rect") if r.get("fill") == BAND_COLOUR][:-1]


def test_dates_covering_the_same_period_share_one_band_as_dark_as_their_bands_stacked():
    def drawn(n_months: int) -> ET.Element:
        events = [fake_event("Aug 2024", f"August {i}") for i in range(n_months)]
        return parse(render_timeline_svg([*events, fake_event("2025", "The year"), fake_event("Jan 3, 2025", "Day")]))

    one, many = band_rects(drawn(1)), band_rects(drawn(500))
    # August and 2025: one band each however many events fall in August (the day is too narrow for a band).
    assert len(one) == len(many) == 2
    assert [b.get("fill-opacity") for b in one] == ["0.18", "0.18"]
    august = many[0].get("fill-opacity")
    assert august == "1.0" and many[1].get("fill-opacity") == "0.18"
    three = band_rects(drawn(3))[0].get("fill-opacity")
    assert float(three) == round(1 - 0.82**3, 3)  # what three rectangles of 0.18 one over another show
    assert [b.get("x") for b in one] == [b.get("x") for b in many]
