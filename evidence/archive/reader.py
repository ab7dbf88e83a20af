"""Open a matter archive from outside and prove it is the one that was written, before anything is restored from it.

In this order, each step refusing the whole archive:

1. the ZIP's bounds, from its directory before any member is read (evidence.importing.zips: ARCHIVE_MAX_MEMBERS
   members, ARCHIVE_MAX_BYTES unpacked and no member expanding more than IMPORT_ZIP_MAX_RATIO times);
2. its names: only the entries an archive has (manifest.json, manifest.sha256, records/<kind>.jsonl,
   files/<64 hex digits>), each once, none a link, none encrypted; anything else (a "../" path, an absolute one, a
   stray file) is named and refused. A member's name is never used as a path: files go to the storage under the
   name their hash gives (evidence.files.storage_name);
3. the manifest: within IMPORT_MAX_BYTES, its SHA-256 the one manifest.sha256 states (and the one given with
   --manifest-sha256, if any), of this format and version, listing exactly the ZIP's other members;
4. every entry, read whole: its size and SHA-256 must be the manifest's (a file's must also be its name), and the
   hash of them all the manifest's `whole_sha256`. The first entry that differs is named.

Then `records` and `open_file` read the entries again for the restore, and hash them again on the way: an archive
changed between the check and the restore is refused then (the restore rolls back). Each record is one line of at
most IMPORT_MAX_BYTES, parsed under the JSON bounds of the event imports (keys, numbers, IMPORT_MAX_JSON_DEPTH).
"""

from __future__ import annotations

import hashlib
import io
import re
import stat
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from evidence.archive.layout import (
    FILE_ENTRY,
    FORMAT,
    MANIFEST,
    MANIFEST_SHA256,
    READABLE,
    RECORD_ENTRIES,
    Kind,
    file_entry,
    whole_sha256,
)
from evidence.importing.json_reader import parse_bounded
from evidence.importing.tables import UnusableInputError
from evidence.importing.zips import open_zip

READ = 1024 * 1024
FOLDERS = ("records/", "files/")
_SHA256 = re.compile(r"[0-9a-f]{64}")
Progress = Callable[[str, int, int], None]


class ArchiveRefused(Exception):
    """The archive is not the one that was written (an entry altered, added or missing) or its records do not hold
    together; nothing is restored. The message names the entry."""


@dataclass
class Archive:
    zf: zipfile.ZipFile
    name: str
    manifest: dict
    manifest_sha256: str
    members: dict[str, zipfile.ZipInfo]

    def verify(self, progress: Progress | None = None) -> None:
        """Step 4: every entry read whole and checked against the manifest."""
        _verify(self.zf, self.members, self.manifest, self.name, progress or (lambda stage, done, total: None))

    @property
    def slug(self) -> str:
        """The slug the matter was archived under, as the manifest states it."""
        matter = self.manifest.get("matter")
        slug = matter.get("slug") if isinstance(matter, dict) else None
        if not isinstance(slug, str) or not slug:
            raise ArchiveRefused(f"{MANIFEST} names no matter slug; the archive was altered.")
        return slug

    @property
    def version(self) -> int:
        return self.manifest["version"]

    @property
    def expected(self) -> dict[str, dict]:
        return {entry["name"]: entry for entry in self.manifest["entries"]}

    def records(self, kind: Kind) -> Iterator[tuple[int, dict, int]]:
        """(line number, record, its size in bytes) of the kind's entry, one line at a time, hashed again as it is
        read."""
        entry = kind.entry
        expected = self.expected.get(entry)
        if expected is None:
            raise ArchiveRefused(f"“{self.name}” has no entry {entry}.")
        limit = settings.IMPORT_MAX_BYTES
        with _Hashing(self.zf.open(entry), entry, expected) as reader:
            buffered = io.BufferedReader(reader, READ)
            number = 0
            while line := buffered.readline(limit + 1):
                number += 1
                where = f"{entry} line {number}"
                if len(line) > limit or not line.endswith(b"\n"):
                    if len(line) > limit:
                        raise ArchiveRefused(
                            f"{where} is longer than {limit:,} bytes (setting IMPORT_MAX_BYTES); refused."
                        )
                    raise ArchiveRefused(f"{where} does not end the line; the entry is cut short.")
                try:
                    text = line.decode("utf-8")
                except UnicodeDecodeError:
                    raise ArchiveRefused(f"{where} is not UTF-8 text.") from None
                try:
                    record = parse_bounded(text, where)
                except UnusableInputError as error:
                    raise ArchiveRefused(str(error)) from None
                if not isinstance(record, dict):
                    raise ArchiveRefused(f"{where} is not a record (a JSON object).")
                yield number, record, len(line)
            reader.finish()

    @contextmanager
    def open_file(self, sha256: str) -> Iterator[_Hashing]:
        """The entry of the file with this SHA-256, to be read to its end; hashed again as it is read."""
        entry = file_entry(sha256)
        expected = self.expected.get(entry)
        if expected is None:
            raise ArchiveRefused(f"“{self.name}” has no entry {entry}.")
        with _Hashing(self.zf.open(entry), entry, expected) as reader:
            yield reader


