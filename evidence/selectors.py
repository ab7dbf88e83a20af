"""Every read that pages and exports share: scoped to what the user may see, with related rows fetched up front."""

import datetime
from dataclasses import dataclass

from django.db.models import Case, Count, F, Max, Min, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce, Lower

from evidence import dates, search
from evidence.models import (
    GRID_COLUMNS,
    AccessEvent,
    Actor,
    BulkEdit,
    Citation,
    Document,
    Edition,
    Event,
    EventKind,
    EventStatus,
    GridSettings,
    IntegrityCheck,
    Issue,
    Job,
    Matter,
    SavedView,
)
from evidence.models.filing import FilingSettings
from evidence.permissions import matters_for, may_export_privileged


@dataclass(frozen=True)
class TimelineFilters:
    """What to include in a timeline or an export.

    Dates filter by overlap: an event is in the window when the span of days it may fall on overlaps it ("Aug 2024"
    is kept for 2024-08-15..2024-12-31, "before 2025" is not kept from June 2025, "after Aug 2024" is kept from
    October 2024; see evidence.dates.columns). Undated events are kept when no window is set, and with one only
    when `include_undated` is on.
    """

    text: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    kinds: tuple[str, ...] = ()
    issues: tuple[str, ...] = ()  # issue names
    actors: tuple[str, ...] = ()  # actor names
    statuses: tuple[str, ...] = ()
    key_only: bool = False
    include_privileged: bool = True
    show_deleted: bool = False
    include_undated: bool = False

    def describe(self) -> list[str]:
        """The filters in words, for the export's first page."""
        parts = []
        if window := self._window_words():
            undated = "included" if self.include_undated else "excluded"
            parts.append(f"Dates: events that may fall {window} (overlapping spans; undated events {undated})")
        if self.kinds:
            parts.append("Kinds: " + ", ".join(EventKind(k).label for k in self.kinds))
        if self.issues:
            parts.append("Issues: " + ", ".join(self.issues))
        if self.actors:
            parts.append("Actors: " + ", ".join(self.actors))
        if self.statuses:
            parts.append("Status: " + ", ".join(self.statuses))
        if self.key_only:
            parts.append("Key facts only")
        if self.text:
            parts.append(f"Text: “{self.text}”")
        parts.append(
            "Privileged events included and marked" if self.include_privileged else "Privileged events excluded"
        )
        return parts

    def _window_words(self) -> str:
        day = dates.display_day
        if self.date_from and self.date_to:
            return f"between {day(self.date_from)} and {day(self.date_to)}"
        if self.date_from:
            return f"on or after {day(self.date_from)}"
        if self.date_to:
            return f"on or before {day(self.date_to)}"
        return ""


def matters_overview(*, user) -> QuerySet[Matter]:
    """The user's matters with counts and last activity, in one query."""
    return (
        matters_for(user)
        .annotate(
            event_count=Count("events", filter=Q(events__deleted_at__isnull=True), distinct=True),
            document_count=Count("documents", filter=Q(documents__deleted_at__isnull=True), distinct=True),
            last_activity=Max("events__updated_at"),
        )
        .order_by("short_title")
    )


def _citations_prefetch() -> Prefetch:
    return Prefetch(
        "citations",
        queryset=Citation.objects.select_related("document", "document__matter").order_by(
            "document__exhibit_number", "pinpoint"
        ),
    )


