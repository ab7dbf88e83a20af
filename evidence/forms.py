"""Forms: they parse and validate what people type; the services do the writing."""

import re

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from evidence import dates, files
from evidence.models import (
    Actor,
    Document,
    Event,
    EventKind,
    EventStatus,
    Issue,
    Matter,
    Role,
)
from evidence.selectors import TimelineFilters, parse_date_bound


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


# The paralegal's web UI ------------------------------------------------------------------------------------------


def split_names(text: str) -> list[str]:
    """Names typed as "LinkedIn; DMR News, Jane Doe": split on commas and semicolons, blanks dropped, each once."""
    seen: dict[str, str] = {}
    for part in re.split(r"[;,]", text or ""):
        name = " ".join(part.split())
        if name:
            seen.setdefault(name.casefold(), name)
    return list(seen.values())


class MatterForm(forms.ModelForm):
    class Meta:
        model = Matter
        fields = [
            "short_title", "slug", "court", "case_number", "parties", "time_zone", "confidentiality_legend",
            "exhibit_prefix",
        ]  # fmt: skip
        widgets = {"parties": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"slug": "Short name for addresses and commands: letters, digits and hyphens."}


class MemberAddForm(forms.Form):
    who = forms.CharField(label="Username or e-mail", max_length=254)
    role = forms.ChoiceField(choices=Role.choices, initial=Role.EDITOR)

    def clean_who(self):
        who = self.cleaned_data["who"].strip()
        users = get_user_model().objects.filter(is_active=True)
        user = users.filter(username__iexact=who).first()
        if user is None and "@" in who:
            matches = list(users.filter(email__iexact=who)[:2])
            if len(matches) > 1:
                raise ValidationError("More than one user has this e-mail address; give the username.")
            user = matches[0] if matches else None
        if user is None:
            raise ValidationError(f"No active user “{who}”.")
        return user


class MemberRoleForm(forms.Form):
    """Change a member's role, or (without a role) name the member to remove."""

    user = forms.IntegerField(widget=forms.HiddenInput)
    role = forms.ChoiceField(choices=Role.choices, required=False)


class TimelineFilterForm(forms.Form):
    """The timeline's filters, read from the query string (so a view can be bookmarked and exported as it is).

    `to_filters()` gives the selectors' TimelineFilters; the export page can build the same form from the same GET.
    """

    q = forms.CharField(
        label="Search",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Titles, descriptions, document text"}),
    )
    date_from = forms.CharField(
        label="From", required=False, max_length=100, widget=forms.TextInput(attrs={"placeholder": "e.g. Aug 2024"})
    )
    date_to = forms.CharField(
        label="To", required=False, max_length=100, widget=forms.TextInput(attrs={"placeholder": "e.g. 2025"})
    )
    kind = forms.MultipleChoiceField(
        label="Kind", required=False, choices=EventKind.choices, widget=forms.CheckboxSelectMultiple
    )
    issue = forms.MultipleChoiceField(label="Issues", required=False, widget=forms.CheckboxSelectMultiple)
    actor = forms.MultipleChoiceField(label="Actors", required=False, widget=forms.CheckboxSelectMultiple)
    status = forms.MultipleChoiceField(
        label="Status", required=False, choices=EventStatus.choices, widget=forms.CheckboxSelectMultiple
    )
    key = forms.BooleanField(label="Key facts only", required=False)
    deleted = forms.BooleanField(label="Show deleted", required=False)

    # In the query string the bounds are "from" and "to" (a Python keyword cannot name a field).
    QUERY_NAMES = {"date_from": "from", "date_to": "to"}

    def __init__(self, data=None, *, matter: Matter, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["issue"].choices = [
            (n, n) for n in Issue.objects.filter(matter=matter).values_list("name", flat=True)
        ]
        self.fields["actor"].choices = [
            (n, n) for n in Actor.objects.filter(matter=matter).values_list("name", flat=True)
        ]

    def add_prefix(self, field_name):
        return self.QUERY_NAMES.get(field_name, field_name)

    def _clean_bound(self, name, *, end):
        try:
            return parse_date_bound(self.cleaned_data.get(name, ""), end=end)
        except ValidationError as exc:
            raise ValidationError(exc.messages)

    def clean_date_from(self):
        return self._clean_bound("date_from", end=False)

    def clean_date_to(self):
        return self._clean_bound("date_to", end=True)

    def to_filters(self, *, include_privileged: bool = True) -> TimelineFilters:
        """The filters that validated (an invalid field is left out, and shown as an error on the form)."""
        data = self.cleaned_data if self.is_bound else {}
        return TimelineFilters(
            text=(data.get("q") or "").strip(),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            kinds=tuple(data.get("kind") or ()),
            issues=tuple(data.get("issue") or ()),
            actors=tuple(data.get("actor") or ()),
            statuses=tuple(data.get("status") or ()),
            key_only=bool(data.get("key")),
            include_privileged=include_privileged,
            show_deleted=bool(data.get("deleted")),
        )

    @property
    def has_more_filters(self) -> bool:
        """Whether a filter hidden under "More filters" is set (then that panel starts open)."""
        return self.is_bound and any(self.data.getlist(name) for name in ("kind", "issue", "actor"))


class EventForm(forms.Form):
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
        else:
            self.fields["reason"].help_text = "Optional; “created in timeline” if left empty."

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
        """What event_create / event_update take."""
        data = self.cleaned_data
        return {name: data[name] for name in (
            "date", "title", "description", "kind", "status", "is_key", "is_privileged", "actors", "issues",
            "source_note", "order",
        )}  # fmt: skip


class CitationForm(forms.Form):
    """One citation of the event form: an existing one (with its id) or a new one; blank new rows are ignored."""

    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    document = forms.ModelChoiceField(
        queryset=Document.objects.none(), required=False, label="Document", empty_label="— no document —"
    )
    pinpoint = forms.CharField(max_length=100, required=False, help_text="“p. 3”, “¶ 12”, “ACME_000123”")
    note = forms.CharField(max_length=500, required=False)

    def __init__(self, *args, documents=None, **kwargs):
        super().__init__(*args, **kwargs)
        if documents is not None:
            self.fields["document"].queryset = documents
        self.fields["document"].label_from_instance = lambda d: f"{d.exhibit_label} {d.title}"

    def clean(self):
        data = super().clean()
        if (data.get("pinpoint") or data.get("note")) and not data.get("document") and not data.get("DELETE"):
            self.add_error("document", "Choose the document this cites.")
        return data


class BaseCitationFormSet(forms.BaseFormSet):
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


CitationFormSet = forms.formset_factory(CitationForm, formset=BaseCitationFormSet, extra=2, can_delete=True)


class ReasonForm(forms.Form):
    """The reason asked for by delete, restore and revert."""

    reason = forms.CharField(label="Reason", max_length=100, required=False)

    @classmethod
    def reason_from(cls, data, *, default: str) -> str:
        """The reason typed, whitespace tidied, or `default` when none was given."""
        form = cls(data)
        form.is_valid()
        return " ".join((form.cleaned_data.get("reason") or "").split()) or default
