"""The timeline grid's actions: a cell edited in place, a bulk action and its undo, the user's grid settings, and the
visual timeline of the filtered events (fetched by the page when its panel is open)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from evidence import selectors, text
from evidence.forms.filters import TimelineFilterForm
from evidence.forms.grid import BulkForm, CellForm, SavedViewForm, SettingsForm
from evidence.models import ActorKind, BulkEdit, Role, SavedView
from evidence.permissions import get_matter_for, has_role
from evidence.services import events as event_services
from evidence.services import grid as grid_services
from evidence.services.base import StaleEdit
from evidence.tracked.band import source_bands
from evidence.views.events import svg_of

BULK_SESSION_KEY = "grid_bulk_undo"


def cell_texts(event) -> dict[str, dict]:
    """Each editable cell of an event's row as the grid shows it (`text`) and as its editor starts (`value`); user
    text is passed through evidence.text.shown and put in the page as text, never as markup."""
    issues = [i.name for i in event.issues.all()]
    actors = [a.name for a in event.actors.all()]
    return {
        "title": {"text": text.shown(event.title), "value": event.title},
        "date": {"text": event.date_display, "value": "" if event.date.undated else event.date_display},
        "kind": {"text": event.get_kind_display(), "value": event.kind},
        "status": {"text": event.get_status_display(), "value": event.status},
        "key": {"text": "★" if event.is_key else "", "value": "yes" if event.is_key else "no"},
        "issues": {"text": "; ".join(map(text.shown, issues)), "value": "; ".join(issues)},
        "actors": {"text": "; ".join(map(text.shown, actors)), "value": "; ".join(actors)},
    }


@login_required
@require_POST
def cell_edit(request, slug, pk):
    """Save one cell with the user's standing "working on" reason; refused (409) if the row changed meanwhile."""
    matter = get_matter_for(request.user, slug, Role.EDITOR)
    event = get_object_or_404(selectors.events_with_sources(matter=matter), pk=pk)
    reason = selectors.grid_settings_for(user=request.user, matter=matter).working_on
    if not reason:
        return JsonResponse(
            {"ok": False, "needs_reason": True,
             "message": "Say what you are working on first (above the grid): every quick edit records it."},
            status=400,
        )  # fmt: skip
    if event.is_deleted:
        return JsonResponse({"ok": False, "message": "This event is deleted; restore it before editing."}, status=400)
    form = CellForm(request.POST, matter=matter)
    if not form.is_valid():
        errors = [e for errors in form.errors.values() for e in errors]
        return JsonResponse({"ok": False, "message": " ".join(errors)}, status=400)
    new_actors = form.new_actors()
    try:
        event_services.event_update(event=event, user=request.user, reason=reason, **form.service_kwargs())
    except StaleEdit as exc:
        current = selectors.event_with_tags(pk=event.pk)
        field = form.cleaned_data["field"]
        return JsonResponse(
            {"ok": False, "stale": True, "version": current.version, "cells": cell_texts(current),
             "message": f"Not saved: {exc.messages[0]} Now: {field} is “{cell_texts(current)[field]['text']}”."},
            status=409,
        )  # fmt: skip
    except ValidationError as exc:
        return JsonResponse({"ok": False, "message": " ".join(exc.messages)}, status=400)
    current = selectors.event_with_tags(pk=event.pk)
    added = "".join(f"; new actor “{text.shown(row.name)}” ({ActorKind(row.kind).label.lower()})" for row in new_actors)
    return JsonResponse(
        {"ok": True, "version": current.version, "cells": cell_texts(current),
         "message": f"Saved (version {current.version}): {text.shown(current.title)} — {reason}{added}"}
    )  # fmt: skip


def _back(request, matter):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect("timeline", matter.slug)


@login_required
@require_POST
def bulk_edit(request, slug):
    matter = get_matter_for(request.user, slug, Role.EDITOR)
    form = BulkForm(request.POST)
    if not form.is_valid():
        errors = [e for errors in form.errors.values() for e in errors]
        messages.error(request, "Nothing was changed: " + " ".join(errors))
        return _back(request, matter)
    data = form.cleaned_data
    try:
        new_actor_kind = data["actor_kind"] if data["actor_kind"] != "guess" else None
        if data["all_matching"]:
            bulk = grid_services.events_bulk_edit_matching(
                matter=matter, user=request.user, reason=data["reason"], action=data["action"], value=data["value"],
                filters=_matching_filters(matter, data["query"]), count=data["matching"],
                seen_up_to=data["seen_up_to"], new_actor_kind=new_actor_kind,
            )  # fmt: skip
        else:
            bulk = grid_services.events_bulk_edit(
                matter=matter, user=request.user, reason=data["reason"], action=data["action"],
                value=data["value"], expected=data["expected"], new_actor_kind=new_actor_kind,
            )  # fmt: skip
    except ValidationError as exc:
        message = " ".join(exc.messages)
        messages.error(request, message if "Nothing was changed" in message else f"Nothing was changed: {message}")
        return _back(request, matter)
    request.session[BULK_SESSION_KEY] = bulk.pk
    messages.success(request, f"{bulk.description}, with the reason “{bulk.reason}”.")
    return _back(request, matter)


