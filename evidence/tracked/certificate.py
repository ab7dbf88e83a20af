"""The capture certificate of a tracked source's version: one page that a declarant can adapt for a certification of
a record, or of data copied from an electronic device or system, in the style of Fed. R. Evid. 902(13)/(14).

It states the facts the declarant relies on and leaves the declaring to them: the source and its URL, how and when
the version was captured and who captured or imported it, the document's exhibit number, file name, size and the
SHA-256 of the stored bytes (hashed again while the certificate is made: a file that no longer matches gets no
certificate, as it gets no download), the chain of custody from the history (each row of the document's and the
version's history: when, who, what, why, and its link in the matter's history chain), the chain head, and how anyone
can re-verify the hash. Blanks for the declarant's name, title, signature and date close it.

Printed in the chronology's frame (evidence.exporting.pdf: caption, "Page X of Y", the legend, fonts embedded,
PDF/A-3b, nothing fetched from outside static/pdf), on the caption page itself, so a short history fits on one page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone

from evidence import dates, diff, integrity
from evidence.dates import zones
from evidence.exporting import Chronology, ExportOptions
from evidence.exporting.pdf import frame_context, write_pdf
from evidence.fetcher import StaticOnlyFetcher
from evidence.filenames import exhibit_file_name, safe_file_name
from evidence.integrity import IntegrityFailure
from evidence.models import HistoryLink, IntegrityCheck
from evidence.text import clean, shown

TITLE = "Capture Certificate"
# The frame's caption page set tighter, so that the facts, a short chain of custody and the declarant's blanks share
# one page; added to the page's own rules, after the shared sheet, so no other PDF is affected.
TIGHTER = (
    " p.court { margin-bottom: 8pt; } td.parties p { margin-bottom: 3pt; }"
    " table.caption-box { margin-bottom: 8pt; } table.caption-box td { padding: 4pt 10pt 4pt; }"
    " td.case p { margin-bottom: 6pt; } h1 { font-size: 15pt; margin-bottom: 8pt; }"
    " table.facts { margin-bottom: 4pt; } table.facts th, table.facts td { padding-top: 1pt; padding-bottom: 1pt; }"
)
HISTORY_WORDS = {"+": "Created", "~": "Changed", "-": "Deleted"}
# A version's history columns, as the certificate names them; the derived date columns share their date's name.
VERSION_FIELDS = (
    ("capture_method", "capture method"),
    ("captured_at", "capture time"),
    ("first_seen", "first-seen date"),
    ("effective", "effective date"),
    ("note", "note"),
    ("audiences", "audiences"),
)


@dataclass(frozen=True)
class CustodyRow:
    when: str
    who: str
    what: str
    reason: str
    link: str  # "#12": the row's link in the matter's history chain ("" when it has none)
    at: dt.datetime


@dataclass(frozen=True)
class Certificate:
    frame: Chronology  # the matter's caption, who prepares it and when, and the history chain head
    version: object  # SourceVersion
    number: int  # the version's place among the source's versions, 1 first
    of: int
    captured_by: str
    custody: list[CustodyRow]
    checked: str  # when the stored file was hashed again for this certificate


def certificate_for(version, *, user, now: dt.datetime | None = None) -> Certificate:
    """Everything the certificate prints, read once. IntegrityFailure (recorded as a failed check) when the stored
    file no longer matches the SHA-256 of its intake."""
    from evidence.selectors_sources import source_versions, version_added_by
    from evidence.services import access
    from evidence.services.chain import chain_head

    matter, document = version.matter, version.document
    head = chain_head(matter).head_text  # read before the rows, which are then at least as new
    finding = integrity.verify_document(document)
    if not finding.ok:
        access.integrity_failure_record(document=document, finding=finding, source=IntegrityCheck.Source.DOWNLOAD)
        raise IntegrityFailure(integrity.document_failure_text(document, finding), problem=finding.problem)
    ordered = source_versions(version.source)
    number = next((i for i, v in enumerate(ordered, start=1) if v.pk == version.pk), 0)
    prepared = (now or timezone.now()).astimezone(zones.tzinfo(matter.time_zone))
    frame = Chronology(
        matter=matter,
        options=ExportOptions(),
        prepared_at=prepared,
        prepared_by=shown(user.get_full_name() or user.get_username()),
        rows=[],
        exhibits=[],
        chain_head=head,
    )
    added_by = version_added_by(version)
    return Certificate(
        frame=frame,
        version=version,
        number=number,
        of=len(ordered),
        captured_by=_name(added_by) if added_by is not None else "not recorded",
        custody=custody_rows(version),
        checked=dates.display_instant(prepared, matter.time_zone),
    )


def custody_rows(version) -> list[CustodyRow]:
    """The document's history and the version's, oldest first, each row with its link in the history chain."""
    matter, document = version.matter, version.document
    zone = matter.time_zone
    rows = []
    records = list(document.history.select_related("history_user").order_by("-history_date", "-history_id"))
    for entry in diff.document_versions_with_changes(records, zone=zone):
        rows.append((entry.record, _document_what(entry.record, entry.changes, document)))
    records = list(version.history.select_related("history_user").order_by("history_date", "history_id"))
    for previous, record in zip([None, *records], records, strict=False):
        rows.append((record, _version_what(record, previous, version)))
    links = _links(matter, [record for record, _ in rows])
    custody = [
        CustodyRow(
            when=dates.display_instant(record.history_date, zone),
            who=_name(record.history_user) if record.history_user else "system",
            what=what,
            reason=shown(record.history_change_reason or ""),
            link=links.get((record._meta.label_lower, record.history_id), ""),
            at=record.history_date,
        )
        for record, what in rows
    ]
    return sorted(custody, key=lambda row: (row.at, row.link.removeprefix("#").zfill(20)))


def _document_what(record, changes, document) -> str:
    if record.history_type == "+":
        return f"Received at intake as {document.exhibit_label}; SHA-256 recorded"
    deleted = next((c for c in changes if c.field == "deleted"), None)
    if deleted is not None:
        return f"{document.exhibit_label} {'deleted' if deleted.new == 'Yes' else 'restored'}"
    if record.history_type == "-":
        return f"{document.exhibit_label} deleted"
    labels = [c.label.lower() for c in changes]
    return f"{document.exhibit_label} details changed" + (f": {', '.join(labels)}" if labels else "")


def _version_what(record, previous, version) -> str:
    source = shown(version.source.name)
    if record.history_type == "+" or previous is None:
        return f"Added as a version of “{source}”; capture method: {record.get_capture_method_display()}"
    if (record.deleted_at is None) != (previous.deleted_at is None):
        return f"Version of “{source}” {'deleted' if record.deleted_at else 'restored'}"
    try:
        changed = record.diff_against(previous).changed_fields
    except Exception:  # a history model simple-history cannot compare field by field: say only that it changed
        changed = []
    labels = [label for name, label in VERSION_FIELDS if any(f == name or f.startswith(f"{name}_") for f in changed)]
    return "Version details changed" + (f": {', '.join(labels)}" if labels else "")


def _links(matter, records) -> dict[tuple[str, int], str]:
    """(history model label, history_id) -> "#sequence" of its link in the matter's chain, in one query per model."""
    wanted: dict[str, list[int]] = {}
    for record in records:
        wanted.setdefault(record._meta.label_lower, []).append(record.history_id)
    found = {}
    for model, ids in wanted.items():
        rows = HistoryLink.objects.filter(matter=matter, model=model, history_id__in=ids)
        for history_id, sequence in rows.values_list("history_id", "sequence"):
            found[(model, history_id)] = f"#{sequence}"
    return found


