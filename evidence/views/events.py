"""The timeline of a matter, the event form (with citations), the event page with its history, and the date preview."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from evidence import dates, diff, selectors
from evidence.exporting.timeline import render_layout, timeline_layout
from evidence.forms.events import CitationFormSet, EventForm, FromViewerForm, ReasonForm
from evidence.forms.filters import TimelineFilterForm
from evidence.forms.grid import BulkForm
from evidence.forms.new_actors import chosen_kinds, new_actor_rows
from evidence.models import ActorKind, Density, Event, EventKind, EventStatus, Role
from evidence.names import split_names
from evidence.permissions import get_matter_for
from evidence.selectors import events_for_timeline
from evidence.services import events as event_services
from evidence.services.base import StaleEdit
from evidence.services.grid import BULK_ACTIONS
from evidence.text import sentence
from evidence.views import confirm
from evidence.views.matters import matter_context
from evidence.views.rows import grid_rows, prepare_rows
from evidence.views.source_versions import proposed_event_initial

PAGE_SIZE = 100
# The fields the visual timeline reads (date, title, key flag): one light query for the whole filtered set.
SVG_FIELDS = ("id", "matter_id", "title", "is_key", *Event.STORED_COLUMNS, *Event.DERIVED_COLUMNS)


@login_required
@require_GET
def timeline(request, slug):
    """The matter's events as a grid (one line each, sortable, edited in place) or as cards, each user's choice. The
    visual timeline is fetched by the page (visual_timeline) when its panel is open: drawing every filtered event
    would make this page grow with the matter."""
    matter = get_matter_for(request.user, slug, Role.VIEWER)
    form = TimelineFilterForm(request.GET or None, matter=matter)
    form.is_valid()  # an invalid field is shown as an error; the others still filter
    filters = form.to_filters()
    grid = selectors.grid_settings_for(user=request.user, matter=matter)
    views = selectors.saved_views_for(user=request.user, matter=matter)
    current = next((v for v in views if str(v.pk) == request.GET.get("view")), None)
    if current is not None:  # the view's columns and density, for this page; the user's settings stay as they are
        grid.columns, grid.density = current.columns, current.density
    events = events_for_timeline(matter=matter, filters=filters)
    # A search lists the best matches first, each with where it matched, unless the user asked for an order; the
    # grid's headings then sort it (by the chronology's order for dates).
    ranked = bool(filters.text) and not request.GET.get("sort")
    sort = "" if ranked else selectors.grid_sort(request.GET.get("sort"))
    if ranked:
        listed = selectors.events_ranked(events, matter=matter, filters=filters)
    else:
        listed = selectors.events_sorted(events, sort)
    # The rows' tags and sources are read by prepare_rows, lighter than as prefetched model instances.
    page = Paginator(listed.prefetch_related(None), PAGE_SIZE).get_page(request.GET.get("page"))
    if filters.text:
        found = selectors.search_snippets(matter=matter, events=page.object_list, filters=filters)
        for event in page.object_list:
            event.search_snippet = found.get(event.pk)
    bulk = selectors.bulk_edit_of(matter=matter, pk=request.session.get("grid_bulk_undo"))
    columns = grid_columns(grid.columns, sort)
    # What the page saw, for "Select all N matching events" (read whatever the size: the same queries at any size).
    seen_up_to = selectors.history_mark()
    context = matter_context(
        request, matter, nav="timeline", form=form, filters=filters, page=page,
        events=prepare_rows(matter, page.object_list), grid=grid, sort=sort, columns=columns, views=views,
        current_view=current, ranked=ranked, view_query=_view_query(request), seen_up_to=seen_up_to,
        grid_layouts=TIMELINE_LAYOUTS, bulk=bulk if bulk and not bulk.undone_at else None, bulk_actions=BULK_ACTIONS,
        densities=Density.choices, kinds=EventKind.choices, statuses=EventStatus.choices,
        bulk_actor_kinds=BulkForm.base_fields["actor_kind"].choices,
        filters_described=filters.describe()[:-1],  # the last line is about privilege, always there
    )  # fmt: skip
    if grid.layout == "grid":
        visible = {c["name"]: c["shown"] for c in columns}
        grid_rows(context["events"], start_index=page.start_index(), can_edit=context["can_edit"], visible=visible,
                  colspan=len(columns) + 2)  # fmt: skip
    return render(request, "evidence/events/timeline.html", context)


TIMELINE_LAYOUTS = [("grid", "Grid"), ("cards", "Cards")]


def _view_query(request) -> str:
    """The page's filters and sort, as a saved view keeps them."""
    query = request.GET.copy()
    for name in ("page", "view"):
        query.pop(name, None)
    return query.urlencode()