class _Hashing(io.RawIOBase):
    """A member of the ZIP as it is read, hashed and counted; `finish` checks it against the manifest."""

    def __init__(self, raw, entry: str, expected: dict):
        self.raw, self.entry, self.expected = raw, entry, expected
        self.digest = hashlib.sha256()
        self.size = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        try:
            data = self.raw.read(len(buffer))
        except (zipfile.BadZipFile, EOFError, OSError) as error:
            raise ArchiveRefused(f"Entry {self.entry} is damaged ({error}); the archive was altered.") from None
        buffer[: len(data)] = data
        self.digest.update(data)
        self.size += len(data)
        return len(data)

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            size = READ
        buffer = bytearray(size)
        got = self.readinto(buffer)
        return bytes(buffer[:got])

    def finish(self) -> None:
        while self.read(READ):
            pass
        actual = self.digest.hexdigest()
        if actual != self.expected["sha256"] or self.size != self.expected["size"]:
            raise ArchiveRefused(
                f"Entry {self.entry} changed after it was checked (SHA-256 {actual}); nothing was restored."
            )

    def close(self) -> None:
        self.raw.close()
        super().close()


@contextmanager
def open_archive(
    path: Path,
    *,
    name: str,
    manifest_sha256: str | None = None,
    verify: bool = True,
    progress: Progress | None = None,
) -> Iterator[Archive]:
    """The archive at `path`, checked whole (see the module's docstring): UnusableInputError for a ZIP that is not
    a usable archive, ArchiveRefused for one that is not what was written. With verify=False, only steps 1 to 3:
    the caller reads the manifest first (the slug) and calls `verify` before anything else."""
    try:
        fp = open(path, "rb")  # noqa: SIM115  (closed below, after the ZIP that reads it)
    except OSError as error:
        raise UnusableInputError(f"Cannot read {name}: {error.strerror or error}.") from None
    with fp:
        zf = open_zip(
            fp,
            name=name,
            what="matter archive",
            max_total=settings.ARCHIVE_MAX_BYTES,
            cap_setting="ARCHIVE_MAX_BYTES",
            members_setting="ARCHIVE_MAX_MEMBERS",
        )
        with zf:
            members = _members(zf, name)
            manifest, digest = _manifest(zf, members, name, manifest_sha256)
            archive = Archive(zf=zf, name=name, manifest=manifest, manifest_sha256=digest, members=members)
            if verify:
                archive.verify(progress)
            yield archive


def _members(zf: zipfile.ZipFile, name: str) -> dict[str, zipfile.ZipInfo]:
    members: dict[str, zipfile.ZipInfo] = {}
    file_limit = settings.EVIDENCE_MAX_UPLOAD_BYTES
    for info in zf.infolist():
        entry = info.filename
        if entry in FOLDERS and info.is_dir() and not info.file_size:
            continue  # an archive unzipped and zipped again (zip -r) has its folders as entries of their own
        if not (entry in (MANIFEST, MANIFEST_SHA256) or entry in RECORD_ENTRIES or FILE_ENTRY.fullmatch(entry)):
            raise UnusableInputError(
                f"“{name}” contains “{entry[:200]}”, which no matter archive has (a path outside the archive, or a "
                "file added to it); nothing was imported."
            )
        if entry in members:
            raise UnusableInputError(f"“{name}” contains “{entry}” twice; nothing was imported.")
        if stat.S_ISLNK(info.external_attr >> 16):
            raise UnusableInputError(f"“{name}” contains a symbolic link (“{entry}”); nothing was imported.")
        if info.flag_bits & 0x1:
            raise UnusableInputError(f"“{name}”: “{entry}” is encrypted; nothing was imported.")
        if entry.startswith("files/") and info.file_size > file_limit:
            raise UnusableInputError(
                f"“{name}”: “{entry}” is {info.file_size:,} bytes, larger than the upload limit ({file_limit:,} "
                "bytes, setting EVIDENCE_MAX_UPLOAD_BYTES)."
            )
        members[entry] = info
    for needed in (MANIFEST, MANIFEST_SHA256):
        if needed not in members:
            raise UnusableInputError(
                f"“{name}” has no {needed}: it is not a matter archive (export_matter writes one)."
            )
    return members


