"""The form renderer (evidence.forms.renderer) draws the commonest widgets in Python: every page must get the HTML
Django's own templates give, for every widget, value and attribute a form can hold."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from evidence.forms.renderer import WRITERS, FormRenderer

CHOICES = [
    ("", "---------"),
    ("plain", "Plain"),
    ('quote"&<tag>', "Label with <b>markup</b> & “quotes”"),
    (3, "A number's label"),
    ("safe", mark_safe("<em>already safe</em>")),
    ("Group & co", [("inner", "Inner <i>"), (4, "Four")]),
]
ATTRS = [None, {"class": 'a "b"', "data-x": True, "disabled": False, "placeholder": "<none>", "maxlength": 20}]


class EveryWidget(forms.Form):
    text = forms.CharField(required=False)
    email = forms.EmailField(required=False)
    number = forms.IntegerField(required=False)
    password = forms.CharField(required=False, widget=forms.PasswordInput(render_value=True))
    hidden = forms.CharField(required=False, widget=forms.HiddenInput)
    search = forms.CharField(required=False, widget=forms.SearchInput)
    url = forms.URLField(required=False)
    day = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    flag = forms.BooleanField(required=False)
    notes = forms.CharField(required=False, widget=forms.Textarea)
    one = forms.ChoiceField(required=False, choices=CHOICES)
    many = forms.MultipleChoiceField(required=False, choices=CHOICES)
    boxes = forms.MultipleChoiceField(required=False, choices=CHOICES, widget=forms.CheckboxSelectMultiple)
    radio = forms.ChoiceField(required=False, choices=CHOICES, widget=forms.RadioSelect)
    maybe = forms.NullBooleanField(required=False)


DATA = [
    {},
    {
        "text": 'O\'Brien "&" <script>alert(1)</script>',
        "email": "a@b.example",
        "number": "42",
        "password": "s<e>cret",
        "hidden": "x&y",
        "search": "  spaced  ",
        "url": "https://example.com/?a=1&b=2",
        "day": "2024-08-15",
        "flag": "on",
        "notes": "line one\nline <two> & three",
        "one": 'quote"&<tag>',
        "many": ["3", "inner", "safe"],
        "boxes": ["4", "plain"],
        "radio": "3",
        "maybe": "true",
    },
    {"notes": "", "number": "not a number", "many": ["no such choice"], "radio": "", "maybe": "false"},
]


def _drawn(renderer, data, attrs):
    form = EveryWidget(data or None, renderer=renderer, auto_id="id_%s" if attrs is None else "f-%s")
    if attrs:
        for field in form.fields.values():
            field.widget.attrs.update(attrs)
    form.is_bound and form.is_valid()
    return {name: str(form[name]) for name in form.fields}


@pytest.mark.parametrize("attrs", ATTRS)
@pytest.mark.parametrize("data", DATA)
def test_every_widget_is_drawn_as_djangos_templates_draw_it(data, attrs):
    ours, djangos = _drawn(FormRenderer(), data, attrs), _drawn(DjangoTemplates(), data, attrs)
    for name in EveryWidget.base_fields:
        assert ours[name] == djangos[name], name


def test_a_widget_with_an_option_template_of_its_own_is_drawn_by_its_templates():
    class Marked(forms.RadioSelect):
        option_template_name = "django/forms/widgets/input_option.html"  # a newline fewer than radio_option.html

    class Form(forms.Form):
        radio = forms.ChoiceField(choices=[("a", "A")], widget=Marked)

    assert str(Form(renderer=FormRenderer())["radio"]) == str(Form(renderer=DjangoTemplates())["radio"])


def test_the_site_draws_its_forms_with_it_and_every_writer_is_used():
    from django.forms.renderers import get_default_renderer

    renderer = get_default_renderer()
    assert isinstance(renderer, FormRenderer)
    assert renderer._writers.keys() == WRITERS.keys()  # no installed app overrides the templates they stand for
