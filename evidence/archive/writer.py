"""Write a matter's archive: every record as JSON Lines (see layout), every stored file under its SHA-256, and the
manifest, into a ZIP written to a file object.

Nothing is held whole: the records are read in chunks of CHUNK objects, DOCUMENT_CHUNK documents (a fixed number of
queries per chunk, whatever their number of versions), each line is written and hashed as it is made, and each file
is copied from the storage into the ZIP in 1 MB pieces, hashed on the way; a file that no longer has the SHA-256
taken in at intake stops the archive, naming its exhibit (verify_evidence records the same finding). What is kept is
a few integers per object and per history row (their refs and places in the chain), and the manifest's list of
entries.

The records are read in one snapshot of the database, so that an archive made while others write is still one state
of the matter: on PostgreSQL a REPEATABLE READ, READ ONLY transaction; on SQLite a read transaction (BEGIN
DEFERRED), which in WAL mode lets writers go on meanwhile. Inside a caller's transaction (the tests) that is the
snapshot.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from typing import BinaryIO

from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.db import connection, connections, transaction
from django.utils import timezone

from evidence.archive.layout import (
    BY_NAME,
    FORMAT,
    KINDS,
    MANIFEST,
    MANIFEST_SHA256,
    VERSION,
    Kind,
    Refs,
    canonical,
    file_entry,
    to_json,
    whole_sha256,
)
from evidence.editions import snapshot as snapshots
from evidence.files import CHUNK as FILE_CHUNK
from evidence.models import Citation, Document, Edition, Event, HistoryLink, Matter
from evidence.services.chain import chain_head

logger = logging.getLogger(__name__)

CHUNK = 500  # objects whose records are read and written together
# A document's record holds its text (up to files.MAX_EXTRACTED_CHARS, five million characters): fewer at a time.
DOCUMENT_CHUNK = 10
Progress = Callable[[str, int, int], None]


class ArchiveError(Exception):
    """The archive cannot be written (a stored file is missing or no longer what was taken in)."""


@dataclass
class ArchiveWritten:
    manifest_sha256: str
    whole_sha256: str
    chain_head: str
    counts: dict[str, int] = field(default_factory=dict)


def write_archive(matter: Matter, out: BinaryIO, *, user, progress: Progress | None = None) -> ArchiveWritten:
    """Write the archive of `matter` to `out` (a writable, seekable binary file). The caller checks permissions.

    `progress` (a job's progress bar and heartbeat, which write to the database) is called from a thread of its
    own, on a connection of its own, while the snapshot is open: the snapshot's transaction is read-only, and what
    it wrote would be seen by no one before the archive is done."""
    with _snapshot() as isolated:
        reporter = _Reporter(progress) if isolated and progress else None
        try:
            with zipfile.ZipFile(out, "w", allowZip64=True) as zf:
                writer = _Writer(matter, zf, user=user, progress=reporter or progress or _silent)
                try:
                    return writer.write()
                finally:
                    writer.abandon()
        finally:
            if reporter is not None:
                reporter.close()


def _silent(stage: str, done: int, total: int) -> None:
    pass


class _Reporter:
    """Calls `progress` in a thread of its own, in the order given, and closes that thread's database connection at
    the end. A progress report that fails is logged; the archive goes on."""

    def __init__(self, progress: Progress):
        self.progress = progress
        self.thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="archive-progress")

    def __call__(self, stage: str, done: int, total: int) -> None:
        self.thread.submit(self._report, stage, done, total)

    def _report(self, stage: str, done: int, total: int) -> None:
        try:
            self.progress(stage, done, total)
        except Exception:
            logger.exception("The archive's progress could not be recorded")

    def close(self) -> None:
        self.thread.submit(connections.close_all)
        self.thread.shutdown(wait=True)


@contextmanager
def _snapshot() -> Iterator[bool]:
    """The snapshot the records are read in (see the module's docstring); yields whether it is one of its own."""
    if connection.in_atomic_block:
        yield False
        return
    if connection.vendor == "postgresql":
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield True
        return
    # SQLite: Django's own transactions take the write lock first (transaction_mode IMMEDIATE), which would stop every
    # writer for as long as the archive takes; a plain read transaction does not.
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("BEGIN DEFERRED")
    try:
        yield True
    finally:
        with connection.cursor() as cursor:
            cursor.execute("COMMIT")


class _Entry:
    """One entry of the ZIP being written, hashed and counted as it is written."""

    def __init__(self, zf: zipfile.ZipFile, name: str, *, stamp, compress: bool, size: int | None = None):
        info = zipfile.ZipInfo(name, date_time=stamp)
        info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
        info.external_attr = 0o644 << 16
        if size is not None:
            info.file_size = size
        self.name = name
        self.handle = zf.open(info, "w", force_zip64=size is None)
        self.digest = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> None:
        self.digest.update(data)
        self.size += len(data)
        self.handle.write(data)

    def close(self) -> dict:
        self.handle.close()
        return {"name": self.name, "sha256": self.digest.hexdigest(), "size": self.size}


class _Chain:
    """Each history row's place in the matter's chain: per historical model, its linked history ids and their
    sequences, as two sorted arrays."""

    def __init__(self, matter: Matter):
        from array import array

        self.places: dict[str, tuple] = {}
        links = HistoryLink.objects.filter(matter=matter).order_by("model", "history_id")
        for label, history_id, sequence in links.values_list("model", "history_id", "sequence").iterator(5000):
            ids, sequences = self.places.setdefault(label, (array("q"), array("q")))
            ids.append(history_id)
            sequences.append(sequence)

    def place(self, model, history_id: int) -> int | None:
        from bisect import bisect_left

        ids, sequences = self.places.get(model._meta.label_lower, ((), ()))
        at = bisect_left(ids, history_id)
        return sequences[at] if at < len(ids) and ids[at] == history_id else None


class _Writer:
    def __init__(self, matter: Matter, zf: zipfile.ZipFile, *, user, progress: Progress):
        self.matter, self.zf, self.user, self.progress = matter, zf, user, progress
        self.now = timezone.now()
        self.stamp = self.now.astimezone(dt.UTC).timetuple()[:6]
        self.entries: list[dict] = []
        self.entry: _Entry | None = None  # the entry being written
        self.counts: dict[str, int] = defaultdict(int)
        self.usernames: dict[int, str | None] = {}
        self.written: set[str] = set()  # the SHA-256 of each file entry written

    def write(self) -> ArchiveWritten:
        matter = self.matter
        head = chain_head(matter)  # in the snapshot, with the rows
        self.chain = _Chain(matter)
        self.refs = {
            kind.name: self._ids(kind) for kind in KINDS if kind.name not in ("matter", "documents")
        }  # fmt: skip
        self.exhibits = dict(Document.objects.filter(matter=matter).values_list("id", "exhibit_number").iterator(5000))
        self.total = len(self.refs["events"]) + len(self.exhibits)
        self.done = 0
        self._records(BY_NAME["matter"], [[matter.pk]])
        for name in ("filing", "members", "actors", "issues"):
            self._records(BY_NAME[name], _chunks(self.refs[name].ids))
        self._records(BY_NAME["documents"], _chunks(self._document_ids(), DOCUMENT_CHUNK))
        self._records(BY_NAME["events"], _chunks(self.refs["events"].ids))
        for name in ("citations", "editions", "audiences", "sources", "versions"):
            self._records(BY_NAME[name], _chunks(self.refs[name].ids))
        self._files()
        return self._manifest(head)

    def abandon(self) -> None:
        """Close an entry an error left open, so that closing the ZIP raises nothing over that error (the caller
        removes the unfinished file)."""
        if self.entry is not None and not self.entry.handle.closed:
            with suppress(Exception):
                self.entry.handle.close()

    # What is in the matter ------------------------------------------------------------------------------------------

    def _ids(self, kind: Kind) -> Refs:
        """The ids of the matter's objects of this kind, live or only in the history (a removed citation)."""
        matter = self.matter
        if kind.model is Citation:
            live = Citation.objects.filter(event__matter=matter)
            past = kind.historical.objects.filter(event__matter=matter)
        else:
            live = kind.model.objects.filter(matter=matter)
            past = kind.historical.objects.filter(matter_id=matter.pk) if kind.historical else None
        ids = set(live.values_list("id", flat=True).iterator(5000))
        if past is not None:
            ids.update(past.values_list("id", flat=True).order_by().distinct().iterator(5000))
        return Refs(ids)

    def _document_ids(self) -> list[int]:
        """Document ids in exhibit order (a document's record is keyed by its exhibit number)."""
        return [pk for pk, _ in sorted(self.exhibits.items(), key=lambda item: item[1])]

    # Records --------------------------------------------------------------------------------------------------------

    def _records(self, kind: Kind, chunks: Iterator[list[int]]) -> None:
        entry = self.entry = _Entry(self.zf, kind.entry, stamp=self.stamp, compress=True)
        for pks in chunks:
            for record in self._chunk(kind, pks):
                entry.write(canonical(record) + b"\n")
                self.counts[kind.name] += 1
            if kind.model is Event:
                self.done += len(pks)
                self.progress("Writing the events", self.done, self.total)
        self.entries.append(entry.close())

    def _chunk(self, kind: Kind, pks: list[int]) -> Iterator[dict]:
        current = {row["id"]: row for row in kind.model.objects.filter(pk__in=pks).values()}
        history: dict[int, list[dict]] = defaultdict(list)
        past = kind.historical.objects.filter(id__in=pks).order_by("id", "history_id") if kind.historical else ()
        for row in past.values() if past else ():
            history[row["id"]].append(row)
        m2m = self._m2m(kind, pks, history) if kind.m2m else None
        self._learn_users(kind, [*current.values(), *(r for rows in history.values() for r in rows)])
        self.counts["history_rows"] += sum(map(len, history.values()))
        for pk in pks:
            row = current.get(pk)
            key = row["exhibit_number"] if kind.model is Document and row else self._key(kind, pk, history)
            record = {
                kind.key: key,
                "current": self._current(kind, row, m2m) if row else None,
                "history": [self._history(kind, past, m2m) for past in history.get(pk, ())],
            }
            yield record

    def _key(self, kind: Kind, pk: int, history) -> int:
        if kind.model is Matter:
            return 1
        if kind.model is Document:  # a document only in the history: the number it had there
            return history[pk][-1]["exhibit_number"]
        return self.refs[kind.name].ref(pk)

    def _m2m(self, kind: Kind, pks: list[int], history: dict[int, list[dict]]) -> dict:
        """The m2m items of these records (an event's actors and issues, a source version's audiences) now, and those
        of each of their versions, as refs (with their history rows' places in the chain)."""
        found: dict = {"now": defaultdict(lambda: {name: [] for name in kind.m2m}), "then": defaultdict(dict)}
        versions = [row["history_id"] for rows in history.values() for row in rows]
        owner = kind.owner_column
        for name in kind.m2m:
            target = name[:-1]
            refs = self.refs[name]
            through = getattr(kind.model, name).through
            pairs = through.objects.filter(**{f"{owner}_id__in": pks}).values_list(f"{owner}_id", f"{target}_id")
            for record_id, other in pairs:
                found["now"][record_id][name].append(refs.ref(other))
            model = kind.m2m_history[name]
            rows = model.objects.filter(history_id__in=versions).order_by("m2m_history_id")
            for version, other, own in rows.values_list("history_id", f"{target}_id", "m2m_history_id"):
                found["then"][version].setdefault(name, []).append(
                    {target: refs.ref(other), "chain": self.chain.place(model, own)}
                )
        self.counts["history_rows"] += sum(len(v) for m in found["then"].values() for v in m.values())
        return found

    def _current(self, kind: Kind, row: dict, m2m) -> dict:
        values = {f.name: self._value(kind, f.name, row[f.attname]) for f in kind.current_fields}
        if m2m is not None:
            for name in kind.m2m:
                values[name] = sorted(m2m["now"][row["id"]][name])
        if kind.model is Edition:
            values["snapshot_ids"] = self._snapshot_ids(row)
        return values

    def _snapshot_ids(self, row: dict) -> dict[str, dict[str, int]]:
        """The events and documents an edition's snapshot names, by the ids it names them with (those of the instance
        the edition was made in), mapped to their refs and exhibit numbers: the snapshot is archived byte for byte,
        and the restore maps these to its own ids (Edition.snapshot_ids)."""
        here = row["snapshot_ids"] or {"events": {}, "documents": {}}
        try:
            with default_storage.open(row["snapshot"], "rb") as stored:
                snapshot = snapshots.decode(stored.read(row["snapshot_size"] + 1))
        except (OSError, ValueError) as error:
            raise ArchiveError(
                f"The snapshot of edition {row['number']} cannot be read ({error}); run verify_evidence."
            ) from None
        mapped: dict[str, dict[str, int]] = {"events": {}, "documents": {}}
        for printed in snapshot["events"]:
            ref = self.refs["events"].ref(here["events"].get(str(printed["event"]), printed["event"]))
            if ref is None:
                raise ArchiveError(f"Edition {row['number']} printed an event that is not the matter's.")
            mapped["events"][str(printed["event"])] = ref
            for citation in printed["citations"]:
                number = self.exhibits.get(here["documents"].get(str(citation["document"]), citation["document"]))
                if number is None:
                    raise ArchiveError(f"Edition {row['number']} cited a document that is not the matter's.")
                mapped["documents"][str(citation["document"])] = number
        return mapped

    def _history(self, kind: Kind, row: dict, m2m) -> dict:
        record = {name: to_json(row[name]) for name in ("history_date", "history_type", "history_change_reason")}
        record["history_user"] = self.usernames.get(row["history_user_id"])
        record["chain"] = self.chain.place(kind.historical, row["history_id"])
        record["fields"] = {f.name: self._value(kind, f.name, row[f.attname]) for f in kind.history_fields}
        if m2m is not None:
            for name in kind.m2m:
                record[name] = m2m["then"][row["history_id"]].get(name, [])
        return record

    def _value(self, kind: Kind, name: str, value):
        target = kind.references.get(name)
        if target == "users":
            return self.usernames.get(value)
        if target == "documents":
            return self.exhibits.get(value)
        if target is not None:
            return self.refs[target].ref(value)
        if name == "citations_snapshot" and isinstance(value, list):
            # the document's id means nothing elsewhere; its exhibit number ("number") identifies it
            return [{k: v for k, v in entry.items() if k != "document"} for entry in value]
        return to_json(value)

    def _learn_users(self, kind: Kind, rows: list[dict]) -> None:
        wanted = {row.get("history_user_id") for row in rows}
        if "user" in kind.references:
            wanted.update(row["user_id"] for row in rows)
        wanted -= {None, *self.usernames}
        if wanted:
            found = dict(get_user_model().objects.filter(pk__in=wanted).values_list("pk", "username"))
            self.usernames.update({pk: found.get(pk) for pk in wanted})

    # Files and manifest ---------------------------------------------------------------------------------------------

    def _files(self) -> None:
        documents = Document.objects.filter(matter=self.matter).order_by("exhibit_number")
        for document in documents.only("exhibit_number", "sha256", "size", "file", "matter").iterator(CHUNK):
            document.matter = self.matter
            entry = _Entry(self.zf, file_entry(document.sha256), stamp=self.stamp, compress=False, size=document.size)
            try:
                with default_storage.open(document.file.name, "rb") as stored:
                    while data := stored.read(FILE_CHUNK):
                        entry.write(data)
            except FileNotFoundError:
                raise ArchiveError(
                    f"The file of {document.exhibit_label} is missing from the storage; run verify_evidence."
                ) from None
            written = entry.close()
            if written["sha256"] != document.sha256 or written["size"] != document.size:
                raise ArchiveError(
                    f"The stored file of {document.exhibit_label} is not what was taken in (SHA-256 "
                    f"{written['sha256']}, {written['size']:,} bytes; taken in as {document.sha256}, "
                    f"{document.size:,} bytes); run verify_evidence. No archive was written."
                )
            self.entries.append(written)
            self.written.add(document.sha256)
            self.counts["files"] += 1
            self.counts["file_bytes"] += document.size
            self.done += 1
            self.progress("Writing the files", self.done, self.total)
        self._edition_files()

    def _edition_files(self) -> None:
        """Each edition's file and snapshot, under its SHA-256 like the documents' (once, when a document or another
        edition has the same bytes)."""
        editions = Edition.objects.filter(matter=self.matter).order_by("number")
        for edition in editions.iterator(CHUNK):
            for what, name, size, sha256 in (
                ("file", edition.file.name, edition.size, edition.sha256),
                ("snapshot", edition.snapshot.name, edition.snapshot_size, edition.snapshot_sha256),
            ):
                if sha256 in self.written:
                    continue
                entry = self.entry = _Entry(self.zf, file_entry(sha256), stamp=self.stamp, compress=False, size=size)
                try:
                    with default_storage.open(name, "rb") as stored:
                        while data := stored.read(FILE_CHUNK):
                            entry.write(data)
                except FileNotFoundError:
                    raise ArchiveError(
                        f"The {what} of edition {edition.number} is missing from the storage; run verify_evidence."
                    ) from None
                written = entry.close()
                if written["sha256"] != sha256 or written["size"] != size:
                    raise ArchiveError(
                        f"The stored {what} of edition {edition.number} is not what was kept (SHA-256 "
                        f"{written['sha256']}, {written['size']:,} bytes; kept as {sha256}, {size:,} bytes); run "
                        "verify_evidence. No archive was written."
                    )
                self.entries.append(written)
                self.written.add(sha256)
                self.counts["files"] += 1
                self.counts["file_bytes"] += size

    def _manifest(self, head) -> ArchiveWritten:
        whole = whole_sha256(self.entries)
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "matter": {"slug": self.matter.slug, "short_title": self.matter.short_title},
            "exported_at": to_json(self.now),
            "exported_by": self.user.get_username() if self.user else None,
            "history_chain": {"head": head.head_text, "sequence": head.sequence, "sha256": head.chain_sha256}
            if head.sequence
            else None,
            "counts": dict(sorted(self.counts.items())),
            "entries": sorted(self.entries, key=lambda e: e["name"]),
            "whole_sha256": whole,
        }
        data = canonical(manifest) + b"\n"
        manifest_sha256 = hashlib.sha256(data).hexdigest()
        for name, content in ((MANIFEST, data), (MANIFEST_SHA256, f"{manifest_sha256}  {MANIFEST}\n".encode())):
            entry = self.entry = _Entry(self.zf, name, stamp=self.stamp, compress=True)
            entry.write(content)
            entry.close()
        return ArchiveWritten(
            manifest_sha256=manifest_sha256, whole_sha256=whole, chain_head=head.head_text, counts=dict(self.counts)
        )


def _chunks(ids, size: int = CHUNK) -> Iterator[list[int]]:
    ids = list(ids)
    for start in range(0, len(ids), size):
        yield ids[start : start + size]
