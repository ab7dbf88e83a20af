"""The people and issues pages' forms: an actor or issue with its details, a merge, a retirement; each with a reason."""

from django import forms

from evidence.forms.fields import CleanText
from evidence.models import ActorKind


class _Reason(CleanText, forms.Form):
    reason = forms.CharField(
        label="Reason", max_length=100, help_text="Kept in the history.",
        error_messages={"required": "Say why: the history keeps the reason."},
    )  # fmt: skip


class ActorForm(_Reason):
    name = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=ActorKind.choices, initial=ActorKind.PERSON)
    organisation = forms.CharField(max_length=200, required=False)
    emails = forms.CharField(
        label="E-mail addresses", max_length=1000, required=False, help_text="Separated by commas."
    )
    description = forms.CharField(label="Role / description", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def service_kwargs(self) -> dict:
        return {k: self.cleaned_data[k] for k in ("name", "kind", "organisation", "emails", "description")}


class IssueForm(_Reason):
    name = forms.CharField(max_length=100)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def service_kwargs(self) -> dict:
        return {k: self.cleaned_data[k] for k in ("name", "description")}


class MergeForm(_Reason):
    into = forms.ModelChoiceField(queryset=None, label="Merge into", empty_label="— choose —")

    def __init__(self, *args, others, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = others


class RetireForm(_Reason):
    pass
