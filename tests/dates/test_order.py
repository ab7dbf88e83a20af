"""The order of timed dates: a time belongs to its calendar day in the matter's zone, and sorts by its instant there;
years, months, days, bounds and ranges keep their places around it. Checked on the values and as stored (the
database orders date_sort as a plain string, the same on SQLite and PostgreSQL)."""

import datetime as dt
import importlib

import pytest

from evidence import dates
from evidence.models import Document, Event
from evidence.selectors import events_for_timeline
from evidence.services.matters import matter_update
from tests.dates.common import LA, NY
from tests.factories import make_document, make_event, make_matter


def _ordered_in(home, texts):
    keys = [dates.parse(t).sort_key(home) for t in texts]
    assert keys == sorted(keys), texts
    assert len(set(keys)) == len(keys), texts
    assert all(len(k) == dates.SORT_KEY_LENGTH and k.isdigit() for k in keys)


def test_times_of_one_day_sort_by_their_instant():
    _ordered_in(NY, ["Aug 15 2024 9:00 PM EDT", "Aug 15 2024 6:30 PM PDT"])  # 6:30 PM PDT is 9:30 PM EDT
    _ordered_in(LA, ["Aug 15 2024 9:00 PM EDT", "Aug 15 2024 6:30 PM PDT"])
    _ordered_in("UTC", ["Jan 24, 2025, 10:00 AM EST", "Jan 24, 2025, 9:00 AM PST"])
    _ordered_in(NY, ["Aug 15, 2024, 9:00 AM UTC+01:00", "Aug 15, 2024, 9:00 AM UTC", "Aug 15, 2024, 9:00 AM UTC-01:00"])


def test_a_time_belongs_to_its_day_in_the_matters_zone():
    late = "Aug 15, 2024, 11:30 PM PDT"  # Aug 16, 2:30 AM in New York
    _ordered_in(NY, ["Aug 15, 2024", "Aug 16, 2024", late, "Aug 16, 2024, 3:00 AM EDT", "after Aug 16, 2024",
                     "Aug 17, 2024"])  # fmt: skip
    _ordered_in(LA, ["Aug 15, 2024", late, "after Aug 15, 2024", "Aug 16, 2024"])
    assert dates.parse(late).first_day(NY) == dates.parse(late).last_day(NY) == dt.date(2024, 8, 16)
    assert dates.parse(late).first_day(LA) == dt.date(2024, 8, 15) == dates.parse(late).first_day()


def test_precisions_bounds_and_ranges_keep_their_places_around_times():
    _ordered_in(NY, [
        "before 2024", "2024", "before Aug 2024", "Aug 2024", "Aug 2024 – Sept 2024", "Aug 15, 2024",
        "before Aug 15, 2024, 9:00 AM EDT", "Aug 15, 2024, 9:00 AM EDT", "Aug 15, 2024, 7:00 AM PDT",
        "Aug 15, 2024, 7:00 AM PDT – Aug 15, 2024, 8:00 AM PDT", "after Aug 15, 2024, 10:00 AM EDT",
        "Aug 15, 2024, 10:30 AM EDT", "after Aug 15, 2024", "after Aug 2024", "Sept 2024", "after 2024",
    ])  # fmt: skip
    assert dates.UNDATED.sort_key(NY) == dates.UNDATED_SORT_KEY


def test_the_repeated_hour_of_a_fall_back_night_sorts_by_instant():
    # Nov 3, 2024 in New York: 1:00-1:59 AM happens twice, first as EDT, then as EST.
    first, second = dates.parse("Nov 3, 2024, 1:45 AM EDT"), dates.parse("Nov 3, 2024, 1:15 AM EST")
    assert second.start.tz == "-05:00"  # the wall clock alone would be the first 1:15; the offset keeps which
    _ordered_in(NY, ["Nov 3, 2024, 1:45 AM EDT", "Nov 3, 2024, 1:15 AM EST", "Nov 3, 2024, 1:30 AM EST"])
    assert first.sort_key(NY) < second.sort_key(NY)


def test_a_time_without_a_zone_is_on_the_home_clock():
    assert dates.parse("Aug 15, 2024, 9:30 AM").sort_key(NY) == dates.parse("Aug 15, 2024, 9:30 AM EDT").sort_key(NY)


@pytest.fixture
def new_york(user):
    return make_matter(owner=user, time_zone=NY)


def _titles(matter):
    return [e.title for e in events_for_timeline(matter=matter)]


