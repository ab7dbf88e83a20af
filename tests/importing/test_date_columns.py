"""The day/month order of a date column and ranges from an end date column (evidence/importing/date_columns.py)."""

from evidence.models import Event
from tests.importing.support import run, stored


def test_a_column_that_proves_day_first_is_read_day_first_and_the_preview_says_so(matter, user):
    result = run(matter, user, "day_first.csv")
    assert result.plan.date_orders == ["“When”: day/month, because the column has “21/01/2025” (row 3)."]
    assert stored(matter)["Letter sent"].date_start == "2025-02-03"


def test_day_first_can_be_forced(matter, user):
    data = b"Date,Title\n03/02/2025,Letter sent\n"
    assert run(matter, user, "a.csv", data, day_first=True).plan.rows[0].date.start.iso() == "2025-02-03"
    us = run(matter, user, "a.csv", data, day_first=False, dry_run=True).plan.rows[0]
    assert (us.date.start.iso(), us.action) == ("2025-03-02", "new")


def test_a_column_mixing_both_orders_is_refused_naming_the_rows(matter, user):
    result = run(matter, user, "mixed_order.csv")
    assert not result.written
    assert [(e.row, e.column, e.reason) for e in result.plan.errors] == [
        (2, "Event Date", "“21/01/2025” is day/month, but the column also has month/day dates (row 3); "
                          "write the column in one order or choose the order"),
        (3, "Event Date", "“01/22/2025” is month/day, but the column also has day/month dates (row 2); "
                          "write the column in one order or choose the order"),
    ]  # fmt: skip
    assert result.plan.date_orders == ["“Event Date”: refused, it mixes day/month and month/day dates."]
    assert not Event.objects.filter(matter=matter).exists()


def test_an_end_date_column_makes_a_range_and_a_reversed_range_is_invalid(matter, user):
    data = b"Date,End Date,Title\nAug 2024,Sept 2024,Range\nOct 2024,Aug 2024,Backwards\n"
    result = run(matter, user, "r.csv", data)
    assert [(e.row, e.column, e.reason) for e in result.plan.errors] == [
        (3, "End Date", "the range ends (Aug 2024) before it starts (Oct 2024)")
    ]
    assert result.plan.rows[0].date.display() == "Aug – Sept 2024"
