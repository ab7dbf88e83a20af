"""Captures of a tracked source coming in from a file, read and checked before anything is written: a web archive
(WARC, WARC.gz, WACZ: evidence.tracked.warc) or a ZIP of captured files with a manifest.csv. The service
evidence.services.captures.captures_import writes what this plans, all or nothing.

The ZIP's manifest is a document import's manifest (evidence.importing.documents: file name, title, exhibit number,
Bates range, document date, author, privileged, SHA-256, each checked the same way) with the version's columns
besides: captured at (a time; without a zone it is read in the matter's), first seen and effective (partial dates,
as the event form reads them), capture method (upload, web archive, screenshot, discovery; empty: upload),
audiences (the matter's audiences by name, separated by ";", since a name may hold commas) and note. Files the
manifest does not list are versions too, with nothing known but their bytes (and the notices say so).

Which file is which is read from its first bytes, never from its name: a ZIP with a datapackage.json is a WACZ,
another ZIP is a ZIP of files, anything else is read as a WARC.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from django.core.exceptions import ValidationError

from evidence import dates, files, text
from evidence.dates import zones
from evidence.importing.columns import key
from evidence.importing.documents import Manifest, open_manifest_zip
from evidence.importing.plan import RowError
from evidence.importing.tables import UnusableInputError
from evidence.models import Audience, CaptureMethod, Matter, TrackedSource
from evidence.tracked.warc import Capture, CaptureFileError, Progress, WarcReading, is_wacz, read_captures_isolated

_VERSION_FIELDS = {
    "captured_at": ("Captured At", "Captured", "Capture Time", "Capture Date", "Archived At", "Archived"),
    "first_seen": ("First Seen", "First Seen Date", "Seen"),
    "effective": ("Effective", "Effective Date", "Effective From", "In Force From"),
    "capture_method": ("Capture Method", "Method", "How Captured"),
    "audiences": ("Audiences", "Audience", "Applies To"),
    "note": ("Note", "Notes", "Comment", "Comments"),
}
_METHODS = {key(v): v for v in CaptureMethod.values} | {key(label): v for v, label in CaptureMethod.choices} | {
    "warc": CaptureMethod.WEB_ARCHIVE, "wacz": CaptureMethod.WEB_ARCHIVE, "webarchive": CaptureMethod.WEB_ARCHIVE,
    "screenshot": CaptureMethod.SCREENSHOT, "discovery": CaptureMethod.DISCOVERY, "produced": CaptureMethod.DISCOVERY,
}  # fmt: skip


@dataclass
class PlannedCapture:
    """One capture to take in: its bytes (`open`), the document's fields and the version's."""

    label: str  # where it comes from, for messages: "record 3 (offset 1,234)", "manifest row 4 (policy-v1.pdf)"
    row: int  # its manifest row (0: a WARC record, or a file the manifest does not list)
    filename: str
    open: Callable[[], contextlib.AbstractContextManager[BinaryIO]]
    sha256: str  # what it must hash to: the reader's hash, the manifest's, or "" (nothing said)
    sha256_column: str = ""
    document: dict = field(default_factory=dict)  # document_intake's fields
    version: dict = field(default_factory=dict)  # version_add's fields (audiences as Audience rows)


@dataclass
class CapturePlan:
    name: str
    kind: str  # "web archive" or "ZIP with a manifest"
    captures: list[PlannedCapture] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    skipped: int = 0  # records or files read and not imported (other URLs, revisits, other statuses, empty bodies)


@contextlib.contextmanager
def planned_captures(
    path: str | Path, *, source: TrackedSource, name: str, reading: Progress | None = None
) -> Iterator[CapturePlan]:
    """The captures in the file at `path` (`name`: its name as the user knows it), for as long as the block runs:
    their bytes are temporary files or members of the open ZIP. CaptureFileError (an UnusableInputError) when the file
    cannot be imported at all; a manifest's row errors are in the plan's `errors`. `reading` is told how the reading
    of a web archive goes (evidence.tracked.warc.read_captures)."""
    path = Path(path)
    with contextlib.ExitStack() as stack:
        try:
            fh = stack.enter_context(path.open("rb"))
        except OSError as error:
            raise CaptureFileError(f"Cannot read {name}: {error.strerror or error}.") from None
        if fh.read(4).startswith(b"PK") and not is_wacz(fh):
            fh.seek(0)
            yield _manifest_plan(fh, stack, source=source, name=name)
            return
        fh.close()
        yield _warc_plan(path, stack, source=source, name=name, reading=reading)


def _warc_plan(path: Path, stack: contextlib.ExitStack, *, source: TrackedSource, name: str, reading) -> CapturePlan:
    if not source.url:
        raise CaptureFileError(
            f"“{source.name}” has no URL: a web archive holds the captures of many URLs, and the source's URL says "
            "which are its versions. Set the source's URL, then import the file again."
        )
    directory = Path(tempfile.mkdtemp(dir=files.scratch_dir(), prefix="captures-"))
    stack.callback(shutil.rmtree, directory, ignore_errors=True)  # the payloads not taken in, whatever happens
    read: WarcReading = read_captures_isolated(path, url=source.url, name=name, directory=directory, progress=reading)
    plan = CapturePlan(name=name, kind="web archive", notices=read.notices())
    plan.skipped = read.other_urls + len(read.revisits) + len(read.other_status) + len(read.empty)
    if not read.captures:
        plan.notices.insert(0, f"“{name}” holds no archived response with HTTP status 200 for {read.url}.")
    zone = source.matter.time_zone
    for capture in read.captures:
        plan.captures.append(
            PlannedCapture(
                label=capture.where, row=0, filename=capture.filename, open=_opener(capture.path),
                sha256=capture.sha256,
                document={"title": _title(source, capture, zone), "source_url": capture.uri[:2000],
                          "captured_at": capture.archived_at},
                version={"capture_method": CaptureMethod.WEB_ARCHIVE, "captured_at": capture.archived_at,
                         "first_seen": _day(capture.archived_at, zone)},
            )
        )  # fmt: skip
    return plan


def _title(source: TrackedSource, capture: Capture, zone: str) -> str:
    when = dates.display_instant(capture.archived_at, zone)
    return text.clean(f"{source.name}, archived {when}")[:500]


def _day(moment: dt.datetime, zone: str) -> dates.PartialDate:
    """The day of a capture on the matter's clock: the day it was first seen, as a partial date."""
    local = moment.astimezone(zones.tzinfo(zone))
    return dates.PartialDate(start=dates.DatePoint(dates.Precision.DAY, local.year, local.month, local.day))


