"""Full-text search on PostgreSQL (django.contrib.postgres.search), "english" configuration (stemming, stop words).

Events: a GIN index on the expression EVENT_VECTOR (title A, description B, source note C), built from this very
expression by the search migration, so the planner uses it for the queries below; an expression cannot go stale, so no
trigger or service has to keep it current.

Documents: one row per page of the text in evidence_searchpage (models.search.SearchPage), each with its tsvector
and a GIN index, written by a trigger on evidence_document (the search migration). Per page, because a tsvector holds at
most 1 MB (a long transcript's would not fit, and the document's INSERT would fail) and because a match must say its
page. By a trigger rather than the services, because the text reaches evidence_document by other paths too: the
background reader's and OCR's UPDATE, an archive's restore (COPY), and whatever writes it next.
"""

import operator
from functools import reduce

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db.models import Case, F, Func, OuterRef, Subquery, TextField, Value, When
from django.db.models.functions import Left, NullIf

from evidence.models import Actor, Event, Issue, SearchPage
from evidence.search import snippets
from evidence.search.query import Term

CONFIG = "english"
# A description longer than this is indexed up to here: a tsvector over ~1 MB would fail the event's save.
DESCRIPTION_INDEXED_CHARS = 100_000
EVENT_VECTOR = (
    SearchVector("title", weight="A", config=CONFIG)
    + SearchVector(Left("description", DESCRIPTION_INDEXED_CHARS), weight="B", config=CONFIG)
    + SearchVector("source_note", weight="C", config=CONFIG)
)
NAME_VECTOR = SearchVector("name", config=CONFIG)
HEADLINE = {"start_sel": snippets.OPEN, "stop_sel": snippets.CLOSE, "max_words": 30, "min_words": 12,
            "max_fragments": 1, "fragment_delimiter": " … "}  # fmt: skip


def search_query(term: Term) -> SearchQuery:
    if term.prefix:  # to_tsquery: the words as a phrase, the last one a prefix (words are letters and digits only)
        raw = " <-> ".join(f"'{word}'" for word in term.words) + ":*"
        return SearchQuery(raw, search_type="raw", config=CONFIG)
    # phraseto_tsquery splits the text as to_tsvector did, so "PX-2" and "opt-out" match as written
    return SearchQuery(term.text, search_type="phrase", config=CONFIG)


def any_query(terms) -> SearchQuery:
    return reduce(operator.or_, (search_query(term) for term in terms))


def event_ids(term: Term):
    return Event.objects.annotate(search=EVENT_VECTOR).filter(search=search_query(term)).values("pk")


def document_ids(term: Term):
    return SearchPage.objects.filter(vector=search_query(term)).values("document_id")


def issue_ids(term: Term):
    return Issue.objects.annotate(search=NAME_VECTOR).filter(search=search_query(term)).values("pk")


def actor_ids(term: Term):
    return Actor.objects.annotate(search=NAME_VECTOR).filter(search=search_query(term)).values("pk")


def event_rank(terms):
    return SearchRank(EVENT_VECTOR, any_query(terms))


def _best_page(pages, terms):
    query = any_query(terms)
    ranked = pages.filter(vector=query).annotate(rank=SearchRank(F("vector"), query)).order_by("-rank")
    return Subquery(ranked.values("rank")[:1])


def event_documents_rank(terms):
    return _best_page(SearchPage.objects.filter(document__citations__event=OuterRef("pk")), terms)


def document_rank(terms):
    return _best_page(SearchPage.objects.filter(document=OuterRef("pk")), terms)


def event_snippets(ids, terms) -> dict[int, str]:
    """{event id: marked snippet} for the events whose own text matches."""
    if not ids or not terms:
        return {}
    query = any_query(terms)
    own = Func(Value(" — "), "title", NullIf("description", Value("")), NullIf("source_note", Value("")),
               function="concat_ws", output_field=TextField())  # fmt: skip
    rows = (
        Event.objects.filter(pk__in=ids)
        .annotate(search=EVENT_VECTOR)
        .filter(search=query)
        .annotate(snippet=SearchHeadline(own, query, config=CONFIG, **HEADLINE))
    )
    return dict(rows.values_list("pk", "snippet"))


def document_snippets(ids, terms) -> dict[int, tuple[int, str]]:
    """{document id: (page, marked snippet)}: the first page of the text that matches, else page 0 (the title, file
    name or Bates numbers)."""
    if not ids or not terms:
        return {}
    query = any_query(terms)
    header_last = Case(When(page=0, then=Value(1)), default=Value(0))
    first = (
        SearchPage.objects.filter(document_id__in=ids, vector=query)
        .order_by("document_id", header_last, "page", "part")
        .distinct("document_id")
    )
    rows = SearchPage.objects.filter(pk__in=first.values("pk")).annotate(
        snippet=SearchHeadline("body", query, config=CONFIG, **HEADLINE)
    )
    return {doc: (page, snippet) for doc, page, snippet in rows.values_list("document_id", "page", "snippet")}
