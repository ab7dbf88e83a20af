"""What the forms share (evidence/forms/fields.py): text is cleaned by the one text rule before a field reads it, so
a form stores what every other intake would, and shows back what it will store."""

from django.http import QueryDict

from evidence import dates
from evidence.forms.documents import DocumentForm
from evidence.forms.events import EventForm
from evidence.forms.fields import PartialDateField
from evidence.forms.matters import MatterForm


def test_a_nul_is_removed_not_refused_and_controls_are_replaced(matter):
    data = QueryDict(mutable=True)
    data.update({"date": "Aug 2024", "title": "Policy\x00 amended\x07", "kind": "policy_edit",
                 "status": "unverified", "description": "one\r\ntwo\x0bthree", "actors": "Acme\x00; Doe\x1b",
                 "issues": "", "reason": ""})  # fmt: skip
    form = EventForm(data, matter=matter, editing=False)
    assert form.is_valid(), form.errors  # Django's own CharField would say "Null characters are not allowed."
    assert form.cleaned_data["title"] == "Policy amended\ufffd"
    assert form.cleaned_data["description"] == "one\ntwo\nthree"
    assert form.cleaned_data["actors"] == ["Acme", "Doe\ufffd"]
    assert 'value="Policy amended\ufffd"' in str(form["title"])  # shown back as it will be stored


def test_a_title_of_nothing_but_nul_is_missing(matter):
    form = DocumentForm({"title": "\x00\x00", "date": ""})
    assert not form.is_valid() and form.errors["title"] == ["This field is required."]


def test_the_matter_form_cleans_the_caption(db):
    form = MatterForm({"short_title": "Doe\x00 v. Acme", "slug": "doe", "court": "Court\x01", "parties": "A\rB",
                       "time_zone": "UTC", "fiscal_year_start_month": 1, "exhibit_prefix": "PX-"})  # fmt: skip
    assert form.is_valid(), form.errors
    assert (form.cleaned_data["short_title"], form.cleaned_data["court"]) == ("Doe v. Acme", "Court\ufffd")
    assert form.cleaned_data["parties"] == "A\nB"


def test_a_date_field_left_as_it_was_is_not_changed():
    field = PartialDateField()
    stored = dates.parse("Aug 2024")
    assert not field.has_changed(stored, stored.display())
    assert not field.has_changed(stored, "August 2024")
    assert field.has_changed(stored, "Sept 2024")
    assert field.has_changed(stored, "nonsense")
    assert not field.has_changed(None, "")
