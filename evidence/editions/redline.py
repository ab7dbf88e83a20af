"""The comparison with an edition as a court-ready redline PDF: the chronology's frame (caption, running header,
"Page X of Y", the legend, PDF/A-3b, fonts embedded, nothing fetched from outside static/pdf), the edition's date,
SHA-256 and history chain head, the chain head now, and each changed event with its insertions and deletions."""

from __future__ import annotations

from django.template.loader import render_to_string

from evidence.editions.reading import Comparison
from evidence.exporting.pdf import frame_context, write_pdf
from evidence.fetcher import StaticOnlyFetcher
from evidence.text import clean

TITLE = "Redline of the Chronology of Events"


def redline_filename(comparison: Comparison) -> str:
    """ "linkedin-ai-training-redline-edition-3-2026-11-30.pdf", "…-redline-edition-3-to-5-2026-11-30.pdf" """
    edition, now = comparison.edition, comparison.now
    to = f"-to-{comparison.against.number}" if comparison.against else ""
    return f"{edition.matter.slug}-redline-edition-{edition.number}{to}-{now.prepared_at:%Y-%m-%d}.pdf"


def redline_html(comparison: Comparison) -> str:
    changes, edition = comparison.changes, comparison.edition
    summary = (
        f"Changes from edition {edition.number} to {comparison.later} of {comparison.now.caption.short_title}: "
        f"{changes.summary}"
    )
    context = {
        **frame_context(comparison.now, summary=summary, count=("Changes", changes.summary), title=TITLE),
        "chain_head": "",  # the frame's single chain row: here there are two, the edition's and now's (facts block)
        "chain_now": comparison.now.chain_head,
        "edition": edition,
        "edition_prepared": comparison.edition_prepared,
        "edition_format": comparison.edition_format,
        "against": comparison.against,
        "against_prepared": comparison.against_prepared,
        "filters_differ": comparison.filters_differ,
        "entries": changes.listed,
    }
    return clean(render_to_string("pdf/redline.html", context))


def render_redline(comparison: Comparison) -> bytes:
    fetcher = StaticOnlyFetcher()
    return write_pdf(redline_html(comparison), [], fetcher=fetcher)