def _matching_filters(matter, query: str):
    """The timeline's filters from the page's query string, read by the timeline's own form; refused if any is
    invalid (the page then left it out, and a bulk edit must not guess what the user meant)."""
    form = TimelineFilterForm(QueryDict(query), matter=matter)
    if not form.is_valid():
        raise ValidationError("The page's filters could not be read; correct them, then select again.")
    return form.to_filters()


@login_required
@require_POST
def bulk_undo(request, slug, pk):
    matter = get_matter_for(request.user, slug, Role.EDITOR)
    bulk = get_object_or_404(BulkEdit, matter=matter, pk=pk)
    try:
        count = grid_services.bulk_edit_undo(bulk=bulk, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        request.session.pop(BULK_SESSION_KEY, None)
        messages.success(request, f"Undone: {count} event{'s' if count != 1 else ''} restored to their version "
                                  f"before “{bulk.description}”.")  # fmt: skip
    return _back(request, matter)


@login_required
@require_POST
def grid_settings(request, slug):
    """Save the settings posted (columns, layout, panels open, the "working on" reason): 204 for the page's script,
    or back to the timeline for a plain form."""
    matter = get_matter_for(request.user, slug, Role.VIEWER)
    form = SettingsForm(request.POST)
    if not form.is_valid():
        errors = [e for errors in form.errors.values() for e in errors]
        return JsonResponse({"ok": False, "message": " ".join(errors)}, status=400)
    changes = form.changes()
    if "working_on" in changes and not has_role(request.user, matter, Role.EDITOR):
        changes.pop("working_on")
    saved = grid_services.grid_settings_update(user=request.user, matter=matter, **changes)
    if request.headers.get("Accept") == "application/json":
        return JsonResponse({"ok": True, "working_on": saved.working_on})
    return _back(request, matter)


@login_required
@require_GET
def visual_timeline(request, slug):
    """The visual timeline of every event the timeline's filters keep, as a fragment for the page to show."""
    matter = get_matter_for(request.user, slug, Role.VIEWER)
    form = TimelineFilterForm(request.GET or None, matter=matter)
    form.is_valid()
    filters = form.to_filters()
    events = selectors.events_for_timeline(matter=matter, filters=filters)
    count = events.count()
    zoomed = (filters.date_from, filters.date_to) if filters.date_from and filters.date_to else None
    # The tracked sources' versions, one lane each, when the page's toggle asks for them ("sources=1").
    bands = source_bands(matter) if request.GET.get("sources") == "1" else None
    svg, layout = svg_of(matter, events, query=request.GET, window=zoomed, sources=bands)
    # The window in words ("between Aug 1, 2024 and Sept 30, 2024"), as the filters describe it.
    window = next((p.removeprefix("Dates: events that may fall ").split(" (")[0]
                   for p in filters.describe() if p.startswith("Dates: ")), "")  # fmt: skip
    context = {"svg": svg, "count": count, "layout": layout, "window": window, "sources": bands is not None}
    if request.headers.get("Accept") == "text/html+fragment":
        return render(request, "evidence/events/_visual.html", context)
    back = reverse("timeline", args=[matter.slug])
    return render(request, "evidence/events/visual.html", {**context, "matter": matter, "back": back})


@login_required
@require_POST
def saved_view_create(request, slug):
    """Save the page's filters and sort, with the columns and density the user sees, as a named view."""
    matter = get_matter_for(request.user, slug, Role.VIEWER)
    form = SavedViewForm(request.POST)
    if not form.is_valid():
        errors = [e for errors in form.errors.values() for e in errors]
        messages.error(request, "The view was not saved: " + " ".join(errors))
        return _back(request, matter)
    grid = selectors.grid_settings_for(user=request.user, matter=matter)
    data = form.cleaned_data
    try:
        view = grid_services.saved_view_save(
            matter=matter, user=request.user, name=data["name"], query=data["query"], columns=grid.columns,
            density=grid.density, shared=data["shared"],
        )  # fmt: skip
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, "The view was not saved: " + " ".join(getattr(exc, "messages", [str(exc)])))
        return _back(request, matter)
    shared = " and shared it with the matter" if view.shared else ""
    messages.success(request, f"Saved the view “{view.name}”{shared}.")
    return redirect(view_url(matter, view))


def view_url(matter, view) -> str:
    query = f"{view.query}&view={view.pk}" if view.query else f"view={view.pk}"
    return f"{reverse('timeline', args=[matter.slug])}?{query}"


@login_required
@require_POST
def saved_view_delete(request, slug, pk):
    matter = get_matter_for(request.user, slug, Role.VIEWER)
    view = get_object_or_404(SavedView.objects.filter(matter=matter), pk=pk)
    if view.user_id != request.user.pk and not view.shared:
        raise Http404("No such view.")  # someone else's private view: not even its existence is told
    grid_services.saved_view_delete(view=view, user=request.user)
    messages.success(request, f"Deleted the view “{view.name}”.")
    return redirect("timeline", matter.slug)
