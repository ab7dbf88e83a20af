"""Time zones of timed dates: the zone names people type, the zones a date may store, and the one label an instant
is shown with (the rules are in evidence.dates)."""

from __future__ import annotations

import datetime as dt
import functools
import re
import zoneinfo
from typing import NamedTuple

from django.core.exceptions import ValidationError

from evidence.dates.errors import invalid

LA, DENVER, CHICAGO, NEW_YORK = "America/Los_Angeles", "America/Denver", "America/Chicago", "America/New_York"


class Abbreviation(NamedTuple):
    zone: str  # the IANA zone whose wall clock the abbreviation is read in
    offset: int  # minutes east of UTC the abbreviation itself names
    daylight: bool


# Only abbreviations that one zone's clock reads back to the same instant are shown; the others are typed only.
ABBREVIATIONS: dict[str, Abbreviation] = {
    "PST": Abbreviation(LA, -480, False), "PDT": Abbreviation(LA, -420, True),
    "MST": Abbreviation(DENVER, -420, False), "MDT": Abbreviation(DENVER, -360, True),
    "CST": Abbreviation(CHICAGO, -360, False), "CDT": Abbreviation(CHICAGO, -300, True),
    "EST": Abbreviation(NEW_YORK, -300, False), "EDT": Abbreviation(NEW_YORK, -240, True),
    "AKST": Abbreviation("America/Anchorage", -540, False), "AKDT": Abbreviation("America/Anchorage", -480, True),
    "HST": Abbreviation("Pacific/Honolulu", -600, False),
    "GMT": Abbreviation("UTC", 0, False), "UTC": Abbreviation("UTC", 0, False), "Z": Abbreviation("UTC", 0, False),
    "BST": Abbreviation("Europe/London", 60, True),
    "WET": Abbreviation("Europe/Lisbon", 0, False), "WEST": Abbreviation("Europe/Lisbon", 60, True),
    "CET": Abbreviation("Europe/Paris", 60, False), "CEST": Abbreviation("Europe/Paris", 120, True),
    "EET": Abbreviation("Europe/Athens", 120, False), "EEST": Abbreviation("Europe/Athens", 180, True),
    "MSK": Abbreviation("Europe/Moscow", 180, False),
    "SAST": Abbreviation("Africa/Johannesburg", 120, False),
    "HKT": Abbreviation("Asia/Hong_Kong", 480, False),
    "JST": Abbreviation("Asia/Tokyo", 540, False), "KST": Abbreviation("Asia/Seoul", 540, False),
    "AEST": Abbreviation("Australia/Sydney", 600, False), "AEDT": Abbreviation("Australia/Sydney", 660, True),
    "NZST": Abbreviation("Pacific/Auckland", 720, False), "NZDT": Abbreviation("Pacific/Auckland", 780, True),
}  # fmt: skip
ZONE_ABBREVIATIONS: dict[str, str] = {name: a.zone for name, a in ABBREVIATIONS.items()}

# Names of a zone rather than of one of its offsets: read as that zone's clock whatever the season.
GENERIC_NAMES: dict[str, str] = {
    "pt": LA, "pacific": LA, "pacific time": LA,
    "mt": DENVER, "mountain": DENVER, "mountain time": DENVER,
    "ct": CHICAGO, "central": CHICAGO, "central time": CHICAGO,
    "et": NEW_YORK, "eastern": NEW_YORK, "eastern time": NEW_YORK,
    "akt": "America/Anchorage", "alaska": "America/Anchorage", "alaska time": "America/Anchorage",
    "hawaii": "Pacific/Honolulu", "hawaii time": "Pacific/Honolulu",
}  # fmt: skip
SPELLED_OUT: dict[str, str] = {
    "pacific standard time": "PST", "pacific daylight time": "PDT",
    "mountain standard time": "MST", "mountain daylight time": "MDT",
    "central standard time": "CST", "central daylight time": "CDT",
    "eastern standard time": "EST", "eastern daylight time": "EDT",
    "greenwich mean time": "GMT", "coordinated universal time": "UTC", "british summer time": "BST",
    "central european time": "CET", "central european summer time": "CEST",
}  # fmt: skip
AMBIGUOUS: dict[str, str] = {
    "IST": "India (UTC+05:30, 'Asia/Kolkata'), Ireland (UTC+01:00, 'Europe/Dublin') or Israel (UTC+02:00, "
    "'Asia/Jerusalem')",
    "AST": "Atlantic (UTC-04:00, 'America/Halifax') or Arabia (UTC+03:00, 'Asia/Riyadh')",
}
ACCEPTED = (
    "write an abbreviation such as 'PST' or 'CET', a zone such as 'ET', 'Pacific' or 'America/New_York', "
    "or an offset such as '-05:00'"
)

OFFSET_RE = re.compile(r"([+-])(\d{2}):(\d{2})")
MAX_OFFSET_MINUTES = 14 * 60
_TYPED_OFFSET_RE = re.compile(r"(?:utc|gmt)?\s*([+-])(\d{1,2})(?::?(\d{2}))?", re.I)
_US_CANADA_RE = re.compile(r"\s*\(us\s*(?:&|and)\s*canada\)$", re.I)


@functools.cache
def iana_names() -> dict[str, str]:
    return {name.lower(): name for name in zoneinfo.available_timezones()}