def _manifest(zf, members, name: str, wanted: str | None) -> tuple[dict, str]:
    limit = settings.IMPORT_MAX_BYTES
    info = members[MANIFEST]
    if info.file_size > limit:
        raise UnusableInputError(f"{MANIFEST} is {info.file_size:,} bytes; the limit is {limit:,} (IMPORT_MAX_BYTES).")
    if members[MANIFEST_SHA256].file_size > 1024:
        raise ArchiveRefused(f"{MANIFEST_SHA256} is not the one export_matter writes; the archive was altered.")
    data = _read(zf, MANIFEST, limit)
    digest = hashlib.sha256(data).hexdigest()
    stated = _read(zf, MANIFEST_SHA256, 1024).decode("ascii", "replace").split()
    if stated != [digest, MANIFEST]:
        said = stated[0] if stated else "nothing"
        raise ArchiveRefused(
            f"{MANIFEST} was altered: its SHA-256 is {digest}, but {MANIFEST_SHA256} says {said[:64]}. "
            "Nothing was imported."
        )
    if wanted and wanted.lower() != digest:
        raise ArchiveRefused(
            f"{MANIFEST} has SHA-256 {digest}, not {wanted} as given: this is not the archive that was exported "
            "(or the manifest was replaced together with manifest.sha256). Nothing was imported."
        )
    try:
        manifest = parse_bounded(data.decode("utf-8"), MANIFEST)
    except (UnicodeDecodeError, UnusableInputError) as error:
        raise ArchiveRefused(f"{MANIFEST} cannot be read: {error}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise UnusableInputError(f"“{name}” is not a matter archive ({MANIFEST} names no format {FORMAT}).")
    if type(manifest.get("version")) is not int or manifest["version"] not in READABLE:
        raise UnusableInputError(
            f"“{name}” is a matter archive of format version {manifest.get('version')!r}; this version of the app "
            f"reads versions {', '.join(map(str, READABLE[:-1]))} and {READABLE[-1]}."
        )
    entries = manifest.get("entries")
    if not isinstance(entries, list) or not all(_is_entry(e) for e in entries):
        raise ArchiveRefused(f"{MANIFEST} lists its entries wrongly; the archive was altered.")
    return manifest, digest


def _is_entry(entry) -> bool:
    return (
        isinstance(entry, dict)
        and set(entry) == {"name", "sha256", "size"}
        and isinstance(entry["name"], str)
        and isinstance(entry["sha256"], str)
        and _SHA256.fullmatch(entry["sha256"]) is not None
        and type(entry["size"]) is int
        and entry["size"] >= 0
    )


def _read(zf: zipfile.ZipFile, entry: str, limit: int) -> bytes:
    try:
        with zf.open(entry) as fh:
            return fh.read(limit + 1)[:limit]
    except (zipfile.BadZipFile, EOFError, OSError) as error:
        raise ArchiveRefused(f"Entry {entry} is damaged ({error}); the archive was altered.") from None


def _verify(zf, members: dict[str, zipfile.ZipInfo], manifest: dict, name: str, progress: Progress) -> None:
    expected = {}
    for entry in manifest["entries"]:
        if entry["name"] in expected:
            raise ArchiveRefused(f"{MANIFEST} lists {entry['name']} twice; the archive was altered.")
        expected[entry["name"]] = entry
    for entry in expected:
        if entry not in members:
            raise ArchiveRefused(f"Entry {entry} is listed in {MANIFEST} but missing from the archive.")
    for entry in members:
        if entry not in expected and entry not in (MANIFEST, MANIFEST_SHA256):
            raise ArchiveRefused(f"Entry {entry} is not listed in {MANIFEST}: it was added to the archive.")
    if whole_sha256(expected.values()) != manifest.get("whole_sha256"):
        raise ArchiveRefused(f"{MANIFEST} was altered: its entries do not give its whole_sha256.")
    total = len(expected)
    for done, info in enumerate(sorted(members.values(), key=lambda i: i.header_offset), 1):
        if info.filename in expected:
            _check_entry(zf, info, expected[info.filename])
        progress("Checking every entry's SHA-256", done, total)


def _check_entry(zf: zipfile.ZipFile, info: zipfile.ZipInfo, expected: dict) -> None:
    entry = info.filename
    with _Hashing(zf.open(info), entry, expected) as reader:
        while reader.read(READ):
            pass
        actual = reader.digest.hexdigest()
    if actual != expected["sha256"] or reader.size != expected["size"]:
        raise ArchiveRefused(
            f"Entry {entry} was altered: its SHA-256 is {actual} ({reader.size:,} bytes), the manifest gives "
            f"{expected['sha256']} ({expected['size']:,} bytes). Nothing was imported."
        )
    if entry.startswith("files/") and entry.removeprefix("files/") != actual:
        raise ArchiveRefused(f"Entry {entry} holds a file whose SHA-256 is {actual}, not its name.")
