"""Web-archive files (WARC, gzipped or not, and WACZ) read into the captures of one URL, bounded before and while
they are read.

A capture is an archived `response` record whose target is the source's URL (compared after `normalise_url`) with
HTTP status 200, whatever its media type (an HTML page, a PDF, an image, plain text). Its payload is stored as
warcio's `content_stream()` gives it: the HTTP body with the transfer coding (chunked) and the content coding (gzip,
deflate, br) removed, that is the page or file as the browser received it. It is written to a temporary file while
its SHA-256 is computed, and that SHA-256 is the one the document gets. The archive's own digests
(WARC-Block-Digest, WARC-Payload-Digest) cover the bytes before that decoding; they are checked over those bytes for
every capture kept, and a capture whose digest does not match is refused as damaged.

Nothing else becomes a capture: `request`, `metadata`, `warcinfo` and `resource` records are passed over; responses
for other URLs are counted ("12 records for other URLs skipped"); responses for the URL with another status (a
redirect, a 404) are listed; `revisit` records for the URL (the archive saw the same payload again and kept no copy)
are listed with the capture they refer to, and give no capture.

Bounds: the file's size (CAPTURES_MAX_FILE_BYTES) before it is opened; for a WACZ, the ZIP's members, their
expansion and paths as for any imported ZIP (evidence.importing.zips), its WARCs unpacking to at most
CAPTURES_MAX_FILE_BYTES and checked against the SHA-256 its datapackage.json lists; every record's declared
Content-Length (CAPTURES_MAX_RECORD_BYTES) before anything of it past its headers is read, so that a record that
declares 2 GB is refused with its offset and URI without reading it; the number of records (CAPTURES_MAX_RECORDS);
each payload as it is decoded (EVIDENCE_MAX_UPLOAD_BYTES) and all kept payloads (IMPORT_DOCUMENTS_MAX_TOTAL_BYTES);
the time spent (CAPTURES_READ_TIMEOUT). A record shorter than its Content-Length (a truncated file) is refused,
naming the record. warcio reads header lines without a bound of its own: callers that read an upload do so in a
child process with a memory limit (`read_captures_isolated`).

Every refusal is a `CaptureFileError` whose message names the file, the record and what to do.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import mimetypes
import os
import re
import tempfile
import time
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from warcio.archiveiterator import WARCIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeadersParserException

from evidence.importing.tables import UnusableInputError
from evidence.importing.zips import check_member, open_zip

CHUNK = 1024 * 1024
DEFAULT_PORTS = {"http": 80, "https": 443}
DATAPACKAGE = "datapackage.json"
DATAPACKAGE_MAX_BYTES = 10 * 1024 * 1024
REPORT_EVERY = 1.0  # seconds between two progress reports
Progress = Callable[[int, int, int, int], None]


class CaptureFileError(UnusableInputError):
    """A web-archive file that cannot be imported: unreadable, damaged, truncated or over a bound. Nothing of it is
    kept."""


@dataclass(frozen=True)
class Capture:
    """One archived response of the URL, its payload in a temporary file (`path`) the caller takes in or removes."""

    uri: str  # the WARC-Target-URI as archived
    archived_at: datetime  # the WARC-Date, aware, UTC
    media_type: str  # the HTTP Content-Type's media type ("text/html"); "" when the response gave none
    content_type: str  # the HTTP Content-Type header as archived ("text/html; charset=utf-8")
    path: Path
    sha256: str
    size: int
    where: str  # "record 3 (offset 1,234)" or "archive/data.warc.gz, record 3 (offset 1,234)"

    @property
    def filename(self) -> str:
        """A file name for the document: the URL's host and path, and the archived time."""
        parts = urlsplit(self.uri)
        stem = re.sub(r"[^A-Za-z0-9._-]+", "_", f"{parts.hostname or 'capture'}{parts.path}".rstrip("/"))[:120]
        extension = mimetypes.guess_extension(self.media_type or "") or ""
        if extension and stem.lower().endswith(extension):
            stem = stem[: -len(extension)]
        return f"{stem}_{self.archived_at:%Y%m%dT%H%M%SZ}{extension}"

    def discard(self) -> None:
        self.path.unlink(missing_ok=True)


@dataclass(frozen=True)
class Revisit:
    """A revisit record of the URL: the archive saw the payload again and kept no copy of it."""

    uri: str
    archived_at: datetime
    refers_to: str  # the date of the capture it repeats (WARC-Refers-To-Date), "" when the record does not say
    where: str


