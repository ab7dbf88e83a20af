"""Search: the one engine behind the timeline's search box, the export and `export_chronology` (through
selectors.events_for_timeline) and the documents page.

A query (evidence.search.query) is a tree of terms under AND, OR and NOT. Each term is matched against everything an
event is known by: its title, description and source note, the names of its issues and actors, and the documents it
cites (their title, file name, Bates numbers and text; their exhibit label, "PX-2"; a Bates number inside their
range, "LI-000105" in LI-000104 – LI-000106). The tree is then evaluated over those sets of events, so `consent AND
PX-2` finds an event about consent that cites PX-2 even though no single text holds both.

The full-text part is the database's own: PostgreSQL's text search (evidence.search.postgres) or SQLite's FTS5
(evidence.search.sqlite); `_backend` is the one place that chooses. Both answer the same questions: which rows match
a term, how well, and where (a snippet, and a document's page).
"""

import re

from django.db import connection
from django.db.models import BooleanField, Case, Q, Value, When
from django.db.models.functions import Coalesce

from evidence import pinpoints
from evidence.models import Actor, Citation, Document, Event, Issue, Matter
from evidence.search import snippets
from evidence.search.query import And, Not, Query, Term, parse
from evidence.search.snippets import Snippet

__all__ = ["Query", "Snippet", "parse", "filter_events", "rank_events", "event_snippets", "filter_documents",
           "rank_documents", "document_snippets"]  # fmt: skip

EVENT_ITSELF = "this event"


def _backend():
    if connection.vendor == "postgresql":
        from evidence.search import postgres

        return postgres
    from evidence.search import sqlite

    return sqlite


def _compile(node, leaf) -> Q:
    if isinstance(node, Term):
        return leaf(node)
    if isinstance(node, Not):
        return ~_compile(node.part, leaf)
    parts = [_compile(part, leaf) for part in node.parts]
    combined = parts[0]
    for part in parts[1:]:
        combined = combined & part if isinstance(node, And) else combined | part
    return combined


# Exhibit labels and Bates numbers -------------------------------------------------------------------------------


def _squeezed(text: str) -> str:
    return re.sub(r"[\s\-_.]", "", text).upper()


def exhibit_number(matter: Matter, term: Term) -> int | None:
    """The exhibit number a term names with the matter's prefix ("PX-2", "px2", "PX 2"), if it names one."""
    prefix = _squeezed(matter.exhibit_prefix)
    text = _squeezed(term.text)
    if term.prefix or not prefix or not text.startswith(prefix) or not text[len(prefix) :].isdigit():
        return None
    return int(text[len(prefix) :])


def bates_pages(matter: Matter, term: Term) -> dict[int, int]:
    """{document id: page} of the matter's documents whose Bates range holds the number the term names (the page is
    its place in the range: LI-000105 is page 2 of LI-000104 – LI-000106), by the rule a citation's pinpoint opens
    its page with. A document with a first Bates number and no last one is taken as one page: a search does not
    guess how far an open range runs."""
    if term.prefix or not re.search(r"\d", term.text):
        return {}
    found = {}
    rows = Document.objects.filter(matter=matter).exclude(bates_start="").values_list("pk", "bates_start", "bates_end")
    for pk, start, end in rows:
        page = pinpoints.bates_page(term.text, bates_start=start, bates_end=end or start)
        if isinstance(page, int):
            found[pk] = page
    return found


# Which rows match -------------------------------------------------------------------------------------------------


def _document_term(matter: Matter, term: Term) -> Q:
    matched = Q(pk__in=_backend().document_ids(term))
    if (number := exhibit_number(matter, term)) is not None:
        matched |= Q(exhibit_number=number)
    if pages := bates_pages(matter, term):
        matched |= Q(pk__in=list(pages))
    return matched


def _event_term(matter: Matter, term: Term) -> Q:
    backend = _backend()
    issues = Issue.objects.filter(matter=matter, pk__in=backend.issue_ids(term))
    actors = Actor.objects.filter(matter=matter, pk__in=backend.actor_ids(term))
    documents = Document.objects.filter(matter=matter).filter(_document_term(matter, term))
    return (
        Q(pk__in=backend.event_ids(term))
        | Q(pk__in=Event.issues.through.objects.filter(issue__in=issues).values("event_id"))
        | Q(pk__in=Event.actors.through.objects.filter(actor__in=actors).values("event_id"))
        | Q(pk__in=Citation.objects.filter(document__in=documents).values("event_id"))
    )


def filter_events(events, *, matter: Matter, query: Query):
    """The events (of `matter`) that the query finds; all of them for an empty query."""
    if not query:
        return events
    return events.filter(_compile(query.tree, lambda term: _event_term(matter, term)))


