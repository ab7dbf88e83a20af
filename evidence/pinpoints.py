"""Page references in pinpoints: "p. 3", "pp. 3-5", "at 7", "page 12", "p.99" name pages; "¶ 12", "00:01:32" and
Bates pins ("ACME_000123") do not. A pinpoint past the last page of a PDF whose page count is known is warned about
where citations are entered (the event form, the admin, the import preview); a warning never refuses.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

# A page number: no leading zero (a zero-padded number is a Bates number), at most seven digits.
_NUMBER = r"[1-9]\d{0,6}(?!\d)"
_RANGE = r"(?:\s*[-\u2010\u2011\u2012\u2013\u2014\u2212]\s*|\s+(?:to|through|thru)\s+)"
_ITEM = rf"{_NUMBER}(?:{_RANGE}{_NUMBER})?"
_LIST = rf"{_ITEM}(?:(?:\s*[,&]\s*|\s+and\s+){_ITEM})*"
# "p." / "pp." / "pg." / "pgs." (a dot or a space after them), "page(s)", "at"; not inside a word or a Bates prefix
# ("LI-P 12", "ACME_P. 3").
_MARKER = r"(?<![\w-])(?:(?:pp?|pgs?)(?:\.\s*|\s+)|pages?\.?\s*|at\s+)"
_PAGES = re.compile(rf"{_MARKER}({_LIST})", re.IGNORECASE)
_ITEMS = re.compile(rf"({_NUMBER})(?:{_RANGE}({_NUMBER}))?", re.IGNORECASE)
_LONGEST = 200  # a pinpoint is at most 100 characters; anything longer is not read further


def last_page(pinpoint: str) -> int | None:
    """The highest page `pinpoint` names, or None when it names no page.

    "pp. 3-5, 9" names page 9. A range written the lawyers' short way ("pp. 123-25") ends on page 125.
    """
    highest = None
    for found in _PAGES.finditer(pinpoint[:_LONGEST]):
        for item in _ITEMS.finditer(found.group(1)):
            start, end = item.group(1), item.group(2)
            page = int(start)
            if end is not None:
                page = max(page, _range_end(start, end))
            highest = page if highest is None else max(highest, page)
    return highest


def _range_end(start: str, end: str) -> int:
    if len(end) < len(start):
        shortened = int(start[: len(start) - len(end)] + end)
        if shortened >= int(start):
            return shortened
    return int(end)


def page_warning(label: str, page_count: int | None, pinpoint: str) -> str | None:
    """ "PX-3 has 3 pages; p. 99 is past its last page." or None (the page count unknown, or no page past it)."""
    if not page_count:
        return None
    page = last_page(pinpoint)
    if page is None or page <= page_count:
        return None
    pages = "1 page" if page_count == 1 else f"{page_count:,} pages"
    return f"{label} has {pages}; {pinpoint.strip()} is past its last page."


def past_last_page(document, pinpoint: str) -> str | None:
    return page_warning(document.exhibit_label, document.page_count, pinpoint)


def page_warnings(citations: Iterable[tuple], *, already: Iterable[tuple[int, str]] = ()) -> list[str]:
    """The warnings for (document, pinpoint, …) citations being entered, leaving out those in `already` (the
    (document id, pinpoint) a record cites already: a pinpoint warned about and kept is not warned about again)."""
    kept = {(document_id, pinpoint.strip()) for document_id, pinpoint in already}
    warnings = []
    for document, pinpoint, *_ in citations:
        if (document.pk, pinpoint.strip()) in kept:
            continue
        if (warning := past_last_page(document, pinpoint)) and warning not in warnings:
            warnings.append(warning)
    return warnings


def confirmation(warnings: Iterable[str]) -> str:
    """What a form carries once these warnings were shown, so that saving anyway confirms exactly them: a pinpoint
    changed after the warning is warned about again."""
    return hashlib.sha256("\n".join(sorted(warnings)).encode()).hexdigest()[:32]