def _opener(path: Path):
    return lambda: path.open("rb")


# -- ZIP of files with a manifest ----------------------------------------------------------------------------------


class _CaptureManifest(Manifest):
    """A document manifest whose rows also give the version's fields."""

    LOOKUP = Manifest.LOOKUP | {key(n): f for f, names in _VERSION_FIELDS.items() for n in names}

    def __init__(self, table, members, result, *, matter: Matter):
        self.matter = matter
        self.versions: dict[int, dict] = {}  # row -> version_add's fields
        self.audiences = {a.name.casefold(): a for a in Audience.objects.filter(matter=matter)}
        super().__init__(table, members, result)
        self.orders = {
            fld: dates.detect_day_first([self.cell(r, fld) for _, r in self.frame.iterrows()])
            for fld in ("first_seen", "effective", "captured_at")
        }

    def fields(self, number: int, row) -> dict:
        document = super().fields(number, row)
        version: dict = {"capture_method": self.method(number, row), "note": self.cell(row, "note")}
        for fld in ("first_seen", "effective"):
            if cell := self.cell(row, fld):
                try:
                    version[fld] = self.matter.read_date(dates.parse(cell, day_first=self.orders[fld]))
                except ValidationError as error:
                    self.error(number, fld, "; ".join(error.messages))
        if cell := self.cell(row, "captured_at"):
            version["captured_at"] = self.moment(number, cell)
            document["captured_at"] = version["captured_at"]
        version["audiences"] = self.chosen_audiences(number, self.cell(row, "audiences"))
        self.versions[number] = version
        return document

    def method(self, number: int, row) -> str:
        cell = self.cell(row, "capture_method")
        if not cell:
            return CaptureMethod.UPLOAD
        if (method := _METHODS.get(key(cell))) is None:
            allowed = ", ".join(f"“{label}”" for label in CaptureMethod.labels)
            self.error(number, "capture_method", f"“{cell[:80]}” is not a capture method; write one of {allowed}")
        return method or CaptureMethod.UPLOAD

    def moment(self, number: int, cell: str) -> dt.datetime | None:
        """An instant: ISO 8601 ("2024-08-12T10:15:00Z") or as people write a time ("Aug 12, 2024 10:15 AM PDT"),
        read in the matter's zone when it names none. A date without a time is not an instant."""
        try:
            moment = dt.datetime.fromisoformat(cell)
        except ValueError:
            moment = None
        if moment is not None and ("T" in cell or ":" in cell):
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=zones.tzinfo(self.matter.time_zone))
            return moment
        try:
            value = self.matter.read_date(dates.parse(cell, day_first=self.orders["captured_at"]))
        except ValidationError as error:
            self.error(number, "captured_at", "; ".join(error.messages))
            return None
        start = value.start
        exact = start is not None and value.end is None and not value.bound and not value.approximate
        if not exact or start.precision != dates.Precision.MINUTE:
            self.error(number, "captured_at", f"“{cell[:80]}” is not a time of day (e.g. 2024-08-12 10:15 UTC); a "
                       "date alone belongs in the first seen column")  # fmt: skip
            return None
        return dt.datetime(start.year, start.month, start.day, start.hour, start.minute,
                           tzinfo=zones.tzinfo(start.tz or self.matter.time_zone))  # fmt: skip

    def chosen_audiences(self, number: int, cell: str) -> list[Audience]:
        chosen = []
        for name in (n.strip() for n in cell.split(";")):
            if not name:
                continue
            audience = self.audiences.get(name.casefold())
            if audience is None:
                known = ", ".join(f"“{a.name}”" for a in self.audiences.values() if a.retired_at is None) or "none yet"
                self.error(number, "audiences", f"“{name[:80]}” is not an audience of the matter (its audiences: "
                           f"{known}); add it on the sources page first, or separate names with “;”")  # fmt: skip
            elif audience.retired_at is not None:
                self.error(number, "audiences", f"the audience “{audience.name}” is retired: it is not offered for "
                           "new versions")  # fmt: skip
            elif audience not in chosen:
                chosen.append(audience)
        return chosen


