"""evidence.dates.zones: the zone names people type, refused readings, and the one label an instant is shown with."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given

from evidence.dates import PartialDate, display_instant, parse, parse_point
from evidence.dates.zones import ABBREVIATIONS, label
from tests.dates.common import FAST, LA, NY, instant, point, points

DENVER, CHICAGO = "America/Denver", "America/Chicago"


@pytest.mark.parametrize(
    ("typed", "tz", "shown"),
    [
        ("ET", NY, "EDT"), ("et", NY, "EDT"), ("Eastern", NY, "EDT"), ("Eastern Time", NY, "EDT"),
        ("PT", LA, "PDT"), ("Pacific", LA, "PDT"), ("Pacific Time (US & Canada)", LA, "PDT"),
        ("CT", CHICAGO, "CDT"), ("Central", CHICAGO, "CDT"), ("MT", DENVER, "MDT"), ("Mountain", DENVER, "MDT"),
        ("Pacific Daylight Time", LA, "PDT"), ("(PDT)", LA, "PDT"),
        ("CEST", "Europe/Paris", "CEST"), ("CET", "Europe/Paris", "CEST"),  # a standard name in summer: the clock
        ("BST", "Europe/London", "BST"), ("GMT", "UTC", "UTC"), ("UTC", "UTC", "UTC"), ("Z", "UTC", "UTC"),
        ("Europe/Berlin", "Europe/Berlin", "CEST"), ("asia/kolkata", "Asia/Kolkata", "UTC+05:30"),
        ("JST", "Asia/Tokyo", "JST"), ("UTC+5:30", "+05:30", "UTC+05:30"), ("GMT-7", "-07:00", "UTC-07:00"),
    ],
)  # fmt: skip
def test_zone_names_people_type_in_summer(typed, tz, shown):
    value = parse(f"July 10, 2024, 9:30 AM {typed}")
    assert value.start.tz == tz
    assert value.display() == f"July 10, 2024, 9:30 AM {shown}"


@pytest.mark.parametrize(
    ("typed", "tz", "shown"),
    [("ET", NY, "EST"), ("PT", LA, "PST"), ("CET", "Europe/Paris", "CET"), ("Europe/London", "Europe/London", "UTC"),
     ("GMT", "UTC", "UTC"), ("MST", DENVER, "MST")],
)  # fmt: skip
def test_zone_names_people_type_in_winter(typed, tz, shown):
    value = parse(f"Jan 10, 2025, 9:30 AM {typed}")
    assert value.start.tz == tz
    assert value.display() == f"Jan 10, 2025, 9:30 AM {shown}"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Jan 10, 2025, 9:30 AM PDT", "'PDT' is daylight-saving time, but Los Angeles is on PST (UTC-08:00) on that "
                                      "date; write 'PST' or 'PT', or the offset '-07:00'"),
        ("Jan 10, 2025, 9:30 AM EDT", "'EDT' is daylight-saving time, but New York is on EST"),
        ("Jan 10, 2025, 9:30 AM BST", "'BST' is daylight-saving time, but London is on GMT"),
        ("Jan 10, 2025, 9:30 AM CEST", "'CEST' is daylight-saving time, but Paris is on CET"),
        ("July 10, 2024, 9:30 AM AEDT", "'AEDT' is daylight-saving time, but Sydney is on AEST"),
        ("Jan 10, 2025, 9:30 AM IST", "'IST' is ambiguous: India (UTC+05:30, 'Asia/Kolkata'), Ireland"),
        ("Jan 10, 2025, 9:30 AM AST", "'AST' is ambiguous: Atlantic"),
        ("Jan 10, 2025, 9:30 AM Moon", "unknown time zone 'Moon'; write an abbreviation such as 'PST' or 'CET', a "
                                       "zone such as 'ET', 'Pacific' or 'America/New_York', or an offset"),
    ],
)  # fmt: skip
def test_zones_that_would_be_a_guess_are_refused(text, message):
    with pytest.raises(ValidationError) as caught:
        parse(text)
    (shown,) = caught.value.messages
    assert shown.startswith(f"'{text}': ") and message in shown


def test_a_summer_name_is_read_on_the_day_the_clocks_change():
    assert parse_point("Mar 9, 2025, 3:30 AM PDT").tz == LA  # the first morning of PDT
    with pytest.raises(ValidationError, match="'PDT' is daylight-saving time"):
        parse_point("Mar 9, 2025, 1:30 AM PDT")  # still PST


@pytest.mark.parametrize(("name", "abbreviation"), sorted(ABBREVIATIONS.items()))
def test_every_abbreviation_names_its_offset_in_its_zone_at_some_time(name, abbreviation):
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(abbreviation.zone) if abbreviation.zone != "UTC" else dt.UTC
    seen = {
        int(zone.utcoffset(dt.datetime(2025, month, 15, 12)).total_seconds() // 60) for month in range(1, 13)
    }  # fmt: skip
    assert abbreviation.offset in seen


def test_one_instant_is_written_one_way_whichever_way_it_came_in():
    typed = parse("Sept 18, 2024, 2:05 PM PDT").start
    by_name = parse("Sept 18, 2024, 2:05 PM America/Los_Angeles").start
    from_a_header_comment = point("2024-09-18T14:05", LA)  # what the e-mail reader stores for "-0700 (PDT)"
    shown = {PartialDate(p).display() for p in (typed, by_name, from_a_header_comment)}
    assert shown == {"Sept 18, 2024, 2:05 PM PDT"}
    assert display_instant(dt.datetime(2024, 9, 18, 21, 5, tzinfo=dt.UTC), LA) == "Sept 18, 2024, 2:05 PM PDT"
    assert display_instant(dt.datetime(2026, 11, 29, 23, 4, tzinfo=dt.UTC), LA) == "Nov 29, 2026, 3:04 PM PST"


def test_a_zone_without_an_abbreviation_we_read_is_written_as_its_offset():
    for tz in ("Asia/Kolkata", "Asia/Singapore", "Asia/Shanghai", "Etc/GMT+5"):  # IST, +08, CST (China), -05
        shown = PartialDate(point("2025-01-15T09:30", tz)).display()
        assert shown.split(" AM ")[1].startswith("UTC") and instant(parse(shown).start) == instant(point(
            "2025-01-15T09:30", tz))  # fmt: skip


@FAST
@given(points())
def test_a_label_reads_back_to_the_same_instant(p):
    if not p.tz:
        return
    wall = dt.datetime(p.year, p.month, p.day, p.hour, p.minute)
    assert instant(parse_point(f"{p.iso()} {label(p.tz, wall)}")) == instant(p)
