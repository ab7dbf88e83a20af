"""The access log's filters: what kind of access, and by whom."""

from django import forms

from evidence.models import AccessEvent


class AccessFilterForm(forms.Form):
    kind = forms.ChoiceField(label="Kind", required=False, choices=[("", "Any kind"), *AccessEvent.Kind.choices])
    user = forms.TypedChoiceField(label="User", required=False, coerce=int, empty_value=None)

    def __init__(self, data=None, *, users: list[tuple[int, str]]):
        super().__init__(data)
        self.fields["user"].choices = [("", "Anyone"), *users]