def filter_documents(documents, *, matter: Matter, query: Query):
    if not query:
        return documents
    return documents.filter(_compile(query.tree, lambda term: _document_term(matter, term)))


# How well ----------------------------------------------------------------------------------------------------------


def rank_events(events, *, matter: Matter, query: Query):
    """Best first: events whose own text matches (title above description above source note, then by how well),
    then those found through a cited document's text (by how well), then the rest (a tag, an exhibit label, a Bates
    number); ties in chronological order."""
    if not query.terms:
        return events
    backend = _backend()
    ranked = events.annotate(
        search_rank=Coalesce(backend.event_rank(query.terms), 0.0),
        search_documents_rank=Coalesce(backend.event_documents_rank(matter, query.terms), 0.0),
    )
    return ranked.order_by("-search_rank", "-search_documents_rank", "date_sort", "order", "id")


def rank_documents(documents, *, query: Query):
    if not query.terms:
        return documents.order_by("exhibit_number")
    ranked = documents.annotate(search_rank=Coalesce(_backend().document_rank(query.terms), 0.0))
    return ranked.order_by("-search_rank", "exhibit_number")


# Where -------------------------------------------------------------------------------------------------------------


def event_snippets(*, matter: Matter, events, query: Query) -> dict[int, Snippet]:
    """{event id: where the query matched it, with the words around the match} for these events (a page of
    results), in a fixed number of queries: the event itself, else a matching issue or actor name, else the first
    cited document (in exhibit order) that matches."""
    if not query.terms:
        return {}
    backend = _backend()
    ids = [event.pk for event in events]
    own = backend.event_snippets(ids, query.terms)
    found = {pk: Snippet(snippets.to_html(text), EVENT_ITSELF) for pk, text in own.items()}
    rest = [pk for pk in ids if pk not in found]
    for where, through, field, ids_of in (
        ("issue", Event.issues.through, "issue", backend.issue_ids),
        ("actor", Event.actors.through, "actor", backend.actor_ids),
    ):
        if not rest:
            break
        any_term = Q()
        for term in query.terms:
            any_term |= Q(**{f"{field}__in": ids_of(term)})
        rows = through.objects.filter(any_term, event_id__in=rest).order_by(f"{field}__name")
        for pk, name in rows.values_list("event_id", f"{field}__name"):
            found.setdefault(pk, Snippet(snippets.to_html(snippets.whole(name)), where))
        rest = [pk for pk in rest if pk not in found]
    if rest:
        cited = Citation.objects.filter(event_id__in=rest).order_by("document__exhibit_number", "pinpoint")
        cited = list(cited.values_list("event_id", "document_id"))
        documents = document_snippets(matter=matter, ids={doc for _, doc in cited}, query=query)
        for pk, doc in cited:
            if doc in documents:
                found.setdefault(pk, documents[doc])
    return found


def document_snippets(*, matter: Matter, ids, query: Query) -> dict[int, Snippet]:
    """{document id: where the query matched it}: its exhibit label, a Bates number in its range (with the page),
    else its text (with the page, for a PDF whose pages are known) or its title, file name or Bates numbers."""
    if not query.terms or not ids:
        return {}
    documents = (
        Document.objects.filter(matter=matter, pk__in=ids)
        .select_related("matter")
        .annotate(
            paged=Case(
                When(extracted_text__contains=snippets.PAGE_BREAK, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )  # fmt: skip
        .only("pk", "exhibit_number", "title", "media_type", "page_count", "matter__exhibit_prefix")
        .in_bulk()
    )
    found = {}
    for term in query.terms:
        number = exhibit_number(matter, term)
        for document in documents.values():
            if document.exhibit_number == number:
                marked = snippets.whole(document.exhibit_label) + " " + document.title
                found.setdefault(document.pk, Snippet(snippets.to_html(marked), document.exhibit_label))
        for pk, page in bates_pages(matter, term).items():
            if pk in documents:
                where = f"page {page} of {documents[pk].exhibit_label}"
                found.setdefault(pk, Snippet(snippets.to_html(snippets.whole(term.text)), where))
    rest = [pk for pk in documents if pk not in found]
    for pk, (page, marked) in _backend().document_snippets(rest, query.terms).items():
        document = documents[pk]
        found[pk] = Snippet(snippets.to_html(marked), _where(document, page))
    return found


def _where(document: Document, page: int) -> str:
    label = document.exhibit_label
    if page == 0:
        return f"{label} (title, file name or Bates)"
    if document.media_type == "application/pdf" and (document.paged or document.page_count == 1):
        return f"page {page} of {label}"
    return label