def events_for_timeline(*, matter: Matter, filters: TimelineFilters | None = None) -> QuerySet[Event]:
    """Events in chronological order (see evidence.dates: sort key, then manual order), with actors, issues and
    citations prefetched so that listing them costs a fixed number of queries."""
    filters = filters or TimelineFilters()
    qs = Event.objects.filter(matter=matter)
    if not filters.show_deleted:
        qs = qs.filter(deleted_at__isnull=True)
    if filters.date_from or filters.date_to:
        # date_first_day..date_last_day is the span the event may fall on (open sides stored as date.min/date.max);
        # undated rows have NULL there and drop out of both comparisons.
        window = Q()
        if filters.date_from:
            window &= Q(date_last_day__gte=filters.date_from)
        if filters.date_to:
            window &= Q(date_first_day__lte=filters.date_to)
        qs = qs.filter(window | Q(date_first_day__isnull=True) if filters.include_undated else window)
    if filters.kinds:
        qs = qs.filter(kind__in=filters.kinds)
    if filters.statuses:
        qs = qs.filter(status__in=filters.statuses)
    # Tags and cited documents are matched in subqueries (IN), not joins: a join repeats an event once per tag or
    # citation, which then needs DISTINCT over every column, and would search a document's text once per citation.
    if filters.issues:
        tagged = Event.issues.through.objects.filter(issue__matter=matter, issue__name__in=filters.issues)
        qs = qs.filter(pk__in=tagged.values("event_id"))
    if filters.actors:
        tagged = Event.actors.through.objects.filter(actor__matter=matter, actor__name__in=filters.actors)
        qs = qs.filter(pk__in=tagged.values("event_id"))
    if filters.key_only:
        qs = qs.filter(is_key=True)
    if not filters.include_privileged:
        qs = qs.filter(is_privileged=False)
    if filters.text:  # the search box's query (evidence.search): the same for the timeline, exports and commands
        qs = search.filter_events(qs, matter=matter, query=search.parse(filters.text))
    return qs.order_by("date_sort", "order", "id").prefetch_related("actors", "issues", _citations_prefetch())


@dataclass(frozen=True)
class TagsAndSources:
    """What the timeline's rows show of a page of events besides their own columns, by event id: `issues` and
    `actors`, names by name (their models' order); `citations`, (document id, pinpoint, document title, exhibit
    label) in exhibit order, then pinpoint."""

    issues: dict[int, list[str]]
    actors: dict[int, list[str]]
    citations: dict[int, list[tuple[int, str, str, str]]]


def tags_and_sources_of(*, matter: Matter, event_ids) -> TagsAndSources:
    """The timeline's rows' tags and sources (TagsAndSources) for these events of `matter`, in three queries of
    plain values: prefetching the same as model instances (events_for_timeline's prefetch) cost about as much CPU as
    the page's query and its 100 events together."""
    ids = list(event_ids)
    tags = {}
    for name, through in (("issues", Event.issues.through), ("actors", Event.actors.through)):
        field = name[:-1]
        rows = (
            through.objects.filter(event_id__in=ids)
            .order_by(f"{field}__name")
            .values_list("event_id", f"{field}__name")
        )
        by_event: dict[int, list[str]] = {}
        for event_id, tag in rows:
            by_event.setdefault(event_id, []).append(tag)
        tags[name] = by_event
    citations: dict[int, list[tuple[int, str, str, str]]] = {}
    rows = (
        Citation.objects.filter(event_id__in=ids)
        .order_by("document__exhibit_number", "pinpoint")
        .values_list("event_id", "document_id", "pinpoint", "document__title", "document__exhibit_number")
    )
    for event_id, document_id, pinpoint, title, number in rows:
        citations.setdefault(event_id, []).append((document_id, pinpoint, title, f"{matter.exhibit_prefix}{number}"))
    return TagsAndSources(issues=tags["issues"], actors=tags["actors"], citations=citations)


def events_ranked(events: QuerySet[Event], *, matter: Matter, filters: TimelineFilters) -> QuerySet[Event]:
    """The events of events_for_timeline best match first, for a search (evidence.search.rank_events)."""
    return search.rank_events(events, matter=matter, query=search.parse(filters.text))


def search_snippets(*, matter: Matter, events, filters: TimelineFilters) -> dict:
    """{event id: Snippet} saying where the search found each of these events (a page of them)."""
    return search.event_snippets(matter=matter, events=events, query=search.parse(filters.text))


