"""Whether the evidence in storage is still what was taken in: each document's file exists, is a regular file, has
the size recorded at intake and hashes to the SHA-256 recorded then.

Three callers, one set of checks: the document page compares the size (a stat); a download compares the size and,
up to EVIDENCE_VERIFY_ON_DOWNLOAD_BYTES, the hash before sending (larger files are hashed as they stream, and the
stream is cut if they differ); verify_evidence hashes every file and records each result as an IntegrityCheck. The
whole store is also searched for files no document points at (left by an intake that rolled back after placing its
file: harmless, reported so they can be cleaned up) and for entries that are not files at all.
"""

from __future__ import annotations

import datetime
import hashlib
import os
import stat
from dataclasses import dataclass, field

from django.core.files.storage import default_storage

from evidence import selectors
from evidence.models import Document, Edition, IntegrityCheck
from evidence.services.access import integrity_checks_record, integrity_failure_record
from evidence.text import shown

CHUNK = 1024 * 1024
Problem = IntegrityCheck.Problem


class IntegrityFailure(Exception):
    """A stored file that is not what was received: it is refused, never sent. `status` is the HTTP answer: 410 for
    a file that is gone, 409 for one that is there but differs."""

    def __init__(self, message: str, *, problem: str = Problem.SHA256):
        super().__init__(message)
        self.message = message
        self.status = 410 if problem == Problem.MISSING else 409


@dataclass(frozen=True)
class Finding:
    """What one look at a stored file found; no `problem` means it matched."""

    problem: str = ""
    actual_size: int | None = None
    actual_sha256: str = ""
    hashed: bool = False
    detail: str = ""

    @property
    def ok(self) -> bool:
        return not self.problem


def failure_text(*, problem, expected_size, expected_sha256, actual_size=None, actual_sha256="", detail="") -> str:
    """What is wrong, in words: "size 1,234 bytes, expected 1,200"."""
    if problem == Problem.MISSING:
        return "the stored file is missing"
    if problem == Problem.NOT_A_FILE:
        return f"{detail or 'something that is not a file'} is stored in place of the file"
    if problem == Problem.UNREADABLE:
        return f"the stored file cannot be read ({detail or 'error'})"
    if problem == Problem.SIZE:
        return f"size {actual_size:,} bytes, expected {expected_size:,}"
    return f"SHA-256 {actual_sha256}, expected {expected_sha256}"


def _local_path(name: str) -> str | None:
    try:
        return default_storage.path(name)
    except NotImplementedError:  # an object store: no local path, no directories in place of files
        return None


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    return "a special file (FIFO, socket or device)"


def _stat(name: str) -> Finding:
    """A regular file's size, or what is wrong with the entry. Never opens it, so a FIFO or a directory in its place
    cannot hang or break the caller."""
    path = _local_path(name)
    try:
        if path is not None:
            info = os.lstat(path)
            if not stat.S_ISREG(info.st_mode):
                return Finding(problem=Problem.NOT_A_FILE, detail=_kind(info.st_mode))
            return Finding(actual_size=info.st_size)
        if not default_storage.exists(name):
            return Finding(problem=Problem.MISSING)
        return Finding(actual_size=default_storage.size(name))
    except (FileNotFoundError, NotADirectoryError):
        return Finding(problem=Problem.MISSING)
    except OSError as error:
        return Finding(problem=Problem.UNREADABLE, detail=error.strerror or type(error).__name__)


def inspect(name: str, *, expected_size: int) -> Finding:
    """The cheap look: is there a regular file of the expected size?"""
    finding = _stat(name)
    if finding.ok and finding.actual_size != expected_size:
        return Finding(problem=Problem.SIZE, actual_size=finding.actual_size)
    return finding


def _hash(handle) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    for chunk in iter(lambda: handle.read(CHUNK), b""):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def _compare(sha256: str, size: int, *, expected_size: int, expected_sha256: str) -> Finding:
    if size != expected_size:  # it changed between the stat and the read
        return Finding(problem=Problem.SIZE, actual_size=size, actual_sha256=sha256, hashed=True)
    if sha256 != expected_sha256:
        return Finding(problem=Problem.SHA256, actual_size=size, actual_sha256=sha256, hashed=True)
    return Finding(actual_size=size, actual_sha256=sha256, hashed=True)


def verify_stored(name: str, *, expected_size: int, expected_sha256: str) -> Finding:
    """The full look: `inspect`, then hash the whole file."""
    finding, handle = open_checked(name, expected_size=expected_size, expected_sha256=expected_sha256, hash_limit=None)
    if handle is not None:
        handle.close()
    return finding


