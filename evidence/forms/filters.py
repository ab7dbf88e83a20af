"""Which events: one form for the timeline's filters, the export page and `export_chronology`.

`EventFilterForm` holds every filter once; a filter added here works on the timeline, in the export page and on the
command line. The timeline names its fields as short query parameters ("q", "from", "kind"…) so that a view can be
bookmarked; the export page uses the long names and accepts the timeline's too, so "Export this view" carries the
filters over.
"""

from django import forms
from django.core.exceptions import ValidationError

from evidence.models import EventKind, EventStatus, Matter
from evidence.selectors import GRID_SORTS, TimelineFilters, actor_names, issue_names, parse_date_bound, sort_words
from evidence.text import shown

# The timeline's query-string names of the filters (a Python keyword cannot name a field, hence "from").
QUERY_NAMES = {
    "text": "q",
    "date_from": "from",
    "date_to": "to",
    "kinds": "kind",
    "issues": "issue",
    "actors": "actor",
    "statuses": "status",
    "key_only": "key",
    "include_privileged": "privileged",
    "show_deleted": "deleted",
    "include_undated": "undated",
}
SEARCH_HELP = "“a phrase”, AND, OR, NOT (or -word), prefix*; exhibit labels and Bates numbers too."
LIST_FIELDS = ("kinds", "issues", "actors", "statuses")
FLAG_FIELDS = ("key_only", "include_privileged", "show_deleted", "include_undated")


class DateWindowFields:
    """A form's `date_from` and `date_to`: partial dates read as the first and the last day they may mean."""

    def _bound(self, name, *, end):
        text = self.cleaned_data[name]
        try:
            return parse_date_bound(text, end=end)
        except ValidationError as error:
            message = error.messages[0]
            # the date rules name the text they could not read in most of their errors: it is not said twice
            raise ValidationError(message if text in message else f"“{text}”: {message}") from error

    def clean_date_from(self):
        return self._bound("date_from", end=False)

    def clean_date_to(self):
        return self._bound("date_to", end=True)


class EventFilterForm(DateWindowFields, forms.Form):
    """The filters of a timeline or an export; `to_filters()` gives the selectors' TimelineFilters."""

    text = forms.CharField(label="Containing text", required=False, max_length=200)
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
    key_only = forms.BooleanField(label="Key facts only", required=False)
    include_undated = forms.BooleanField(
        label="Include undated events",
        required=False,
        help_text="Undated events are always shown when no dates are set.",
    )

    # What `to_filters` uses for a filter this form does not show.
    include_privileged_default = True

    def __init__(self, data=None, *, matter: Matter, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["issues"].choices = [(n, shown(n)) for n in issue_names(matter=matter)]
        self.fields["actors"].choices = [(n, shown(n)) for n in actor_names(matter=matter)]

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "The end is before the start.")
        return data

    def to_filters(self) -> TimelineFilters:
        """The filters that validated (an invalid field is left out, and shown as an error on the form)."""
        data = self.cleaned_data if self.is_bound else {}
        return TimelineFilters(
            text=(data.get("text") or "").strip(),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            kinds=tuple(data.get("kinds") or ()),
            issues=tuple(data.get("issues") or ()),
            actors=tuple(data.get("actors") or ()),
            statuses=tuple(data.get("statuses") or ()),
            key_only=bool(data.get("key_only")),
            include_privileged=bool(data.get("include_privileged", self.include_privileged_default)),
            show_deleted=bool(data.get("show_deleted")),
            include_undated=bool(data.get("include_undated")),
        )