def events_with_sources(*, matter: Matter) -> QuerySet[Event]:
    """The matter's events (deleted ones too) with actors, issues and citations, for an event's page or form."""
    return Event.objects.filter(matter=matter).prefetch_related("actors", "issues", _citations_prefetch())


def event_with_tags(*, pk: int) -> Event:
    """The event as stored now, with its actors and issues (to compare with an edit that came too late)."""
    return Event.objects.prefetch_related("actors", "issues").get(pk=pk)


def citation_history(*, event: Event) -> QuerySet:
    """Every citation the event has had, added or removed, newest first."""
    return (
        Citation.history.filter(event_id=event.pk)
        .select_related("history_user", "document__matter")
        .order_by("-history_date")
    )


def documents_of(*, matter: Matter) -> QuerySet[Document]:
    """The matter's documents, deleted ones too, for a document's own pages."""
    return Document.objects.filter(matter=matter).select_related("matter")


def documents_citable(*, matter: Matter, event: Event | None = None) -> QuerySet[Document]:
    """Documents an event may cite: the matter's live ones, and any it already cites."""
    live = Q(deleted_at__isnull=True)
    if event is not None:
        live |= Q(pk__in=Citation.objects.filter(event=event).values("document_id"))
    return documents_of(matter=matter).filter(live).order_by("exhibit_number")


def documents_by_hash(*, matter: Matter, hashes) -> dict[str, Document]:
    return {d.sha256: d for d in documents_of(matter=matter).filter(sha256__in=list(hashes))}


def issues_of(*, matter: Matter) -> QuerySet[Issue]:
    """The matter's issues by name, each with `live_events`, how many live events it tags (privileged ones too), for
    the facts by issue; their events come from the events the export read."""
    live = Count("events", filter=Q(events__deleted_at__isnull=True))
    return Issue.objects.filter(matter=matter).annotate(live_events=live).order_by("name", "id")


def actors_of(*, matter: Matter) -> QuerySet[Actor]:
    """The matter's actors by name, each with `live_events` (as issues_of), for the cast of characters."""
    live = Count("events", filter=Q(events__deleted_at__isnull=True))
    return Actor.objects.filter(matter=matter).annotate(live_events=live).order_by("name", "id")


def exhibits_listed(*, matter: Matter, include_privileged: bool) -> QuerySet[Document]:
    """The matter's live documents in exhibit order, privileged ones only when asked for: the exhibit list."""
    qs = Document.objects.filter(matter=matter, deleted_at__isnull=True).select_related("matter")
    if not include_privileged:
        qs = qs.filter(is_privileged=False)
    return qs.defer("extracted_text").order_by("exhibit_number")


def privileged_documents(*, matter: Matter) -> QuerySet[Document]:
    """The matter's live privileged documents, by date as known (undated last), then exhibit number."""
    qs = Document.objects.filter(matter=matter, deleted_at__isnull=True, is_privileged=True).select_related("matter")
    return qs.defer("extracted_text").order_by("date_sort", "exhibit_number")


def filing_settings_of(*, matter: Matter) -> FilingSettings:
    """The matter's filing settings, or the defaults (unsaved) when nobody has set them."""
    return FilingSettings.objects.filter(matter=matter).first() or FilingSettings(matter=matter)


def export_jobs(*, matter: Matter, user, kinds=(Job.Kind.EXPORT,)) -> QuerySet[Job]:
    """The matter's export jobs (of these kinds: chronologies by default, Job.Kind.ARCHIVE too where asked for);
    with `user`, only that user's."""
    qs = Job.objects.filter(matter=matter, kind__in=kinds).select_related("matter")
    return qs.filter(user=user) if user is not None else qs


