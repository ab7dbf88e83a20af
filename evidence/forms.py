"""Forms: they parse and validate what people type; the services do the writing."""

from django import forms

from evidence import dates, files
from evidence.models import Document, Event


class PartialDateField(forms.CharField):
    """A date typed as people say it ("Aug 2024", "c. Sept 2024", "1/21/2025 9:30am"), cleaned to a PartialDate."""

    default_help_text = "As known: “Aug 2024”, “c. Sept 2024”, “after Aug 2024”, “1/21/2025 9:30am PST”, “unknown”."

    def __init__(self, *, day_first: bool | None = None, **kwargs):
        kwargs.setdefault("help_text", self.default_help_text)
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 100)
        super().__init__(**kwargs)
        self.day_first = day_first

    def prepare_value(self, value):
        if isinstance(value, dates.PartialDate):
            return "" if value.undated else value.display()
        return value

    def clean(self, value):
        return dates.parse(super().clean(value) or "", day_first=self.day_first)


class EventAdminForm(forms.ModelForm):
    date = PartialDateField(label="Date")

    class Meta:
        model = Event
        fields = [
            "matter", "date", "order", "title", "description", "kind", "status", "is_key", "is_privileged",
            "actors", "issues", "source_note", "external_id",
        ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["date"] = self.instance.date

    def save(self, commit=True):
        self.instance.date = self.cleaned_data["date"]
        return super().save(commit=commit)


class DocumentAdminForm(forms.ModelForm):
    date = PartialDateField(label="Document date")
    upload = forms.FileField(required=False, help_text="The evidence file. It is hashed and numbered on intake.")

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
            self.fields["matter"].disabled = True
        else:
            self.fields["upload"].required = True
            self.fields["title"].required = False

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if upload is not None:
            files.check_size(upload.size, filename=upload.name)
        return upload

    def _post_clean(self):
        # A new document is validated by document_intake (it needs the file's hash and number first).
        if self.instance.pk:
            self.instance.date = self.cleaned_data.get("date", dates.UNDATED)
            super()._post_clean()