class TimelineFilterForm(EventFilterForm):
    """The timeline's filters, read from the query string under their short names."""

    show_deleted = forms.BooleanField(label="Show deleted", required=False)

    def __init__(self, data=None, *, matter: Matter, **kwargs):
        super().__init__(data, matter=matter, **kwargs)
        self.fields["text"].label = "Search"
        self.fields["text"].widget.input_type = "search"
        self.fields["text"].widget.attrs["placeholder"] = "Words, tags, PX-2, LI-000105, document text"
        self.fields["text"].help_text = SEARCH_HELP
        self.fields["text"].widget.attrs["title"] = SEARCH_HELP  # where a one-line bar leaves the help unshown
        self.fields["date_from"].widget.attrs["placeholder"] = "e.g. Aug 2024"
        self.fields["date_to"].widget.attrs["placeholder"] = "e.g. 2025"
        for name in ("date_from", "date_to"):
            self.fields[name].help_text = ""

    def add_prefix(self, field_name):
        return QUERY_NAMES.get(field_name, field_name)

    @property
    def has_more_filters(self) -> bool:
        """Whether a filter hidden under "More filters" is set (then that panel starts open)."""
        return self.is_bound and any(self.data.getlist(QUERY_NAMES[name]) for name in LIST_FIELDS)


FORMAT_LABELS = {"pdf": "PDF (court-ready chronology)", "csv": "CSV", "xlsx": "Excel (XLSX)", "docx": "Word (DOCX)"}
PAPER_CHOICES = [("letter", "US Letter"), ("a4", "A4")]
REPORT_CHOICES = [
    ("chronology", "Chronology of events, with the exhibit index"),
    ("facts-by-issue", "Facts by issue: each issue with its events"),
    ("cast-of-characters", "Cast of characters: each actor with their events"),
    ("exhibit-list", "Exhibit list: every exhibit with its date, Bates range, SHA-256 and the events citing it"),
    ("privilege-log", "Privilege log: the privileged documents and events"),
    (
        "filing-package",
        "Filing package (CM/ECF-ready): the filing version, an index and every cited exhibit as its own stamped, "
        "searchable Letter PDF under the court's size limit, in a ZIP, each file pre-flighted",
    ),
]
PRIVILEGED_ROLE_NEEDED = "Privileged material is exported only by editors and owners of the matter."
VERSION_CHOICES = [
    ("standard", "Working copy: events numbered 1, 2, 3… in date order; key and disputed facts marked"),
    (
        "internal",
        "Internal version: every status marked (undisputed, disputed, unverified); each event under its own number",
    ),
    (
        "filing",
        "Filing version: no internal marks, no “prepared by”, no privileged material; citations in the matter's "
        "filing form (“Ex. 3 at 4”); each event under its own number; the attorney signature block",
    ),
]
SOURCE_REDLINES_HELP = "The redlines of tracked sources are appended to the chronology's PDF only."
EMBEDDED_HELP = (
    "Courts' e-filing systems (CM/ECF) reject a PDF with attached files: such a chronology is a transmittal copy, "
    "not a filing. To file, export the filing package."
)