# The grid's columns: (name, heading, optional); the optional ones are chosen by each user (GridSettings.columns).
GRID_COLUMN_HEADINGS = (
    ("date", "Date", False), ("title", "Event", False), ("kind", "Kind", True), ("status", "Status", True),
    ("key", "Key", True), ("issues", "Issues", True), ("actors", "Actors", True), ("sources", "Sources", True),
)  # fmt: skip


def grid_columns(chosen, sort: str, headings=GRID_COLUMN_HEADINGS) -> list[dict]:
    """The columns (`headings`: the timeline's, or the documents grid's) with whether each is shown (`chosen`: the
    optional ones the user shows), its aria-sort, and the sort its heading's link asks for."""
    chosen = set(chosen)
    columns = []
    for name, heading, optional in headings:
        current = sort.removeprefix("-") == name
        descending = sort.startswith("-")
        columns.append({
            "name": name, "heading": heading, "optional": optional, "shown": not optional or name in chosen,
            "aria_sort": ("descending" if descending else "ascending") if current else "none",
            "next_sort": name if not current or descending else f"-{name}",
        })  # fmt: skip
    return columns


def svg_of(matter, events, *, query=None, window=None, sources=None):
    """The visual timeline of every event the filters keep (not only this page's) and its layout: each mark links to
    its event, and a group of events to the timeline's list of the period it covers, with the same filters (`query`,
    the request's). With `sources` (evidence.tracked.band), a lane per tracked source under the axis."""
    light = events.prefetch_related(None).only(*SVG_FIELDS)
    base = reverse("event_detail", args=[matter.slug, 0]).removesuffix("0/")
    timeline = reverse("timeline", args=[matter.slug])

    def span_link(first, last):
        params = (query or QueryDict()).copy()
        for name in ("from", "to", "page"):
            params.pop(name, None)
        params["from"], params["to"] = first.isoformat(), last.isoformat()
        return f"{timeline}?{params.urlencode()}"

    layout = timeline_layout(
        light, link=lambda e: f"{base}{e.pk}/", span_link=span_link, width=1200, window=window, sources=sources
    )
    return render_layout(layout), layout


@login_required
@require_GET
def date_preview(request, slug):
    """How a typed date is understood, for the event form's live preview (the server validates again on save)."""
    matter = get_matter_for(request.user, slug, Role.VIEWER)
    text = request.GET.get("text", "")
    try:
        value = matter.read_date(dates.parse(text[:100]))
    except ValidationError as exc:
        return JsonResponse({"ok": False, "message": " ".join(exc.messages)})
    if value.undated:
        return JsonResponse({"ok": True, "display": "", "message": "No date: the event is listed as undated."})
    start, end = value.start.precision, value.end.precision if value.end else None
    if end is None:
        details = [_PRECISION_WORDS[start][0]]
    elif start == end:
        details = [f"range of {_PRECISION_WORDS[start][1]}"]
    else:
        details = [f"range from a {_PRECISION_WORDS[start][0]} to a {_PRECISION_WORDS[end][0]}"]
    if value.approximate:
        details.append("approximate")
    if value.bound:
        details.append(f"some time {value.bound} it")
    display = value.display()
    return JsonResponse({
        "ok": True, "display": display, "details": details,
        "message": f"Understood as: {display} ({', '.join(details)})",
    })  # fmt: skip


@login_required
@require_GET
def actor_guess(request, slug):
    """The actors typed (`names`, as the field or cell holds them) that the matter does not have yet, each with the
    kind guessed and why, or chosen (the new_actor_name / new_actor_kind pairs): for the event form (`html`, the
    rows it shows under its actors field) and the grid's actors cell (`new`)."""
    matter = get_matter_for(request.user, slug, Role.EDITOR)
    rows = new_actor_rows(matter, split_names(request.GET.get("names", "")[:2000]), chosen_kinds(request.GET))
    html = render_to_string("evidence/events/_new_actors.html", {"new_actors": rows}, request=request)
    return JsonResponse({"new": [row.as_json() for row in rows], "html": html})


