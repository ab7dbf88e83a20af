"""The admin's forms: events and documents (a new document is an upload through the intake), and the import pages."""

from django import forms

from evidence import dates, files
from evidence.forms.fields import PartialDateField
from evidence.models import Document, Event, Matter
from evidence.permissions import matters_editable_by


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


class _MatterForm(forms.Form):
    matter = forms.ModelChoiceField(queryset=Matter.objects.none())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        matters = self.fields["matter"].queryset = matters_editable_by(user)
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
