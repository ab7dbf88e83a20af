"""Matters: a new time zone re-places the matter's timed events (a time belongs to its day in the matter's zone)."""

from evidence import selectors
from evidence.services.matters import matter_update
from tests.factories import make_event, make_matter


def titles(matter) -> list[str]:
    return [e.title for e in selectors.events_for_timeline(matter=matter)]


def test_changing_the_time_zone_moves_a_time_to_its_day_in_the_new_zone(user):
    matter = make_matter(owner=user, time_zone="America/Los_Angeles")
    make_event(matter, title="Aug 15", date="Aug 15, 2024")
    make_event(matter, title="Aug 16", date="Aug 16, 2024")
    make_event(matter, title="1 AM in London", date="Aug 16, 2024 1:00 AM BST")  # 5 PM on Aug 15 in Los Angeles
    assert titles(matter) == ["Aug 15", "1 AM in London", "Aug 16"]
    matter_update(matter=matter, user=user, reason="the case is run from London", time_zone="Europe/London")
    assert titles(matter) == ["Aug 15", "Aug 16", "1 AM in London"]
