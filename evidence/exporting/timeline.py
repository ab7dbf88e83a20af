"""The visual timeline: dated events on a time axis, laid out here as data and drawn by the template
`evidence/_timeline.svg` (an inline <svg> for the web page and the PDF alike).

A date is drawn as what it covers: "Aug 2024" is a faint band across August with its mark in the middle, never a
point on Aug 1. Marks closer than a few pixels are grouped into one numbered mark, so a thousand events stay
readable; key facts are drawn in red (a group containing one is red too). Labels are drawn while there is room for
them, on up to `MAX_LANES` lanes above the axis. Undated events cannot be placed and are counted in a note.

`timeline_layout` computes every position and string; it writes no markup. The template writes the markup, and
Django's autoescaping escapes every user string (titles, dates, links) it puts there. Titles are written through
`evidence.text.shown`, as everywhere: a bidi control is drawn as "[U+202E]", never obeyed, and no stored character
can make the SVG unreadable as XML.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from evidence.dates.values import MONTH_ABBR
from evidence.text import shown

TEMPLATE = "evidence/_timeline.svg"
KEY_COLOUR = "#a4161a"
KEY_LEGEND_WIDTH = 74  # the legend's "Key fact" entry, before its "Event" entry
EVENT_COLOUR = "#1f3a5f"
BAND_COLOUR = "#7d8fa6"
BAND_OPACITY = 0.18  # of one date's band; where several dates cover the same period their bands darken it
AXIS_COLOUR = "#333333"
GROUP_GAP = 13  # px: marks closer than this are grouped
MAX_LANES = 5
MAX_LABEL_CHARS = 44
FONT = 11  # px
CHAR_WIDTH = FONT * 0.5  # an estimate: the layout cannot measure text
MARGIN = 12  # px left and right of the axis
TOP = 14  # px above the highest lane
LANE_HEIGHT = FONT + 5
LANE_SPACING = 24  # px between tracked sources' lanes under the axis
LANES_TOP = 40  # px from the axis to the first lane: below the ticks' labels, with room for the lane's name
LANE_COLOUR = "#6b4a8a"


@dataclass(frozen=True)
class Band:
    """The period a date covers, drawn across the axis. Dates covering the same period share one band, drawn as dark
    as their bands stacked one over another (`stacked_opacity`): a rectangle per date made the page grow with the
    events (30,000 rectangles at 100,000 events) for the same picture."""

    x: float
    width: float
    opacity: float = BAND_OPACITY


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class Label:
    """A mark's label on its lane, on a white ground, with a leader down to the mark."""

    text: str
    x: float
    y: int
    anchor: str  # "start" or "end"
    colour: str
    bold: bool
    leader_x: float
    leader_top: int
    ground_x: float
    ground_y: int
    ground_width: float


@dataclass(frozen=True)
class Mark:
    """One event, or a group of events too close to tell apart (`count` > 1, drawn with the number on it)."""

    x: float
    radius: float
    colour: str
    count: int
    count_size: float
    tip: str
    href: str = ""


@dataclass(frozen=True)
class VersionMark:
    """A version of a tracked source on its lane: drawn as a diamond at the middle of the days its date covers."""

    x: float
    label: str  # "v2"
    tip: str
    href: str = ""


@dataclass(frozen=True)
class SourceLane:
    """A tracked source's versions, one lane under the axis (evidence.tracked.band gives them)."""

    name: str
    y: int
    marks: list[VersionMark] = field(default_factory=list)


@dataclass(frozen=True)
class TimelineLayout:
    width: int
    height: int
    note: str  # the undated events not shown, or why nothing is drawn
    dated: int = 0
    axis_y: int = 0
    bands: list[Band] = field(default_factory=list)
    ticks: list[Tick] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)
    marks: list[Mark] = field(default_factory=list)
    font: int = FONT
    left: int = MARGIN
    right: int = 0
    key_colour: str = KEY_COLOUR
    event_colour: str = EVENT_COLOUR
    band_colour: str = BAND_COLOUR
    axis_colour: str = AXIS_COLOUR
    first_day: dt.date | None = None  # the span drawn: the first and last day any dated event may fall on
    last_day: dt.date | None = None
    show_key: bool = True  # False: key facts drawn as any other (the filing version), no "Key fact" in the legend
    lanes: list[SourceLane] = field(default_factory=list)  # tracked sources' versions, under the axis
    # How many of the events drawn fall in each of OVERVIEW_BUCKETS equal slices of the span (by the middle of what
    # their dates cover), key facts apart: the page's overview strip, on which a span is chosen to zoom to.
    overview: list[int] = field(default_factory=list)
    overview_key: list[int] = field(default_factory=list)

    @property
    def legend_x(self) -> int:
        """Where the legend starts: its "Key fact" entry takes the first 74 px, left out with show_key."""
        return self.left if self.show_key else self.left - KEY_LEGEND_WIDTH

    # Offsets from the axis of what is drawn along it.
    @property
    def band_y(self) -> int:
        return self.axis_y - 4

    @property
    def tick_end_y(self) -> int:
        return self.axis_y + 5

    @property
    def tick_text_y(self) -> int:
        return self.axis_y + 8 + self.font

    @property
    def leader_bottom(self) -> int:
        return self.axis_y - 7

    @property
    def ground_height(self) -> int:
        return self.font + 3

    @property
    def count_y(self) -> int:
        return self.axis_y + 3

    @property
    def legend_y(self) -> int:
        return self.axis_y + 22 + self.font + lanes_height(len(self.lanes))

    @property
    def lane_colour(self) -> str:
        return LANE_COLOUR


