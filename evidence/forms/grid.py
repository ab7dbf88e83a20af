"""The timeline grid's forms: one cell edited in place, a bulk action on a selection, the user's grid settings."""

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict

from evidence import dates
from evidence.forms.fields import CleanText
from evidence.forms.filters import QUERY_NAMES
from evidence.forms.new_actors import NewActorRow, chosen_kinds, new_actor_rows, with_kinds
from evidence.models import (
    DOCUMENT_COLUMNS,
    GRID_COLUMNS,
    ActorKind,
    Density,
    EventKind,
    EventStatus,
    GridSettings,
    Matter,
)
from evidence.names import split_names
from evidence.services.grid import BULK_ACTIONS

# The cells edited in place, with what event_update takes for each.
CELL_FIELDS = ("title", "date", "kind", "status", "key", "issues", "actors")


class CellForm(CleanText, forms.Form):
    """One cell as the grid's editor posts it: the field, the text typed or chosen, and the version the row showed."""

    field = forms.ChoiceField(choices=[(f, f) for f in CELL_FIELDS])
    value = forms.CharField(required=False, max_length=2000, strip=True)
    version = forms.IntegerField(min_value=1)

    def __init__(self, *args, matter: Matter, **kwargs):
        super().__init__(*args, **kwargs)
        self.matter = matter

    def clean(self):
        data = super().clean()
        field, value = data.get("field"), data.get("value") or ""
        if field is None:
            return data
        try:
            data["change"] = self._change(field, value)
        except ValidationError as error:
            self.add_error("value", error)
        return data

    def _change(self, field: str, value: str) -> dict:
        if field == "title":
            if not value:
                raise ValidationError("A title is needed.")
            if len(value) > 500:
                raise ValidationError("A title has at most 500 characters.")
            return {"title": value}
        if field == "date":
            return {"date": self.matter.read_date(dates.parse(value[:100]))}
        if field == "kind":
            if value not in EventKind.values:
                raise ValidationError("Choose one of the kinds.")
            return {"kind": value}
        if field == "status":
            if value not in EventStatus.values:
                raise ValidationError("Choose one of the statuses.")
            return {"status": value}
        if field == "key":
            if value not in ("yes", "no"):
                raise ValidationError("A key fact is yes or no.")
            return {"is_key": value == "yes"}
        if field == "actors":  # a new actor of the kind chosen in the cell's editor, else guessed
            return {"actors": with_kinds(split_names(value), chosen_kinds(self.data))}
        return {field: split_names(value)}

    def service_kwargs(self) -> dict:
        return {"expected_version": self.cleaned_data["version"], **self.cleaned_data["change"]}

    def new_actors(self) -> list[NewActorRow]:
        """For the actors cell: the names the matter does not have yet, with their kinds (chosen, else guessed)."""
        if self.cleaned_data.get("field") != "actors":
            return []
        return new_actor_rows(self.matter, split_names(self.cleaned_data.get("value")), chosen_kinds(self.data))


class BulkForm(CleanText, forms.Form):
    """A bulk action: which, with what value, why, and the selected events with the versions the page showed them at
    (posted as `event` = "id:version", one per selected row)."""

    action = forms.ChoiceField(choices=[("", "Choose an action…")] + [(k, a.label) for k, a in BULK_ACTIONS.items()])
    value = forms.CharField(required=False, max_length=200)
    actor_kind = forms.ChoiceField(
        choices=[("guess", "New actor: kind as guessed"), *ActorKind.choices], required=False, initial="guess"
    )
    reason = forms.CharField(
        max_length=300, help_text="Recorded in the history of every event changed.", error_messages={
            "required": "A bulk edit needs a reason: it is recorded in the history of every event it changes."
        }
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].error_messages["required"] = "Choose what to do with the selected events."

    # "Select all N matching events": every event the page's filters keep (`query`, the page's query string), as
    # many as the page said (`matching`), as they were when it was loaded (`seen_up_to`, selectors.history_mark).
    all_matching = forms.BooleanField(required=False)
    query = forms.CharField(required=False, max_length=4000)
    matching = forms.IntegerField(required=False, min_value=1)
    seen_up_to = forms.IntegerField(required=False, min_value=0)

    def clean(self):
        data = super().clean()
        if data.get("all_matching"):
            if data.get("matching") is None or data.get("seen_up_to") is None:
                raise ValidationError("The page's list could not be read; reload the page and select again.")
            return data
        expected = {}
        for item in self.data.getlist("event") if hasattr(self.data, "getlist") else []:
            pk, _, version = item.partition(":")
            if not (pk.isdigit() and version.isdigit()):
                raise ValidationError(f"A selected row could not be read (“{item[:40]}”); reload the page.")
            expected[int(pk)] = int(version)
        if not expected:
            raise ValidationError("Select the events first (the boxes at the start of the rows).")
        data["expected"] = expected
        return data


