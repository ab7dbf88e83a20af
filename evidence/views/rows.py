"""The timeline's rows (events/_grid.html, events/_cards.html) prepared in Python, once per event.

Rendered through the template language, a page of 100 events cost most of the timeline's CPU: an include and a
{% url %} per citation, a {% url %} per event, each list of names walked twice through a filter, the date worked out
twice, and a failed lookup (an exception) for every column's visibility in every row. The templates now print what is
prepared here; what they show is the same.
"""

from dataclasses import dataclass
from urllib.parse import quote

from django.urls import reverse

from evidence import selectors
from evidence.text import shown


@dataclass(frozen=True)
class Source:
    """A citation as a row shows it (as evidence/_citation.html does): the exhibit, opening the document in the
    viewer at the pinpoint."""

    href: str
    title: str
    label: str
    pinpoint: str


def prepare_rows(matter, events) -> list:
    """`events` (a page of events_for_timeline; its prefetch is not needed), each given what its row prints:

    url            the event's page; edit_url, its form
    date_text      its date as shown (Event.date_display)
    title_shown    its title through evidence.text.shown
    issues_value   its issues' names joined by "; " (the cell editor's value); issues_text the same, shown;
                   issues_shown the names, shown, one by one (the cards' tags); and the same for actors
    sources        its citations as Source, in exhibit order
    """
    event_url = _url_pattern("event_detail", matter)
    edit_url = _url_pattern("event_edit", matter)
    viewer_url = _url_pattern("document_viewer", matter)
    rows = list(events)
    parts = selectors.tags_and_sources_of(matter=matter, event_ids=[event.pk for event in rows])
    for event in rows:
        event.url, event.edit_url = event_url(event.pk), edit_url(event.pk)
        event.date_text = event.date_display
        event.title_shown = shown(event.title)
        for name in ("issues", "actors"):
            names = getattr(parts, name).get(event.pk, [])
            listed = [shown(n) for n in names]
            setattr(event, f"{name}_value", "; ".join(names))
            setattr(event, f"{name}_shown", listed)
            setattr(event, f"{name}_text", "; ".join(listed))
        event.sources = [_source(*cited, viewer_url) for cited in parts.citations.get(event.pk, [])]
    return rows


def _source(document_id: int, pinpoint: str, title: str, label: str, viewer_url) -> Source:
    href = viewer_url(document_id)
    if pinpoint:
        href += "?pin=" + quote(pinpoint, safe="/")  # as the urlencode filter writes it
    title = shown(title) + (f", at {pinpoint}" if pinpoint else "")
    return Source(href=href, title=title, label=shown(label), pinpoint=pinpoint)


def _url_pattern(name: str, matter):
    """pk -> reverse(name, args=[matter.slug, pk]), with one reverse() for the page rather than one per link."""
    marker = 999_999_999
    head, tail = reverse(name, args=[matter.slug, marker]).rsplit(str(marker), 1)
    return lambda pk: f"{head}{pk}{tail}"