@dataclass
class _Group:
    x: float
    events: list = field(default_factory=list)

    @property
    def key(self) -> bool:
        return any(e.is_key for e in self.events)


def render_timeline_svg(
    events: Iterable,
    *,
    link: Callable | None = None,
    span_link: Callable | None = None,
    width: int = 960,
    show_key: bool = True,
) -> SafeString:
    """The timeline as an <svg> element; with `link`, each mark is an <a href> to the event it stands for, and with
    `span_link` (first day, last day) a group's mark links to the list of the period it covers."""
    return render_layout(timeline_layout(events, link=link, span_link=span_link, width=width, show_key=show_key))


class _Unmarked:
    """An event as the filing version draws it: no key fact, which is the team's own judgment."""

    is_key = False

    def __init__(self, event):
        self._event = event

    def __getattr__(self, name):
        return getattr(self._event, name)


def render_layout(layout: TimelineLayout) -> SafeString:
    return render_to_string(TEMPLATE, {"timeline": layout})


def timeline_layout(
    events: Iterable,
    *,
    link: Callable | None = None,
    span_link: Callable | None = None,
    width: int = 960,
    window: tuple[dt.date, dt.date] | None = None,
    show_key: bool = True,
    sources: list | None = None,
) -> TimelineLayout:
    """With `window` (first and last day), the axis is that window (a zoom): an event is drawn there if the middle
    of what its date covers falls in it, its band cut at the window's edges. With `sources` (evidence.tracked.band:
    each with `name` and `versions`, each version with `days`, `label`, `tip` and `href`), each source gets a lane
    under the axis with a mark per version, and the axis spans their dates too."""
    events = list(events) if show_key else [_Unmarked(e) for e in events]
    dated = [e for e in events if e.date_first_day]
    undated = len(events) - len(dated)
    if not dated:
        note = "No dated events to show." + (f" {undated} undated {_events(undated)}." if undated else "")
        return TimelineLayout(width=width, height=40, note=note, right=width - MARGIN)
    sources = [s for s in sources or () if s.versions]
    axis = _Axis(dated, width, window, extra=[v.days for s in sources for v in s.versions])
    if window:

        def centre(e):
            first, last = e.date_drawn_days
            return first + (last - first) / 2

        dated = [e for e in dated if window[0] <= centre(e) <= window[1]]
        if not dated:
            return TimelineLayout(width=width, height=40, note="No event falls in this window.", right=width - MARGIN,
                                  first_day=window[0], last_day=window[1])  # fmt: skip
    groups = _group(dated, axis)
    placed = _place_labels(groups, axis)
    lanes = 1 + max((lane for _, lane, _, _, _ in placed), default=-1)
    axis_y = TOP + lanes * LANE_HEIGHT + 22
    source_lanes = [_lane(source, axis, axis_y + LANES_TOP + i * LANE_SPACING) for i, source in enumerate(sources)]
    return TimelineLayout(
        width=width,
        height=axis_y + 30 + (FONT + 8) + lanes_height(len(source_lanes)),
        note=f"{undated} undated {_events(undated)} not shown" if undated else "",
        dated=len(dated),
        axis_y=axis_y,
        bands=_bands(dated, axis),
        ticks=[Tick(_r(axis.x(day)), label) for day, label in _ticks(axis.lo, axis.hi) if axis.within(axis.x(day))],
        labels=[_label(group, lane, text, anchor, start, lanes, axis_y) for group, lane, text, anchor, start in placed],
        marks=[_mark(group, link, span_link) for group in groups],
        right=axis.right,
        show_key=show_key,
        first_day=axis.lo,
        last_day=axis.hi - dt.timedelta(days=1),
        lanes=source_lanes,
        overview=_overview(dated, axis),
        overview_key=_overview([e for e in dated if e.is_key], axis),
    )


def lanes_height(count: int) -> int:
    """What `count` lanes of tracked sources add under the axis, before the legend."""
    return LANES_TOP - 22 - FONT + count * LANE_SPACING if count else 0


