"""What the forms of the pages and the admin share: text cleaned as it is stored, a date as people type it, and
several files in one field."""

from django import forms
from django.core.exceptions import ValidationError

from evidence import dates, files, text


class CleanText:
    """Mixed into every form whose text is stored: the submitted text is cleaned by the one rule (evidence.text)
    before any field reads it. The services clean what they save anyway; here the form validates, and shows back,
    what will be stored, and a NUL is removed as at every other intake (Django's CharField would refuse it)."""

    def full_clean(self):
        if self.is_bound:
            self.data = _cleaned(self.data)
        super().full_clean()


def _cleaned(data):
    if hasattr(data, "setlist"):  # a QueryDict: every value of every key
        copy = data.copy()
        for name, values in data.lists():
            copy.setlist(name, [text.clean(v) for v in values])
        return copy
    return {
        name: [text.clean(v) for v in value] if isinstance(value, (list, tuple)) else text.clean(value)
        for name, value in data.items()
    }


def checked_upload(upload):
    """A form's cleaned upload, refused when it is empty or over the upload limit (as the intake would)."""
    if upload is not None:
        files.check_size(upload.size, filename=upload.name)
    return upload


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

    def has_changed(self, initial, data):
        """Changed when the date read differs, not the text: "August 2024" for a stored Aug 2024 is no change, so a
        form saved with its date untouched records no date change."""
        try:
            typed = self.clean(data)
            before = initial if isinstance(initial, dates.PartialDate) else self.clean(initial or "")
        except ValidationError:
            return True
        return typed != before


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field; each is checked by the intake, so one bad file does not fail the form."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        # Not FileField.clean per file: it would refuse an empty file for the whole form, and the intake reports
        # an empty or oversized file by itself while the others are kept.
        uploads = [d for d in (data if isinstance(data, (list, tuple)) else [data]) if d]
        if not uploads:
            raise ValidationError(self.error_messages["required"], code="required")
        for upload in uploads:
            if not getattr(upload, "name", None) or not hasattr(upload, "size"):
                raise ValidationError(self.error_messages["invalid"], code="invalid")
        return uploads