# The pages with a grid, each with its optional columns, its layouts and the settings' names for them.
GRID_PAGES = {
    "timeline": {"columns": GRID_COLUMNS, "layouts": ("grid", "cards"), "prefix": ""},
    "documents": {"columns": DOCUMENT_COLUMNS, "layouts": ("grid", "list"), "prefix": "document_"},
}


class SettingsForm(CleanText, forms.Form):
    """Some of the user's grid settings, as the page's script posts them when they change: the timeline's, or with
    `page=documents` the documents page's (the same column chooser and layout switch post both)."""

    page = forms.ChoiceField(choices=[(p, p) for p in GRID_PAGES], required=False)
    columns = forms.MultipleChoiceField(
        choices=[(c, c) for c in dict.fromkeys([*GRID_COLUMNS, *DOCUMENT_COLUMNS])], required=False
    )
    layout = forms.ChoiceField(choices=GridSettings.Layout.choices, required=False)
    density = forms.ChoiceField(choices=Density.choices, required=False)
    filters_open = forms.NullBooleanField(required=False)
    visual_open = forms.NullBooleanField(required=False)
    working_on = forms.CharField(required=False, max_length=300)

    def clean(self):
        data = super().clean()
        page = GRID_PAGES[data.get("page") or "timeline"]
        if data.get("layout") and data["layout"] not in page["layouts"]:
            self.add_error("layout", "This page has no such layout.")
        if [c for c in data.get("columns") or () if c not in page["columns"]]:
            self.add_error("columns", "This page has no such column.")
        return data

    def changes(self) -> dict:
        """Only the settings that were posted (the columns with `columns_set`, since no box ticked posts nothing),
        under the names of the page's settings."""
        out = {
            name: self.cleaned_data[name]
            for name in ("layout", "density", "filters_open", "visual_open")
            if name in self.data and self.cleaned_data.get(name) not in (None, "")
        }
        if "working_on" in self.data:  # an empty one clears it
            out["working_on"] = self.cleaned_data["working_on"]
        if "columns_set" in self.data:
            out["columns"] = self.cleaned_data["columns"]
        prefix = GRID_PAGES[self.cleaned_data.get("page") or "timeline"]["prefix"]
        if prefix:
            out = {(f"{prefix}{k}" if k in ("columns", "layout", "density") else k): v for k, v in out.items()}
        return out


# What a saved view keeps of the address: the filters (under the timeline's names) and the sort; not the page.
VIEW_PARAMETERS = (*QUERY_NAMES.values(), "sort")


class SavedViewForm(CleanText, forms.Form):
    name = forms.CharField(label="Name of the view", max_length=100)
    shared = forms.BooleanField(label="Shared with the matter", required=False)
    query = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)

    def clean_query(self):
        """The filters and sort of the page the view was saved from, and nothing else."""
        given = QueryDict(self.cleaned_data["query"] or "")
        kept = QueryDict(mutable=True)
        for name in VIEW_PARAMETERS:
            values = [v for v in given.getlist(name) if v]
            if values:
                kept.setlist(name, values)
        return kept.urlencode()
