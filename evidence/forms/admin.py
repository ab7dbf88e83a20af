"""The admin's forms. Each change form asks for the reason kept in the history (required when changing a record, as on
the pages) and shows a service's refusal as a form error. A new document is an upload through the intake.

The admin narrows every choice (matters, actors, issues, documents, events) to what the user may write; the forms
check what a choice list cannot: that the records chosen belong to one matter.
"""

from django import forms
from django.contrib.admin import helpers
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from evidence import dates, pinpoints
from evidence.forms.errors import add_refusal
from evidence.forms.fields import CleanText, PartialDateField, checked_upload
from evidence.forms.matters import MatterForm
from evidence.models import Actor, Citation, Document, Event, Issue, Matter, Membership
from evidence.permissions import matters_editable_by
from evidence.services.base import StaleEdit

# Too vague to tell a later reader anything; the pages refuse the same.
VAGUE_REASONS = {"edit", "edited", "change", "changed"}


class AdminChangeForm(CleanText, forms.ModelForm):
    reason = forms.CharField(
        label="Reason for the change",
        max_length=500,
        required=False,
        widget=forms.TextInput(attrs={"class": "vTextField"}),
    )

    default_reason = "created in admin"
    # Fields a saved record keeps (disable_on_change): its matter, and what else makes it the record it is.
    fixed_on_change: tuple[str, ...] = ()
    # A service's ValidationError from the first try of this save; the admin shows the form again with it.
    refusal: ValidationError | None = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["reason"]
        if self.instance.pk:
            field.required = True
            field.help_text = "Required: say why, e.g. “date corrected from the complaint ¶ 2”. Kept in the history."
        else:
            field.help_text = f"Optional; “{self.default_reason}” if left empty. Kept in the history."
        disable_on_change(self, *self.fixed_on_change)

    def clean_reason(self):
        reason = " ".join(self.cleaned_data["reason"].split())
        if self.instance.pk and reason.casefold() in VAGUE_REASONS:
            raise ValidationError("Say what changed and why; the history keeps this reason.")
        return reason or self.default_reason

    def clean(self):
        data = super().clean()
        if self.instance.pk and getattr(self.instance, "deleted_at", None) is not None:
            # As on the pages: a deleted record is restored first, so that the change is made to what is shown.
            self.add_error(None, f"This {self.instance._meta.verbose_name} is deleted; restore it before editing.")
        if self.refusal is not None:
            add_refusal(self, self.refusal)
        return data

    def changed_fields(self) -> set[str]:
        """What the user changed in the record itself (the reason and a confirmation are about the change, not part
        of it)."""
        return set(self.changed_data) - {"reason", "expected_version", "confirm_pages"}

    def values(self, names) -> dict:
        return {name: self.cleaned_data[name] for name in names}


class PagesToConfirm(ValidationError):
    """Pinpoints past a document's last page, found by the admin before it writes: a warning, not a refusal. The form
    is shown again with them beside a "Save anyway" box that confirms exactly these warnings."""

    def __init__(self, warnings: list[str]):
        self.token = pinpoints.confirmation(warnings)
        advice = "Correct the pinpoint, or tick “Save anyway” and save again."
        super().__init__({"confirm_pages": [*warnings, advice]})


class _ConfirmBox(forms.CheckboxInput):
    """An unticked box whose value, once ticked, is the confirmation of the warnings shown with it."""

    def __init__(self, token: str):
        super().__init__(attrs={"value": token}, check_test=lambda value: False)

    def format_value(self, value):
        return None

    def value_from_datadict(self, data, files, name):
        return data.get(name, "")