def _name(user) -> str:
    return shown(user.get_full_name() or user.get_username())


def certificate_filename(certificate: Certificate) -> str:
    """ "linkedin-ai-training-PX-3-capture-certificate-2026-11-30.pdf" """
    version = certificate.version
    stem = exhibit_file_name(version.document).split("_", 1)[0]
    return safe_file_name(
        f"{version.matter.slug}-{stem}-capture-certificate-{certificate.frame.prepared_at:%Y-%m-%d}.pdf"
    )


def certificate_html(certificate: Certificate) -> str:
    version, frame = certificate.version, certificate.frame
    document, source, matter = version.document, version.source, version.matter
    summary = (
        f"Capture certificate of {document.exhibit_label}, version {certificate.number} of “{shown(source.name)}”, "
        f"SHA-256 {document.sha256}"
    )
    context = frame_context(frame, summary=summary, count=("", ""), title=TITLE)
    context["page_css"] += TIGHTER
    context |= {
        "source": source,
        "source_name": shown(source.name),
        "kind": source.get_kind_display(),
        "url": clean(source.url or document.source_url),
        "illustrative": source.is_illustrative,
        "number": certificate.number,
        "of": certificate.of,
        "effective": version.effective_date.display() if not version.effective_date.undated else "",
        "first_seen": version.first_seen_date.display() if not version.first_seen_date.undated else "",
        "audiences": [shown(a.name) for a in version.audiences.all()],
        "method": version.get_capture_method_display(),
        "captured": dates.display_instant(version.captured_at, matter.time_zone) if version.captured_at else "",
        "captured_by": certificate.captured_by,
        "exhibit": document.exhibit_label,
        "document_title": shown(document.title),
        "file_name": exhibit_file_name(document),
        "original_name": shown(document.original_filename),
        "size": f"{document.size:,} bytes",
        "media_type": document.media_type,
        "sha256": document.sha256,
        "checked": certificate.checked,
        "custody": certificate.custody,
        "slug": matter.slug,
    }
    return clean(render_to_string("pdf/capture_certificate.html", context))


def render_certificate(certificate: Certificate) -> bytes:
    return write_pdf(certificate_html(certificate), [], fetcher=StaticOnlyFetcher())
