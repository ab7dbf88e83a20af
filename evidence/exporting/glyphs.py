"""Which characters of a chronology no font can print: the PDF would show an empty box for each.

WeasyPrint draws text with Pango, which takes each character from the first font in the CSS font-family list that
has it, then from any font fontconfig knows. So a character prints when the vendored fonts (static/pdf/fonts) or
any installed font has it, and the fonts that could print a chronology are exactly those: their coverage is read
once per process, from the vendored files (fontTools) and from fontconfig's own record of the installed ones
(`fc-list`, which reads its cache and opens no font). WeasyPrint reports a missing glyph only in its log, at
drawing time, with no word of where the text came from; the check here names the event.
"""

from __future__ import annotations

import functools
import logging
import shutil
import subprocess
import unicodedata
from collections.abc import Iterable, Iterator

from fontTools.ttLib import TTFont

from evidence.exporting import Chronology, Exhibit, Row
from evidence.fetcher import PDF_STATIC

logger = logging.getLogger(__name__)

MAX_PLACES = 10  # a chronology where every event lacks a glyph is named by its first places, then counted
# What Pango never draws as a glyph: spaces, line breaks, controls and format characters (bidi marks, joiners),
# and the variation selectors, which only choose the form of the character before them.
_UNDRAWN = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp"})
_SELECTORS = ((0xFE00, 0xFE0F), (0xE0100, 0xE01EF), (0x180B, 0x180F))


class Coverage:
    """The code points some font has; `None` when fontconfig could not be asked (then nothing is reported)."""

    def __init__(self, code_points: set[int] | None):
        self.code_points = code_points

    def __contains__(self, char: str) -> bool:
        return self.code_points is None or ord(char) in self.code_points


@functools.cache
def coverage() -> Coverage:
    points: set[int] = set()
    for path in sorted((PDF_STATIC / "fonts").glob("*.ttf")):
        with TTFont(path, lazy=True) as font:
            points.update(font.getBestCmap() or {})
    installed = _installed_coverage()
    if installed is None:
        logger.warning("fc-list is missing (Debian package fontconfig): the PDF export cannot tell missing glyphs")
        return Coverage(None)
    return Coverage(points | installed)


def _installed_coverage() -> set[int] | None:
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    try:
        listing = subprocess.run(
            [fc_list, "--format", "%{charset}\n"], capture_output=True, text=True, check=True, timeout=30
        ).stdout
    except (OSError, subprocess.SubprocessError):
        logger.exception("fc-list failed: the PDF export cannot tell missing glyphs")
        return None
    points: set[int] = set()
    for span in set(listing.split()):  # many fonts share ranges ("20-7e"): each is read once
        first, _, last = span.partition("-")
        points.update(range(int(first, 16), int(last or first, 16) + 1))
    return points


def _drawn(char: str) -> bool:
    code = ord(char)
    if any(low <= code <= high for low, high in _SELECTORS):
        return False
    return unicodedata.category(char) not in _UNDRAWN


def missing(texts: Iterable[str], fonts: Coverage | None = None) -> list[str]:
    """The characters of `texts` no font has, each once, in the order they first appear."""
    fonts = fonts or coverage()
    found: dict[str, None] = {}
    for text in texts:
        for char in set(text or ""):
            if char not in found and char not in fonts and _drawn(char):
                found[char] = None
    order = "".join(texts)
    return sorted(found, key=order.index)


def frame_places(chronology: Chronology) -> Iterator[tuple[str, list[str]]]:
    """The caption and the cover, which every report prints."""
    caption = chronology.caption
    yield "the caption", [caption.short_title, caption.court, caption.case_number, caption.legend, *caption.parties]
    yield "the cover", [chronology.prepared_by, *chronology.filters_applied]


def row_places(rows: Iterable[Row]) -> Iterator[tuple[str, list[str]]]:
    for row in rows:
        texts = [row.title, row.description, row.source_note, row.actors]
        for source in row.sources:
            texts.extend(source)
        yield f"event No. {row.no} “{_short(row.title)}”", texts


def exhibit_places(exhibits: Iterable[Exhibit]) -> Iterator[tuple[str, list[str]]]:
    for exhibit in exhibits:
        yield f"exhibit {exhibit.label} “{_short(exhibit.title)}”", [exhibit.label, exhibit.title, exhibit.bates]


def _places(chronology: Chronology) -> Iterator[tuple[str, list[str]]]:
    yield from frame_places(chronology)
    yield from row_places(chronology.rows)
    yield from exhibit_places(chronology.exhibits)


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _named(chars: list[str]) -> str:
    return ", ".join(f"“{c}” (U+{ord(c):04X})" for c in chars)


def missing_glyph_warnings(chronology: Chronology, places: Iterable[tuple[str, list[str]]] | None = None) -> list[str]:
    """One sentence per place (caption, event, exhibit) whose text has a character no font has, naming them; after
    MAX_PLACES places, one more sentence counts the rest. `places` are (where, texts) of what a report prints;
    by default, the chronology's."""
    fonts = coverage()
    if fonts.code_points is None:
        return []
    warnings, more = [], 0
    for where, texts in _places(chronology) if places is None else places:
        chars = missing(texts, fonts)
        if not chars:
            continue
        if len(warnings) < MAX_PLACES:
            warnings.append(f"No font here has {_named(chars)}, in {where}: the PDF shows an empty box instead.")
        else:
            more += 1
    if more:
        warnings.append(f"{more} more place(s) have characters no font here has.")
    return warnings