def say_new_actors(request, rows) -> None:
    """After a save: which actors it added, and of which kind."""
    if rows:
        said = "; ".join(f"“{row.name}” ({ActorKind(row.kind).label.lower()})" for row in rows)
        messages.info(request, f"New actor{'s' if len(rows) > 1 else ''} added to the matter: {said}.")


_PRECISION_WORDS = {  # singular, plural
    dates.Precision.YEAR: ("year", "years"),
    dates.Precision.MONTH: ("month", "months"),
    dates.Precision.DAY: ("day", "days"),
    dates.Precision.MINUTE: ("day and time", "times"),
}


def _name_suggestions(matter) -> dict:
    return {
        "actor_names": selectors.actor_names(matter=matter, offered=True),
        "issue_names": selectors.issue_names(matter=matter, offered=True),
    }


@login_required
@require_http_methods(["GET", "POST"])
def event_new(request, slug):
    matter = get_matter_for(request.user, slug, Role.EDITOR)
    documents = selectors.documents_citable(matter=matter)
    initial, initial_citations = _kept_from_previous(matter, request.GET.get("after"))
    if request.method == "GET" and (viewer := FromViewerForm.read(request.GET, documents=documents)):
        # From the document viewer: the page (or the selected text) it was reading, to be completed and saved.
        reason = f"from {viewer.cited} in the viewer"[:100]
        initial = {"description": viewer.cleaned_data["description"], "reason": reason}
        initial_citations = [viewer.citation]
    if request.method == "GET" and (proposed := proposed_event_initial(matter, request.GET.get("version"))):
        # From a tracked source's new version: the event it proposes, to be confirmed or edited.
        initial, initial_citations = proposed
    form = EventForm(request.POST or None, matter=matter, editing=False, initial=initial)
    formset = CitationFormSet(
        request.POST or None, prefix="cite", initial=initial_citations, form_kwargs={"documents": documents}
    )
    page_check = None
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        # Pinpoints past a document's last page are shown with the form, and nothing is saved until confirmed.
        page_check = formset.page_check(request.POST)
        if page_check is None or page_check.confirmed:
            new_actors = form.new_actors()
            try:
                event, created = event_services.event_create_once(
                    matter=matter,
                    submission_token=form.cleaned_data["submission_token"],
                    user=request.user,
                    reason=form.cleaned_data["reason"],
                    citations=formset.citations(),
                    **form.service_kwargs(),
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                if not created:  # the same form submitted again: Back then submit, a double click, a retried request
                    already_saved(request, matter, event)
                    return redirect("event_detail", matter.slug, event.pk)
                messages.success(request, sentence(f"Event added: {event.date_display} — {event.title}"))
                say_new_actors(request, new_actors)
                if "another" in request.POST:
                    return redirect(reverse("event_new", args=[matter.slug]) + f"?after={event.pk}")
                return redirect("event_detail", matter.slug, event.pk)
    return render(
        request,
        "evidence/events/form.html",
        matter_context(
            request,
            matter,
            nav="timeline",
            form=form,
            formset=formset,
            page_check=page_check,
            has_documents=documents.exists(),
            new_actors=form.new_actors(),
            **_name_suggestions(matter),
        ),
    )


def _kept_from_previous(matter, after) -> tuple[dict, list[dict]]:
    """ "Add and start another": the next event starts with the kind, status, actors, issues, source note and cited
    documents (pinpoints left to fill in) of the one just added, so a run of facts from one source is quick to enter."""
    if not (after or "").isdigit():
        return {}, []
    previous = selectors.events_with_sources(matter=matter).filter(pk=int(after), deleted_at__isnull=True).first()
    if previous is None:
        return {}, []
    kept = EventForm.initial_for(previous)
    initial = {name: kept[name] for name in ("kind", "status", "actors", "issues", "source_note")}
    documents = list(dict.fromkeys(c.document for c in previous.citations.all() if not c.document.is_deleted))
    return initial, [{"document": d} for d in documents]


def already_saved(request, matter, event):
    """The message for a form submitted a second time: no second event, and a link to the one the first made."""
    href = reverse("event_detail", args=[matter.slug, event.pk])
    link = format_html('<a href="{}">{} — {}</a>', href, event.date_display, event.title)
    messages.info(request, format_html("This event was already saved: {}. No second event was created.", link))


def _event(matter, pk):
    return get_object_or_404(selectors.events_with_sources(matter=matter), pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def event_edit(request, slug, pk):
    matter = get_matter_for(request.user, slug, Role.EDITOR)
    event = _event(matter, pk)
    if event.is_deleted:
        messages.warning(request, "This event is deleted; restore it before editing.")
        return redirect("event_detail", matter.slug, event.pk)
    documents = selectors.documents_citable(matter=matter, event=event)
    initial_citations = [
        {"id": c.pk, "document": c.document, "pinpoint": c.pinpoint, "note": c.note} for c in event.citations.all()
    ]
    initial = EventForm.initial_for(event)
    if request.method == "GET" and (viewer := FromViewerForm.read(request.GET, documents=documents)):
        # "Cite this page" in the document viewer: a new citation row, saved only with the rest of the form.
        citation = viewer.citation
        cited = {(c["document"].pk, c["pinpoint"]) for c in initial_citations}
        if (citation["document"].pk, citation["pinpoint"]) in cited:
            messages.info(request, f"This event cites {viewer.cited} already.")
        else:
            initial_citations.append(citation)
            initial["reason"] = f"cited {viewer.cited} from the viewer"[:100]
    form = EventForm(request.POST or None, matter=matter, editing=True, initial=initial)
    formset = CitationFormSet(
        request.POST or None, prefix="cite", initial=initial_citations, form_kwargs={"documents": documents}
    )
    conflicts = page_check = None
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        reason = form.cleaned_data["reason"]
        expected = form.cleaned_data["version"]
        citations = formset.citations()
        yours = diff.snapshot_of_form(form.cleaned_data, deleted=False, citations=citations)
        unchanged = (
            expected == event.version
            and form.cleaned_data["order"] == event.order
            and not diff.changes(diff.snapshot_of_event(event), yours)
        )
        if unchanged:
            messages.info(request, "Nothing had changed; no new version was saved.")
            return redirect("event_detail", matter.slug, event.pk)
        # What the event cites already was entered (and warned about) before: only new pinpoints are checked.
        page_check = formset.page_check(request.POST, already=selectors.cited_pinpoints(event=event))
        if page_check is None or page_check.confirmed:
            new_actors = form.new_actors()
            try:
                updated = event_services.event_update(
                    event=event,
                    user=request.user,
                    reason=reason,
                    expected_version=expected,
                    citations=citations,
                    **form.service_kwargs(),
                )
            except StaleEdit as exc:
                conflicts = _conflicts(event, exc.current, expected, yours)
                # The next save is made knowingly over their version: it now expects the version the editor has seen.
                form.data = form.data.copy()
                form.data[form.add_prefix("version")] = exc.current.version
                messages.warning(request, " ".join(exc.messages))
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, sentence(f"Event saved (version {updated.version}): {updated.title}"))
                say_new_actors(request, new_actors)
                return redirect("event_detail", matter.slug, event.pk)
    return render(
        request,
        "evidence/events/form.html",
        matter_context(
            request, matter, nav="timeline", event=event, form=form, formset=formset, conflicts=conflicts,
            page_check=page_check, has_documents=documents.exists(), new_actors=form.new_actors(),
            **_name_suggestions(matter),
        ),
    )  # fmt: skip


def _conflicts(event, current, expected_version, yours):
    current = selectors.events_with_sources(matter=event.matter).get(pk=current.pk)
    opened = next((v for v in selectors.event_versions(event=event) if v.version == expected_version), None)
    return diff.conflicts(
        diff.snapshot_of_record(opened) if opened is not None else None,
        diff.snapshot_of_event(current),
        {**yours, "deleted": "Yes" if current.is_deleted else "No"},
    )


@login_required
@require_GET
def event_detail(request, slug, pk):
    matter = get_matter_for(request.user, slug, Role.VIEWER)
    event = _event(matter, pk)
    versions = diff.versions_with_changes(selectors.event_versions(event=event))
    citation_history = selectors.citation_history(event=event)
    return render(
        request,
        "evidence/events/detail.html",
        matter_context(
            request, matter, nav="timeline", event=event, versions=versions, citation_history=citation_history
        ),
    )


def _delete_page(request, matter, event, form):
    return confirm.confirm_page(
        request,
        matter,
        confirm.Confirmation(
            title=f"Delete “{event.title}”?",
            action=reverse("event_delete", args=[matter.slug, event.pk]),
            cancel=reverse("event_detail", args=[matter.slug, event.pk]),
            button="Delete event",
            danger=True,
            explanation="The event leaves the timeline and the exports. It stays in the history, with your reason, "
            "and can be restored.",
        ),
        form,
        nav="timeline",
    )


@login_required
@require_GET
def event_delete_confirm(request, slug, pk):
    matter = get_matter_for(request.user, slug, Role.EDITOR)
    event = _event(matter, pk)
    if event.is_deleted:
        return redirect("event_detail", matter.slug, event.pk)
    return _delete_page(request, matter, event, confirm.reason_form())


@login_required
@require_POST
def event_delete(request, slug, pk):
    matter = get_matter_for(request.user, slug, Role.EDITOR)
    event = _event(matter, pk)
    then = redirect("event_detail", matter.slug, event.pk)
    if event.is_deleted:
        return then
    return confirm.delete_with_reason(
        request,
        page=lambda form: _delete_page(request, matter, event, form),
        delete=lambda reason: event_services.event_delete(event=event, user=request.user, reason=reason),
        done=f"{sentence(f'Event deleted: {event.title}')} It stays in the history and can be restored.",
        then=then,
    )


@login_required
@require_POST
def event_restore(request, slug, pk):
    matter = get_matter_for(request.user, slug, Role.EDITOR)
    event = _event(matter, pk)
    if event.is_deleted:
        event_services.event_restore(
            event=event, user=request.user, reason=ReasonForm.reason_from(request.POST, default="restored in timeline")
        )
        messages.success(request, sentence(f"Event restored: {event.title}"))
    return redirect("event_detail", matter.slug, event.pk)


def _version(event, history_id):
    try:
        return event.history.get(history_id=int(history_id))
    except (TypeError, ValueError, event.history.model.DoesNotExist) as error:
        raise Http404("No such version of this event.") from error


def _revert_page(request, matter, event, record, form):
    """What restoring `record` changes, from the event as it is now to the version, field by field."""
    restoring = selectors.version_citations(event=event, record=record)
    return confirm.confirm_page(
        request,
        matter,
        confirm.Confirmation(
            title=f"Restore version {record.version} of “{event.title}”?",
            action=reverse("event_revert", args=[matter.slug, event.pk]),
            cancel=reverse("event_detail", args=[matter.slug, event.pk]),
            button=f"Restore version {record.version}",
            explanation=f"The event becomes again what version {record.version} was: its fields, actors, issues and "
            f"citations. It is saved as a new version, version {event.version + 1}; no version is erased.",
            changes=diff.changes(diff.snapshot_of_event(event), diff.snapshot_of_record(record)),
            notes=restoring.notes,
            hidden={"history_id": record.history_id},
        ),
        form,
        nav="timeline",
    )


@login_required
@require_GET
def event_revert_confirm(request, slug, pk, history_id):
    matter = get_matter_for(request.user, slug, Role.EDITOR)
    event = _event(matter, pk)
    return _revert_page(request, matter, event, _version(event, history_id), confirm.reason_form())


@login_required
@require_POST
def event_revert(request, slug, pk):
    matter = get_matter_for(request.user, slug, Role.EDITOR)
    event = _event(matter, pk)
    record = _version(event, request.POST.get("history_id"))
    form = confirm.reason_form(request.POST)
    if not form.is_valid():
        return _revert_page(request, matter, event, record, form)
    notes = selectors.version_citations(event=event, record=record).notes
    updated = event_services.event_revert(
        event=event, history_id=record.history_id, user=request.user, reason=confirm.reason_of(form)
    )
    messages.success(request, f"Version {record.version} restored as version {updated.version}.")
    for note in notes:
        messages.warning(request, note)
    return redirect("event_detail", matter.slug, event.pk)
