"""An event as the paralegal types it, its citations, and the reason asked for by delete, restore and revert."""

import uuid
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import cached_property

from evidence import pinpoints
from evidence.forms.fields import CleanText, PartialDateField
from evidence.forms.new_actors import NewActorRow, chosen_kinds, new_actor_rows, with_kinds
from evidence.models import Document, Event, EventKind, EventStatus, Matter
from evidence.names import split_names
from evidence.text import shown


class EventForm(CleanText, forms.Form):
    """An event as the paralegal types it. Actors and issues are names, created on the fly by the services."""

    date = PartialDateField(label="Date (as known)")
    title = forms.CharField(max_length=500)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}))
    kind = forms.ChoiceField(choices=EventKind.choices, initial=EventKind.OTHER)
    status = forms.ChoiceField(choices=EventStatus.choices, initial=EventStatus.UNVERIFIED)
    is_key = forms.BooleanField(label="Key fact", required=False)
    is_privileged = forms.BooleanField(label="Privileged (work product)", required=False)
    actors = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.TextInput(attrs={"list": "actor-names"}),
        help_text="Separate names with commas or semicolons; new names are added to the matter.",
    )
    issues = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.TextInput(attrs={"list": "issue-names"}),
        help_text="Separate issues with commas or semicolons; new issues are added to the matter.",
    )
    source_note = forms.CharField(
        label="Source note",
        required=False,
        max_length=500,
        help_text="A source that is not an exhibit, e.g. “Complaint ¶ 2” or “Dkt. 1”.",
    )
    order = forms.IntegerField(
        label="Order on the same date",
        initial=0,
        required=False,
        help_text="Lower numbers come first among events with the same date.",
    )
    reason = forms.CharField(
        label="Reason for change", max_length=100, required=False, help_text="Kept in the event's history."
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # The create form's one-time token: submitting the same form twice creates one event (event_create_once). The
    # page's script keeps it with the history entry, so that Back brings the form again with the same token.
    submission_token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, matter: Matter, editing: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.matter = matter
        self.editing = editing
        if editing:
            self.fields["reason"].required = True
            self.fields[
                "reason"
            ].help_text = "Required: say why, e.g. “date corrected from the complaint ¶ 2”. Kept in the history."
            self.fields["version"].required = True
            del self.fields["submission_token"]
        else:
            self.fields["reason"].help_text = "Optional; “created in timeline” if left empty."
            self.fields["submission_token"].initial = uuid.uuid4

    @classmethod
    def initial_for(cls, event: Event) -> dict:
        return {
            "date": event.date,
            "title": event.title,
            "description": event.description,
            "kind": event.kind,
            "status": event.status,
            "is_key": event.is_key,
            "is_privileged": event.is_privileged,
            "actors": "; ".join(a.name for a in event.actors.all()),
            "issues": "; ".join(i.name for i in event.issues.all()),
            "source_note": event.source_note,
            "order": event.order,
            "version": event.version,
        }

    def clean_date(self):
        return self.matter.read_date(self.cleaned_data["date"])

    def clean_actors(self):
        return split_names(self.cleaned_data["actors"])

    def clean_issues(self):
        return split_names(self.cleaned_data["issues"])

    def clean_order(self):
        return self.cleaned_data["order"] or 0

    def clean_reason(self):
        reason = " ".join(self.cleaned_data["reason"].split())
        if self.editing and reason.casefold() in {"edited in timeline", "edited", "edit"}:
            raise ValidationError("Say what changed and why; the history keeps this reason.")
        return reason or "created in timeline"

    def service_kwargs(self) -> dict:
        """What event_create / event_update take; a new actor is of the kind chosen beside the field (or guessed)."""
        data = self.cleaned_data
        typed = [name for name in Event.EDITABLE_FIELDS if name in self.fields]
        kwargs = {name: data[name] for name in ("date", *typed, "issues")}
        return {**kwargs, "actors": with_kinds(data["actors"], chosen_kinds(self.data))}

    def new_actors(self) -> list[NewActorRow]:
        """The actors typed that the matter does not have yet, with their kinds (chosen, else guessed)."""
        typed = self.data.get(self.add_prefix("actors"), "") if self.is_bound else self.initial.get("actors")
        return new_actor_rows(self.matter, split_names(typed), chosen_kinds(self.data))


class CitationForm(CleanText, forms.Form):
    """One citation of the event form: an existing one (with its id) or a new one; blank new rows are ignored."""

    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    document = forms.ModelChoiceField(
        queryset=Document.objects.none(), required=False, label="Document", empty_label="— no document —"
    )
    pinpoint = forms.CharField(max_length=100, required=False, help_text="“p. 3”, “¶ 12”, “ACME_000123”")
    note = forms.CharField(max_length=500, required=False)

    def __init__(self, *args, documents=None, document_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        if documents is not None:
            self.fields["document"].queryset = documents
        self.fields["document"].label_from_instance = document_label
        if document_choices is not None:  # the formset's, read once for all its rows (the queryset still validates)
            self.fields["document"].choices = document_choices


def document_label(document: Document) -> str:
    return f"{shown(document.exhibit_label)} {shown(document.title)}"

    def clean(self):
        data = super().clean()
        if (data.get("pinpoint") or data.get("note")) and not data.get("document") and not data.get("DELETE"):
            self.add_error("document", "Choose the document this cites.")
        return data


class BaseCitationFormSet(forms.BaseFormSet):
    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        if kwargs.get("documents") is not None:
            # A callable: the options are read when a row is drawn, not for a save.
            kwargs["document_choices"] = lambda: self._document_options
        return kwargs

    @cached_property
    def _document_options(self) -> list[tuple]:
        """The document select's options, the same for every row: read and labelled once, not once per row."""
        empty = CitationForm.base_fields["document"].empty_label
        return [("", empty), *((d.pk, document_label(d)) for d in self.form_kwargs["documents"])]

    def clean(self):
        seen = set()
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or self._should_delete_form(form):
                continue
            document, pinpoint = form.cleaned_data.get("document"), (form.cleaned_data.get("pinpoint") or "").strip()
            if document is None:
                continue
            if (document.pk, pinpoint) in seen:
                form.add_error("pinpoint", f"{document.exhibit_label} {pinpoint} is cited twice.".replace("  ", " "))
            seen.add((document.pk, pinpoint))

    def page_check(self, data, *, already=()) -> "PageCheck | None":
        """The pinpoints past the last page of the document they cite, after a successful is_valid(); None when
        there are none. Each row keeps its own warning (`page_warning`) to be shown beside it. `already`: the
        (document id, pinpoint) the event cites now, not warned about again. `data` is the POST: whether these very
        warnings were confirmed."""
        warnings = []
        for form in self.forms:
            form.page_warning = ""
            if not getattr(form, "cleaned_data", None) or self._should_delete_form(form):
                continue
            document = form.cleaned_data.get("document")
            if document is not None:
                found = pinpoints.page_warnings([(document, form.cleaned_data.get("pinpoint") or "")], already=already)
                form.page_warning = found[0] if found else ""
                warnings += [w for w in found if w not in warnings]
        if not warnings:
            return None
        token = pinpoints.confirmation(warnings)
        return PageCheck(warnings=warnings, token=token, confirmed=data.get(PageCheck.FIELD) == token)

    def citations(self) -> list[tuple]:
        """The (document, pinpoint, note) the rows ask for, after a successful is_valid()."""
        return [
            (
                form.cleaned_data["document"],
                form.cleaned_data.get("pinpoint") or "",
                form.cleaned_data.get("note") or "",
            )
            for form in self.forms
            if getattr(form, "cleaned_data", None)
            and form.cleaned_data.get("document") is not None
            and not self._should_delete_form(form)
        ]


@dataclass
class PageCheck:
    """Pinpoints past a document's last page: a warning, not a refusal. The form is shown again with them and a
    "save anyway" box whose value is `token`; ticking it and saving confirms exactly these warnings."""

    FIELD = "confirm_pages"

    warnings: list[str]
    token: str
    confirmed: bool


CitationFormSet = forms.formset_factory(CitationForm, formset=BaseCitationFormSet, extra=2, can_delete=True)


class FromViewerForm(CleanText, forms.Form):
    """What the document viewer hands the event form (a GET query): the document and pinpoint to cite, and for a new
    event the text selected in the document as its description. Anything that does not validate is left out: the
    event form then opens as it would without it."""

    DESCRIPTION_MAX = 10_000

    cite = forms.ModelChoiceField(queryset=Document.objects.none())
    pinpoint = forms.CharField(max_length=100, required=False)
    description = forms.CharField(max_length=DESCRIPTION_MAX, required=False, strip=True)

    def __init__(self, *args, documents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cite"].queryset = documents

    @classmethod
    def read(cls, query, *, documents) -> "FromViewerForm | None":
        if "cite" not in query:
            return None
        form = cls(query, documents=documents)
        return form if form.is_valid() else None

    @property
    def citation(self) -> dict:
        return {"document": self.cleaned_data["cite"], "pinpoint": self.cleaned_data["pinpoint"].strip()}

    @property
    def cited(self) -> str:
        """ "PX-2 p. 3": the citation in words, for the reason the form is prefilled with."""
        document, pinpoint = self.cleaned_data["cite"], self.cleaned_data["pinpoint"].strip()
        return f"{document.exhibit_label} {pinpoint}".strip()


class ReasonForm(CleanText, forms.Form):
    """The reason asked for by delete, restore and revert."""

    reason = forms.CharField(label="Reason", max_length=100, required=False)

    @classmethod
    def reason_from(cls, data, *, default: str) -> str:
        """The reason typed, whitespace tidied, or `default` when none was given."""
        form = cls(data)
        form.is_valid()
        return " ".join((form.cleaned_data.get("reason") or "").split()) or default
