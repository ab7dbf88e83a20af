"""The matter's people (actors: the cast of characters) and issues: each with its events, created, edited, merged
(every event naming the duplicate gets a new version) and retired, by editors; read by every member."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from evidence import selectors
from evidence.forms.cast import ActorForm, IssueForm, MergeForm, RetireForm
from evidence.models import Actor, Issue, Role
from evidence.permissions import get_matter_for
from evidence.services import actors as actor_services
from evidence.services.cast import tags_merge
from evidence.views.matters import matter_context


@dataclass(frozen=True)
class Cast:
    model: type
    form: type
    plural: str  # "people", "issues": the page's address and name
    title: str
    filter_name: str  # the timeline's filter of events by it


CASTS = {
    "people": Cast(Actor, ActorForm, "people", "People", "actor"),
    "issues": Cast(Issue, IssueForm, "issues", "Issues", "issue"),
}


def _page(request, matter, cast, *, form=None, status=200):
    items = selectors.cast_of(matter=matter, model=cast.model)
    return render(
        request,
        "evidence/cast/list.html",
        matter_context(
            request, matter, nav=cast.plural, cast=cast, items=items, form=form or cast.form()
        ),
        status=status,
    )  # fmt: skip


@login_required
@require_GET
def cast_list(request, slug, kind):
    cast = CASTS[kind]
    matter = get_matter_for(request.user, slug, Role.VIEWER)
    return _page(request, matter, cast)


@login_required
@require_POST
def cast_save(request, slug, kind, pk=None):
    """Create (no pk) or change an actor or issue."""
    cast = CASTS[kind]
    matter = get_matter_for(request.user, slug, Role.EDITOR)
    item = get_object_or_404(cast.model, matter=matter, pk=pk) if pk else None
    form = cast.form(request.POST, prefix=f"e{pk}" if pk else None)
    if not form.is_valid():
        messages.error(request, "Not saved: " + _errors(form))
        return _page(request, matter, cast, form=form if not pk else None, status=400)
    values, reason = form.service_kwargs(), form.cleaned_data["reason"]
    try:
        if item is None:
            name = values.pop("name")
            create = actor_services.actor_create if cast.model is Actor else actor_services.issue_create
            item = create(matter=matter, name=name, user=request.user, reason=reason,
                          **({"kind": values.pop("kind")} if cast.model is Actor else {}))  # fmt: skip
            if any(values.values()):
                _update(item, request.user, reason, values)
            messages.success(request, f"Added “{item.name}”.")
        else:
            item = _update(item, request.user, reason, values)
            messages.success(request, f"Saved “{item.name}”.")
    except ValidationError as exc:
        messages.error(request, "Not saved: " + " ".join(exc.messages))
    return redirect("cast_list", matter.slug, kind)


def _update(item, user, reason, values):
    if isinstance(item, Actor):
        return actor_services.actor_update(actor=item, user=user, reason=reason, **values)
    return actor_services.issue_update(issue=item, user=user, reason=reason, **values)


@login_required
@require_POST
def cast_merge(request, slug, kind, pk):
    cast = CASTS[kind]
    matter = get_matter_for(request.user, slug, Role.EDITOR)
    duplicate = get_object_or_404(cast.model, matter=matter, pk=pk)
    others = cast.model.objects.filter(matter=matter, retired_at__isnull=True).exclude(pk=pk)
    form = MergeForm(request.POST, others=others, prefix=f"m{pk}")
    if not form.is_valid():
        messages.error(request, f"“{duplicate.name}” was not merged: " + _errors(form))
        return redirect("cast_list", matter.slug, kind)
    keep = form.cleaned_data["into"]
    try:
        count = tags_merge(keep=keep, duplicate=duplicate, user=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Merged “{duplicate.name}” into “{keep.name}”: {count} event"
                                  f"{'s' if count != 1 else ''} changed, each as a new version; “{duplicate.name}” "
                                  "is retired.")  # fmt: skip
    return redirect("cast_list", matter.slug, kind)


@login_required
@require_POST
def cast_retire(request, slug, kind, pk):
    cast = CASTS[kind]
    matter = get_matter_for(request.user, slug, Role.EDITOR)
    item = get_object_or_404(cast.model, matter=matter, pk=pk)
    form = RetireForm(request.POST, prefix=f"r{pk}")
    if not form.is_valid():
        messages.error(request, f"“{item.name}” was not changed: " + _errors(form))
        return redirect("cast_list", matter.slug, kind)
    retire = item.retired_at is None
    actor_services.tag_retire(item=item, user=request.user, reason=form.cleaned_data["reason"], retired=retire)
    messages.success(
        request, f"“{item.name}” is {'retired: no longer offered for new events' if retire else 'back in use'}."
    )
    return redirect("cast_list", matter.slug, kind)


def _errors(form) -> str:
    return " ".join(e for errors in form.errors.values() for e in errors)
