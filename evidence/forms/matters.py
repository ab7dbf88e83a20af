"""A matter's caption and settings, and its members."""

from django import forms

from evidence.forms.fields import CleanText
from evidence.models import FilingSettings, Matter, Role


class MatterForm(CleanText, forms.ModelForm):
    class Meta:
        model = Matter
        fields = [
            "short_title", "slug", "court", "case_number", "parties", "time_zone", "fiscal_year_start_month",
            "confidentiality_legend", "exhibit_prefix",
        ]  # fmt: skip
        widgets = {"parties": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"slug": "Short name for addresses and commands: letters, digits and hyphens."}


class FilingSettingsForm(CleanText, forms.ModelForm):
    class Meta:
        model = FilingSettings
        fields = ["citation_form", "file_limit_mb", "signature_block"]
        widgets = {"signature_block": forms.Textarea(attrs={"rows": 6}), "citation_form": forms.RadioSelect}


class InviteForm(forms.Form):
    """An e-mail address to invite. Whether an account has it is never looked up here (see services.invitations)."""

    email = forms.EmailField(label="E-mail address", max_length=254)
    role = forms.ChoiceField(choices=Role.choices, initial=Role.EDITOR)


class InvitationRevokeForm(forms.Form):
    invitation = forms.IntegerField(widget=forms.HiddenInput)


class MemberRoleForm(forms.Form):
    """Change a member's role, or (without a role) name the member to remove."""

    user = forms.IntegerField(widget=forms.HiddenInput)
    role = forms.ChoiceField(choices=Role.choices, required=False)
