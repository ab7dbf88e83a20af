"""A matter's caption and settings, and its members."""

import functools
import re
import zoneinfo

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import slugify

from evidence.forms.fields import CleanText
from evidence.models import FilingSettings, Matter, Role

# One rule for a slug, said the same way by the help and by the error.
SLUG_RULE = "letters, digits and hyphens, e.g. “doe-v-linkedin”"
SLUG_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
DEFAULT_TIME_ZONE = "America/New_York"


@functools.cache
def time_zones() -> tuple[str, ...]:
    """The IANA zones people choose from: Region/City names and UTC, not the legacy aliases ("EST5EDT") or the
    posix/ and right/ copies some systems list."""
    return tuple(
        sorted(
            z
            for z in zoneinfo.available_timezones()
            if (z == "UTC" or "/" in z) and not z.startswith(("posix/", "right/", "Etc/", "SystemV/"))
        )
    )


def slug_from(title: str) -> str:
    """A free slug made from a title: "Doe v. LinkedIn, Inc." -> "doe-v-linkedin-inc" (then -2, -3 if taken)."""
    base = "-".join(slugify(title).replace("_", "-").split("-")).strip("-")
    base = re.sub(r"-{2,}", "-", base)[:70].strip("-") or "matter"
    taken = set(Matter.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    if base not in taken:
        return base
    return next(f"{base}-{n}" for n in range(2, len(taken) + 3) if f"{base}-{n}" not in taken)


class MatterForm(CleanText, forms.ModelForm):
    """A new matter: the slug may be left for the form to make from the short title; the time zone is one of the
    IANA zones (`time_zones()`, offered as a searchable list)."""

    slug = forms.CharField(
        max_length=80,
        required=False,
        help_text=f"Short name for addresses and commands: {SLUG_RULE}. Left empty, it is made from the short title.",
    )
    time_zone = forms.CharField(
        max_length=64,
        help_text="The zone in which times without a stated zone are read and shown. Type to search the list, "
        "e.g. “New_York” or “London”.",
        widget=forms.TextInput(attrs={"list": "time-zones", "autocomplete": "off", "spellcheck": "false"}),
    )

    class Meta:
        model = Matter
        fields = [
            "short_title", "slug", "court", "case_number", "parties", "time_zone", "fiscal_year_start_month",
            "confidentiality_legend", "exhibit_prefix",
        ]  # fmt: skip
        widgets = {"parties": forms.Textarea(attrs={"rows": 3})}

    time_zones = property(lambda self: time_zones())

    def clean_slug(self):
        slug = self.cleaned_data["slug"].strip().lower()
        if not slug:
            return ""
        if not SLUG_PATTERN.fullmatch(slug):
            raise ValidationError(f"Use only {SLUG_RULE}.", code="invalid")
        if Matter.objects.filter(slug=slug).exclude(pk=self.instance.pk).exists():
            raise ValidationError(f"“{slug}” is taken by another matter; choose another.", code="unique")
        return slug

    def clean_time_zone(self):
        typed = self.cleaned_data["time_zone"].strip()
        by_key = {z.casefold(): z for z in time_zones()}
        zone = by_key.get(typed.replace(" ", "_").casefold())
        if zone is None:
            raise ValidationError(
                f"“{typed}” is not a time zone of the list; choose one, such as {DEFAULT_TIME_ZONE}.", code="invalid"
            )
        return zone

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("slug") and "slug" not in self.errors and cleaned.get("short_title"):
            cleaned["slug"] = slug_from(cleaned["short_title"])
        return cleaned

    def validate_unique(self):
        # the slug's uniqueness is said by clean_slug, in the words of its rule (the model's names the field "Slug")
        try:
            self.instance.validate_unique(exclude=self._get_validation_exclusions() | {"slug"})
        except ValidationError as error:
            self._update_errors(error)


def last_time_zone(user) -> str:
    """The zone of the last matter this user created, for the next one; else New York's."""
    created = Matter.history.filter(history_user=user, history_type="+").order_by("-history_date").first()
    return created.time_zone if created is not None else DEFAULT_TIME_ZONE


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