def editions_of(*, matter: Matter, user) -> QuerySet[Edition]:
    """The matter's editions the user may see (permissions.may_see_edition), newest first; `user` a member."""
    qs = Edition.objects.filter(matter=matter).select_related("matter", "user").order_by("-number")
    return qs if may_export_privileged(user, matter) else qs.filter(includes_privileged=False)


def events_state(*, matter: Matter, ids) -> dict[int, Event]:
    """The matter's events of these ids, deleted ones too, by id: what became of events an edition printed."""
    return {
        e.pk: e for e in Event.objects.filter(matter=matter, pk__in=list(ids)).only("pk", "deleted_at", "created_at")
    }


def documents_for_matter(*, matter: Matter, include_deleted: bool = False) -> QuerySet[Document]:
    qs = Document.objects.filter(matter=matter).select_related("matter")
    if not include_deleted:
        qs = qs.filter(deleted_at__isnull=True)
    return qs.order_by("exhibit_number").prefetch_related(Prefetch("citations", queryset=_citing_events()))


# The documents page's types: a label, and the media types it covers ("other": none of them).
DOCUMENT_KINDS = {"pdf": "PDF", "image": "Image", "email": "E-mail", "word": "Word", "spreadsheet": "Spreadsheet",
                  "text": "Text or web page", "other": "Other"}  # fmt: skip
# The media types of each type; one ending in "/" covers every subtype ("image/").
_KIND_MEDIA_TYPES = {
    "pdf": ("application/pdf",),
    "image": ("image/",),
    "email": ("message/rfc822", "application/vnd.ms-outlook"),
    "word": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/msword",
        "application/rtf",
        "text/rtf",
    ),
    "spreadsheet": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.ms-excel",
        "text/csv",
    ),
    "text": ("text/plain", "text/html", "text/markdown"),
}


def _media_q(types) -> Q:
    q = Q()
    for media_type in types:
        q |= Q(media_type__startswith=media_type) if media_type.endswith("/") else Q(media_type=media_type)
    return q


_KIND_MEDIA = {kind: _media_q(types) for kind, types in _KIND_MEDIA_TYPES.items()}


def document_kind(media_type: str) -> str:
    """The documents page's type of a media type ("PDF", "E-mail", "Other"), by the rule its filter uses."""
    for kind, types in _KIND_MEDIA_TYPES.items():
        if any(media_type.startswith(t) if t.endswith("/") else media_type == t for t in types):
            return DOCUMENT_KINDS[kind]
    return DOCUMENT_KINDS["other"]


# What each column of the documents grid sorts by, "-" first for descending; ties by exhibit number. The exhibit
# number is a number (PX-10 after PX-9), the date by the chronology's sort key (a month before its days; undated
# last either way).
DOCUMENT_SORTS = {
    "exhibit": (),
    "title": (Lower("title"),),
    "date": ("date_sort",),
    "author": (Lower("author"),),
    "type": (
        Case(
            *[When(_KIND_MEDIA[k], then=Value(label)) for k, label in DOCUMENT_KINDS.items() if k != "other"],
            default=Value(DOCUMENT_KINDS["other"]),
        ),
    ),  # fmt: skip
    "size": ("size",),
    "pages": ("page_count",),
    "cited": ("cited_count",),
    "privileged": ("-is_privileged",),
}


def document_sort(text: str | None) -> str:
    """The sort asked for ("-size", "date"…) if it is one of the documents grid's, else "" (the default order)."""
    text = text or ""
    return text if text.removeprefix("-") in DOCUMENT_SORTS else ""


def documents_with_cited_count(documents: QuerySet[Document]) -> QuerySet[Document]:
    """`cited_count` on each document: how many live events cite it, counted in the database (a document cited by
    thousands of events is one number, not thousands of citations read)."""
    if "cited_count" in documents.query.annotations:
        return documents
    citing = (
        Citation.objects.filter(document=OuterRef("pk"), event__deleted_at__isnull=True)
        .order_by()
        .values("document")
        .annotate(n=Count("event", distinct=True))
        .values("n")
    )
    return documents.annotate(cited_count=Coalesce(Subquery(citing), 0))


