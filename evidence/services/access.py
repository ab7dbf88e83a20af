"""The access log and the integrity checks: append-only records of who reached the evidence, and of whether its
stored file was still what was received.

An access is recorded in the request that serves it, before anything is sent: if the record cannot be written the
page or the file is not served either, since a log that can silently miss entries proves nothing in a review.
Recording costs one INSERT (and the read of the matter's last sequence number).
"""

from __future__ import annotations

import hashlib

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from evidence import selectors
from evidence.models import AccessEvent, Document, IntegrityCheck, Job, Matter

SEQUENCE_ATTEMPTS = 5
ADVISORY_LOCK_CLASS = 0x0ACCE55  # the first key of pg_advisory_xact_lock(int, int): "access", the second is the matter


def access_record(
    *,
    matter: Matter,
    kind: AccessEvent.Kind,
    user=None,
    document: Document | None = None,
    job: Job | None = None,
    detail: dict | None = None,
    address: str | None = "",
) -> AccessEvent:
    """Append one event to the matter's access log, numbered after the matter's last one.

    Numbering is serialised per matter: on PostgreSQL by a transaction-level advisory lock on the matter (not its
    row, which an intake holds while it stores a file), on SQLite by its single writer. Should two writers still
    read the same last number, the unique (matter, sequence) constraint lets one in and the other tries again, inside
    a savepoint so that a caller's transaction survives."""
    user = user if user is not None and user.is_authenticated else None
    event = AccessEvent(
        matter=matter,
        kind=kind,
        at=timezone.now(),
        user=user,
        username=user.get_username() if user else "",
        address=(address or "")[:45],
        document=document,
        job=job,
        detail=detail or {},
    )
    attempt = 1
    while True:
        try:
            with transaction.atomic():
                _lock_sequence(matter)
                last = AccessEvent.objects.filter(matter=matter).aggregate(last=Max("sequence"))["last"]
                event.sequence = (last or 0) + 1
                event.content_sha256 = event.compute_sha256()
                event.save()
            return event
        except IntegrityError:
            if attempt == SEQUENCE_ATTEMPTS:
                raise
            attempt += 1


def _lock_sequence(matter: Matter) -> None:
    connection = transaction.get_connection()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [ADVISORY_LOCK_CLASS, matter.pk])


def access_document_viewed(*, user, document: Document, address: str | None = "") -> AccessEvent:
    return access_record(
        matter=document.matter,
        kind=AccessEvent.Kind.VIEW_DOCUMENT,
        user=user,
        document=document,
        detail={"exhibit": document.exhibit_label, "title": document.title},
        address=address,
    )


def access_file_sent(*, user, document: Document, filename: str, inline: bool, address: str | None = "") -> AccessEvent:
    return access_record(
        matter=document.matter,
        kind=AccessEvent.Kind.VIEW_FILE if inline else AccessEvent.Kind.DOWNLOAD_FILE,
        user=user,
        document=document,
        detail={
            "exhibit": document.exhibit_label,
            "filename": filename,
            "sha256": document.sha256,
            "size": document.size,
        },
        address=address,
    )


def access_ocr_copy_sent(*, user, document: Document, job: Job, filename: str, inline: bool, address: str | None = ""):
    """The OCR'd copy of a document was sent: recorded as a view or download of that document, saying it was the
    copy (whose bytes are not the evidence's, so the evidence's SHA-256 is not claimed for them)."""
    return access_record(
        matter=document.matter,
        kind=AccessEvent.Kind.VIEW_FILE if inline else AccessEvent.Kind.DOWNLOAD_FILE,
        user=user,
        document=document,
        job=job,
        detail={"exhibit": document.exhibit_label, "filename": filename, "copy": "OCR", "size": job.result.size},
        address=address,
    )


def access_export_sent(
    *, user, job: Job, filename: str, sha256: str, size: int | None, address: str | None = ""
) -> AccessEvent:
    return access_record(
        matter=job.matter,
        kind=AccessEvent.Kind.DOWNLOAD_EXPORT,
        user=user,
        job=job,
        detail={"filename": filename, "sha256": sha256, "size": size},
        address=address,
    )


def access_edition_sent(*, user, edition, filename: str, address: str | None = "") -> AccessEvent:
    return access_record(
        matter=edition.matter,
        kind=AccessEvent.Kind.DOWNLOAD_EXPORT,
        user=user,
        job=edition.job,
        detail={"filename": filename, "sha256": edition.sha256, "size": edition.size, "edition": edition.number},
        address=address,
    )