def _manifest_plan(fh: BinaryIO, stack: contextlib.ExitStack, *, source: TrackedSource, name: str) -> CapturePlan:
    plan = CapturePlan(name=name, kind="ZIP with a manifest")
    try:
        archive, members, table = open_manifest_zip(
            fh, stack, name=name,
            missing=f"“{name}” is a ZIP with neither a manifest.csv (one row per captured file: file, captured at, "
            "first seen, effective, capture method, audiences, note) nor a datapackage.json (a WACZ web archive).",
        )  # fmt: skip
        plan.notices += table.notices
        manifest = _CaptureManifest(table, members, plan, matter=source.matter)
        rows = manifest.plan()
    except CaptureFileError:
        raise
    except UnusableInputError as error:
        raise CaptureFileError(str(error)) from None
    for r in rows:
        version = manifest.versions.get(r.row, {"capture_method": CaptureMethod.UPLOAD})
        document = {**r.fields}
        if source.url and "source_url" not in document:
            document["source_url"] = source.url
        plan.captures.append(
            PlannedCapture(
                label=f"manifest row {r.row} ({r.filename})" if r.row else f"“{r.member.filename}” (unlisted)",
                row=r.row, filename=r.filename, open=_member_opener(archive, r.member), sha256=r.sha256,
                sha256_column=r.sha256_column, document=document, version=version,
            )
        )  # fmt: skip
    return plan


def _member_opener(archive: zipfile.ZipFile, member: zipfile.ZipInfo):
    return lambda: archive.open(member)
