"""Editions: each PDF or Word chronology kept as it was handed over, with a snapshot of what it printed.

`edition_record` is called where an export is handed over (the export job, export_chronology), in the transaction
that records it in the access log, so an export is on record as an edition or not handed over at all. The files are
stored first, content-addressed by their SHA-256 (editions/ab/cd/<sha256>.pdf): a name already taken holds the same
bytes, so nothing is ever written over, and a row never names a file that is not there.
"""

from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Max

from evidence import text
from evidence.editions import snapshot as snapshots
from evidence.models import Edition, Job, Matter

NUMBER_ATTEMPTS = 5


def edition_kept(options) -> bool:
    """Which exports are editions: the chronology as PDF or Word (the attorney reports and the CSV and XLSX tables
    are not compared event by event)."""
    return options.report == "chronology" and options.format in Edition.Format.values


def storage_name(sha256: str, extension: str) -> str:
    return f"editions/{sha256[:2]}/{sha256[2:4]}/{sha256}.{extension}"


def _store(content: bytes, extension: str) -> tuple[str, str]:
    sha256 = hashlib.sha256(content).hexdigest()
    name = storage_name(sha256, extension)
    if not default_storage.exists(name):
        saved = default_storage.save(name, ContentFile(content, name=name))
        if saved != name:  # another writer stored the same bytes between exists() and save()
            default_storage.delete(saved)
    return name, sha256


def edition_record(*, matter: Matter, user, options, result, via: str, job: Job | None = None) -> Edition | None:
    """Keep the export `result` (evidence.exporting.ExportResult) as the matter's next edition; None for an export
    that is not one (edition_kept)."""
    if not edition_kept(options) or not result.snapshot:
        return None
    snapshot = snapshots.decode(result.snapshot)
    file_name, sha256 = _store(result.content, options.format)
    snapshot_name, snapshot_sha256 = _store(result.snapshot, "json")
    user = user if user is not None and user.is_authenticated else None
    edition = Edition(
        matter=matter,
        user=user,
        username=user.get_username() if user else "",
        prepared_by=text.clean(snapshot["prepared_by"])[:300],
        job=job,
        via=via,
        format=options.format,
        options=options.to_json(),
        filters_described=options.filters.describe(),
        includes_privileged=options.includes_privileged,
        chain_head=result.chain_head,
        events_count=len(snapshot["events"]),
        filename=text.clean(result.filename),
        file=file_name,
        size=len(result.content),
        sha256=sha256,
        snapshot=snapshot_name,
        snapshot_size=len(result.snapshot),
        snapshot_sha256=snapshot_sha256,
    )
    attempt = 1
    while True:
        try:
            with transaction.atomic():
                last = Edition.objects.filter(matter=matter).aggregate(last=Max("number"))["last"]
                edition.number = (last or 0) + 1
                edition.full_clean(validate_unique=False, validate_constraints=False)
                edition.save()
            return edition
        except IntegrityError:  # two exports took the same number: the unique constraint let one in
            if attempt == NUMBER_ATTEMPTS:
                raise
            edition.pk, edition._state.adding = None, True
            attempt += 1
