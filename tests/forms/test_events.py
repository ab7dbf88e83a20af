"""evidence.forms.events: names typed in one field, and what the event form hands to the services."""

from evidence.forms.events import EventForm
from evidence.names import split_names


def test_names_split_on_commas_and_semicolons_each_once():
    assert split_names("LinkedIn; DMR News, linkedin ,, Jane  Doe") == ["LinkedIn", "DMR News", "Jane Doe"]
    assert split_names("") == []


def test_the_form_gives_the_services_the_date_as_read_in_the_matter(matter):
    form = EventForm(
        {"date": "1/21/2025 9:30am", "title": "Complaint filed", "kind": "court_filing", "status": "undisputed",
         "actors": "Plaintiff; LinkedIn", "issues": "", "reason": ""},
        matter=matter, editing=False,
    )  # fmt: skip
    assert form.is_valid(), form.errors
    kwargs = form.service_kwargs()
    assert kwargs["date"].start.tz == "America/Los_Angeles"  # no zone typed: the matter's
    assert kwargs["actors"] == ["Plaintiff", "LinkedIn"] and kwargs["issues"] == []
    assert kwargs["order"] == 0 and "reason" not in kwargs and "version" not in kwargs