@dataclass
class WarcReading:
    """What a web-archive file holds for one URL."""

    name: str
    url: str  # the URL looked for, normalised
    captures: list[Capture] = field(default_factory=list)
    revisits: list[Revisit] = field(default_factory=list)
    other_status: list[tuple[str, int, datetime]] = field(default_factory=list)  # (where, HTTP status, WARC-Date)
    empty: list[str] = field(default_factory=list)  # captures with no payload (0 bytes): where
    other_urls: int = 0  # responses (and revisits) for other URLs
    records: int = 0

    def notices(self) -> list[str]:
        """What was read but not imported, in words for the user."""
        notes = []
        if self.other_urls:
            notes.append(f"{_count(self.other_urls, 'record')} for other URLs skipped (looking for {self.url}).")
        for where, status, archived_at in self.other_status:
            what = f"HTTP status {status}, not 200" if status else "no HTTP status line"
            notes.append(f"{where}: the response of {_utc(archived_at)} has {what}; skipped.")
        for where in self.empty:
            notes.append(f"{where}: the response has an empty body; skipped.")
        for revisit in self.revisits:
            repeats = f" (the capture of {revisit.refers_to})" if revisit.refers_to else ""
            notes.append(
                f"{revisit.where}: a revisit of {_utc(revisit.archived_at)} records that the page had not changed "
                f"since an earlier capture{repeats}; the archive kept no copy, so it adds no version."
            )
        return notes

    def discard(self) -> None:
        for capture in self.captures:
            capture.discard()


def normalise_url(url: str) -> str:
    """The URL as archives are compared with it: scheme and host in lower case, the default port dropped, no
    fragment, no trailing slash on the path (an empty path is "/"), the query kept as it is."""
    url = url.strip()
    if url.startswith("<") and url.endswith(">"):  # wget 1.19 wrote WARC-Target-URI in angle brackets
        url = url[1:-1]
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    try:
        port = parts.port
    except ValueError:  # a port that is not a number: compared as written
        port = None
    netloc = host if port is None or DEFAULT_PORTS.get(scheme) == port else f"{host}:{port}"
    if parts.username or parts.password:
        netloc = f"{parts.netloc.rsplit('@', 1)[0]}@{netloc}"
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((scheme, netloc, path, parts.query, ""))


def read_captures(
    path: str | os.PathLike, *, url: str, name: str, directory: str | os.PathLike, progress: Progress | None = None
) -> WarcReading:
    """The captures of `url` in the WARC or WACZ at `path` (`name` is the file's name for messages), their payloads
    written into `directory`. CaptureFileError when the file cannot be imported; then no payload is left behind.
    `progress(records, captures, done, total)` is told, at most once a second, how many records and captures were
    read so far and how many of the file's (a WACZ: its WARCs') bytes."""
    path = Path(path)
    size = path.stat().st_size
    limit = settings.CAPTURES_MAX_FILE_BYTES
    if size > limit:
        raise CaptureFileError(
            f"“{name}” is {size:,} bytes; the limit for a web-archive file is {limit:,} bytes (setting "
            "CAPTURES_MAX_FILE_BYTES). Split the crawl into smaller WARC files."
        )
    if size == 0:
        raise CaptureFileError(f"“{name}” is empty (0 bytes): it holds no WARC records.")
    reader = _Reader(name=name, url=url, directory=Path(directory), progress=progress, size=size)
    try:
        with path.open("rb") as fh:
            head = fh.read(4)
            fh.seek(0)
            if head.startswith(b"PK"):
                reader.read_wacz(fh)
            else:
                reader.read_warc(fh, member="", size=size)
    except BaseException as error:
        reader.reading.discard()
        if isinstance(error, UnusableInputError) and not isinstance(error, CaptureFileError):
            raise CaptureFileError(str(error)) from None  # the ZIP's bounds, as for any imported ZIP
        raise
    return reader.reading


def read_captures_isolated(path, *, url: str, name: str, directory, progress: Progress | None = None) -> WarcReading:
    """read_captures in a child process with IMPORT_READ_MAX_MEMORY and CAPTURES_READ_TIMEOUT (and a little more, for
    the child to report its own deadline first): for the workers and commands that read an upload. `progress` is
    called here, in the parent, with what the child reports."""
    from evidence.importing.isolation import run_isolated

    try:
        return run_isolated(
            read_captures, path, url=url, name=name, directory=directory, what=name,
            timeout=settings.CAPTURES_READ_TIMEOUT + 5, timeout_setting="CAPTURES_READ_TIMEOUT",
            advice="Split the crawl into smaller WARC files.", progress=progress,
        )  # fmt: skip
    except CaptureFileError:
        raise
    except UnusableInputError as error:  # the child's refusal, carried over as text, or its limits
        raise CaptureFileError(str(error)) from None