def documents_sorted(documents: QuerySet[Document], sort: str) -> QuerySet[Document]:
    """`documents` in `sort`, a DOCUMENT_SORTS key, "-" first for descending (empty values last either way)."""
    column, descending = sort.removeprefix("-"), sort.startswith("-")
    if column == "cited":
        documents = documents_with_cited_count(documents)
    keys = []
    if column == "date":  # undated ones last, latest first or not
        keys.append(Case(When(date_sort=dates.UNDATED_SORT_KEY, then=Value(1)), default=Value(0)).asc())
    for key in (*DOCUMENT_SORTS[column], "exhibit_number"):
        expression = F(key.removeprefix("-")) if isinstance(key, str) else key
        flip = isinstance(key, str) and key.startswith("-")
        ascending = flip == descending
        keys.append(expression.asc(nulls_last=True) if ascending else expression.desc(nulls_last=True))
    return documents.order_by(*keys)


@dataclass(frozen=True)
class DocumentFilters:
    """What the documents page lists: `privileged`, `cited` None for either; `sort` one of DOCUMENT_SORTS ("-" first
    for descending), or "" (best match first when searching, else exhibit number)."""

    text: str = ""
    kind: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    privileged: bool | None = None
    cited: bool | None = None
    sort: str = ""
    include_deleted: bool = False


