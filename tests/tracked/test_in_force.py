"""In force on a date: the answer at the edges of every precision, across capture gaps, and per audience.

The expected answers are written out here from the versions' dates, not computed by the code under test."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evidence.dates import DatePoint, PartialDate, Precision, parse
from evidence.tracked.in_force import VersionFacts, in_force

LA, NY = "America/Los_Angeles", "America/New_York"


def v(label, *, effective="", first_seen="", captured=None, audiences=()):
    return VersionFacts(
        label=label,
        effective=parse(effective),
        first_seen=parse(first_seen),
        captured_at=captured,
        audiences=frozenset(audiences),
    )


def ask(versions, when, *, audience=None, home=LA):
    return in_force(versions, parse(when), audience=audience, home=home)


def only(result):
    """The single answer (the question does not depend on the audience)."""
    assert len(result.answers) == 1, [a.scope for a in result.answers]
    return result.answers[0]


def labels(answer):
    return [x.label for x in answer.versions]


# A policy with three versions: in effect Jan 1, 2024; amended Aug 15, 2024; amended again in Oct 2024 (day unknown).
POLICY = [v("v1", effective="Jan 1, 2024"), v("v2", effective="Aug 15, 2024"), v("v3", effective="Oct 2024")]

CERTAIN = [
    # day before / at / after the effective date
    ("Aug 14, 2024", "v1"),
    ("Aug 15, 2024", "v2"),
    ("Aug 16, 2024", "v2"),
    # a time is answered for its day in the matter's zone (Los Angeles here)
    ("Aug 14, 2024, 11:30 PM PDT", "v1"),
    ("Aug 15, 2024, 12:05 AM PDT", "v2"),
    # months, quarters and years that hold no change
    ("July 2024", "v1"),
    ("Sept 2024", "v2"),
    ("Q1 2024", "v1"),
    ("2025", "v3"),
    ("Nov 1, 2024", "v3"),
    # pleading forms and "c.": the stated days, no wider
    ("early Aug 2024", "v1"),
    ("c. Aug 14, 2024", "v1"),
    ("on or about Aug 15, 2024", "v2"),
    # ranges that stay on one side of a change
    ("Aug 1 – Aug 14, 2024", "v1"),
    ("Aug 15 – Sept 30, 2024", "v2"),
]


@pytest.mark.parametrize(("when", "expected"), CERTAIN)
def test_one_version_when_the_date_falls_on_one_side_of_every_change(when, expected):
    answer = only(ask(POLICY, when))
    assert answer.certain
    assert answer.summary == expected


UNCERTAIN = [
    # the date's precision covers the change
    ("Aug 2024", ["v1", "v2"], "The date covers Aug 1 – Aug 31, 2024; v2 took effect Aug 15, 2024"),
    ("mid Aug 2024", ["v1", "v2"], "The date covers Aug 11 – Aug 20, 2024; v2 took effect Aug 15, 2024"),
    ("Q3 2024", ["v1", "v2"], "The date covers July 1 – Sept 30, 2024; v2 took effect Aug 15, 2024"),
    ("Aug 10 – Aug 20, 2024", ["v1", "v2"], "The date covers Aug 10 – Aug 20, 2024; v2 took effect Aug 15, 2024"),
    ("c. Aug 2024", ["v1", "v2"], "The date covers Aug 1 – Aug 31, 2024; v2 took effect Aug 15, 2024"),
    # the change's own precision covers the date: v3 took effect on some day of October
    ("Oct 15, 2024", ["v2", "v3"], "The date covers Oct 15, 2024; v3 took effect Oct 2024"),
    ("Oct 1, 2024", ["v2", "v3"], "The date covers Oct 1, 2024; v3 took effect Oct 2024"),
    ("Q4 2024", ["v2", "v3"], "The date covers Oct 1 – Dec 31, 2024; v3 took effect Oct 2024"),
    ("after Aug 15, 2024", ["v2", "v3"], "The date covers every day from Aug 16, 2024 on; v3 took effect Oct 2024"),
]


@pytest.mark.parametrize(("when", "expected", "reason"), UNCERTAIN)
def test_either_version_when_the_date_or_the_change_straddles(when, expected, reason):
    answer = only(ask(POLICY, when))
    assert not answer.certain
    assert labels(answer) == expected
    assert answer.summary == f"Either {expected[0]} or {expected[1]} may apply"
    assert f"{reason}: either version may apply." in answer.reasons


def test_a_year_names_every_version_that_may_apply():
    answer = only(ask(POLICY, "2024"))
    assert labels(answer) == ["v1", "v2", "v3"]
    assert answer.summary == "Any of v1, v2 or v3 may apply"
    assert not answer.none_known  # v1 took effect Jan 1, 2024: no day of 2024 precedes it


def test_the_versions_before_and_after_are_given_with_their_dates():
    answer = only(ask(POLICY, "Sept 2024"))
    assert (answer.before.label, answer.after.label) == ("v1", "v3")
    assert answer.reasons == (
        "v2 took effect Aug 15, 2024, on or before the date.",
        "v3 took effect Oct 2024, after the date.",
    )


def test_a_time_is_placed_on_its_day_in_the_matters_zone():
    # 11:30 PM in Los Angeles is already Aug 15 in New York
    assert only(ask(POLICY, "Aug 14, 2024, 11:30 PM PDT", home=NY)).summary == "v2"
    result = ask(POLICY, "Aug 14, 2024, 11:30 PM PDT", home=LA)
    assert result.covers == "Aug 14, 2024"
    assert result.notes == ("A time is answered for its whole day (Aug 14, 2024), in the matter's time zone.",)


def test_an_approximate_date_says_it_is_answered_for_the_days_stated():
    assert ask(POLICY, "c. Aug 14, 2024").notes == (
        "The date is approximate (c.); the answer is for the days it states (Aug 14, 2024), no wider.",
    )


@pytest.mark.parametrize("when", ["Dec 31, 2023", "2023", "before 2024"])
def test_before_the_first_version_no_version_is_known(when):
    answer = only(ask(POLICY, when))
    assert answer.versions == ()
    assert answer.summary == "No version known in force"
    assert answer.after.label == "v1"
    assert answer.reasons == ("No version is known in force before the first: v1 took effect Jan 1, 2024.",)


def test_a_date_reaching_back_before_the_first_version_says_so():
    answer = only(ask(POLICY, "before Aug 15, 2024"))
    assert labels(answer) == ["v1"]
    assert answer.none_known and not answer.certain
    assert answer.summary == "Either no known version or v1 may apply"


def test_a_date_is_required():
    with pytest.raises(ValidationError, match="Give the date"):
        ask(POLICY, "unknown")


# Captures: v1 was captured Aug 12, 2024 at 10:02 AM in Los Angeles; v2 was first seen Sept 18, 2024. Neither states
# an effective date, so the change lies somewhere from Aug 13 to Sept 18.
AUG_12_CAPTURE = dt.datetime(2024, 8, 12, 17, 2, tzinfo=dt.UTC)
CAPTURED = [v("v1", captured=AUG_12_CAPTURE), v("v2", first_seen="Sept 18, 2024")]
GAP = (
    "v1 was last seen Aug 12, 2024, 10:02 AM PDT and v2 was first seen Sept 18, 2024: "
    "a change between them may fall on the date."
)


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        ("Aug 11, 2024", []),  # before v1 was first seen: nothing is known
        ("Aug 12, 2024", ["v1"]),
        ("Aug 13, 2024", ["v1", "v2"]),
        ("Sept 17, 2024", ["v1", "v2"]),
        ("Sept 2024", ["v1", "v2"]),
        ("Sept 18, 2024", ["v2"]),
        ("Sept 19, 2024", ["v2"]),
        ("Oct 2024", ["v2"]),
    ],
)
def test_a_capture_gap_is_a_window_the_change_may_fall_in(when, expected):
    answer = only(ask(CAPTURED, when))
    assert labels(answer) == expected
    assert (GAP in answer.reasons) == (len(expected) == 2)


def test_the_window_is_told_on_either_side():
    assert only(ask(CAPTURED, "Aug 12, 2024")).reasons == (
        "v1 was first seen Aug 12, 2024, 10:02 AM PDT, on or before the date.",
        "v1 was last seen Aug 12, 2024, 10:02 AM PDT and v2 was first seen Sept 18, 2024: the change fell after the "
        "date.",
    )
    assert only(ask(CAPTURED, "Sept 18, 2024")).reasons == (
        "v1 was last seen Aug 12, 2024, 10:02 AM PDT and v2 was first seen Sept 18, 2024: the change fell on or "
        "before the date.",
    )


def test_the_earliest_sighting_bounds_the_window():
    # first seen "Sept 2024" but captured Sept 3: in force by Sept 3 at the latest
    captured = dt.datetime(2024, 9, 3, 16, 0, tzinfo=dt.UTC)
    versions = [v("v1", captured=AUG_12_CAPTURE), v("v2", first_seen="Sept 2024", captured=captured)]
    assert labels(only(ask(versions, "Sept 2, 2024"))) == ["v1", "v2"]
    assert labels(only(ask(versions, "Sept 3, 2024"))) == ["v2"]


def test_captures_on_the_same_day_put_the_change_on_that_day():
    morning = dt.datetime(2024, 9, 18, 16, 0, tzinfo=dt.UTC)
    versions = [v("v1", effective="Jan 2024", captured=morning), v("v2", captured=morning + dt.timedelta(hours=6))]
    assert labels(only(ask(versions, "Sept 17, 2024"))) == ["v1"]
    assert labels(only(ask(versions, "Sept 18, 2024"))) == ["v2"]


def test_a_version_published_ahead_starts_on_its_effective_date():
    versions = [v("v1", captured=AUG_12_CAPTURE), v("v2", effective="Sept 18, 2024", first_seen="Aug 1, 2024")]
    assert labels(only(ask(versions, "Aug 20, 2024"))) == ["v1"]
    assert labels(only(ask(versions, "Sept 18, 2024"))) == ["v2"]


def test_an_open_effective_date_is_closed_by_the_sightings():
    # "before Sept 2024", after v1 was seen on Aug 12: on some day from Aug 13 to Aug 31
    versions = [v("v1", captured=AUG_12_CAPTURE), v("v2", effective="before Sept 2024")]
    assert labels(only(ask(versions, "Aug 12, 2024"))) == ["v1"]
    assert labels(only(ask(versions, "Aug 20, 2024"))) == ["v1", "v2"]
    assert labels(only(ask(versions, "Sept 1, 2024"))) == ["v2"]
    # "after Aug 2024", first seen Sept 18: on some day from Sept 1 to Sept 18
    versions = [v("v1", effective="Jan 2024"), v("v2", effective="after Aug 2024", first_seen="Sept 18, 2024")]
    assert labels(only(ask(versions, "Aug 31, 2024"))) == ["v1"]
    assert labels(only(ask(versions, "Sept 10, 2024"))) == ["v1", "v2"]
    assert labels(only(ask(versions, "Sept 19, 2024"))) == ["v2"]


# Audiences: the FAQ's v2 was shown to premium members only.
FAQ = [v("v1", effective="Jan 1, 2024"), v("v2", effective="Aug 15, 2024", audiences=["Premium members"])]


def test_without_an_audience_the_answer_says_it_depends_on_one():
    result = ask(FAQ, "Sept 2024")
    assert result.depends_on_audience
    assert [(a.scope, a.summary) for a in result.answers] == [
        ("Everyone not in “Premium members”", "v1"),
        ("Premium members", "v2"),
    ]
    assert "v2 applies only to Premium members." in result.answers[1].reasons


def test_an_audience_gets_its_own_versions():
    assert only(ask(FAQ, "Sept 2024", audience="Premium members")).summary == "v2"
    assert only(ask(FAQ, "Sept 2024", audience="UK members")).summary == "v1"
    # Aug 2024 for premium members straddles the change; for the others it does not
    assert only(ask(FAQ, "Aug 2024", audience="Premium members")).summary == "Either v1 or v2 may apply"
    assert only(ask(FAQ, "Aug 2024", audience="UK members")).summary == "v1"


def test_an_answer_the_same_for_every_audience_is_given_once():
    result = ask(FAQ, "July 2024")
    assert not result.depends_on_audience
    assert [(a.scope, a.summary) for a in result.answers] == [("Everyone", "v1")]


def test_a_source_whose_versions_are_all_scoped_applies_to_nobody_else():
    versions = [v("v1", effective="Jan 1, 2024", audiences=["Premium members"])]
    everyone, premium = ask(versions, "2024").answers
    assert everyone.summary == "No version known in force"
    assert everyone.reasons == ("No version of the source is known to apply.",)
    assert premium.summary == "v1"


# Against a plain reading of the rule: with effective dates known to the day, the version in force on a day is the
# last one that took effect on or before it, and a span of days gets every version in force on one of its days.
days = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2026, 12, 31))


def _day(day):
    return PartialDate(start=DatePoint(Precision.DAY, day.year, day.month, day.day))


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])  # two loaded cores: slow draws are no fault
@given(st.lists(days, min_size=1, max_size=6, unique=True), days, st.integers(0, 90))
def test_day_precise_changes_match_the_plain_rule(effective, first, length):
    effective.sort()
    versions = [VersionFacts(label=f"v{i + 1}", effective=_day(d)) for i, d in enumerate(effective)]
    last = min(first + dt.timedelta(days=length), dt.date(2026, 12, 31))
    query = PartialDate(start=_day(first).start, end=_day(last).start) if last > first else _day(first)
    in_force_on = [
        max((i for i, d in enumerate(effective) if d <= day), default=None)
        for day in (first + dt.timedelta(days=n) for n in range((last - first).days + 1))
    ]
    answer = only(in_force(versions, query))
    assert labels(answer) == [f"v{i + 1}" for i in sorted({i for i in in_force_on if i is not None})]
    assert answer.none_known == (None in in_force_on)


def test_a_date_before_the_first_sighting_and_across_a_gap_names_all_it_may_be():
    answer = only(ask(CAPTURED, "Aug 2024"))
    assert answer.none_known and labels(answer) == ["v1", "v2"]
    assert answer.summary == "No known version, v1 or v2 may apply"
    assert answer.reasons[0] == (
        "No version is known in force before the first: v1 was first seen Aug 12, 2024, 10:02 AM PDT."
    )
    assert GAP in answer.reasons
