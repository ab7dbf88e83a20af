"""The documents pages: upload, a document's metadata, and the event proposed from an e-mail."""

import uuid

from django import forms

from evidence.forms.fields import CleanText, MultipleFileField, PartialDateField
from evidence.models import ActorKind, Document, EventKind


class UploadForm(forms.Form):
    files = MultipleFileField(
        label="Files",
        help_text="One or more files. Each is hashed and numbered as the next exhibit; an .eml e-mail also proposes "
        "an event, and its attachments become documents.",
        error_messages={"required": "Choose at least one file to upload."},
    )


class DocumentForm(CleanText, forms.Form):
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

    FIELDS = Document.EDITABLE_FIELDS

    @classmethod
    def for_document(cls, document, data=None):
        initial = {name: getattr(document, name) for name in cls.FIELDS}
        initial["date"] = document.date
        return cls(data=data, initial=initial)

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.FIELDS}


class EmailEventForm(CleanText, forms.Form):
    """The proposed event of an e-mail, for the paralegal to check and confirm."""

    date = PartialDateField(label="Date")
    title = forms.CharField(max_length=500)
    kind = forms.ChoiceField(choices=EventKind.choices)
    # One confirmation, one event: the form sent again gets the event back (see event_create_once).
    submission_token = forms.UUIDField(widget=forms.HiddenInput, required=False, initial=uuid.uuid4)
    actors = forms.CharField(
        label="Actors",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One per line.",
    )
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 8}))
    pinpoint = forms.CharField(label="Pinpoint in the message", max_length=100, required=False)

    def __init__(self, *args, participants=(), **kwargs):
        """`participants`: the message's, as matched (evidence.actor_matching); each new one gets a choice of kind,
        set to the guess, which says why."""
        super().__init__(*args, **kwargs)
        self.participants = list(participants)
        self.new_participants = [p for p in self.participants if p.is_new]
        for n, participant in enumerate(self.new_participants):
            self.fields[f"new_kind_{n}"] = forms.ChoiceField(
                label=f"“{participant.name}” is",
                choices=ActorKind.choices,
                initial=participant.guess.kind,
                required=False,  # not sent: the guess
                help_text=f"Guessed {participant.guess.kind_label.lower()}: {participant.guess.why}.",
            )

    def participant_rows(self) -> list[tuple]:
        """(participant, the choice of its kind or None when it matched an actor), for the page to show together."""
        fields = iter(self[f"new_kind_{n}"] for n in range(len(self.new_participants)))
        return [(p, next(fields) if p.is_new else None) for p in self.participants]

    @classmethod
    def from_proposal(cls, proposal, *, participants=()):
        return cls(
            initial={
                "date": proposal.date,
                "title": proposal.title,
                "kind": proposal.kind,
                "actors": "\n".join(proposal.actors),
                "description": proposal.description,
            },
            participants=participants,
        )

    def clean_actors(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["actors"].splitlines() if line.strip()]

    def kinds(self) -> dict[str, str]:
        """The kind chosen for each new participant, by name casefolded (after a successful is_valid())."""
        return {p.name.casefold(): self.cleaned_data[f"new_kind_{n}"] for n, p in enumerate(self.new_participants)}