def offset_text(minutes: int) -> str:
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def check(tz: str) -> None:
    """A zone a timed date may store: "", "UTC", an offset "+05:30" or an IANA name that is no abbreviation."""
    if tz in ("", "UTC"):
        return
    if m := OFFSET_RE.fullmatch(tz):
        if int(m[3]) > 59 or int(m[2]) * 60 + int(m[3]) > MAX_OFFSET_MINUTES:
            raise invalid(f"time zone offset '{tz}' does not exist")
        return
    if tz.upper() in ABBREVIATIONS:
        raise invalid(f"time zone '{tz}' is ambiguous; write 'UTC', an offset such as '-05:00' or an IANA name "
                      f"such as '{ZONE_ABBREVIATIONS[tz.upper()]}'")  # fmt: skip
    if tz not in iana_names().values():
        raise invalid(f"unknown time zone '{tz}'")


def tzinfo(tz: str) -> dt.tzinfo:
    if tz == "UTC":
        return dt.UTC
    if m := OFFSET_RE.fullmatch(tz):
        minutes = int(m[2]) * 60 + int(m[3])
        return dt.timezone(dt.timedelta(minutes=-minutes if m[1] == "-" else minutes))
    return zoneinfo.ZoneInfo(tz)


def _minutes(offset: dt.timedelta) -> int:
    return int(offset.total_seconds() // 60)


def read(text: str, wall: dt.datetime) -> str:
    """The zone to store for a zone typed after the wall-clock time `wall` (naive); refused when it is unknown,
    ambiguous, or a daylight-saving abbreviation on a date its zone is on standard time."""
    text = _US_CANADA_RE.sub("", text.strip(" ,")).strip(" ,")
    if text.startswith("(") and text.endswith(")"):
        text = text[1:-1].strip()
    if not text:
        return ""
    name = SPELLED_OUT.get(text.lower(), text.upper())
    if name in ABBREVIATIONS:
        return _abbreviation_zone(name, wall)
    if zone := GENERIC_NAMES.get(text.lower()):
        return zone
    if name in AMBIGUOUS:
        raise invalid(f"'{text}' is ambiguous: {AMBIGUOUS[name]}; write an offset or an IANA name")
    if m := _TYPED_OFFSET_RE.fullmatch(text):
        hours, minutes = int(m[2]), int(m[3] or 0)
        if minutes > 59 or hours * 60 + minutes > MAX_OFFSET_MINUTES:
            raise invalid(f"time zone offset '{text}' does not exist")
        return f"{m[1]}{hours:02d}:{minutes:02d}"
    if zone := iana_names().get(text.lower()):
        return zone
    raise invalid(f"unknown time zone '{text}'; {ACCEPTED}")


def _abbreviation_zone(name: str, wall: dt.datetime) -> str:
    """A standard-time abbreviation typed in summer ("PST" in July) is read as the zone's clock, as people write
    it; a daylight one in winter ("PDT" in January) names a clock that was not running, and is refused."""
    abbreviation = ABBREVIATIONS[name]
    actual = _minutes(tzinfo(abbreviation.zone).utcoffset(wall))
    if actual == abbreviation.offset:
        return abbreviation.zone
    if _minutes(tzinfo(abbreviation.zone).utcoffset(wall.replace(fold=1))) == abbreviation.offset:
        # The second pass of a fall-back hour ("1:15 AM EST" on the night EDT ends): the zone's wall clock alone
        # would be the first pass; the offset keeps which one it was.
        return offset_text(abbreviation.offset)
    if not abbreviation.daylight:
        return abbreviation.zone
    current = zoneinfo.ZoneInfo(abbreviation.zone).tzname(wall)
    generic = next((g.upper() for g, z in GENERIC_NAMES.items() if z == abbreviation.zone and len(g) <= 3), None)
    instead = f"'{current}' or '{generic}'" if generic else f"'{current}'"
    city = abbreviation.zone.rsplit("/", 1)[-1].replace("_", " ")
    raise invalid(
        f"'{name}' is daylight-saving time, but {city} is on {current} (UTC{offset_text(actual)}) on that date; "
        f"write {instead}, or the offset '{offset_text(abbreviation.offset)}' if that is what the source gives"
    )


def label(tz: str, wall: dt.datetime) -> str:
    """How an instant's zone is written everywhere: the zone's abbreviation at that time when typing it back reads
    the same instant (PDT, CET), else its UTC offset (UTC+05:30); "" when the source stated no zone. Every name of
    UTC itself ("GMT", "Z") is written "UTC", so that what is shown reads back to what is shown."""
    if not tz or tz == "UTC":
        return tz
    offset = tzinfo(tz).utcoffset(wall)
    if offset % dt.timedelta(minutes=1):  # local mean time before standard zones: no offset says it exactly
        return tz
    if not OFFSET_RE.fullmatch(tz):
        name = zoneinfo.ZoneInfo(tz).tzname(wall) or ""
        if name in ABBREVIATIONS and ABBREVIATIONS[name].zone != "UTC":
            try:
                if tzinfo(_abbreviation_zone(name, wall)).utcoffset(wall) == offset:
                    return name
            except ValidationError:  # a daylight name its own zone would refuse on that date
                pass
    minutes = _minutes(offset)
    return "UTC" if minutes == 0 else f"UTC{offset_text(minutes)}"