def access_redline_produced(
    *, user, edition, filename: str, content: bytes, via: str = "compare page", address: str | None = ""
) -> AccessEvent:
    """A redline against an edition was made (and is being handed over): which edition, and the file's SHA-256."""
    return access_record(
        matter=edition.matter,
        kind=AccessEvent.Kind.EXPORT,
        user=user,
        detail={
            "via": via,
            "report": "redline",
            "edition": edition.number,
            "edition_sha256": edition.sha256,
            "filters_described": edition.filters_described,
            "files": [{"name": filename, "sha256": hashlib.sha256(content).hexdigest(), "size": len(content)}],
        },
        address=address,
    )


def access_source_redline_produced(
    *, user, comparison, filename: str, content: bytes, via: str = "redline page", address: str | None = ""
) -> AccessEvent:
    """A redline of two versions of a tracked source was made (and is being handed over): which source, both
    versions' exhibits and SHA-256, and the file's SHA-256."""
    return access_record(
        matter=comparison.matter,
        kind=AccessEvent.Kind.EXPORT,
        user=user,
        detail={
            "via": via,
            "report": "source redline",
            "source": comparison.source,
            "versions": [{"exhibit": v.exhibit, "sha256": v.sha256} for v in (comparison.older, comparison.newer)],
            "files": [{"name": filename, "sha256": hashlib.sha256(content).hexdigest(), "size": len(content)}],
        },
        address=address,
    )


def access_certificate_produced(
    *, user, version, filename: str, content: bytes, via: str = "version page", address: str | None = ""
) -> AccessEvent:
    """The capture certificate of a tracked source's version was made (and is being handed over): the document it
    certifies, with the SHA-256 it states, and the certificate's own SHA-256."""
    document = version.document
    return access_record(
        matter=version.matter,
        kind=AccessEvent.Kind.EXPORT,
        user=user,
        document=document,
        detail={
            "via": via,
            "report": "capture certificate",
            "source": version.source.name,
            "document_sha256": document.sha256,
            "files": [{"name": filename, "sha256": hashlib.sha256(content).hexdigest(), "size": len(content)}],
        },
        address=address,
    )


def access_export_produced(*, matter: Matter, user, options, result, job: Job | None = None, via: str) -> AccessEvent:
    """An export was made: its options and filters (as chosen, and in words), the history chain head it was built
    from (so it is on record even for a CSV without rows, which has nowhere else to state it), and each file it
    produced with its SHA-256 and size. `via` says how it was asked for ("export page", "export_chronology
    command")."""
    options_json = options.to_json()
    return access_record(
        matter=matter,
        kind=AccessEvent.Kind.EXPORT,
        user=user,
        job=job,
        detail={
            "via": via,
            "report": options.report,
            "format": options.format,
            "paper": options.paper,
            "embed_exhibits": options.embed_exhibits,
            "filters": options_json["filters"],
            "filters_described": options.filters.describe(),
            "history_chain": result.chain_head,
            "files": [
                {
                    "name": result.filename,
                    "sha256": hashlib.sha256(result.content).hexdigest(),
                    "size": len(result.content),
                }
            ],
        },
    )


# Integrity checks -----------------------------------------------------------------------------------------------


def _check(document: Document, finding, source: str) -> IntegrityCheck:
    return IntegrityCheck(
        document=document,
        ok=finding.ok,
        hashed=finding.hashed,
        problem=finding.problem,
        actual_size=finding.actual_size,
        actual_sha256=finding.actual_sha256,
        detail=finding.detail[:500],
        source=source,
    )


def integrity_check_record(*, document: Document, finding, source: str) -> IntegrityCheck:
    check = _check(document, finding, source)
    check.save()
    return check


def integrity_checks_record(results: list, *, source: str) -> None:
    """Record the checks of many documents ((document, finding) pairs) at once, as verify_evidence makes them."""
    if results:
        IntegrityCheck.objects.bulk_create([_check(document, finding, source) for document, finding in results])


def integrity_failure_record(*, document: Document, finding, source: str) -> IntegrityCheck | None:
    """Record a failure found by a page or a download, unless the document's latest check already says exactly
    that (a page reloaded ten times is one finding, not ten)."""
    latest = selectors.latest_integrity_check(document=document)
    if latest is not None and (latest.ok, latest.problem, latest.actual_size, latest.actual_sha256) == (
        False,
        finding.problem,
        finding.actual_size,
        finding.actual_sha256,
    ):
        return None
    return integrity_check_record(document=document, finding=finding, source=source)