def test_the_timeline_orders_a_matters_times_by_instant(new_york):
    for title, date in [
        ("PDT evening", "Aug 15 2024 6:30 PM PDT"), ("EDT evening", "Aug 15 2024 9:00 PM EDT"),
        ("next day in New York", "Aug 15 2024 11:30 PM PDT"), ("the day", "Aug 15, 2024"), ("next day", "Aug 16, 2024"),
        ("the month", "Aug 2024"), ("after the month", "after Aug 2024"), ("undated", "unknown"),
        ("floating", "Aug 15 2024 9:15 PM"),  # read in the matter's zone: 9:15 PM EDT
    ]:  # fmt: skip
        make_event(new_york, title=title, date=date)
    assert _titles(new_york) == ["the month", "the day", "EDT evening", "floating", "PDT evening", "next day",
                                 "next day in New York", "after the month", "undated"]  # fmt: skip
    stored = Event.objects.get(title="next day in New York")
    assert (stored.date_first_day, stored.date_last_day) == (dt.date(2024, 8, 16),) * 2
    assert stored.date_display == "Aug 15, 2024, 11:30 PM PDT"  # shown as the source states it


def test_a_new_time_zone_rederives_the_matters_dates(new_york, user):
    make_event(new_york, title="late in LA", date="Aug 15 2024 11:30 PM PDT")
    make_event(new_york, title="next day", date="Aug 16, 2024")
    document = make_document(new_york, date="Aug 15 2024 11:30 PM PDT")
    assert _titles(new_york) == ["next day", "late in LA"]
    matter_update(matter=new_york, user=user, reason="the case moved", time_zone=LA)
    assert new_york.rederive_dates() == 2
    assert _titles(new_york) == ["late in LA", "next day"]
    assert Document.objects.get(pk=document.pk).date_first_day == dt.date(2024, 8, 15)


def test_the_data_migration_rederives_stored_rows(new_york):
    from django.apps import apps

    event = make_event(new_york, title="before", date="before 2025")
    timed = make_event(new_york, title="timed", date="Aug 15 2024 11:30 PM PDT")
    # As the previous code stored them: stated days, and the time by its own wall clock.
    Event.objects.filter(pk=event.pk).update(date_first_day=dt.date(2025, 1, 1), date_last_day=dt.date(2025, 12, 31))
    old_day = {"date_first_day": dt.date(2024, 8, 15), "date_last_day": dt.date(2024, 8, 15)}
    Event.objects.filter(pk=timed.pk).update(date_sort="20242082152233012024208215223301", **old_day)
    migration = importlib.import_module("evidence.migrations.0004_dates_spans_and_fiscal_year")
    migration.rederive(apps, None)
    event.refresh_from_db()
    timed.refresh_from_db()
    assert (event.date_first_day, event.date_last_day) == (dt.date.min, dt.date(2024, 12, 31))
    assert timed.date_first_day == dt.date(2024, 8, 16)
    assert timed.date_sort == dates.parse("Aug 15 2024 11:30 PM PDT").sort_key(NY)


def test_open_ends_are_stored_as_the_first_and_last_days_a_database_holds(matter):
    before, after = make_event(matter, date="before 2025"), make_event(matter, date="after Aug 2024")
    rows = dict(Event.objects.filter(pk__in=[before.pk, after.pk]).values_list("pk", "date_first_day"))
    assert rows == {before.pk: dt.date.min, after.pk: dt.date(2024, 9, 1)}
    assert Event.objects.get(pk=after.pk).date_last_day == dt.date.max
    assert Event.objects.get(pk=before.pk).date_drawn_days == (dt.date(2024, 12, 31),) * 2
    assert Event.objects.get(pk=after.pk).date_drawn_days == (dt.date(2024, 9, 1),) * 2


def test_a_fiscal_year_is_read_in_the_matters_fiscal_calendar(matter, user):
    with pytest.raises(Exception, match="'FY2024' needs the matter's fiscal year"):
        make_event(matter, date="FY2024")
    with pytest.raises(Exception, match="'FY2024' needs the matter's fiscal year"):
        matter.read_date(dates.parse("FY2024"))
    matter_update(matter=matter, user=user, reason="fiscal year from July", fiscal_year_start_month=7)
    event = make_event(matter, date="FY2024")
    assert event.date_display == "July 2023 – June 2024"
    assert (event.date_first_day, event.date_last_day) == (dt.date(2023, 7, 1), dt.date(2024, 6, 30))
    assert matter.read_date(dates.parse("after FY2024")).display() == "after June 2024"  # parsed first, read later