def is_wacz(fh: BinaryIO) -> bool:
    """Whether a ZIP is a WACZ (it has a datapackage.json at its top), as opposed to a ZIP of files with a manifest."""
    try:
        with zipfile.ZipFile(fh) as archive:
            return any(n.lstrip("/") == DATAPACKAGE for n in archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return False
    finally:
        fh.seek(0)


class _Reader:
    def __init__(self, *, name: str, url: str, directory: Path, progress: Progress | None, size: int):
        self.name = name
        self.url = normalise_url(url)
        self.directory = directory
        self.reading = WarcReading(name=name, url=self.url)
        self.deadline = time.monotonic() + settings.CAPTURES_READ_TIMEOUT
        self.kept = 0  # bytes of the payloads kept so far
        self.progress, self.size = progress, size
        self.before = 0  # bytes of the WARCs read before this one (a WACZ's)
        self.reported = time.monotonic()

    def report(self, offset: int) -> None:
        if self.progress is not None and time.monotonic() - self.reported >= REPORT_EVERY:
            self.reported = time.monotonic()
            done = min(self.before + offset, self.size)
            self.progress(self.reading.records, len(self.reading.captures), done, self.size)

    # -- WACZ ---------------------------------------------------------------------------------------------------
    def read_wacz(self, fh: BinaryIO) -> None:
        archive = open_zip(fh, name=self.name, what="WACZ file", max_total=settings.CAPTURES_MAX_FILE_BYTES,
                           cap_setting="CAPTURES_MAX_FILE_BYTES")  # fmt: skip
        with archive:
            members = {}
            for info in archive.infolist():
                check_member(info, self.name)
                members[info.filename.lstrip("/")] = info
            if DATAPACKAGE not in members:
                raise CaptureFileError(
                    f"“{self.name}” is a ZIP without a {DATAPACKAGE}: not a WACZ. A ZIP of captured files needs a "
                    "manifest.csv instead (one row per file)."
                )
            hashes = self._datapackage_hashes(archive, members[DATAPACKAGE])
            warcs = sorted(p for p in members if p.startswith("archive/") and p.endswith((".warc", ".warc.gz")))
            if not warcs:
                raise CaptureFileError(f"“{self.name}” holds no WARC file under archive/: it has no captures.")
            self.size = sum(members[p].file_size for p in warcs)
            for path in warcs:
                with archive.open(members[path]) as member:
                    hashing = _HashingReader(member)
                    self.read_warc(hashing, member=path, size=members[path].file_size)
                    hashing.drain()
                    if path in hashes and hashing.hexdigest() != hashes[path]:
                        raise CaptureFileError(
                            f"“{self.name}”: {path} has SHA-256 {hashing.hexdigest()}, but the WACZ's {DATAPACKAGE} "
                            f"gives {hashes[path]}: the file was altered or damaged after it was packaged."
                        )
                    self.before += members[path].file_size

    def _datapackage_hashes(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> dict[str, str]:
        """The SHA-256 that datapackage.json lists for each file of the WACZ (its other hashes are not checked)."""
        if info.file_size > DATAPACKAGE_MAX_BYTES:
            raise CaptureFileError(f"“{self.name}”: its {DATAPACKAGE} is {info.file_size:,} bytes; a WACZ's is a few "
                                   "kilobytes. Refused as damaged.")  # fmt: skip
        try:
            package = json.loads(archive.read(info))
            resources = package.get("resources", []) if isinstance(package, dict) else []
        except (ValueError, RecursionError, zipfile.BadZipFile, OSError) as error:
            raise CaptureFileError(f"“{self.name}”: its {DATAPACKAGE} cannot be read ({error}).") from None
        hashes = {}
        for resource in resources if isinstance(resources, list) else []:
            if not isinstance(resource, dict):
                continue
            path, digest = str(resource.get("path", "")), str(resource.get("hash", ""))
            if digest.lower().startswith("sha256:"):
                hashes[path.lstrip("/")] = digest[7:].lower()
        return hashes

    # -- WARC ---------------------------------------------------------------------------------------------------
    def read_warc(self, fh: BinaryIO, *, member: str, size: int) -> None:
        """The records of one WARC of `size` bytes. warcio takes a file that ends inside a record's headers for the
        end of the file; the end of the last whole record is checked against `size` to tell the two apart."""
        iterator = WARCIterator(fh, check_digests=True)
        label = f"“{self.name}”" + (f", {member}" if member else "")
        number = 0
        previous = ""
        records = iter(iterator)
        with contextlib.redirect_stderr(io.StringIO()):  # warcio prints its warnings; they become our errors
            while True:
                try:
                    record = next(records)
                except StopIteration:
                    break
                except ArchiveLoadFailed as error:
                    raise CaptureFileError(_load_failed(label, number, previous, error)) from None
                except Exception as error:  # what warcio meets in a damaged file (headers cut before the URI…)
                    after = f" after {previous}" if previous else ""
                    raise CaptureFileError(_unreadable(label, f"record {number + 1}{after}", error)) from None
                number += 1
                if iterator.err_count:
                    raise CaptureFileError(
                        f"{label}: {previous} is not followed by the blank lines that end a WARC record: its "
                        "Content-Length is wrong, so the records after it cannot be trusted. The file is damaged."
                    )
                where = f"record {number} (offset {iterator.offset:,})"
                previous = where
                self.report(iterator.offset)
                try:
                    self._record(record, where=(f"{member}, {where}" if member else where), label=label)
                except (StatusAndHeadersParserException, ValueError, EOFError, OSError, zlib.error) as error:
                    raise CaptureFileError(_unreadable(label, where, error)) from None
        if number == 0:
            raise CaptureFileError(f"{label} holds no WARC records: it is not a WARC file.")
        if iterator.offset < size:
            raise CaptureFileError(
                f"{label} ends inside record {number + 1} (offset {iterator.offset:,}), whose headers are cut off. "
                "The WARC is truncated (an interrupted download or crawl?); get the whole file again."
            )

    def _record(self, record, *, where: str, label: str) -> None:
        self.reading.records += 1
        if self.reading.records > settings.CAPTURES_MAX_RECORDS:
            raise CaptureFileError(
                f"{label} has more than {settings.CAPTURES_MAX_RECORDS:,} records (setting CAPTURES_MAX_RECORDS); "
                "split the crawl into smaller WARC files."
            )
        uri = record.rec_headers.get_header("WARC-Target-URI") or ""
        declared = record.rec_headers.get_header("Content-Length")
        if declared is None or not declared.strip().isdigit():
            raise CaptureFileError(
                f"{label}: {where} ({uri or 'no URI'}) has no valid Content-Length "
                f"({declared!r}): the file is truncated or damaged at that record."
            )
        limit = settings.CAPTURES_MAX_RECORD_BYTES
        if int(declared) > limit:
            raise CaptureFileError(
                f"{label}: {where} ({uri or 'no URI'}) declares {int(declared):,} bytes; the limit for one record "
                f"is {limit:,} bytes (setting CAPTURES_MAX_RECORD_BYTES). Nothing was read of it; nothing was "
                "imported."
            )
        self._check_time(label, where)
        kind = record.rec_type
        ours = bool(uri) and normalise_url(uri) == self.url
        if kind in ("response", "revisit") and uri and not ours:
            self.reading.other_urls += 1
        elif kind == "revisit":
            self.reading.revisits.append(
                Revisit(uri=uri, archived_at=self._date(record, label, where),
                        refers_to=record.rec_headers.get_header("WARC-Refers-To-Date") or "", where=where)
            )  # fmt: skip
        elif kind == "response" and ours:
            self._response(record, uri=uri, where=where, label=label)
        self._finish(record, label=label, where=where, uri=uri)

    def _response(self, record, *, uri: str, where: str, label: str) -> None:
        archived_at = self._date(record, label, where)
        http = record.http_headers
        status = _status(http)
        if status != 200:
            self.reading.other_status.append((where, status or 0, archived_at))
            return
        content_type = (http.get_header("Content-Type") or "").strip()
        media_type = content_type.split(";", 1)[0].strip().lower()
        capture = self._spool(record, uri=uri, archived_at=archived_at, media_type=media_type,
                              content_type=content_type, where=where, label=label)  # fmt: skip
        if capture is None:
            self.reading.empty.append(where)
        else:
            self.reading.captures.append(capture)

    def _spool(self, record, *, uri, archived_at, media_type, content_type, where, label) -> Capture | None:
        limit = settings.EVIDENCE_MAX_UPLOAD_BYTES
        total = settings.IMPORT_DOCUMENTS_MAX_TOTAL_BYTES
        digest, size = hashlib.sha256(), 0
        fd, temp = tempfile.mkstemp(dir=self.directory, prefix="capture-")
        path = Path(temp)
        try:
            with os.fdopen(fd, "wb") as out:
                stream = record.content_stream()
                while chunk := stream.read(CHUNK):
                    size += len(chunk)
                    if size > limit:
                        raise CaptureFileError(
                            f"{label}: {where} ({uri}) has a payload of more than {limit:,} bytes, the limit for one "
                            "evidence file (setting EVIDENCE_MAX_UPLOAD_BYTES)."
                        )
                    if self.kept + size > total:
                        raise CaptureFileError(
                            f"{label}: the captures reach more than {total:,} bytes at {where} (setting "
                            "IMPORT_DOCUMENTS_MAX_TOTAL_BYTES); split the crawl into smaller WARC files."
                        )
                    digest.update(chunk)
                    out.write(chunk)
                    self._check_time(label, where)
            self._finish(record, label=label, where=where, uri=uri)
            if record.digest_checker.passed is False:
                problems = "; ".join(record.digest_checker.problems)
                raise CaptureFileError(
                    f"{label}: {where} ({uri}) does not match the digest the archive recorded for it ({problems}): "
                    "the file was altered or damaged. Nothing was imported."
                )
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        if size == 0:
            path.unlink(missing_ok=True)
            return None
        self.kept += size
        return Capture(uri=uri, archived_at=archived_at, media_type=media_type, content_type=content_type,
                       path=path, sha256=digest.hexdigest(), size=size, where=where)  # fmt: skip

    def _finish(self, record, *, label: str, where: str, uri: str) -> None:
        """Read the rest of the record, within the deadline; a record shorter than its Content-Length is the end
        of a truncated file."""
        raw = record.raw_stream
        while raw.read(CHUNK):
            self._check_time(label, where)
        if raw.limit > 0:
            declared = int(record.rec_headers.get_header("Content-Length"))
            raise CaptureFileError(
                f"{label}: {where} ({uri or 'no URI'}) is cut off: it declares {declared:,} bytes and the file "
                f"ends {raw.limit:,} bytes short. The WARC is truncated (an interrupted download or crawl?); get "
                "the whole file again."
            )

    def _check_time(self, label: str, where: str) -> None:
        if time.monotonic() > self.deadline:
            raise CaptureFileError(
                f"{label}: reading took longer than {settings.CAPTURES_READ_TIMEOUT} s (setting "
                f"CAPTURES_READ_TIMEOUT); stopped at {where}. Split the crawl into smaller WARC files."
            )

    def _date(self, record, label: str, where: str) -> datetime:
        text = (record.rec_headers.get_header("WARC-Date") or "").strip()
        try:
            value = datetime.fromisoformat(text)
        except ValueError:
            raise CaptureFileError(
                f"{label}: {where} has no readable WARC-Date ({text or 'none'}); the archived time of a capture is "
                "what dates its version, so the file cannot be imported."
            ) from None
        if value.tzinfo is None:  # the WARC standard writes every WARC-Date in UTC
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class _HashingReader:
    """A file object that hashes what is read through it (a WACZ's WARC, checked against its datapackage.json)."""

    def __init__(self, fh: BinaryIO):
        self.fh, self.digest, self.offset = fh, hashlib.sha256(), 0

    def read(self, size: int = -1) -> bytes:
        data = self.fh.read(size)
        self.digest.update(data)
        self.offset += len(data)
        return data

    def tell(self) -> int:
        return self.offset

    def drain(self) -> None:
        while self.read(CHUNK):
            pass

    def hexdigest(self) -> str:
        return self.digest.hexdigest()


def _status(http) -> int | None:
    if http is None:
        return None
    try:
        return int(http.get_statuscode())
    except (TypeError, ValueError):
        return None


def _load_failed(label: str, number: int, previous: str, error: ArchiveLoadFailed) -> str:
    text = " ".join(str(error).split())
    if "non-chunked gzip" in text:
        return (
            f"{label} is gzipped as one block rather than one gzip member per record, as WARC files are; "
            "recompress it (`warcio recompress FILE NEW_FILE`) and import the new file."
        )
    after = f" after {previous}" if previous else ""
    return f"{label}: record {number + 1}{after} cannot be read ({text[:200]}); the file is damaged or not a WARC."


def _unreadable(label: str, which: str, error: Exception) -> str:
    text = " ".join(f"{type(error).__name__}: {error}".split())[:200]
    return f"{label}: {which} cannot be read ({text}); the file is truncated, damaged or not a WARC."


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def _utc(value: datetime) -> str:
    return f"{value:%Y-%m-%d %H:%M:%S} UTC"
