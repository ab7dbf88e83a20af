"""The timeline's rows (events/_grid.html, events/_cards.html) prepared in Python, once per event; the grid's rows
written here too.

Rendered through the template language, a page of 100 events cost most of the timeline's CPU: an include and a
{% url %} per citation, a {% url %} per event, each list of names walked twice through a filter, the date worked out
twice, and a failed lookup (an exception) for every column's visibility in every row. The cards' template prints what
is prepared here. The grid, the page everyone opens, still spent 35 ms of its CPU in the template language on its
rows' fifty-odd tags each: its row is written by grid_rows below (GRID_ROW), every value escaped as the template
language escapes it; what it shows is the same.
"""

import unicodedata
from dataclasses import dataclass
from html import escape  # what django.utils.html.escape calls, without its per-call wrapping
from urllib.parse import quote

from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.text import Truncator, normalize_newlines

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


# One row of the grid (events/_grid.html); {select}, {badges}, {snippet}, {sources}, {more} and {description} are
# markup made by grid_rows, the rest escaped values.
GRID_ROW = (
    '<tr id="event-{pk}" data-id="{pk}" data-version="{version}" aria-rowindex="{rowindex}"\n'
    '        class="{classes}">\n'
    "      {select}\n"
    '      <td class="c-date" data-field="date" data-value="{date_value}">{date}</td>\n'
    '      <td class="c-title" data-field="title" data-value="{title}"><a tabindex="-1" class="title" href="{url}">'
    "{title_shown}</a>{badges}{snippet}</td>\n"
    '      <td class="c-kind" data-field="kind" data-value="{kind}"{hidden_kind}>{kind_label}</td>\n'
    '      <td class="c-status status-{status}" data-field="status" data-value="{status}"{hidden_status}>'
    "{status_label}</td>\n"
    '      <td class="c-key" data-field="key" data-value="{key_value}"{hidden_key}>{key}</td>\n'
    '      <td class="c-issues" data-field="issues" data-value="{issues_value}"{hidden_issues}>{issues_text}</td>\n'
    '      <td class="c-actors" data-field="actors" data-value="{actors_value}"{hidden_actors}>{actors_text}</td>\n'
    '      <td class="c-sources"{hidden_sources}>{sources}</td>\n'
    '      <td class="more">{more}</td>\n'
    "    </tr>\n"
    "    {description}"
)
GRID_SELECT = (
    '<td class="sel"><input type="checkbox" name="event" value="{pk}:{version}" form="bulk-form" tabindex="-1" '
    'aria-label="Select “{title}”"></td>'
)
GRID_SOURCE = '\n<a href="{href}" title="{title}">{label}</a>{pinpoint}\n'
GRID_MORE = (
    '<button type="button" class="expand" aria-expanded="false" aria-controls="desc-{pk}" tabindex="-1" '
    'title="Show the description"><span aria-hidden="true">▸</span><span class="visually-hidden">Description of '
    "“{title}”</span></button>"
)
GRID_DESCRIPTION = '<tr class="desc-row" id="desc-{pk}" hidden><td colspan="{colspan}">{text}</td></tr>'


def grid_rows(events, *, start_index: int, can_edit: bool, visible: dict[str, bool], colspan: int) -> None:
    """Gives each of `events` (prepare_rows's) `grid_html`, its row of the grid: the page's `start_index`, whether
    the user may edit (the row's selection box), which columns are `visible`, the description row's `colspan`."""
    hidden = {f"hidden_{name}": "" if shown_ else " hidden" for name, shown_ in visible.items() if name != "date"}
    hidden.pop("hidden_title", None)
    for index, event in enumerate(events):
        pk, version = event.pk, event.version
        snippet = getattr(event, "search_snippet", None)
        sources = "; ".join(
            GRID_SOURCE.format(href=escape(s.href), title=escape(s.title), label=escape(s.label),
                               pinpoint=f" {escape(s.pinpoint)}" if s.pinpoint else "")
            for s in event.sources
        )  # fmt: skip
        if event.source_note:
            sources += ("; " if event.sources else "") + f'<span class="muted">{escape(event.source_note)}</span>'
        classes = ("key " if event.is_key else "") + ("deleted " if event.deleted_at else "")
        classes += "disputed" if event.status == "disputed" else ""
        html = GRID_ROW.format(
            pk=pk, version=version, rowindex=start_index + index + 1, classes=classes,
            select=GRID_SELECT.format(pk=pk, version=version, title=escape(_truncated(event.title_shown, 60)))
            if can_edit else "",
            date_value=escape(event.date_text) if event.date_start else "", date=escape(event.date_text),
            title=escape(event.title), url=escape(event.url), title_shown=escape(event.title_shown),
            badges=(' <span class="badge privileged">Privileged</span>' if event.is_privileged else "")
            + (' <span class="badge deleted">Deleted</span>' if event.deleted_at else ""),
            snippet=f'<p class="snippet"><span class="where">{escape(str(snippet.where))}:</span> '
            f"{conditional_escape(snippet.html)}</p>" if snippet else "",
            kind=escape(event.kind), kind_label=escape(str(event.get_kind_display())),
            status=escape(event.status), status_label=escape(str(event.get_status_display())),
            key_value="yes" if event.is_key else "no", key="★" if event.is_key else "",
            issues_value=escape(event.issues_value), issues_text=escape(event.issues_text),
            actors_value=escape(event.actors_value), actors_text=escape(event.actors_text),
            sources=sources,
            more=GRID_MORE.format(pk=pk, title=escape(_truncated(event.title_shown, 40))) if event.description else "",
            description=GRID_DESCRIPTION.format(pk=pk, colspan=colspan, text=_lines(event.description))
            if event.description else "",
            **hidden,
        )  # fmt: skip
        event.grid_html = mark_safe(html)  # every value in it is escaped above


def _truncated(text: str, length: int) -> str:
    """The truncatechars filter's text (Truncator.chars), cut here when no combining character is in it: Truncator
    looks up its translated ellipsis on every call, most of this function's cost. The pages are in English
    (LANGUAGE_CODE), whose ellipsis is "…"."""
    text = unicodedata.normalize("NFC", text)
    if len(text) <= length:
        return text
    if any(map(unicodedata.combining, text)):  # they do not count towards the length
        return Truncator(text).chars(length)
    return text[: length - 1] + "…"


def _lines(text: str) -> str:
    """The linebreaksbr filter's markup: escaped, each line break a <br>."""
    return escape(normalize_newlines(text)).replace("\n", "<br>")
