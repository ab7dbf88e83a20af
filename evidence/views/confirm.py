"""The confirmation page that a soft delete and a restore of a version go through: what will change, and the reason
the history keeps (required, no default), before the POST that does it. A POST without a reason gets the page again.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import render

from evidence.diff import Change
from evidence.forms.events import ReasonForm
from evidence.views.matters import matter_context


def reason_form(data=None) -> ReasonForm:
    form = ReasonForm(data)
    form.fields["reason"].required = True
    form.fields["reason"].error_messages["required"] = "Give a reason: the history keeps it."
    form.fields["reason"].help_text = "Required; kept in the history with who did it and when."
    return form


def reason_of(form: ReasonForm) -> str:
    """The reason of a valid form, whitespace tidied."""
    return " ".join(form.cleaned_data["reason"].split())


@dataclass
class Confirmation:
    title: str  # the page's heading, e.g. "Restore version 2 of this event?"
    action: str  # the URL the form posts to
    cancel: str  # where "Cancel" goes back to
    button: str
    explanation: str
    danger: bool = False
    changes: list[Change] | None = None  # None: no table of changes (a delete)
    notes: list[str] = field(default_factory=list)
    hidden: dict = field(default_factory=dict)  # more fields to post, e.g. the version's history_id


def confirm_page(request, matter, confirmation: Confirmation, form: ReasonForm, *, nav: str):
    return render(
        request,
        "evidence/_confirm.html",
        matter_context(request, matter, nav=nav, confirm=confirmation, form=form),
    )


def delete_with_reason(
    request, *, page: Callable[[ReasonForm], HttpResponse], delete: Callable[[str], object], done: str,
    then: HttpResponse,
) -> HttpResponse:  # fmt: skip
    """The POST of a soft delete's confirmation page: without a reason, the page again (`page(form)`, saying why);
    with one, `delete(reason)`, the message `done`, and `then`."""
    form = reason_form(request.POST)
    if not form.is_valid():
        return page(form)
    delete(reason_of(form))
    messages.success(request, done)
    return then


def restore_with_reason(request, *, restore: Callable[[str], object], done: str, then: HttpResponse) -> HttpResponse:
    """The POST of a restore button with its reason: without a reason nothing is restored and the user is told why;
    with one, `restore(reason)` and the message `done`. Then `then`, either way."""
    form = reason_form(request.POST)
    if form.is_valid():
        restore(reason_of(form))
        messages.success(request, done)
    else:
        messages.error(request, "Not restored: give a reason; the history keeps it.")
    return then