class PageCheckedAdminForm(AdminChangeForm):
    """A change form of records that cite documents (an event with its citations, a citation, a document with the
    events citing it): the admin calls check_pages() before it writes."""

    confirm_pages = forms.CharField(label="Save anyway", required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if isinstance(self.refusal, PagesToConfirm):
            field = self.fields["confirm_pages"]
            field.widget = _ConfirmBox(self.refusal.token)
            field.help_text = "The pinpoints are as you mean them: save them as typed."

    def check_pages(self, warnings: list[str]) -> None:
        """Raise PagesToConfirm unless there are no warnings or these very ones were confirmed."""
        if warnings and self.cleaned_data.get("confirm_pages") != pinpoints.confirmation(warnings):
            raise PagesToConfirm(warnings)


def disable_on_change(form, *names):
    if form.instance.pk:
        for name in names:
            if name in form.fields:  # not on a read-only page
                form.fields[name].disabled = True


EVENT_FIELDS = [
    "matter", "date", "order", "title", "description", "kind", "status", "is_key", "is_privileged", "actors", "issues",
    "source_note", "external_id",
]  # fmt: skip


class MatterDateMixin:
    """The date read as the matter chosen in the same form reads it: "FY2024" in its fiscal calendar, a time without
    a zone on its clock (Matter.read_date), so that the admin takes every date the pages take."""

    def _read_date_in_matter(self, data: dict) -> None:
        matter, value = data.get("matter"), data.get("date")
        if value is None:
            return
        if matter is None:
            if value.fiscal:
                self.add_error("date", "Choose the matter: a fiscal year is read in the matter's own.")
                data.pop("date")
            return
        try:
            data["date"] = matter.read_date(value)
        except ValidationError as error:
            self.add_error("date", error)
            data.pop("date", None)

    def _date_for_instance(self):
        value = self.cleaned_data.get("date", dates.UNDATED)
        return dates.UNDATED if value.fiscal else value  # a refused fiscal year: the form has its error already


class EventAdminForm(MatterDateMixin, PageCheckedAdminForm):
    date = PartialDateField(label="Date")
    # The version the editor opened (not "version": that is the model's own, non-editable field).
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    fixed_on_change = ("matter",)  # an event does not move between matters

    class Meta:
        model = Event
        fields = EVENT_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["date"] = self.instance.date
            self.initial["expected_version"] = self.instance.version
            self.fields["expected_version"].required = True
        if isinstance(self.refusal, StaleEdit) and self.is_bound:
            # The next save is made knowingly over the other version, as on the event page.
            self.data = self.data.copy()
            self.data[self.add_prefix("expected_version")] = self.refusal.current.version

    def clean(self):
        data = super().clean()
        matter = data.get("matter")
        for name in ("actors", "issues"):
            strangers = [str(x) for x in data.get(name) or () if matter and x.matter_id != matter.pk]
            if strangers:
                self.add_error(name, f"Not in {matter}: {', '.join(strangers)}.")
        self._read_date_in_matter(data)
        return data

    def _post_clean(self):
        self.instance.date = self._date_for_instance()
        super()._post_clean()

    def service_kwargs(self) -> dict:
        """What event_create / event_update take."""
        return self.values(name for name in EVENT_FIELDS if name != "matter")


class DocumentAdminForm(MatterDateMixin, PageCheckedAdminForm):
    date = PartialDateField(label="Document date")
    upload = forms.FileField(required=False, help_text="The evidence file. It is hashed and numbered on intake.")

    default_reason = "uploaded in admin"
    fixed_on_change = ("matter",)

    class Meta:
        model = Document
        fields = [
            "matter", "title", "date", "author", "source_url", "captured_at", "bates_start", "bates_end",
            "is_privileged",
        ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["date"] = self.instance.date
        else:
            self.fields["upload"].required = True
            self.fields["title"].required = False

    def clean_upload(self):
        return checked_upload(self.cleaned_data.get("upload"))

    def clean(self):
        data = super().clean()
        self._read_date_in_matter(data)
        return data

    def _post_clean(self):
        # A new document is validated by document_intake (it needs the file's hash and number first).
        if self.instance.pk:
            self.instance.date = self._date_for_instance()
            super()._post_clean()


class MatterAdminForm(AdminChangeForm):
    class Meta:
        model = Matter
        fields = MatterForm.Meta.fields


def _active_users_named(who: str) -> list:
    """The active user with this username; else those with this e-mail address (the caller refuses several)."""
    users = get_user_model().objects.filter(is_active=True)
    user = users.filter(username__iexact=who).first()
    if user is not None:
        return [user]
    return list(users.filter(email__iexact=who)[:2]) if "@" in who else []


class UserNameField(forms.CharField):
    """A user named by username or e-mail, as the members page takes one: the admin lists no users to pick from,
    so an owner does not learn who else has an account."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Username or e-mail")
        kwargs.setdefault("max_length", 254)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, int):
            user = get_user_model().objects.filter(pk=value).first()
            return user.get_username() if user else ""
        return value

    def clean(self, value):
        if isinstance(value, int):  # a disabled field cleans its initial value, the member's id
            return get_user_model().objects.get(pk=value)
        who = super().clean(value).strip()
        if not who:
            return None
        matches = _active_users_named(who)
        if len(matches) > 1:
            raise ValidationError("More than one user has this e-mail address; give the username.")
        if not matches:
            raise ValidationError(f"No active user “{who}”.")
        return matches[0]

    def has_changed(self, initial, data):
        return (self.prepare_value(initial) or "") != (data or "").strip()


class MembershipInlineForm(forms.ModelForm):
    user = UserNameField()

    class Meta:
        model = Membership
        fields = ["user", "role"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        disable_on_change(self, "user")  # a member's row changes role; another person is another row


class MembershipAdminForm(AdminChangeForm):
    user = UserNameField()

    default_reason = "member added in admin"
    fixed_on_change = ("matter", "user")

    class Meta:
        model = Membership
        fields = ["matter", "user", "role"]

    def clean(self):
        data = super().clean()
        matter, user = data.get("matter"), data.get("user")
        if not self.instance.pk and matter and user and Membership.objects.filter(matter=matter, user=user).exists():
            self.add_error("user", f"{user.get_username()} is already a member of {matter}; change that membership.")
        return data

    def validate_unique(self):
        """Checked in clean() with a message that says what to do."""


class CitationAdminForm(PageCheckedAdminForm):
    class Meta:
        model = Citation
        fields = ["event", "document", "pinpoint", "note"]


class ActorAdminForm(AdminChangeForm):
    fixed_on_change = ("matter",)

    class Meta:
        model = Actor
        fields = ["matter", "name", "kind"]


class IssueAdminForm(AdminChangeForm):
    fixed_on_change = ("matter",)

    class Meta:
        model = Issue
        fields = ["matter", "name"]


class ReasonActionForm(CleanText, helpers.ActionForm):
    """The changelist's action bar, with the reason a bulk action records (a default one if left empty)."""

    reason = forms.CharField(
        label="Reason:",
        max_length=500,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "kept in history"}),
    )

    @staticmethod
    def reason_from(data, *, default: str) -> str:
        return " ".join(str(data.get("reason", ""))[:500].split()) or default


