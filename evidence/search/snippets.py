"""Snippets: the words around a match, from the database's highlighter, made safe for a page.

The backends ask the database to wrap each match in two control characters; the text is escaped first and only then
are those characters turned into <mark>, so nothing in the evidence or in what the user typed becomes markup.
"""

import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

OPEN, CLOSE = "\x02", "\x03"  # never in text the services keep (evidence.text.clean replaces C0 controls)
PAGE_BREAK = "\f"  # between the pages of a PDF's text (evidence.files)
BEFORE, AFTER = 90, 150  # characters of context around the first match


@dataclass(frozen=True)
class Snippet:
    """`html`: the marked words; `where`: where they are ("this event", "issue", "page 3 of PX-2")."""

    html: SafeString
    where: str


def to_html(marked: str) -> SafeString:
    """Escape, then mark: each OPEN…CLOSE pair becomes <mark>…</mark>; an unpaired one is dropped."""
    out, open_ = [], False
    for piece in re.split(f"([{OPEN}{CLOSE}])", " ".join(marked.split())):
        if piece == OPEN:
            if not open_:
                out.append("<mark>")
                open_ = True
        elif piece == CLOSE:
            if open_:
                out.append("</mark>")
                open_ = False
        else:
            out.append(escape(piece))
    if open_:
        out.append("</mark>")
    return mark_safe("".join(out))


def whole(text: str) -> str:
    """The text marked whole (a matching issue or actor name)."""
    return OPEN + text + CLOSE


def page_window(text: str, at: int) -> tuple[int, str]:
    """(page, the words around position `at`) of a document's marked text: the page is the number of page breaks
    before `at`, plus one; the window stays within that page."""
    page = text.count(PAGE_BREAK, 0, at) + 1
    start = text.rfind(PAGE_BREAK, 0, at) + 1
    end = text.find(PAGE_BREAK, at)
    end = len(text) if end < 0 else end
    left, right = max(start, at - BEFORE), min(end, at + AFTER)
    if left > start:
        space = text.find(" ", left, at)
        left = space + 1 if space >= 0 else left
    if right < end:
        space = text.rfind(" ", at, right)
        right = space if space > at else right
    return page, ("… " if left > start else "") + text[left:right] + (" …" if right < end else "")
