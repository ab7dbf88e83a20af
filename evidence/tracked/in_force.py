"""Which version of a tracked source was in force on a date, and why (the "In force on" page and `manage.py in_force`).

A version starts to apply on its effective date when the source states one ("Aug 15, 2024", or only "Aug 2024": then
on some day of August). Otherwise its start is known only to lie in a window: after the previous version was last
seen (its capture, its first-seen date or its effective date, whichever is latest) and no later than this version
was first seen (its first-seen date or its capture, whichever is earliest). A version seen before its effective date
(a policy published ahead of the day it takes effect) starts on the effective date: sightings bound a start only
where the effective date leaves it open ("before Sept 2024").

Days are the unit, counted in the matter's zone as every derived date is (evidence.dates: `span`); a version seen on
a day is taken as in force that day, and a time in the question is answered for its day. The question is a
PartialDate of any precision and covers the days of its span: "Aug 2024" is Aug 1-31, "Q3 2024" July 1 - Sept 30,
"before Aug 2024" every day up to July 31; "c." widens nothing, as elsewhere, and the answer says so.

A version *may apply* when some day of the question can fall on or after its start and before the next version's
start, given both windows. The answer is certain when exactly one version may apply and no day of the question can
fall before the first known version; otherwise every version that may apply is named, each change that may fall in
the question with its reason ("the date covers Aug 1 - Aug 31, 2024; v2 took effect Aug 15, 2024").

Audiences: a version with audiences applies only to them, one without to everyone. An audience's versions are the
ones that apply to it, in the source's order, and its answer is worked out on them alone. With no audience asked,
the answer for everyone outside the scoped audiences is compared with each audience's: when one differs, each is
given, so the reader sees that the answer depends on the audience.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from evidence.dates import UNDATED, DatePoint, PartialDate, Precision, display_day, display_instant, zones

MIN, MAX = dt.date.min, dt.date.max
EVERYONE = "Everyone"


@dataclass(frozen=True)
class VersionFacts:
    """A version as the answer needs it. `label` names it in the reasons ("v2"); `ref` is what the caller links to."""

    label: str
    effective: PartialDate = UNDATED
    first_seen: PartialDate = UNDATED
    captured_at: dt.datetime | None = None  # aware
    audiences: frozenset[str] = frozenset()
    ref: object = field(default=None, compare=False)


@dataclass(frozen=True)
class Answer:
    """The answer for one audience (`scope`): the versions that may apply, in order, with the versions just before
    and just after them, and the reasons."""

    scope: str
    versions: tuple[VersionFacts, ...]
    none_known: bool  # some day of the question may fall before every known version of this audience
    before: VersionFacts | None
    after: VersionFacts | None
    reasons: tuple[str, ...]

    @property
    def certain(self) -> bool:
        return len(self.versions) == 1 and not self.none_known

    @property
    def summary(self) -> str:
        """ "v2", "Either v1 or v2 may apply", "No version known in force"…"""
        labels = [v.label for v in self.versions]
        if not labels:
            return "No version known in force"
        if self.certain:
            return labels[0]
        if self.none_known and len(labels) == 1:
            return f"Either no known version or {labels[0]} may apply"
        if self.none_known:
            return f"No known version, {_or(labels)} may apply"
        return f"{'Either' if len(labels) == 2 else 'Any of'} {_or(labels)} may apply"


@dataclass(frozen=True)
class InForce:
    query: PartialDate
    covers: str  # the days the question covers, in words
    audience: str | None  # the audience asked for, or None
    answers: tuple[Answer, ...]  # one, or (with no audience asked and answers that differ) one per audience
    notes: tuple[str, ...] = ()

    @property
    def depends_on_audience(self) -> bool:
        return len(self.answers) > 1


@dataclass(frozen=True)
class _Start:
    """The days on which a version may have started to apply (lo..hi), and why."""

    lo: dt.date
    hi: dt.date
    why: str
    window: bool = False  # between two sightings (else the effective date, or the first version's first sighting)


@dataclass(frozen=True)
class _Seen:
    day: dt.date
    text: str  # a clause: "v2 was first seen Sept 18, 2024"


def in_force(
    versions: list[VersionFacts], query: PartialDate, *, audience: str | None = None, home: str | None = None
) -> InForce:
    """The versions (in the source's order) that may have applied on `query`, for `audience` or for each audience
    the answer depends on; `home` is the matter's zone. ValidationError for a question without a date."""
    if query.undated:
        raise ValidationError("Give the date to ask about, e.g. “Aug 2024”, “Aug 15, 2024” or “Q3 2024”.")
    q_lo, q_hi = query.span(home)
    covers = _covers(q_lo, q_hi)
    notes = []
    if query.approximate:
        notes.append(f"The date is approximate (c.); the answer is for the days it states ({covers}), no wider.")
    if query.start.precision == Precision.MINUTE:
        notes.append(f"A time is answered for its whole day ({covers}), in the matter's time zone.")

    def answer(scope: str, keep) -> Answer:
        return _answer([v for v in versions if keep(v)], q_lo, q_hi, covers, home, scope)

    if audience is not None:
        answers = (answer(audience, lambda v: not v.audiences or audience in v.audiences),)
    else:
        everyone = answer(EVERYONE, lambda v: not v.audiences)
        names = sorted({name for v in versions for name in v.audiences}, key=str.casefold)
        scoped = [answer(name, lambda v, name=name: not v.audiences or name in v.audiences) for name in names]
        if all(_same(a, everyone) for a in scoped):
            answers = (everyone,)
        else:
            outside = f"Everyone not in {_and([f'“{name}”' for name in names])}"
            answers = (dataclasses.replace(everyone, scope=outside), *scoped)
    return InForce(query=query, covers=covers, audience=audience, answers=answers, notes=tuple(notes))


def _same(a: Answer, b: Answer) -> bool:
    return [id(v) for v in a.versions] == [id(v) for v in b.versions] and a.none_known == b.none_known


def _answer(seq: list[VersionFacts], q_lo, q_hi, covers: str, home: str | None, scope: str) -> Answer:
    if not seq:
        who = "" if scope == EVERYONE else f" to {scope}"
        return Answer(scope, (), True, None, None, (f"No version of the source is known to apply{who}.",))
    starts = [_start(v, seq[i - 1] if i else None, home) for i, v in enumerate(seq)]
    n = len(starts)
    # Starts are in order, so a version cannot start before an earlier one's earliest start, nor end after a later
    # one's latest start.
    earliest = [max(s.lo for s in starts[: i + 1]) for i in range(n)]
    ends = [min((s.hi for s in starts[i + 1 :]), default=None) for i in range(n)]
    last_day = [MAX if end is None else _before(end) for end in ends]
    may = [i for i in range(n) if max(earliest[i], q_lo) <= min(last_day[i], q_hi)]
    none_known = q_lo < starts[0].hi
    reasons = []
    if none_known:
        reasons.append(f"No version is known in force before the first: {starts[0].why}.")
    if may:
        first, last = may[0], may[-1]
        if not none_known:
            reasons.append(_placed(starts[first], "on or before"))
        reasons.extend(_straddle(starts[j], covers) for j in range(first + 1, last + 1))
        if last + 1 < n:
            reasons.append(_placed(starts[last + 1], "after"))
    elif not none_known:  # the windows contradict each other (captures out of order): say what is known
        reasons.extend(f"{s.why}." for s in starts)
    for i in may:
        if seq[i].audiences:
            reasons.append(f"{seq[i].label} applies only to {_and(sorted(seq[i].audiences, key=str.casefold))}.")
    return Answer(
        scope=scope,
        versions=tuple(seq[i] for i in may),
        none_known=none_known,
        before=seq[may[0] - 1] if may and may[0] else None,
        after=seq[may[-1] + 1] if may and may[-1] + 1 < n else (seq[0] if not may else None),
        reasons=tuple(reasons),
    )


def _placed(start: _Start, where: str) -> str:
    """A start known to fall `where` ("on or before", "after") the date."""
    if start.window:
        return f"{start.why}: the change fell {where} the date."
    return f"{start.why}, {where} the date."


def _straddle(start: _Start, covers: str) -> str:
    if start.window:
        return f"{start.why}: a change between them may fall on the date."
    return f"The date covers {covers}; {start.why}: either version may apply."


def _start(v: VersionFacts, prev: VersionFacts | None, home: str | None) -> _Start:
    first = _first_seen(v, home)
    last = _last_seen(prev, home) if prev is not None else None
    if not v.effective.undated:
        lo, hi = v.effective.span(home)
        why = f"{v.label} took effect {v.effective.display()}"
        if lo == MIN and last is not None and last.day < hi:  # "before Sept 2024": after the previous was seen
            lo = _after(last.day)
            why += f" and {last.text}"
        if hi == MAX and first is not None and first.day >= lo:  # "after Aug 2024": by the time it was seen
            hi = first.day
            why += f" and {first.text}"
        return _Start(lo, hi, why)
    if first is None:
        return _Start(MAX, MAX, f"{v.label} has no effective date, first-seen date or capture time")
    if prev is None:
        return _Start(first.day, first.day, first.text)
    if last is None:
        return _Start(MIN, first.day, f"{prev.label} has no date and {first.text}", window=True)
    lo = min(_after(last.day), first.day)  # seen the same day: the change fell on that day
    return _Start(lo, first.day, f"{last.text} and {first.text}", window=True)


def _first_seen(v: VersionFacts, home: str | None) -> _Seen | None:
    """The latest day by which `v` was certainly seen: its first-seen date's last day, or its capture if earlier."""
    seen = []
    if not v.first_seen.undated and (day := v.first_seen.span(home)[1]) != MAX:
        seen.append(_Seen(day, f"{v.label} was first seen {v.first_seen.display()}"))
    if v.captured_at is not None:
        seen.append(_Seen(_day(v.captured_at, home), f"{v.label} was first seen {_instant(v.captured_at, home)}"))
    return min(seen, key=lambda s: s.day, default=None)


def _last_seen(v: VersionFacts, home: str | None) -> _Seen | None:
    """The latest day `v` is known to have been seen or in force: the next version started after it."""
    seen = []
    if not v.effective.undated and (day := v.effective.span(home)[0]) != MIN:
        seen.append(_Seen(day, f"{v.label} took effect {v.effective.display()}"))
    if not v.first_seen.undated and (day := v.first_seen.span(home)[0]) != MIN:
        seen.append(_Seen(day, f"{v.label} was last seen {v.first_seen.display()}"))
    if v.captured_at is not None:
        seen.append(_Seen(_day(v.captured_at, home), f"{v.label} was last seen {_instant(v.captured_at, home)}"))
    return max(seen, key=lambda s: s.day, default=None)


def _day(moment: dt.datetime, home: str | None) -> dt.date:
    return moment.astimezone(zones.tzinfo(home or "UTC")).date()


def _instant(moment: dt.datetime, home: str | None) -> str:
    return display_instant(moment, home or "UTC")


def _after(day: dt.date) -> dt.date:
    return day if day == MAX else day + dt.timedelta(days=1)


def _before(day: dt.date) -> dt.date:
    return day if day == MIN else day - dt.timedelta(days=1)


def _covers(lo: dt.date, hi: dt.date) -> str:
    """The days a question covers, in words: "Aug 15, 2024", "Aug 1 – Aug 31, 2024", "every day up to July 31, 2024"."""
    if lo == MIN:
        return f"every day up to {display_day(hi)}"
    if hi == MAX:
        return f"every day from {display_day(lo)} on"
    if lo == hi:
        return display_day(lo)
    return PartialDate(start=_point(lo), end=_point(hi)).display()


def _point(day: dt.date) -> DatePoint:
    return DatePoint(Precision.DAY, day.year, day.month, day.day)


def _or(labels: list[str]) -> str:
    return labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} or {labels[-1]}"


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


@dataclass(frozen=True)
class SourceInForce:
    source: object  # TrackedSource
    versions: list  # its SourceVersions in the order it changed
    result: InForce


def facts_of(versions: list) -> list[VersionFacts]:
    """A source's versions (in order) as the answer reads them, labelled v1, v2… in that order."""
    return [
        VersionFacts(
            label=f"v{i}",
            effective=version.effective_date,
            first_seen=version.first_seen_date,
            captured_at=version.captured_at,
            audiences=frozenset(a.name for a in version.audiences.all()),
            ref=version,
        )
        for i, version in enumerate(versions, start=1)
    ]


def in_force_for_matter(*, matter, query: PartialDate, audience=None) -> list[SourceInForce]:
    """The answer for each live tracked source of `matter` (by name), for `audience` (an Audience of the matter) or
    for everyone. `query` is read as the matter reads dates (matter.read_date)."""
    from evidence.selectors_sources import source_versions, sources_for_matter

    name = audience.name if audience is not None else None
    answers = []
    for source in sources_for_matter(matter):
        versions = source_versions(source)
        result = in_force(facts_of(versions), query, audience=name, home=matter.time_zone)
        answers.append(SourceInForce(source=source, versions=versions, result=result))
    return answers