class _MatterForm(forms.Form):
    """`matter`: the one matter a page imports into (the timeline's import), not a choice; else the user's."""

    matter = forms.ModelChoiceField(queryset=Matter.objects.none())

    def __init__(self, *args, user, matter=None, **kwargs):
        super().__init__(*args, **kwargs)
        matters = self.fields["matter"].queryset = matters_editable_by(user)
        if matter is not None:
            self.fields["matter"].queryset = matters.filter(pk=matter.pk)
            self.fields["matter"].widget = forms.HiddenInput()
            self.initial["matter"] = matter.pk
            if self.is_bound:  # the page's matter, whatever the request says
                self.data = self.data.copy()
                self.data[self.add_prefix("matter")] = str(matter.pk)
            return
        if not self.is_bound and not self.initial.get("matter") and len(only := matters[:2]) == 1:
            self.initial["matter"] = only[0].pk


class EventImportForm(_MatterForm):
    file = forms.FileField(
        help_text="CSV (UTF-8 or Windows-1252), XLSX or JSON; one row per event, a header row first."
    )
    sheet = forms.CharField(required=False, help_text="XLSX only: the sheet to read. Empty: the first sheet with a "
                            "date and a title column.")  # fmt: skip
    order = forms.ChoiceField(
        label="Day/month order",
        choices=[
            ("auto", "Decide per column: month/day (US) unless the column's own values prove day/month"),
            ("month", "Month/day (US): 03/04/2025 is March 4, 2025"),
            ("day", "Day/month: 03/04/2025 is 3 April 2025"),
        ],
        initial="auto",
        widget=forms.RadioSelect,
    )


class DocumentImportForm(_MatterForm):
    file = forms.FileField(label="ZIP", help_text="The evidence files plus manifest.csv (file name, title, exhibit "
                           "number, Bates range, document date, author, privileged).")  # fmt: skip
    check_only = forms.BooleanField(required=False, label="Check only (write nothing)")