def open_checked(name: str, *, expected_size: int, expected_sha256: str, hash_limit: int | None):
    """(finding, handle): the file opened at its start if it passed, else (the failure, None).

    Files up to `hash_limit` bytes (None: any size) are hashed before the handle is handed over; larger ones only
    have their size compared, and `HashingReader` hashes them as they are sent."""
    finding = inspect(name, expected_size=expected_size)
    if not finding.ok:
        return finding, None
    try:
        handle = default_storage.open(name, "rb")
    except OSError as error:
        return Finding(problem=Problem.UNREADABLE, detail=error.strerror or type(error).__name__), None
    if hash_limit is not None and expected_size > hash_limit:
        return finding, handle
    try:
        sha256, size = _hash(handle)
        handle.seek(0)
    except OSError as error:
        handle.close()
        return Finding(problem=Problem.UNREADABLE, detail=error.strerror or type(error).__name__), None
    finding = _compare(sha256, size, expected_size=expected_size, expected_sha256=expected_sha256)
    if not finding.ok:
        handle.close()
        return finding, None
    return finding, handle


def read_verified(document: Document) -> bytes:
    """A document's bytes, for an export that carries them (the PDF's attachments): IntegrityFailure instead of
    bytes that are not what was received."""
    finding = inspect(document.file.name, expected_size=document.size)
    if finding.ok:
        try:
            with default_storage.open(document.file.name, "rb") as handle:
                content = handle.read()
        except OSError as error:
            finding = Finding(problem=Problem.UNREADABLE, detail=error.strerror or type(error).__name__)
        else:
            finding = _compare(
                hashlib.sha256(content).hexdigest(),
                len(content),
                expected_size=document.size,
                expected_sha256=document.sha256,
            )
    if not finding.ok:
        text = document_failure_text(document, finding)
        raise IntegrityFailure(f"{document.exhibit_label}: integrity failure: {text}", problem=finding.problem)
    return content


class HashingReader:
    """A file handed to FileResponse that hashes what it sends. When the end comes and the bytes were not the
    evidence, `on_mismatch(finding)` runs and the stream is cut (the client gets less than Content-Length, so its
    download fails) instead of ending as if it had been the file."""

    def __init__(self, handle, *, expected_size: int, expected_sha256: str, on_mismatch):
        self._handle, self._digest, self._size = handle, hashlib.sha256(), 0
        self._expected = (expected_size, expected_sha256)
        self._on_mismatch = on_mismatch

    def read(self, size: int = -1) -> bytes:
        chunk = self._handle.read(size)
        if chunk:
            self._digest.update(chunk)
            self._size += len(chunk)
            return chunk
        expected_size, expected_sha256 = self._expected
        finding = _compare(
            self._digest.hexdigest(), self._size, expected_size=expected_size, expected_sha256=expected_sha256
        )
        if not finding.ok:
            self._on_mismatch(finding)
            raise IntegrityFailure("The file changed while it was being sent.", problem=finding.problem)
        return chunk

    def close(self) -> None:
        self._handle.close()


# The document page ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Status:
    """What the document page says of the stored file."""

    state: str  # "verified", "failed" or "unchecked"
    text: str
    checked_at: datetime.datetime | None = None
    source: str = ""


def document_status(document: Document) -> Status:
    """The document's latest check, or a failure its size shows now (recorded, so the download refuses it too).

    A failure stands until verify_evidence finds the file intact again: a file put back by hand is not trusted on
    the strength of its size alone."""
    latest = selectors.latest_integrity_check(document=document)
    now = inspect(document.file.name, expected_size=document.size)
    if not now.ok:
        latest = integrity_failure_record(document=document, finding=now, source=IntegrityCheck.Source.PAGE) or latest
    if latest is None:
        return Status("unchecked", "Not re-verified since intake (verify_evidence re-hashes every file).")
    source = latest.get_source_display()
    if not latest.ok:
        return Status(
            "failed", f"Integrity failure: {document_failure_text(document, latest)}", latest.checked_at, source
        )
    return Status("verified", "SHA-256 verified", latest.checked_at, source)


# verify_evidence ----------------------------------------------------------------------------------------------------

LABELS = {
    Problem.MISSING: "MISSING",
    Problem.NOT_A_FILE: "NOT A FILE",
    Problem.UNREADABLE: "UNREADABLE",
    Problem.SIZE: "ALTERED",
    Problem.SHA256: "ALTERED",
}


@dataclass
class IntegrityReport:
    checked: int = 0
    problems: list[str] = field(default_factory=list)
    unreferenced: list[str] = field(default_factory=list)


