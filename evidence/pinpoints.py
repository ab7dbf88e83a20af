"""What a pinpoint points at. "p. 3", "pp. 3-5", "at 7", "page 12", "p.99" name pages; "¶ 12" names a paragraph; a
Bates number ("LI-000105") names a page of the exhibit whose Bates range holds it; "00:01:32" names no place here.

A pinpoint past the last page of a PDF whose page count is known is warned about where citations are entered (the
event form, the admin, the import preview); a warning never refuses. The document viewer opens a citation where its
pinpoint points (`place_in`): the first page it names, the paragraph of a text, the page of a Bates number.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

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


# Where the viewer opens a citation ------------------------------------------------------------------------------

# "¶ 12", "¶¶ 12-14", "para. 12", "paras 3 and 4", "paragraph 12"
_PARAGRAPH = re.compile(r"(?:¶+|\bparas?\.?|\bparagraphs?)\s*(\d{1,7})(?!\d)", re.IGNORECASE)
# A paragraph that numbers itself, as pleadings and declarations do: "12. LinkedIn …", "12) …", "(12) …", "¶ 12 …".
_OWN_NUMBER = re.compile(r"(?:\(?(\d{1,5})[.)]|¶\s*(\d{1,5}))\s")
_BLANK_LINE = re.compile(r"\n[ \t\f\v\r]*\n")
# The text intake reads from a PDF keeps its pages apart with a form feed (evidence.files).
PAGE_BREAK = "\f"


@dataclass(frozen=True)
class Place:
    """Where to open a document for a pinpoint: a page (PDF) or a paragraph (text), or neither, with `note` saying
    why when the pinpoint named a place that the document does not have."""

    page: int | None = None
    paragraph: int | None = None
    note: str = ""


class Paragraph(NamedTuple):
    """A paragraph of a text document as the viewer shows it; `number` is what "¶ N" names (None: not citable by
    number, in a document that numbers its paragraphs and not this one)."""

    number: int | None
    text: str


def first_page(pinpoint: str) -> int | None:
    """The first page `pinpoint` names ("pp. 3-4" → 3; "Dkt. 12 at 3" → 3), or None."""
    for found in _PAGES.finditer(pinpoint[:_LONGEST]):
        for item in _ITEMS.finditer(found.group(1)):
            return int(item.group(1))
    return None


def paragraph_number(pinpoint: str) -> int | None:
    """The first paragraph `pinpoint` names ("¶¶ 12-14" → 12), or None."""
    found = _PARAGRAPH.search(pinpoint[:_LONGEST])
    return int(found.group(1)) if found else None


def _bates_parts(value: str) -> tuple[str, int, int] | None:
    """("LI-", 105, 6) for "LI-000105": the prefix (folded for comparison), the number and its width."""
    found = re.fullmatch(r"(.*?)(\d+)", value.strip())
    if not found:
        return None
    return _fold(found.group(1)), int(found.group(2)), len(found.group(2))


def _fold(prefix: str) -> str:
    """Bates prefixes compared without case and separators: "LI-", "LI_", "li " and "LI" are the same prefix."""
    return re.sub(r"[\W_]+", "", prefix).casefold()


def bates_page(pinpoint: str, *, bates_start: str, bates_end: str = "") -> int | None | str:
    """The page of an exhibit that a Bates number in `pinpoint` names: "LI-000105" in LI-000104 – LI-000106 is page 2.

    None when the pinpoint holds no Bates number of the exhibit's prefix; a sentence saying why when it holds one
    outside the exhibit's range.
    """
    start = _bates_parts(bates_start) if bates_start else None
    if start is None:
        return None
    prefix, first, _ = start
    end = _bates_parts(bates_end) if bates_end else None
    last = end[1] if end is not None and end[0] == prefix else None
    # A prefix followed by a number, the number at least as long as a page number can be zero-padded: "LI-000105".
    for found in re.finditer(r"([A-Za-z][\w.\- ]*?)[\s_\-.]*(\d+)", pinpoint[:_LONGEST]):
        if _fold(found.group(1)) != prefix and not _fold(found.group(1)).endswith(prefix):
            continue
        number = int(found.group(2))
        if number < first or (last is not None and number > last):
            shown_range = f"{bates_start} – {bates_end}" if last is not None else f"from {bates_start}"
            return f"{found.group(0).strip()} is outside this exhibit's Bates range ({shown_range})."
        return number - first + 1
    return None


def text_paragraphs(text: str) -> list[Paragraph]:
    """A text as paragraphs, and the number each answers to.

    Paragraphs are parted by blank lines (a text with none, as read from HTML, by lines). A document that numbers its
    own paragraphs (two or more begin "1.", "2)", "(3)" or "¶ 4" in ascending order) is cited by those numbers;
    any other by the paragraphs' order.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    pieces = _BLANK_LINE.split(text) if _BLANK_LINE.search(text) else text.split("\n")
    blocks = [piece.strip("\n\f ") for piece in pieces]
    blocks = [block for block in blocks if block.strip()]
    own = [_own_number(block) for block in blocks]
    numbered = [n for n in own if n is not None]
    if len(numbered) >= 2 and numbered == sorted(numbered):
        return [Paragraph(number=n, text=block) for n, block in zip(own, blocks, strict=True)]
    return [Paragraph(number=i, text=block) for i, block in enumerate(blocks, start=1)]


