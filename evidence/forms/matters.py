"""A matter's caption and settings, and its members."""

from django import forms
from django.core.exceptions import ValidationError

from evidence.models import Matter, Role
from evidence.selectors import active_user_by_name_or_email


class MatterForm(forms.ModelForm):
    class Meta:
        model = Matter
        fields = [
            "short_title", "slug", "court", "case_number", "parties", "time_zone", "confidentiality_legend",
            "exhibit_prefix",
        ]  # fmt: skip
        widgets = {"parties": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"slug": "Short name for addresses and commands: letters, digits and hyphens."}


class MemberAddForm(forms.Form):
    who = forms.CharField(label="Username or e-mail", max_length=254)
    role = forms.ChoiceField(choices=Role.choices, initial=Role.EDITOR)

    def clean_who(self):
        who = self.cleaned_data["who"].strip()
        matches = active_user_by_name_or_email(who)
        if len(matches) > 1:
            raise ValidationError("More than one user has this e-mail address; give the username.")
        if not matches:
            raise ValidationError(f"No active user “{who}”.")
        return matches[0]


class MemberRoleForm(forms.Form):
    """Change a member's role, or (without a role) name the member to remove."""

    user = forms.IntegerField(widget=forms.HiddenInput)
    role = forms.ChoiceField(choices=Role.choices, required=False)