def _lane(source, axis: _Axis, y: int) -> SourceLane:
    """A source's lane: a mark per version whose middle day falls within the axis (a zoom leaves the others out)."""
    marks = []
    for version in source.versions:
        first, last = version.days
        x = axis.x(first) + (axis.x(last + dt.timedelta(days=1)) - axis.x(first)) / 2
        if axis.within(x):
            marks.append(VersionMark(x=_r(x), label=version.label, tip=version.tip, href=version.href))
    return SourceLane(name=_truncate(shown(source.name), MAX_LABEL_CHARS), y=y, marks=marks)


OVERVIEW_BUCKETS = 120


def _overview(dated: list, axis: _Axis) -> list[int]:
    counts = [0] * OVERVIEW_BUCKETS
    days = max(1, (axis.hi - axis.lo).days)
    for event in dated:
        first, last = event.date_drawn_days
        centre = first + (last - first) / 2
        counts[min(OVERVIEW_BUCKETS - 1, max(0, int((centre - axis.lo).days / days * OVERVIEW_BUCKETS)))] += 1
    return counts


class _Axis:
    """Days to x: the dated span (or the `window` asked for) with a margin of 3% (at least two days) on each side."""

    def __init__(self, dated: list, width: int, window: tuple[dt.date, dt.date] | None = None, extra=()):
        self.left, self.right = MARGIN, width - MARGIN
        if window:
            self.lo, self.hi = window[0], window[1] + dt.timedelta(days=1)
        else:
            spans = [e.date_drawn_days for e in dated] + list(extra)
            self.lo = min(first for first, _ in spans)
            self.hi = max(last for _, last in spans) + dt.timedelta(days=1)
        pad = dt.timedelta(days=max(2, round((self.hi - self.lo).days * 0.03)))
        self.start = self.lo - pad
        self.scale = (self.right - self.left) / max(1, (self.hi + pad - self.start).days)

    def x(self, day: dt.date) -> float:
        return self.left + (day - self.start).days * self.scale

    def span(self, event) -> tuple[float, float]:
        return self.x(event.date_drawn_days[0]), self.x(event.date_drawn_days[1] + dt.timedelta(days=1))

    def within(self, x: float) -> bool:
        return self.left <= x <= self.right


def _group(dated: list, axis: _Axis) -> list[_Group]:
    """Each event at the middle of what its date covers; events closer than `GROUP_GAP` share one mark."""
    placed = sorted(((sum(axis.span(e)) / 2, e) for e in dated), key=lambda pair: pair[0])
    groups: list[_Group] = []
    for x, event in placed:  # stable for equal x: events come in chronological order
        if groups and x - groups[-1].x < GROUP_GAP:
            group = groups[-1]
            group.events.append(event)
            group.x += (x - group.x) / len(group.events)  # running mean
        else:
            groups.append(_Group(x=x, events=[event]))
    return groups


def _place_labels(groups: list[_Group], axis: _Axis) -> list[tuple[_Group, int, str, str, float]]:
    """(group, lane, text, anchor, start) for each group whose label fits on a lane without touching another label: the
    groups holding a key fact first, so that a key fact keeps its label wherever labels are thinned, then the
    others in date order. A label that fits nowhere is left out (its mark keeps its title), never overlapped."""
    taken: list[list[tuple[float, float]]] = [[] for _ in range(MAX_LANES)]
    placed = []
    room = int((axis.right - axis.left) / CHAR_WIDTH)  # a label never runs past the picture's edges
    for group in [g for g in groups if g.key] + [g for g in groups if not g.key]:
        # A key fact whose label does not fit keeps at least its date (the title is in the mark's tooltip).
        for text in (_label_text(group.events), *([_short_label(group.events)] if group.key else [])):
            text = _truncate(text, room)
            spot = _free_spot(taken, group.x, len(text) * CHAR_WIDTH, axis)
            if spot is not None:
                lane, start, anchor = spot
                taken[lane].append((start, start + len(text) * CHAR_WIDTH))
                placed.append((group, lane, text, anchor, start))
                break
    return sorted(placed, key=lambda p: p[0].x)


def _free_spot(taken, x: float, w: float, axis: _Axis) -> tuple[int, float, str] | None:
    start, anchor = x - 4, "start"
    if start + w > axis.right:
        start, anchor = x + 4 - w, "end"
    start = max(start, axis.left)
    for lane in range(MAX_LANES):
        if all(start > end + 10 or start + w + 10 < begin for begin, end in taken[lane]):
            return lane, start, anchor
    return None


def _short_label(events: list) -> str:
    return events[0].date.display() if len(events) == 1 else _span_text(events)


