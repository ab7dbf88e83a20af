"""The question of the "In force on" page and of `manage.py in_force`: a date as people write it, and an audience."""

from django import forms
from django.core.exceptions import ValidationError

from evidence.forms.fields import CleanText, PartialDateField

DATE_HELP = "Any precision: “Aug 15, 2024”, “Aug 2024”, “Q3 2024”, “2024”, “c. Sept 2024”, “Aug 1 – 20, 2024”."


class InForceForm(CleanText, forms.Form):
    date = PartialDateField(label="In force on", required=True, help_text=DATE_HELP)
    audience = forms.ModelChoiceField(
        queryset=None,
        required=False,
        empty_label="Everyone (say where the audience matters)",
        help_text="A version with audiences applies only to them; one without, to everyone.",
    )

    def __init__(self, *args, matter, **kwargs):
        from evidence.selectors_sources import audiences_of

        super().__init__(*args, **kwargs)
        self.matter = matter
        self.fields["audience"].queryset = audiences_of(matter)

    def clean_date(self):
        value = self.matter.read_date(self.cleaned_data["date"])
        if value.undated:
            raise ValidationError("Give the date to ask about, e.g. “Aug 2024”.")
        return value