def documents_filtered(*, matter: Matter, filters: DocumentFilters) -> QuerySet[Document]:
    """The documents page: documents_for_matter, searched (evidence.search, as the timeline), filtered and sorted.
    Dates filter by overlap, as the timeline's do; an undated document is kept only without a window."""
    qs = documents_for_matter(matter=matter, include_deleted=filters.include_deleted).defer("extracted_text")
    if filters.kind == "other":
        for covered in _KIND_MEDIA.values():
            qs = qs.exclude(covered)
    elif filters.kind in _KIND_MEDIA:
        qs = qs.filter(_KIND_MEDIA[filters.kind])
    if filters.date_from:
        qs = qs.filter(date_last_day__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(date_first_day__lte=filters.date_to)
    if filters.privileged is not None:
        qs = qs.filter(is_privileged=filters.privileged)
    if filters.cited is not None:
        citing = Citation.objects.filter(document__matter=matter, event__deleted_at__isnull=True)
        cited = Q(pk__in=citing.values("document_id"))
        qs = qs.filter(cited if filters.cited else ~cited)
    query = search.parse(filters.text)
    qs = search.filter_documents(qs, matter=matter, query=query)
    if document_sort(filters.sort):
        return documents_sorted(qs, filters.sort)
    return search.rank_documents(qs, query=query)


def document_search_snippets(*, matter: Matter, documents, filters: DocumentFilters) -> dict:
    """{document id: Snippet} saying where the search found each of these documents."""
    ids = [document.pk for document in documents]
    return search.document_snippets(matter=matter, ids=ids, query=search.parse(filters.text))


def _citing_events() -> QuerySet[Citation]:
    """Citations by live events, in the events' chronological order."""
    return (
        Citation.objects.filter(event__deleted_at__isnull=True)
        .select_related("event")
        .order_by("event__date_sort", "event__order", "event_id", "pinpoint")
    )


def citations_of_document(*, document: Document) -> QuerySet[Citation]:
    return _citing_events().filter(document=document)


def events_to_cite(*, matter: Matter) -> QuerySet[Event]:
    """The matter's live events in timeline order, light (date and title), for the viewer's "cite on this event"."""
    fields = ("id", "matter_id", "title", *Event.STORED_COLUMNS, *Event.DERIVED_COLUMNS)
    live = Event.objects.filter(matter=matter, deleted_at__isnull=True)
    return live.only(*fields).order_by("date_sort", "order", "id")


def text_job_of(*, document: Document) -> Job | None:
    """The latest background reading of the document's text (a large file's) or OCR of it (a scan's, an image's),
    or None when its text was read on upload."""
    kinds = [Job.Kind.READ_TEXT, Job.Kind.OCR]
    return Job.objects.filter(kind__in=kinds, options__document=document.pk).order_by("-pk").first()


def ocr_copy_of(*, document: Document) -> Job | None:
    """The latest finished OCR of the document that kept its OCR'd PDF, or None."""
    jobs = Job.objects.filter(kind=Job.Kind.OCR, options__document=document.pk, state=Job.State.DONE)
    return jobs.exclude(result="").order_by("-pk").first()


def cited_pinpoints(*, event: Event | None) -> list[tuple[int, str]]:
    """(document id, pinpoint) of what `event` cites now (nothing for an event not saved yet): what was entered,
    and warned about, before."""
    if event is None or event.pk is None:
        return []
    return list(Citation.objects.filter(event=event).values_list("document_id", "pinpoint"))


def cited_documents(*, events) -> list[Document]:
    """The documents cited by these (already prefetched) events, in exhibit order, each once."""
    seen = {}
    for event in events:
        for citation in event.citations.all():
            seen.setdefault(citation.document_id, citation.document)
    return sorted(seen.values(), key=lambda d: d.exhibit_number)


def event_versions(*, event: Event) -> list:
    """Every historical version of an event, newest first, with user, actors and issues loaded in a fixed number of
    queries. The m2m rows are reached through simple-history's reverse relations: a record's own `actors` attribute
    is a manager that queries each time and cannot be prefetched."""
    return list(
        event.history.select_related("history_user")
        .prefetch_related("historicalevent_actors_set__actor", "historicalevent_issues_set__issue")
        .order_by("-history_date", "-history_id")
    )


@dataclass(frozen=True)
class VersionCitations:
    """What restoring a version does with its citations: `citations` (document, pinpoint, note) to cite, or None
    when the version did not record them (they are then left as they are); `notes` say so, and name each citation
    cited again of a deleted document and each that cannot be restored."""

    citations: list[tuple[Document, str, str]] | None
    notes: list[str]


def version_citations(*, event: Event, record) -> VersionCitations:
    """The citations of `record`, a version of `event`, as a restore brings them back: those of documents still in
    the matter, soft-deleted ones too (they are evidence still; the notes say so)."""
    entries = record.citations_snapshot
    if entries is None:
        return VersionCitations(
            None, [f"Version {record.version} did not record its citations: the current ones are kept as they are."]
        )
    documents = Document.objects.filter(matter_id=event.matter_id).select_related("matter")
    documents = documents.in_bulk([entry["document"] for entry in entries])
    cited = set(Citation.objects.filter(event=event).values_list("document_id", "pinpoint"))
    citations, notes = [], []
    for entry in entries:
        label = " ".join(filter(None, (entry["exhibit"], entry["pinpoint"])))
        document = documents.get(entry["document"])
        if document is None:
            notes.append(f"{label} cannot be restored: the document is no longer in this matter.")
            continue
        if document.is_deleted and (document.pk, entry["pinpoint"]) not in cited:
            notes.append(f"{label} is cited again although {document.exhibit_label} is deleted; restore the document "
                         "to show the citation in exports.")  # fmt: skip
        citations.append((document, entry["pinpoint"], entry["note"]))
    return VersionCitations(citations, notes)


def document_versions(*, document: Document) -> list:
    """Every historical version of a document, newest first, with its user."""
    return list(document.history.select_related("history_user").order_by("-history_date", "-history_id"))


def parse_date_bound(text: str, *, end: bool) -> datetime.date | None:
    """A filter bound typed as a partial date: "from Aug 2024" means its first day, "to Aug 2024" its last."""
    if not text or not text.strip():
        return None
    value = dates.parse(text)
    if value.undated:
        return None
    return value.last_day() if end else value.first_day()


def issue_names(*, matter: Matter, offered: bool = False) -> list[str]:
    """The matter's issue names; `offered`: only those offered for new events (not retired)."""
    qs = Issue.objects.filter(matter=matter)
    return list((qs.filter(retired_at__isnull=True) if offered else qs).order_by("name").values_list("name", flat=True))


def actor_names(*, matter: Matter, offered: bool = False) -> list[str]:
    qs = Actor.objects.filter(matter=matter)
    return list((qs.filter(retired_at__isnull=True) if offered else qs).order_by("name").values_list("name", flat=True))


def cast_of(*, matter: Matter, model) -> list:
    """The matter's actors (or issues), those in use first, each with `live_events` and, for actors, `documents`:
    how many live documents give them as author or custodian. Two queries."""
    live = Count("events", filter=Q(events__deleted_at__isnull=True))
    items = list(
        model.objects.filter(matter=matter)
        .annotate(live_events=live)
        .order_by(F("retired_at").asc(nulls_first=True), Lower("name"), "id")
    )
    if model is Actor:
        authored = dict(
            Document.objects.filter(matter=matter, deleted_at__isnull=True, author__in=[a.name for a in items])
            .values("author")
            .annotate(n=Count("id"))
            .values_list("author", "n")
        )
        for actor in items:
            actor.documents = authored.get(actor.name, 0)
    return items


# Access log and integrity checks (evidence/models/access.py) ---------------------------------------------------------


def access_events(*, matter: Matter, kind: str = "", user_id: int | None = None) -> QuerySet:
    """The matter's access log, newest first, with who and what each event names fetched up front."""

    qs = AccessEvent.objects.filter(matter=matter)
    if kind:
        qs = qs.filter(kind=kind)
    if user_id:
        qs = qs.filter(user_id=user_id)
    return qs.select_related("user", "document__matter", "job").order_by("-sequence")


def access_users(*, matter: Matter) -> list[tuple[int, str]]:
    """(id, name) of everyone who appears in the matter's access log, by name."""

    rows = AccessEvent.objects.filter(matter=matter, user__isnull=False).values_list("user_id", "user__username")
    return sorted(set(rows), key=lambda row: row[1].casefold())


def export_record(*, job: Job):
    """The access event that recorded the export `job` produced, a chronology or a matter archive (its file's SHA-256
    and size), if there is one."""

    kinds = (AccessEvent.Kind.EXPORT, AccessEvent.Kind.EXPORT_ARCHIVE)
    return AccessEvent.objects.filter(job=job, kind__in=kinds).order_by("sequence").first()


def latest_integrity_check(*, document: Document):

    return IntegrityCheck.objects.filter(document=document).order_by("-id").first()


def latest_integrity_checks(*, documents) -> dict:
    """Each document's latest integrity check, by document id, in one query."""

    latest = (
        IntegrityCheck.objects.filter(document__in=[d.pk for d in documents])
        .values("document")
        .annotate(last=Max("id"))
        .values("last")
    )
    return {check.document_id: check for check in IntegrityCheck.objects.filter(pk__in=latest)}


def api_tokens_of(*, user) -> QuerySet:
    """The user's API tokens, newest first, revoked ones too (their page lists them as revoked)."""
    from evidence.models import ApiToken

    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")


# The timeline grid (evidence/models/grid.py) ---------------------------------------------------------------------


def _label_order(field: str, choices) -> Case:
    """Order by a choice's label as shown ("Court filing" before "FAQ / help-page edit"), not by its stored value."""
    return Case(*[When(**{field: value}, then=Value(label)) for value, label in choices.choices], default=Value(""))


# What each column sorts by; the date by the chronology's order (its sort key, then the order on the same date), and
# every other column by the date after it.
_CHRONOLOGY = ("date_sort", "order", "id")
GRID_SORTS = {
    "date": (),
    "title": (Lower("title"),),
    "kind": (_label_order("kind", EventKind),),
    "status": (_label_order("status", EventStatus),),
    "key": ("-is_key",),
    "issues": ("first_issue",),
    "actors": ("first_actor",),
    "sources": ("first_exhibit",),
}


# A sort in words, for an export's cover ("Order: by title, then by date").
_SORT_WORDS = {
    "title": ("by title, A to Z", "by title, Z to A"),
    "kind": ("by kind", "by kind, reversed"),
    "status": ("by status", "by status, reversed"),
    "key": ("key facts first", "key facts last"),
    "issues": ("by first issue", "by first issue, reversed"),
    "actors": ("by first actor", "by first actor, reversed"),
    "sources": ("by first exhibit cited", "by first exhibit cited, reversed"),
}


def sort_words(sort: str) -> str:
    """ "by title, A to Z, then by date" for a grid sort; "" for the chronology's own order."""
    column = sort.removeprefix("-")
    if column == "date":
        return "by date, latest first" if sort.startswith("-") else ""
    return f"{_SORT_WORDS[column][sort.startswith('-')]}, then by date" if column in _SORT_WORDS else ""


def grid_sort(text: str | None) -> str:
    """The sort asked for ("title", "-date"…) if it is one of the grid's, else the chronology's ("date")."""
    text = text or "date"
    return text if text.removeprefix("-") in GRID_SORTS else "date"


def events_sorted(events: QuerySet[Event], sort: str) -> QuerySet[Event]:
    """`events` (events_for_timeline) in the grid's `sort`, a GRID_SORTS key, "-" first for descending."""
    column = sort.removeprefix("-")
    descending = sort.startswith("-")
    if column == "issues":
        events = events.annotate(first_issue=Min(Lower("issues__name")))
    elif column == "actors":
        events = events.annotate(first_actor=Min(Lower("actors__name")))
    elif column == "sources":
        events = events.annotate(first_exhibit=Min("citations__document__exhibit_number"))
    keys = []
    for key in (*GRID_SORTS[column], *_CHRONOLOGY):
        expression = F(key.removeprefix("-")) if isinstance(key, str) else key
        flip = isinstance(key, str) and key.startswith("-")
        ascending = flip == descending
        keys.append(expression.asc(nulls_last=True) if ascending else expression.desc(nulls_last=True))
    return events.order_by(*keys)


def grid_settings_for(*, user, matter: Matter) -> GridSettings:
    """The user's grid settings in the matter; the first time in a matter, the columns and layout they chose last
    elsewhere (not saved until changed). One query."""
    latest = (
        GridSettings.objects.filter(user=user)
        .order_by(Case(When(matter=matter, then=Value(0)), default=Value(1)), "-updated_at")
        .first()
    )
    if latest is not None and latest.matter_id == matter.pk:
        return latest
    if latest is None:
        return GridSettings(user=user, matter=matter, columns=list(GRID_COLUMNS))
    return GridSettings(
        user=user, matter=matter, columns=latest.columns, layout=latest.layout,
        document_columns=latest.document_columns, document_layout=latest.document_layout,
    )  # fmt: skip


def saved_views_for(*, user, matter: Matter) -> list[SavedView]:
    """The user's own views in the matter and those shared with it, by name."""
    views = SavedView.objects.filter(Q(user=user) | Q(shared=True), matter=matter).select_related("user")
    return list(views.order_by(Lower("name"), "id"))


def bulk_edit_of(*, matter: Matter, pk) -> BulkEdit | None:
    return BulkEdit.objects.filter(matter=matter, pk=pk).first() if pk else None


def history_mark() -> int:
    """The last history row of any event so far: what a page "saw", for a bulk edit of every event its filters keep
    (evidence.services.grid.events_bulk_edit_matching). One read of the primary key's index, whatever the size."""
    return Event.history.aggregate(last=Max("history_id"))["last"] or 0
