"""Forms of the documents, e-mail evidence and export pages. They parse and validate; services do the writing."""

from django import forms
from django.core.exceptions import ValidationError

from evidence.forms import PartialDateField
from evidence.models import EventKind, EventStatus
from evidence.selectors import TimelineFilters, parse_date_bound


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


class UploadForm(forms.Form):
    files = MultipleFileField(
        label="Files",
        help_text="One or more files. Each is hashed and numbered as the next exhibit; an .eml e-mail also proposes "
        "an event, and its attachments become documents.",
        error_messages={"required": "Choose at least one file to upload."},
    )


class DocumentForm(forms.Form):
    title = forms.CharField(max_length=500)
    date = PartialDateField(label="Document date")
    author = forms.CharField(label="Author / custodian", max_length=300, required=False)
    source_url = forms.URLField(label="Source URL", max_length=2000, required=False, assume_scheme="https")
    captured_at = forms.DateTimeField(
        label="Captured at",
        required=False,
        help_text="When a web page was captured, e.g. 2024-09-18 14:05 (read in the matter's time zone).",
    )
    bates_start = forms.CharField(label="Bates start", max_length=50, required=False)
    bates_end = forms.CharField(label="Bates end", max_length=50, required=False)
    is_privileged = forms.BooleanField(label="Privileged", required=False)
    reason = forms.CharField(
        label="Reason for the change", max_length=100, required=False, help_text="Kept in the history."
    )

    FIELDS = ("title", "author", "source_url", "captured_at", "bates_start", "bates_end", "is_privileged")

    @classmethod
    def for_document(cls, document, data=None):
        initial = {name: getattr(document, name) for name in cls.FIELDS}
        initial["date"] = document.date
        return cls(data=data, initial=initial)

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.FIELDS}


class EmailEventForm(forms.Form):
    """The proposed event of an e-mail, for the paralegal to check and confirm."""

    date = PartialDateField(label="Date")
    title = forms.CharField(max_length=500)
    kind = forms.ChoiceField(choices=EventKind.choices)
    actors = forms.CharField(
        label="Actors",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One per line.",
    )
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 8}))
    pinpoint = forms.CharField(label="Pinpoint in the message", max_length=100, required=False)

    @classmethod
    def from_proposal(cls, proposal):
        return cls(
            initial={
                "date": proposal.date,
                "title": proposal.title,
                "kind": proposal.kind,
                "actors": "\n".join(proposal.actors),
                "description": proposal.description,
            }
        )

    def clean_actors(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["actors"].splitlines() if line.strip()]


# Export ------------------------------------------------------------------------------------------------------------

FORMAT_LABELS = {"pdf": "PDF (court-ready chronology)", "csv": "CSV", "xlsx": "Excel (XLSX)", "docx": "Word (DOCX)"}
# The timeline page's query names, so that "Export this view" carries its filters over.
QUERY_ALIASES = {
    "date_from": ("date_from", "from"),
    "date_to": ("date_to", "to"),
    "kinds": ("kinds", "kind"),
    "issues": ("issues", "issue"),
    "actors": ("actors", "actor"),
    "statuses": ("statuses", "status"),
    "text": ("text", "q"),
    "key_only": ("key_only", "key"),
    "include_privileged": ("include_privileged", "privileged"),
}


class ExportForm(forms.Form):
    format = forms.ChoiceField(label="Format", choices=(), widget=forms.RadioSelect, initial="pdf")
    date_from = forms.CharField(
        label="From", required=False, max_length=100, help_text="A date as known: “Aug 2024” starts on Aug 1."
    )
    date_to = forms.CharField(label="To", required=False, max_length=100, help_text="“Sept 2024” ends on Sept 30.")
    kinds = forms.MultipleChoiceField(
        label="Kinds", choices=EventKind.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    issues = forms.MultipleChoiceField(label="Issues", choices=(), required=False, widget=forms.CheckboxSelectMultiple)
    actors = forms.MultipleChoiceField(label="Actors", choices=(), required=False, widget=forms.CheckboxSelectMultiple)
    statuses = forms.MultipleChoiceField(
        label="Status", choices=EventStatus.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    text = forms.CharField(label="Containing text", required=False, max_length=200)
    key_only = forms.BooleanField(label="Key facts only", required=False)
    include_privileged = forms.BooleanField(
        label="Include privileged events (marked as such)", required=False, initial=False
    )
    embed_exhibits = forms.BooleanField(label="Embed the cited exhibits in the PDF (as attachments)", required=False)
    paper = forms.ChoiceField(
        label="Paper", choices=[("letter", "US Letter"), ("a4", "A4")], initial="letter", widget=forms.RadioSelect
    )

    def __init__(self, *args, matter, formats=("pdf", "csv", "xlsx", "docx"), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["format"].choices = [(f, FORMAT_LABELS.get(f, f.upper())) for f in formats]
        self.fields["issues"].choices = [(i.name, i.name) for i in matter.issues.all()]
        self.fields["actors"].choices = [(a.name, a.name) for a in matter.actors.all()]

    @staticmethod
    def initial_from_query(query) -> dict:
        """Pre-fill from a timeline's query string (either this form's names or the timeline's short ones)."""
        initial = {}
        for name, aliases in QUERY_ALIASES.items():
            for alias in aliases:
                values = [v for v in query.getlist(alias) if v != ""]
                if not values:
                    continue
                if name in ("kinds", "issues", "actors", "statuses"):
                    initial[name] = [part.strip() for v in values for part in v.split(",") if part.strip()]
                elif name in ("key_only", "include_privileged"):
                    initial[name] = values[-1].lower() in ("1", "true", "on", "yes")
                else:
                    initial[name] = values[-1]
                break
        for name in ("format", "paper"):
            if query.get(name):
                initial[name] = query.get(name)
        return initial

    def clean_date_from(self):
        return self._bound("date_from", end=False)

    def clean_date_to(self):
        return self._bound("date_to", end=True)

    def _bound(self, name, *, end):
        text = self.cleaned_data[name]
        try:
            return parse_date_bound(text, end=end)
        except ValidationError as error:
            raise ValidationError(f"“{text}”: {error.messages[0]}")

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "The end is before the start.")
        if data.get("embed_exhibits") and data.get("format") not in (None, "pdf"):
            self.add_error("embed_exhibits", "Exhibits can be embedded in a PDF only.")
        return data

    def filters(self) -> TimelineFilters:
        data = self.cleaned_data
        return TimelineFilters(
            text=data["text"].strip(),
            date_from=data["date_from"],
            date_to=data["date_to"],
            kinds=tuple(data["kinds"]),
            issues=tuple(data["issues"]),
            actors=tuple(data["actors"]),
            statuses=tuple(data["statuses"]),
            key_only=data["key_only"],
            include_privileged=data["include_privileged"],
        )
