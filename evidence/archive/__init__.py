"""The whole-matter archive: every record of a matter and every stored file, in one ZIP that restores it elsewhere.

    manifest.json         format and version, the matter, who exported it and when, the history chain's head it was
                          built from, counts, and every entry with its SHA-256 and size, and `whole_sha256`, the hash
                          of them all (layout.whole_sha256)
    manifest.sha256       "<SHA-256 of manifest.json>  manifest.json", as sha256sum writes it (`sha256sum -c` checks
                          it after unzipping); export_matter prints it, and import_matter --manifest-sha256 checks it
                          against what was printed
    records/matter.jsonl  the caption and settings, with their history
    records/filing.jsonl  the filing settings, with their history
    records/members.jsonl, actors.jsonl, issues.jsonl, documents.jsonl (metadata, text, history), events.jsonl
                          (every version, with its actors and issues), citations.jsonl, editions.jsonl (each kept
                          export, its creator by username, and the ids its snapshot names events and documents by,
                          as refs and exhibit numbers), audiences.jsonl, sources.jsonl and versions.jsonl (tracked
                          sources and their versions, each version's document by exhibit number, with its
                          audiences): one record a line (layout)
    files/<sha256>        every stored file of the matter's documents, soft-deleted ones included, and each edition's
                          file and snapshot, byte for byte

Format version 3 (layout.VERSION). A version-2 archive (written before tracked sources) is read too, as is a
version-1 archive (written before events were numbered): it has no filing settings and no editions, and its events
are numbered as migration 0018 numbered the events of that time.

Writing (writer.py) streams: records in chunks, files in pieces, nothing held whole. Reading (reader.py) checks
the ZIP's bounds and names, then every entry's hash against the manifest and the manifest's own, before anything is
written; restoring (restore.py) is one transaction, with new ids, the same exhibit numbers and the history as
history, linked into the new matter's chain.

Only an owner of a matter may archive it (ARCHIVE_ROLE): the archive holds everything, privileged work product and
the history included. Each archive made is recorded in the matter's access log with its SHA-256; the page's archive
is built by a background job (tasks.py) and downloaded through the one download path (downloads.serve_export).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.utils import timezone

from evidence.accounts.creators import may_create_matters
from evidence.archive.reader import ArchiveRefused, open_archive
from evidence.archive.restore import Restored, restore_matter
from evidence.archive.writer import ArchiveError, ArchiveWritten, Progress, write_archive
from evidence.files import CHUNK
from evidence.importing.tables import UnusableInputError
from evidence.models import AccessEvent, Job, Matter
from evidence.permissions import ARCHIVE_ROLE, require_role
from evidence.services.access import access_record
from evidence.services.jobs import job_create

__all__ = [
    "ArchiveError", "ArchiveMade", "ArchiveRefused", "Restored", "archive_export", "archive_import",
    "archive_job_start", "archive_name", "archive_record", "archive_write", "counted",
]  # fmt: skip


@dataclass
class ArchiveMade:
    written: ArchiveWritten
    sha256: str
    size: int


def counted(counts: dict[str, int], *names: str) -> str:
    """ "7 events, 1 document, 50 history rows": what an archive holds, for the commands' reports."""
    words = {"history_rows": ("history row", "history rows"), "files": ("file", "files")}
    parts = []
    for name in names:
        n = counts.get(name, 0)
        one, many = words.get(name, (name[:-1], name))
        parts.append(f"{n:,} {one if n == 1 else many}")
    return ", ".join(parts)


def archive_name(matter: Matter) -> str:
    return f"{matter.slug}-archive-{timezone.now():%Y%m%d-%H%M%S}.zip"


def archive_export(*, matter: Matter, user, path: Path, via: str, progress: Progress | None = None) -> ArchiveMade:
    """Write the archive of `matter` to `path` (through a temporary file beside it, so that a failed export leaves no
    partial archive) and record it in the access log. Only an owner may (a 404 or 403 otherwise)."""
    require_role(user, matter, ARCHIVE_ROLE)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    os.close(fd)
    try:
        made = archive_write(matter=matter, user=user, path=Path(temp), progress=progress)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    archive_record(matter=matter, user=user, made=made, filename=path.name, via=via)
    return made


def archive_write(*, matter: Matter, user, path: Path, progress: Progress | None = None) -> ArchiveMade:
    """Write the archive to the local file `path` (the caller checks permissions), then hash the file."""
    with path.open("wb") as out:
        written = write_archive(matter, out, user=user, progress=progress)
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as fh:
        while data := fh.read(CHUNK):
            digest.update(data)
            size += len(data)
    return ArchiveMade(written=written, sha256=digest.hexdigest(), size=size)


def archive_record(*, matter: Matter, user, made: ArchiveMade, filename: str, via: str, job: Job | None = None):
    """The access-log entry of an archive made: how, the history chain head it was built from, what it holds, and
    the file with its SHA-256 and size (which a download of it is checked against)."""
    return access_record(
        matter=matter,
        kind=AccessEvent.Kind.EXPORT_ARCHIVE,
        user=user,
        job=job,
        detail={
            "via": via,
            "format": "archive",
            "history_chain": made.written.chain_head,
            "manifest_sha256": made.written.manifest_sha256,
            "counts": made.written.counts,
            "files": [{"name": filename, "sha256": made.sha256, "size": made.size}],
        },
    )


def archive_job_start(*, matter: Matter, user) -> Job:
    """Record an archive job and enqueue it; with the immediate backend it is done on return."""
    from evidence.archive.tasks import run_archive_job

    require_role(user, matter, ARCHIVE_ROLE)
    job = job_create(matter=matter, user=user, kind=Job.Kind.ARCHIVE, options={"format": "archive"},
                     task=run_archive_job)  # fmt: skip
    job.refresh_from_db()
    return job


def archive_import(
    path: Path,
    *,
    name: str,
    user,
    slug: str | None = None,
    manifest_sha256: str | None = None,
    progress: Progress | None = None,
) -> Restored:
    """Check the archive at `path` whole, then restore its matter under `slug` (default: the archived one) acting as
    `user` (see restore.py). UnusableInputError: not a usable archive, or a matter with that slug exists here;
    ArchiveRefused: not the archive that was written, or its records do not hold together. Nothing is written in
    either case."""
    if not may_create_matters(user):
        raise UnusableInputError(f"{user} may not create matters (setting MATTER_CREATORS).")
    with open_archive(path, name=name, manifest_sha256=manifest_sha256, verify=False) as archive:
        slug = slug or archive.slug
        if Matter.objects.filter(slug=slug).exists():
            raise UnusableInputError(
                f"A matter “{slug}” exists here already; give the restored one another slug (--slug)."
            )
        archive.verify(progress)
        return restore_matter(archive, slug=slug, user=user, progress=progress)
