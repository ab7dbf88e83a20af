"""The redline of two versions of a tracked source as a court-ready PDF, in the chronology's frame (exporting/pdf.py:
caption page, running header, "Page X of Y", the legend, PDF/A-3b, fonts embedded, nothing fetched from outside
static/pdf), as the redline of an edition is (editions/redline.py): both versions' facts and SHA-256 on the first
page, then the whole text of the later version with the earlier one's words struck through, insertions underlined,
both also marked in text ([+ +], [- -], the `redline` template filter) so that pdftotext, a photocopy and a reader
who does not see colour all find them. A source whose text is illustrative says so on the first page and above the
text.

`redline_section` is the same text as a section of another PDF: the chronology appends the redlines of the tracked
sources its events cite (exporting/pdf.py), with unchanged stretches folded to a line that says how many paragraphs
were left out.
"""

from __future__ import annotations

import datetime as dt

from django.template.loader import render_to_string

from evidence.exporting import frame_chronology
from evidence.exporting.pdf import frame_context, write_pdf
from evidence.fetcher import StaticOnlyFetcher
from evidence.text import clean
from evidence.tracked.comparison import SourceComparison
from evidence.tracked.redline import Fold


def section_context(comparison: SourceComparison, *, folded: bool = False) -> dict:
    """What templates/pdf/_source_redline.html prints: the source, both versions, the summary and the blocks (with
    unchanged runs folded, when `folded`)."""
    result = comparison.redline
    return {
        "c": comparison,
        "stretches": [
            {"fold": s.label} if isinstance(s, Fold) else s for s in (result.stretches() if folded else result.blocks)
        ],
    }


def source_redline_html(comparison: SourceComparison, *, user, chain_head: str, now: dt.datetime | None = None):
    chronology = frame_chronology(matter=comparison.matter, user=user, chain_head=chain_head, now=now)
    summary = (
        f"{comparison.title} of {chronology.caption.short_title}, {comparison.older.exhibit} to "
        f"{comparison.newer.exhibit}: {comparison.redline.summary}"
    )
    frame = frame_context(chronology, summary=summary, count=("Changes", comparison.redline.summary),
                          title=comparison.title)  # fmt: skip
    frame["filters"] = []  # a redline has no filters: the frame leaves the row out
    return clean(render_to_string("pdf/source_redline.html", {**frame, **section_context(comparison)}))


def render_source_redline(comparison: SourceComparison, *, user, chain_head: str, now=None) -> bytes:
    html = source_redline_html(comparison, user=user, chain_head=chain_head, now=now)
    return write_pdf(html, [], fetcher=StaticOnlyFetcher())