def _label_text(events: list) -> str:
    if len(events) == 1:
        return f"{events[0].date.display()}: {_truncate(shown(events[0].title), MAX_LABEL_CHARS)}"
    keys = sum(1 for e in events if e.is_key)
    return _span_text(events) + (f" ({keys} key)" if keys else "")


def _label(group: _Group, lane: int, text: str, anchor: str, start: float, lanes: int, axis_y: int) -> Label:
    """The label drawn exactly where _free_spot reserved its room: from `start`, `anchor` saying which end of the
    text is tied to that spot."""
    y = TOP + (lanes - 1 - lane) * LANE_HEIGHT + FONT
    w = len(text) * CHAR_WIDTH
    x = start if anchor == "start" else start + w
    ground_x = start
    return Label(
        text=text,
        x=_r(x),
        y=y,
        anchor=anchor,
        colour=KEY_COLOUR if group.key else EVENT_COLOUR,
        bold=group.key,
        leader_x=_r(group.x),
        leader_top=y + 3,
        ground_x=_r(ground_x - 2),
        ground_y=y - FONT + 1,
        ground_width=_r(w + 4),
    )


def _mark(group: _Group, link: Callable | None, span_link: Callable | None = None) -> Mark:
    events, n = group.events, len(group.events)
    if n == 1:
        radius, tip = (5 if events[0].is_key else 4), f"{events[0].date.display()}: {shown(events[0].title)}"
    else:
        radius, tip = _r(min(11, 6 + 1.3 * math.log2(n))), _span_text(events)
    if n > 1 and span_link is not None:
        first, last = min(e.date_drawn_days[0] for e in events), max(e.date_drawn_days[1] for e in events)
        return Mark(x=_r(group.x), radius=radius, colour=KEY_COLOUR if group.key else EVENT_COLOUR, count=n,
                    count_size=8 if n < 100 else 6.5, tip=f"{tip}: open them in the list",
                    href=span_link(first, last))  # fmt: skip
    return Mark(
        x=_r(group.x),
        radius=radius,
        colour=KEY_COLOUR if group.key else EVENT_COLOUR,
        count=n,
        count_size=8 if n < 100 else 6.5,
        tip=tip,
        href=link(events[0]) if link is not None else "",
    )


def _bands(dated: list, axis: _Axis) -> list[Band]:
    counts: dict[tuple[float, float], int] = {}
    for event in dated:
        x0, x1 = axis.span(event)
        x0, x1 = max(x0, axis.left), min(x1, axis.right)
        if x1 - x0 >= 2:
            band = (_r(x0), _r(x1 - x0))
            counts[band] = counts.get(band, 0) + 1
    return [Band(x=x, width=width, opacity=stacked_opacity(n)) for (x, width), n in counts.items()]


def stacked_opacity(n: int) -> float:
    """The opacity of `n` bands of BAND_OPACITY drawn one over another, in one colour: each lets 1 - BAND_OPACITY of
    what is below show through."""
    return round(1 - (1 - BAND_OPACITY) ** n, 3)


def _ticks(lo: dt.date, hi: dt.date) -> list[tuple[dt.date, str]]:
    """Years over three years, months over two and a half months, days below; a dozen ticks at most."""
    span = (hi - lo).days
    if span > 3 * 366:
        step = max(1, math.ceil((hi.year - lo.year + 1) / 10))
        first = lo.year + (1 if lo > dt.date(lo.year, 1, 1) else 0)
        return [(dt.date(y, 1, 1), str(y)) for y in range(first, hi.year + 1) if y % step == 0 or step == 1]
    if span > 75:
        return _month_ticks(lo, hi)
    step = next(s for s in (1, 2, 7, 14, 28) if span / s <= 12)
    ticks = []
    day = lo
    while day <= hi:
        text = f"{MONTH_ABBR[day.month - 1]} {day.day}"
        ticks.append((day, text if ticks else f"{text}, {day.year}"))
        day += dt.timedelta(days=step)
    return ticks


def _month_ticks(lo: dt.date, hi: dt.date) -> list[tuple[dt.date, str]]:
    months = (hi.year - lo.year) * 12 + hi.month - lo.month + 1
    step = next(s for s in (1, 2, 3, 6, 12) if months / s <= 12)
    y, m = lo.year, lo.month
    if lo.day > 1:
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    ticks = []
    while dt.date(y, m, 1) <= hi:
        if (m - 1) % step == 0:
            ticks.append((dt.date(y, m, 1), f"{MONTH_ABBR[m - 1]} {y}"))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return ticks


def _span_text(events: list) -> str:
    return f"{len(events)} events, {events[0].date.display()} – {events[-1].date.display()}"


def _events(n: int) -> str:
    return "event" if n == 1 else "events"


def _truncate(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _r(value: float) -> float:
    """A coordinate to a tenth of a pixel: finer is invisible and only makes the SVG longer."""
    return round(value, 1)