def verify_document(document: Document) -> Finding:
    """Hash one document's file. Whatever storage throws becomes a finding: one bad entry must not stop the check of
    the others."""
    try:
        return verify_stored(document.file.name, expected_size=document.size, expected_sha256=document.sha256)
    except Exception as error:  # a storage backend's own errors too (an object store's client errors, a bad name)
        return Finding(problem=Problem.UNREADABLE, detail=f"{type(error).__name__}: {error}")


def document_failure_text(document: Document, finding) -> str:
    return failure_text(
        problem=finding.problem,
        expected_size=document.size,
        expected_sha256=document.sha256,
        actual_size=finding.actual_size,
        actual_sha256=finding.actual_sha256,
        detail=finding.detail,
    )


def verify_documents(*, matter_slug: str | None = None) -> IntegrityReport:
    """Re-hash every document's file (of one matter, with `matter_slug`: then other matters' files are not listed as
    unreferenced) and record each result, with its time, as the document's latest IntegrityCheck."""
    report = IntegrityReport()
    documents = Document.objects.select_related("matter").order_by("matter__slug", "exhibit_number")
    if matter_slug:
        documents = documents.filter(matter__slug=matter_slug)
    batch = []
    for document in documents.iterator(chunk_size=500):
        report.checked += 1
        finding = verify_document(document)
        if not finding.ok:
            where = f"{document.matter.slug} {document.exhibit_label} “{shown(document.original_filename)}”"
            report.problems.append(f"{LABELS[finding.problem]} {where}: {document_failure_text(document, finding)}")
        batch.append((document, finding))
        if len(batch) >= 500:
            integrity_checks_record(batch, source=IntegrityCheck.Source.VERIFY)
            batch = []
    integrity_checks_record(batch, source=IntegrityCheck.Source.VERIFY)
    if not matter_slug:
        referenced = set(Document.objects.values_list("file", flat=True))
        _walk_store(report, referenced)
    return report


def verify_editions(*, matter_slug: str | None = None) -> IntegrityReport:
    """Re-hash every edition's file and snapshot (of one matter, with `matter_slug`) against the SHA-256 they were
    kept with. Nothing is recorded per edition: a comparison or a download checks its files again in any case."""
    report = IntegrityReport()
    editions = Edition.objects.select_related("matter").order_by("matter__slug", "number")
    if matter_slug:
        editions = editions.filter(matter__slug=matter_slug)
    for edition in editions.iterator(chunk_size=500):
        for what, name, size, sha256 in (
            ("file", edition.file.name, edition.size, edition.sha256),
            ("snapshot", edition.snapshot.name, edition.snapshot_size, edition.snapshot_sha256),
        ):
            report.checked += 1
            try:
                finding = verify_stored(name, expected_size=size, expected_sha256=sha256)
            except Exception as error:  # as in verify_document: one bad entry must not stop the others' check
                finding = Finding(problem=Problem.UNREADABLE, detail=f"{type(error).__name__}: {error}")
            if not finding.ok:
                text = failure_text(problem=finding.problem, expected_size=size, expected_sha256=sha256,
                                    actual_size=finding.actual_size, actual_sha256=finding.actual_sha256,
                                    detail=finding.detail)  # fmt: skip
                where = f"{edition.matter.slug} edition {edition.number} {what} “{shown(edition.filename)}”"
                report.problems.append(f"{LABELS[finding.problem]} {where}: {text}")
    return report


def _walk_store(report: IntegrityReport, referenced: set[str]) -> None:
    """Every entry under evidence/ as files.storage_name lays them out (evidence/ab/cd/<sha256>): files no document
    points at are listed; a directory where a file belongs, a special file and an unreadable directory are problems.
    A referenced name is skipped here: its document's own check reports it."""
    folders, unreferenced, problems = ["evidence"], [], []
    while folders:
        folder = folders.pop()
        try:
            directories, files = default_storage.listdir(folder)
        except FileNotFoundError:  # nothing stored yet (a folder; an object store has no empty "folders")
            continue
        except OSError as error:
            problems.append(f"UNREADABLE {folder}/: {error.strerror or type(error).__name__}")
            continue
        for name in (f"{folder}/{d}" for d in directories):
            if name in referenced:
                continue
            if name.count("/") >= 3:  # where evidence/ab/cd/<sha256> files are: nothing else belongs there
                problems.append(f"NOT A FILE {name}: a directory where only files are stored")
            else:
                folders.append(name)
        for name in (f"{folder}/{f}" for f in files):
            if name in referenced:
                continue
            entry = _stat(name)
            if entry.ok:
                unreferenced.append(name)
            else:
                problems.append(f"{LABELS[entry.problem]} {name}: {entry.detail or Problem(entry.problem).label}")
    report.problems.extend(sorted(problems))
    report.unreferenced = sorted(unreferenced)