def _own_number(block: str) -> int | None:
    found = _OWN_NUMBER.match(block.lstrip() + " ")
    if not found:
        return None
    return int(found.group(1) or found.group(2))


def place_in(*, pinpoint: str, paged: bool, text: str = "", page_count: int | None = None, bates_start: str = "",
             bates_end: str = "") -> Place:  # fmt: skip
    """Where `pinpoint` opens a document: `paged` for a PDF (pages; "¶ N" is the page where paragraph N begins in
    its text), else a text (paragraphs of `text`). In a PDF a page is looked for first, then a Bates number, then a
    paragraph."""
    pinpoint = (pinpoint or "").strip()
    if not pinpoint:
        return Place()
    if not paged:
        number = paragraph_number(pinpoint)
        if number is None:
            return Place()
        if any(paragraph.number == number for paragraph in text_paragraphs(text)):
            return Place(paragraph=number)
        return Place(note=f"This document has no ¶ {number}.")
    place = _page_named(pinpoint, text=text, bates_start=bates_start, bates_end=bates_end)
    if place.page and page_count and place.page > page_count:
        pages = "1 page" if page_count == 1 else f"{page_count:,} pages"
        return Place(note=f"{pinpoint} is past the last page: this document has {pages}.")
    return place


def _page_named(pinpoint: str, *, text: str, bates_start: str, bates_end: str) -> Place:
    if (page := first_page(pinpoint)) is not None:
        return Place(page=page)
    found = bates_page(pinpoint, bates_start=bates_start, bates_end=bates_end)
    if isinstance(found, str):
        return Place(note=found)
    if found is not None:
        return Place(page=found)
    if (number := paragraph_number(pinpoint)) is not None:
        if (page := _page_of_paragraph(text, number)) is not None:
            return Place(page=page)
        return Place(note=f"¶ {number} was not found in the text of this document.")
    return Place()


def _page_of_paragraph(text: str, number: int) -> int | None:
    """The page of a PDF's text on which a line begins with paragraph `number`'s own number ("12." or "¶ 12")."""
    line = re.compile(rf"(?m)^[ \t]*(?:\(?{number}[.)]|¶[ \t]*{number}(?!\d))")
    for page, page_text in enumerate(text.split(PAGE_BREAK), start=1):
        if line.search(page_text):
            return page
    return None


def place_of(document, pinpoint: str, *, text: str | None = None) -> Place:
    """`place_in` for a stored document (a PDF is paged; any other type is read as text, `text` when given)."""
    return place_in(
        pinpoint=pinpoint,
        paged=document.media_type == "application/pdf",
        text=document.extracted_text if text is None else text,
        page_count=document.page_count,
        bates_start=document.bates_start,
        bates_end=document.bates_end,
    )


# "p. 4", "pp. 3-5", "page 12", "pages 3 and 5", "at 7": the pages alone follow "at" in a filing's citation.
_PAGE_MARKER = re.compile(r"^\s*(?:(?:pp?|pgs?)(?:\.\s*|\s+)|pages?\.?\s*|at\s+)(?=\d)", re.IGNORECASE)


def filing_pinpoint(pinpoint: str) -> str:
    """A pinpoint as a filing cites it after the exhibit: "p. 4" -> "at 4", "pp. 3-5" -> "at 3-5", "¶ 12" -> "¶ 12",
    "LI-000104" or "00:01:32" -> "at LI-000104"; "" for none."""
    pinpoint = pinpoint.strip()
    if not pinpoint:
        return ""
    if pinpoint.startswith("¶"):
        return pinpoint
    return "at " + _PAGE_MARKER.sub("", pinpoint, count=1)
