"""The documents page's search, filters and sort, read from the query string so that a view can be bookmarked."""

from django import forms

from evidence.forms.filters import SEARCH_HELP, DateWindowFields
from evidence.selectors import DOCUMENT_KINDS, DocumentFilters, document_sort

SORTS = [
    ("", "Best match, else exhibit"),
    ("exhibit", "Exhibit number"),
    ("date", "Date"),
    ("title", "Title"),
    ("-size", "Size, largest first"),
]
# The grid's headings sort by any column, either way: in words for the page's caption.
SORT_WORDS = {"exhibit": "exhibit number", "title": "title", "date": "date", "author": "author", "type": "type",
              "size": "size", "pages": "pages", "cited": "events citing them", "privileged": "privilege"}  # fmt: skip


class DocumentFilterForm(DateWindowFields, forms.Form):
    q = forms.CharField(label="Search", required=False, max_length=200, help_text=SEARCH_HELP)
    type = forms.ChoiceField(label="Type", required=False, choices=[("", "Any type"), *DOCUMENT_KINDS.items()])
    date_from = forms.CharField(label="From", required=False, max_length=100)
    date_to = forms.CharField(label="To", required=False, max_length=100)
    privileged = forms.ChoiceField(
        label="Privileged", required=False, choices=[("", "Either"), ("yes", "Privileged"), ("no", "Not privileged")]
    )
    cited = forms.ChoiceField(
        label="Cited", required=False, choices=[("", "Either"), ("yes", "Cited by an event"), ("no", "Not cited")]
    )
    sort = forms.CharField(label="Sort by", required=False, max_length=20, widget=forms.Select(choices=SORTS))
    deleted = forms.BooleanField(label="Show deleted", required=False)

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["q"].widget.input_type = "search"
        self.fields["q"].widget.attrs["placeholder"] = "Titles, PX-2, LI-000105, text"
        self.fields["q"].widget.attrs["title"] = SEARCH_HELP  # where a one-line bar leaves the help unshown
        self.fields["date_from"].widget.attrs["placeholder"] = "e.g. Aug 2024"
        self.fields["date_to"].widget.attrs["placeholder"] = "e.g. 2025"
        self.fields["deleted"].widget = forms.CheckboxInput(check_test=lambda v: v in ("1", "on", "true", True))

    def add_prefix(self, field_name):
        return {"date_from": "from", "date_to": "to"}.get(field_name, field_name)

    def clean_sort(self):
        sort = self.cleaned_data["sort"]
        if sort and not document_sort(sort):
            raise forms.ValidationError("Choose one of the orders offered.")
        return sort

    def to_filters(self) -> DocumentFilters:
        """The filters that validated (an invalid field is left out, and shown as an error on the form)."""
        data = self.cleaned_data if self.is_bound else {}
        flag = {"yes": True, "no": False}
        return DocumentFilters(
            text=(data.get("q") or "").strip(),
            kind=data.get("type") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            privileged=flag.get(data.get("privileged") or ""),
            cited=flag.get(data.get("cited") or ""),
            sort=data.get("sort") or "",
            include_deleted=bool(data.get("deleted")),
        )

    @property
    def order_words(self) -> str:
        filters = self.to_filters()
        if filters.sort:
            column = filters.sort.removeprefix("-")
            return f"by {SORT_WORDS[column]}{', descending' if filters.sort.startswith('-') else ''}"
        return "best match first" if filters.text else "in exhibit order"

    @property
    def is_filtered(self) -> bool:
        return self.is_bound and any(self.data.get(name) for name in ("q", "type", "from", "to", "privileged", "cited"))
