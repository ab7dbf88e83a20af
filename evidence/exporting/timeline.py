"""The visual timeline: dated events on a time axis, as an inline <svg> string for the web page and the PDF alike.

A date is drawn as what it covers: "Aug 2024" is a faint band across August with its mark in the middle, never a
point on Aug 1. Marks closer than a few pixels are grouped into one numbered mark, so a thousand events stay
readable; key facts are drawn in red (a group containing one is red too). Labels are drawn while there is room for
them, on up to `MAX_LANES` lanes above the axis. Undated events cannot be placed and are counted in a note.
Every user string is escaped; with `link`, each mark is an <a href> to the (first) event it stands for.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.utils.html import escape

KEY_COLOUR = "#a4161a"
EVENT_COLOUR = "#1f3a5f"
BAND_COLOUR = "#7d8fa6"
AXIS_COLOUR = "#333333"
GROUP_GAP = 13  # px: marks closer than this are grouped
MAX_LANES = 5
MAX_LABEL_CHARS = 44
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "June", "July", "Aug", "Sept", "Oct", "Nov", "Dec")


@dataclass
class _Mark:
    x: float
    events: list = field(default_factory=list)

    @property
    def key(self) -> bool:
        return any(e.is_key for e in self.events)


def _truncate(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _ticks(lo: dt.date, hi: dt.date) -> list[tuple[dt.date, str]]:
    span = (hi - lo).days
    ticks = []
    if span > 3 * 366:
        years = hi.year - lo.year + 1
        step = max(1, math.ceil(years / 10))
        for year in range(lo.year + (1 if lo > dt.date(lo.year, 1, 1) else 0), hi.year + 1):
            if year % step == 0 or step == 1:
                ticks.append((dt.date(year, 1, 1), str(year)))
    elif span > 75:
        months = (hi.year - lo.year) * 12 + hi.month - lo.month + 1
        step = next(s for s in (1, 2, 3, 6, 12) if months / s <= 12)
        y, m = lo.year, lo.month
        if lo.day > 1:
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        while dt.date(y, m, 1) <= hi:
            if (m - 1) % step == 0:
                ticks.append((dt.date(y, m, 1), f"{MONTHS[m - 1]} {y}"))
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    else:
        step = next(s for s in (1, 2, 7, 14, 28) if span / s <= 12)
        day = lo
        while day <= hi:
            ticks.append((day, f"{MONTHS[day.month - 1]} {day.day}, {day.year}" if not ticks else
                          f"{MONTHS[day.month - 1]} {day.day}"))  # fmt: skip
            day += dt.timedelta(days=step)
    return ticks


def render_timeline_svg(events: Iterable, *, link: Callable | None = None, width: int = 960) -> str:
    events = list(events)
    dated = [e for e in events if e.date_first_day]
    undated = len(events) - len(dated)
    font = 11
    char_w = font * 0.5
    left, right = 12, width - 12
    if not dated:
        note = "No dated events to show." + (
            f" {undated} undated event{'s' if undated != 1 else ''}." if undated else ""
        )
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" class="timeline" width="{width}" height="40" '
            f'viewBox="0 0 {width} 40" role="img" aria-label="Timeline">'
            f'<text x="{left}" y="24" font-size="{font}" fill="{AXIS_COLOUR}">{escape(note)}</text></svg>'
        )

    lo = min(e.date_first_day for e in dated)
    hi = max(e.date_last_day for e in dated) + dt.timedelta(days=1)
    pad = dt.timedelta(days=max(2, round((hi - lo).days * 0.03)))
    lo_p, hi_p = lo - pad, hi + pad
    scale = (right - left) / max(1, (hi_p - lo_p).days)

    def x_of(day: dt.date) -> float:
        return left + (day - lo_p).days * scale

    # Marks, grouped when close.
    placed = sorted(
        (((x_of(e.date_first_day) + x_of(e.date_last_day + dt.timedelta(days=1))) / 2, e) for e in dated),
        key=lambda pair: pair[0],
    )  # stable for equal x: events come in chronological order
    marks: list[_Mark] = []
    for x, event in placed:
        if marks and x - marks[-1].x < GROUP_GAP:
            group = marks[-1]
            group.events.append(event)
            group.x += (x - group.x) / len(group.events)  # running mean
        else:
            marks.append(_Mark(x=x, events=[event]))

    # Labels on lanes above the axis, first come first served.
    lanes_end = [-1e9] * MAX_LANES
    labels = []  # (mark, lane, text, anchor)
    for mark in marks:
        if len(mark.events) == 1:
            e = mark.events[0]
            text = f"{e.date.display()}: {_truncate(e.title, MAX_LABEL_CHARS)}"
        else:
            keys = sum(1 for e in mark.events if e.is_key)
            text = f"{len(mark.events)} events, {mark.events[0].date.display()} – {mark.events[-1].date.display()}"
            text += f" ({keys} key)" if keys else ""
        w = len(text) * char_w
        start, anchor = mark.x - 4, "start"
        if start + w > right:
            start, anchor = mark.x + 4 - w, "end"
        start = max(start, left)
        for lane in range(MAX_LANES):
            if lanes_end[lane] + 10 < start:
                lanes_end[lane] = start + w
                labels.append((mark, lane, text, anchor))
                break
    lanes = 1 + max((lane for _, lane, _, _ in labels), default=-1)
    lane_h = font + 5
    axis_y = 14 + lanes * lane_h + 22
    height = axis_y + 30 + (font + 8)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="timeline" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="Timeline of {len(dated)} dated events" '
        f'font-family="Liberation Serif, Times New Roman, serif" font-size="{font}">'
    ]
    # Period bands: what each date covers.
    for e in dated:
        x0, x1 = x_of(e.date_first_day), x_of(e.date_last_day + dt.timedelta(days=1))
        if x1 - x0 >= 2:
            out.append(f'<rect x="{x0:.1f}" y="{axis_y - 4}" width="{x1 - x0:.1f}" height="8" '
                       f'fill="{BAND_COLOUR}" fill-opacity="0.18"/>')  # fmt: skip
    # Axis and ticks.
    out.append(f'<line x1="{left}" y1="{axis_y}" x2="{right}" y2="{axis_y}" stroke="{AXIS_COLOUR}" stroke-width="1"/>')
    for day, label in _ticks(lo, hi):
        x = x_of(day)
        if left <= x <= right:
            out.append(f'<line x1="{x:.1f}" y1="{axis_y}" x2="{x:.1f}" y2="{axis_y + 5}" stroke="{AXIS_COLOUR}"/>')
            out.append(f'<text x="{x:.1f}" y="{axis_y + 8 + font}" text-anchor="middle" '
                       f'font-size="{font - 1}" fill="{AXIS_COLOUR}">{escape(label)}</text>')  # fmt: skip
    # Leaders first, then labels on a white ground, so a label is never crossed by another mark's leader.
    texts = []
    for mark, lane, text, anchor in labels:
        y = 14 + (lanes - 1 - lane) * lane_h + font
        colour = KEY_COLOUR if mark.key else EVENT_COLOUR
        out.append(f'<line x1="{mark.x:.1f}" y1="{y + 3}" x2="{mark.x:.1f}" y2="{axis_y - 7}" stroke="{colour}" '
                   f'stroke-width="0.6" stroke-opacity="0.6"/>')  # fmt: skip
        w = len(text) * char_w
        tx = max(mark.x - 4, left) if anchor == "start" else mark.x + 4
        x0 = tx if anchor == "start" else tx - w
        weight = ' font-weight="bold"' if mark.key else ""
        texts.append(
            f'<rect x="{x0 - 2:.1f}" y="{y - font + 1}" width="{w + 4:.1f}" height="{font + 3}" fill="#ffffff"/>'
            f'<text x="{tx:.1f}" y="{y}" text-anchor="{anchor}" fill="{colour}"{weight}>{escape(text)}</text>'
        )
    out.extend(texts)
    # Marks.
    for mark in marks:
        colour = KEY_COLOUR if mark.key else EVENT_COLOUR
        n = len(mark.events)
        if n == 1:
            e = mark.events[0]
            r = 5 if e.is_key else 4
            shape = (
                f'<circle cx="{mark.x:.1f}" cy="{axis_y}" r="{r}" fill="{colour}" stroke="#ffffff" stroke-width="1"/>'
            )
            tip = f"{e.date.display()}: {e.title}"
        else:
            r = min(11, 6 + 1.3 * math.log2(n))
            shape = (
                f'<circle cx="{mark.x:.1f}" cy="{axis_y}" r="{r:.1f}" fill="{colour}" stroke="#ffffff" stroke-width="1"/>'
                f'<text x="{mark.x:.1f}" y="{axis_y + 3}" text-anchor="middle" font-size="{8 if n < 100 else 6.5}" '
                f'fill="#ffffff" font-weight="bold">{n}</text>'
            )
            tip = f"{n} events, {mark.events[0].date.display()} – {mark.events[-1].date.display()}"
        title = f"<title>{escape(tip)}</title>"
        if link is not None:
            out.append(f'<a href="{escape(link(mark.events[0]))}">{title}{shape}</a>')
        else:
            out.append(f"<g>{title}{shape}</g>")
    # Legend and the undated note.
    y = axis_y + 22 + font
    legend = [
        f'<circle cx="{left + 5}" cy="{y - 4}" r="5" fill="{KEY_COLOUR}"/>',
        f'<text x="{left + 14}" y="{y}">Key fact</text>',
        f'<circle cx="{left + 74}" cy="{y - 4}" r="4" fill="{EVENT_COLOUR}"/>',
        f'<text x="{left + 83}" y="{y}">Event</text>',
        f'<circle cx="{left + 130}" cy="{y - 4}" r="6" fill="{EVENT_COLOUR}"/>',
        f'<text x="{left + 130}" y="{y - 1}" text-anchor="middle" font-size="7" fill="#ffffff">n</text>',
        f'<text x="{left + 140}" y="{y}">n events grouped</text>',
        f'<rect x="{left + 238}" y="{y - 8}" width="22" height="8" fill="{BAND_COLOUR}" fill-opacity="0.35"/>',
        f'<text x="{left + 265}" y="{y}">period a date covers</text>',
    ]
    out.extend(legend)
    if undated:
        note = f"{undated} undated event{'s' if undated != 1 else ''} not shown"
        out.append(f'<text x="{right}" y="{y}" text-anchor="end" font-style="italic">{escape(note)}</text>')
    out.append("</svg>")
    return "".join(out)
