"""The filters' checkboxes are written in Python (evidence.forms.fields.CheckboxList): a page must show the boxes
Django's own widget would, checked, labelled and escaped alike."""

import pytest
from django import forms

from evidence.forms.fields import CheckboxList
from evidence.forms.filters import TimelineFilterForm

CHOICES = [
    ("plain", "Plain"),
    ('quote"&<tag>', "Label with <b>markup</b> & “quotes”"),
    (3, "A number's label"),
    ("Group & co", [("inner", "Inner <i>"), ("other", "Other")]),
]


def _form(widget, data, attrs=None):
    class Form(forms.Form):
        boxes = forms.MultipleChoiceField(choices=CHOICES, required=False, widget=widget(attrs=attrs))

    return Form(data)


@pytest.mark.parametrize("data", [{}, {"boxes": ['quote"&<tag>', "3", "inner"]}, {"boxes": ["not a choice"]}])
@pytest.mark.parametrize("attrs", [None, {"class": 'a "b"', "data-x": True, "disabled": False}])
def test_the_same_markup_as_djangos_widget(data, attrs):
    stock = _form(forms.CheckboxSelectMultiple, data, attrs)
    assert str(_form(CheckboxList, data, attrs)["boxes"]) == str(stock["boxes"])


@pytest.mark.django_db
def test_the_timelines_filters_show_every_box_of_the_matter_checked_as_asked(matter):
    from evidence.models import Actor

    Actor.objects.create(matter=matter, name="O'Brien <Legal>")
    Actor.objects.create(matter=matter, name="Jane Doe")
    form = TimelineFilterForm({"actor": ["O'Brien <Legal>"]}, matter=matter)
    assert form.is_valid(), form.errors
    shown = str(form["actors"])
    stock = forms.CheckboxSelectMultiple(choices=form.fields["actors"].choices)
    assert shown == stock.render("actor", ["O'Brien <Legal>"], {"id": "id_actor"})
    assert shown.count("<input") == 2 and shown.count(" checked") == 1
    assert 'value="O&#x27;Brien &lt;Legal&gt;" id="id_actor_1" checked' in shown
