"""The tracked-source pages' forms: a source, a version (an existing document of the matter or a new upload, with its
capture and dates), an audience; each write with the reason the history keeps."""

from django import forms
from django.core.exceptions import ValidationError

from evidence.forms.admin import AdminChangeForm
from evidence.forms.fields import CleanText, PartialDateField, checked_upload
from evidence.models import Audience, CaptureMethod, Document, SourceKind, SourceVersion, TrackedSource

REASON_REQUIRED = {"required": "Say why: the history keeps the reason."}


def _reason(*, required: bool = True, help_text: str = "Kept in the history.") -> forms.CharField:
    return forms.CharField(
        label="Reason", max_length=100, required=required, help_text=help_text, error_messages=REASON_REQUIRED
    )


def _version_values(data: dict) -> dict:
    """What version_add / version_update take from a version's form (the pages' and the admin's), besides the
    document."""
    return {
        "capture_method": data["capture_method"],
        "captured_at": data["captured_at"],
        "first_seen": data["first_seen"],
        "effective": data["effective"],
        "audiences": list(data["audiences"]),
        "note": data["note"],
    }


class SourceForm(CleanText, forms.Form):
    name = forms.CharField(max_length=200, help_text="“Privacy Policy”, “Generative AI FAQ”.")
    kind = forms.ChoiceField(choices=SourceKind.choices, initial=SourceKind.POLICY)
    url = forms.URLField(label="URL", max_length=2000, required=False, assume_scheme="https")
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    is_illustrative = forms.BooleanField(
        label="Illustrative text, not the real wording",
        required=False,
        help_text="Every page and PDF of this source then says so.",
    )
    reason = _reason(required=False, help_text="Kept in the history; required when changing a source.")

    FIELDS = ("name", "kind", "url", "description", "is_illustrative")

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = editing

    @classmethod
    def initial_for(cls, source) -> dict:
        return {name: getattr(source, name) for name in cls.FIELDS}

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.FIELDS}


class _VersionFields(CleanText, forms.Form):
    """What a version states besides its document: how and when it was captured, its dates, its audiences."""

    capture_method = forms.ChoiceField(label="How it was captured", choices=CaptureMethod.choices)
    captured_at = forms.DateTimeField(
        label="Captured at",
        required=False,
        help_text="When it was captured or archived, e.g. 2024-09-18 14:05 (read in the matter's time zone).",
    )
    first_seen = PartialDateField(label="First seen", help_text="The date this version was first seen, as known.")
    effective = PartialDateField(
        label="Effective date", help_text="When the version states one: “Effective Nov 20, 2024”, “Nov 2023”."
    )
    audiences = forms.ModelMultipleChoiceField(
        queryset=Audience.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave empty when it applies to everyone.",
    )
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, audiences, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["audiences"].queryset = audiences

    def version_values(self) -> dict:
        return _version_values(self.cleaned_data)


class VersionForm(_VersionFields):
    """A new version: a document of the matter, or a file uploaded here and taken in as the next exhibit."""

    document = forms.ModelChoiceField(
        label="Document of the matter",
        queryset=Document.objects.none(),
        required=False,
        empty_label="— or upload a file below —",
    )
    upload = forms.FileField(
        label="Or upload the file", required=False, help_text="Hashed and numbered as the next exhibit of the matter."
    )
    title = forms.CharField(
        label="Title of the uploaded file",
        max_length=500,
        required=False,
        help_text="Empty: the source's name and the file's.",
    )
    reason = _reason(required=False, help_text="Kept in the history; empty: “version added”.")

    field_order = ["document", "upload", "title", "capture_method", "captured_at", "first_seen", "effective"]

    def __init__(self, *args, documents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].queryset = documents
        self.fields["document"].label_from_instance = lambda d: f"{d.exhibit_label} {d.title}"

    def clean_upload(self):
        return checked_upload(self.cleaned_data.get("upload"))

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        if bool(data.get("document")) == bool(data.get("upload")):
            raise ValidationError("Choose a document of the matter or upload a file (one of them).")
        return data


class VersionEditForm(_VersionFields):
    reason = _reason()

    @classmethod
    def initial_for(cls, version) -> dict:
        return {
            "capture_method": version.capture_method,
            "captured_at": version.captured_at,
            "first_seen": version.first_seen_date,
            "effective": version.effective_date,
            "audiences": list(version.audiences.all()),
            "note": version.note,
        }


class AudienceForm(CleanText, forms.Form):
    name = forms.CharField(max_length=200, help_text="“Members in the UK, EEA and Switzerland”, “Premium members”.")
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    reason = _reason()


class ReasonOnlyForm(CleanText, forms.Form):
    reason = _reason()


# The admin's forms (evidence.admin.sources): the records chosen must be of the matter chosen.


class AudienceAdminForm(AdminChangeForm):
    fixed_on_change = ("matter",)

    class Meta:
        model = Audience
        fields = ["matter", "name", "description"]


class TrackedSourceAdminForm(AdminChangeForm):
    fixed_on_change = ("matter",)

    class Meta:
        model = TrackedSource
        fields = ["matter", "name", "kind", "url", "description", "is_illustrative"]


class SourceVersionAdminForm(AdminChangeForm):
    first_seen = PartialDateField(label="First seen")
    effective = PartialDateField(label="Effective date")

    default_reason = "version added in admin"
    fixed_on_change = ("matter", "source", "document")  # another document is another version

    class Meta:
        model = SourceVersion
        fields = ["matter", "source", "document", "capture_method", "captured_at", "audiences", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["first_seen"] = self.instance.first_seen_date
            self.initial["effective"] = self.instance.effective_date

    def clean(self):
        data = super().clean()
        matter = data.get("matter")
        for name in ("source", "document"):
            if matter and data.get(name) and data[name].matter_id != matter.pk:
                self.add_error(name, f"Not in {matter}.")
        strangers = [str(a) for a in data.get("audiences") or () if matter and a.matter_id != matter.pk]
        if strangers:
            self.add_error("audiences", f"Not in {matter}: {', '.join(strangers)}.")
        return data

    def _post_clean(self):
        """Validated by the services (version_add, version_update), which read the dates in the matter."""

    def version_values(self) -> dict:
        return _version_values(self.cleaned_data)