class ExportForm(EventFilterForm):
    """The export's filters and options: the page, and `export_chronology` (which binds its options to it)."""

    report = forms.ChoiceField(
        label="Report",
        choices=REPORT_CHOICES,
        widget=forms.RadioSelect,
        initial="chronology",
        required=False,
        help_text="The reports are exported as PDF or Word.",
    )
    format = forms.ChoiceField(label="Format", choices=(), widget=forms.RadioSelect, initial="pdf")
    include_privileged = forms.BooleanField(
        label="Include privileged events (marked as such)", required=False, initial=False
    )
    version = forms.ChoiceField(
        label="Version",
        choices=VERSION_CHOICES,
        widget=forms.RadioSelect,
        initial="standard",
        required=False,
        help_text="Of the chronology, as PDF or Word. The internal and filing versions number each event as it was "
        "numbered when created, so that No. 12 is the same fact in every export.",
    )
    embed_exhibits = forms.BooleanField(
        label="Embed the cited exhibits in the PDF (as attachments)", required=False, help_text=EMBEDDED_HELP
    )
    timeline = forms.BooleanField(label="Visual timeline on the caption page", required=False, initial=True)
    source_redlines = forms.BooleanField(
        label="Append the redlines of the tracked sources the exported events cite",
        required=False,
        help_text="PDF of the chronology: after the exhibit index, each cited version of a tracked source against "
        "the version before it, unchanged paragraphs folded.",
    )
    signature = forms.BooleanField(
        label="Attorney signature block (filing version; from the matter's filing settings)",
        required=False,
        initial=True,
    )
    paper = forms.ChoiceField(label="Paper", choices=PAPER_CHOICES, initial="letter", widget=forms.RadioSelect)
    # The order of the timeline view exported (its grid's sort), when it is not the chronology's.
    sort = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)

    include_privileged_default = False

    def __init__(
        self, data=None, *, matter: Matter, formats=("pdf", "csv", "xlsx", "docx"), privileged_allowed=True, **kwargs
    ):
        """`privileged_allowed`: whether the user may export privileged material (permissions.may_export_privileged);
        without it the page offers neither privileged events nor the privilege log. The export service enforces the
        rule whatever the form says."""
        super().__init__(data, matter=matter, **kwargs)
        self.fields["format"].choices = [(f, FORMAT_LABELS.get(f, f.upper())) for f in formats]
        self.privileged_allowed = privileged_allowed
        if not privileged_allowed:
            self.fields["include_privileged"].widget.attrs["disabled"] = True
            self.fields["include_privileged"].help_text = PRIVILEGED_ROLE_NEEDED
            self.fields["report"].choices = [c for c in REPORT_CHOICES if c[0] != "privilege-log"]

    @staticmethod
    def initial_from_query(query) -> dict:
        """Pre-fill from a timeline's query string (either this form's names or the timeline's short ones)."""
        initial = {}
        for name in (*QUERY_NAMES, "format", "paper", "report", "version", "sort"):
            for alias in (name, QUERY_NAMES.get(name)):
                values = [v for v in query.getlist(alias or "") if v != ""]
                if not values:
                    continue
                if name in LIST_FIELDS:
                    initial[name] = [part.strip() for v in values for part in v.split(",") if part.strip()]
                elif name in FLAG_FIELDS:
                    initial[name] = values[-1].lower() in ("1", "true", "on", "yes")
                else:
                    initial[name] = values[-1]
                break
        initial.pop("show_deleted", None)
        return initial

    def clean_sort(self):
        """A sort of the timeline's grid ("title", "-kind"…); the chronology's own order (by date) is ""."""
        sort = self.cleaned_data["sort"] or ""
        if sort and sort.removeprefix("-") not in GRID_SORTS:
            raise ValidationError("This order is not one of the timeline's; export in date order or sort again.")
        return "" if sort == "date" else sort

    @property
    def order_words(self) -> str:
        """The order the export will have, in words, when it is not the chronology's."""
        return sort_words(self["sort"].value() or "")

    def clean_report(self):
        return self.cleaned_data["report"] or "chronology"

    def clean_version(self):
        return self.cleaned_data["version"] or "standard"

    def clean(self):
        data = super().clean()
        report = data.get("report") or "chronology"
        if data.get("embed_exhibits") and data.get("format") not in (None, "pdf"):
            self.add_error("embed_exhibits", "Exhibits can be embedded in a PDF only.")
        elif data.get("embed_exhibits") and report != "chronology":
            self.add_error("embed_exhibits", "Exhibits can be embedded in the chronology's PDF only.")
        if data.get("source_redlines") and (report != "chronology" or data.get("format") not in (None, "pdf")):
            self.add_error("source_redlines", SOURCE_REDLINES_HELP)
        if report == "filing-package":
            if data.get("include_privileged"):
                self.add_error("include_privileged", "The filing package never includes privileged material.")
            return data
        if report != "chronology" and data.get("format") not in (None, "pdf", "docx"):
            self.add_error("format", "The reports are exported as PDF or Word only.")
        if data.get("include_privileged") and not self.privileged_allowed:
            self.add_error("include_privileged", PRIVILEGED_ROLE_NEEDED)
        version = data.get("version") or "standard"
        if version != "standard" and (report != "chronology" or data.get("format") not in (None, "pdf", "docx")):
            self.add_error("version", "The internal and filing versions are of the chronology, as PDF or Word.")
        if version == "filing" and data.get("embed_exhibits"):
            self.add_error("embed_exhibits", EMBEDDED_HELP)
        if version == "filing" and data.get("include_privileged"):
            self.add_error("include_privileged", "The filing version never includes privileged material.")
        return data
