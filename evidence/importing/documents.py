"""Import documents: a ZIP of evidence files plus a manifest CSV, all through document_intake, all or nothing.

The manifest (manifest.csv at the top of the ZIP; UTF-8 or Windows-1252) has one row per file. Columns, matched by
name ignoring case and punctuation: file name (required), title, exhibit number, Bates range (or Bates start / end),
document date, author (or custodian), privileged, SHA-256. Files the manifest does not list are imported too, titled
by their file name (and reported); macOS and hidden files (__MACOSX/, .DS_Store) are skipped.

SHA-256: a manifest that gives each file's hash (a "SHA-256" column, or a "Hash" / "Checksum" column whose every
value is 64 hexadecimal digits; an MD5 or SHA-1 column is not checked, and the notices say so) has every file
checked against it: the intake's own hash, computed while the file is stored, must be the manifest's, or the whole
import is refused (rolled back, its files removed) naming the row, the file and both hashes. A check without
writing (dry_run) hashes the listed files too, so that the preview lists every mismatch.

Safety: the ZIP is checked from its directory before any member is read (evidence.importing.zips: at most
IMPORT_ZIP_MAX_MEMBERS members, an expansion budget proportional to its size and at most
IMPORT_DOCUMENTS_MAX_TOTAL_BYTES, no member expanding more than IMPORT_ZIP_MAX_RATIO times). A member with an absolute
path, a ".." part, a drive letter or a symlink mode is refused, as are encrypted members and members declared larger
than EVIDENCE_MAX_UPLOAD_BYTES. The manifest is read in a child process (evidence.importing.isolation) under the
import limits (IMPORT_MAX_BYTES, IMPORT_MAX_COLUMNS, IMPORT_MAX_CELL_CHARS). Files are streamed from the ZIP into the
intake (which hashes and stores them content-addressed under its own names); a ZIP member's name is never used as a
storage path, and a ZIP inside the ZIP is one more evidence file, never opened.

All or nothing: every row is checked before anything is written, and the intakes run in one transaction. The intake
places each file in content-addressed storage before the commit; when the import does not commit, the files it
placed that no committed document points at are removed again, so a failed import leaves no orphan behind.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import posixpath
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import DatabaseError, transaction

from evidence import dates, files
from evidence.importing.apply import import_reason
from evidence.importing.cells import CellError, read_bool
from evidence.importing.columns import key
from evidence.importing.csv_reader import read_csv
from evidence.importing.isolation import run_isolated
from evidence.importing.plan import RowError
from evidence.importing.tables import Table, UnusableInputError
from evidence.importing.zips import check_member, open_zip
from evidence.models import Document, Matter
from evidence.services.documents import document_intake

MANIFEST_NAMES = ("manifest.csv",)
Progress = Callable[[str, int, int], None]

_FIELDS = {
    "file": ("File", "File Name", "Filename", "Path", "Document", "File Path", "Native File"),
    "title": ("Title", "Description", "Document Title", "Name"),
    "exhibit": ("Exhibit", "Exhibit No", "Exhibit No.", "Exhibit Number", "Exhibit #", "Ex", "Ex."),
    "bates": ("Bates", "Bates Range", "Bates No", "Bates Numbers"),
    "bates_start": ("Bates Start", "Begin Bates", "BegBates", "Bates Begin", "Beg Bates"),
    "bates_end": ("Bates End", "End Bates", "EndBates"),
    "date": ("Date", "Document Date", "Doc Date", "Date Sent", "Date Created"),
    "author": ("Author", "Custodian", "From", "Author / Custodian"),
    "privileged": ("Privileged", "Privileged?", "Privilege"),
    "sha256": ("SHA-256", "SHA256", "SHA-256 Hash", "SHA256 Hash", "Hash (SHA-256)", "SHA-256 Checksum",
               "Checksum (SHA-256)", "SHA-256 Digest"),
    # a hash of no stated kind: checked when every value is a SHA-256
    "hash": ("Hash", "Checksum", "File Hash", "Hash Value", "Digest"),
}  # fmt: skip
_LOOKUP = {key(n): f for f, names in _FIELDS.items() for n in names}
_SHA256 = re.compile(r"[0-9a-f]{64}")
_OTHER_HASHES = {32: "an MD5", 40: "a SHA-1", 128: "a SHA-512"}  # by their number of hexadecimal digits


@dataclass
class DocumentImportResult:
    name: str
    created: list[Document] = field(default_factory=list)
    already: list[tuple[str, Document]] = field(default_factory=list)  # (file, the existing exhibit with its bytes)
    errors: list[RowError] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    written: bool = False

    def summary(self) -> str:
        return (f"{len(self.created)} documents added, {len(self.already)} already in the matter, "
                f"{len({e.row for e in self.errors})} invalid rows")  # fmt: skip


@dataclass
class ManifestRow:
    row: int
    member: zipfile.ZipInfo
    filename: str
    fields: dict
    sha256: str = ""  # what the manifest says the file's SHA-256 is ("": it says nothing)
    sha256_column: str = ""


def safe_members(zf: zipfile.ZipFile, name: str) -> dict[str, zipfile.ZipInfo]:
    """The ZIP's files by their normalised path; refuses the whole ZIP when any member is unsafe. (Counts, sizes and
    ratios were checked when it was opened.)"""
    members: dict[str, zipfile.ZipInfo] = {}
    limit = settings.EVIDENCE_MAX_UPLOAD_BYTES
    for info in zf.infolist():
        check_member(info, name)
        if info.is_dir():
            continue
        path = info.filename.replace("\\", "/")
        parts = path.split("/")
        where = f"“{name}”: “{info.filename}”"
        if info.file_size > limit:
            raise UnusableInputError(
                f"{where} is {info.file_size:,} bytes, larger than the upload limit ({limit:,} bytes, setting "
                "EVIDENCE_MAX_UPLOAD_BYTES)."
            )
        if parts[0] == "__MACOSX" or parts[-1].startswith("."):
            continue
        members[posixpath.normpath(path)] = info
    return members


def import_documents(
    source, *, matter: Matter, user, name: str, dry_run: bool = False, progress: Progress | None = None
) -> DocumentImportResult:
    """Check the ZIP and its manifest and, unless `dry_run` or a row is invalid, take in every file: all or none.
    Raises UnusableInputError for a ZIP that cannot be imported at all (unreadable, unsafe, no manifest).
    `progress(stage, done, total)` is told of each file hashed or taken in."""
    result = DocumentImportResult(name=name)
    progress = progress or (lambda stage, done, total: None)
    with contextlib.ExitStack() as stack:
        fp = stack.enter_context(as_file(source, name))
        zf, members, table = open_manifest_zip(
            fp, stack, name=name,
            missing=f"“{name}” has no manifest.csv at its top level (one row per file: file name, title, exhibit "
            "number, Bates range, document date, author, privileged).",
        )  # fmt: skip
        result.notices += table.notices
        rows = Manifest(table, members, result).plan()
        if dry_run and not result.errors:
            hashed = [r for r in rows if r.sha256]
            for done, r in enumerate(hashed, 1):
                check_sha256(r, member_sha256(zf, r.member), result)
                progress("Checking the files' SHA-256", done, len(hashed))
        if result.errors or dry_run:
            return result
        _take_in(zf, rows, matter=matter, user=user, reason=import_reason(name), result=result, progress=progress)
    return result


def open_manifest_zip(
    fp, stack: contextlib.ExitStack, *, name: str, missing: str
) -> tuple[zipfile.ZipFile, dict[str, zipfile.ZipInfo], Table]:
    """A ZIP with a manifest.csv (a document import's, or a capture import's), opened on `stack`: the ZIP, its files
    by path without the manifest, and the manifest read. Raises UnusableInputError, saying `missing` when the ZIP
    has no manifest."""
    zf = stack.enter_context(
        open_zip(fp, name=name, what="ZIP file", max_total=settings.IMPORT_DOCUMENTS_MAX_TOTAL_BYTES,
                 cap_setting="IMPORT_DOCUMENTS_MAX_TOTAL_BYTES")
    )  # fmt: skip
    members = safe_members(zf, name)
    manifest_path = next((p for p in members if p.lower() in MANIFEST_NAMES), None)
    if manifest_path is None:
        raise UnusableInputError(missing)
    return zf, members, read_manifest(zf, members.pop(manifest_path), manifest_path)


def read_manifest(zf: zipfile.ZipFile, member: zipfile.ZipInfo, path: str) -> Table:
    limit = settings.IMPORT_MAX_BYTES
    if member.file_size > limit:
        raise UnusableInputError(
            f"The manifest “{path}” is {member.file_size:,} bytes; the import limit is {limit:,} bytes "
            "(setting IMPORT_MAX_BYTES)."
        )
    return run_isolated(read_csv, zf.read(member), path, what=path)


def _take_in(
    zf: zipfile.ZipFile, rows: list[ManifestRow], *, matter: Matter, user, reason: str, result, progress: Progress
) -> None:
    """Every file through document_intake in one transaction; an intake that fails rolls back those before it, and
    the files they placed are removed (see the module's docstring)."""
    # explicit exhibit numbers first, so that a numbered row never collides with one numbered on the way
    rows = sorted(rows, key=lambda r: (r.fields.get("exhibit_number") is None, r.row))
    placed: list[str] = []  # hashes of the files this import may have put in storage
    current = None
    try:
        with transaction.atomic():
            for current in rows:
                intake = _intake(zf, current, matter=matter, user=user, reason=reason, result=result)
                if intake.created:
                    placed.append(intake.document.sha256)
                    result.created.append(intake.document)
                else:
                    result.already.append((current.filename, intake.document))
                if current.sha256 and not check_sha256(current, intake.document.sha256, result):
                    raise ValidationError(result.errors[-1].reason)
                progress("Taking in the files", len(result.created) + len(result.already), len(rows))
            current = None
    except BaseException as error:
        if current is not None:
            placed.append(member_sha256(zf, current.member))
        remove_unreferenced(placed)
        result.created, result.already = [], []
        if isinstance(error, ValidationError):
            return
        raise
    result.written = True


def _intake(zf: zipfile.ZipFile, r: ManifestRow, *, matter: Matter, user, reason: str, result):
    with zf.open(r.member) as fh:
        try:
            return document_intake(matter=matter, user=user, file=fh, filename=r.filename, reason=reason, **r.fields)
        except ValidationError as error:
            result.errors.append(RowError(r.row, "file", "; ".join(error.messages)))
            raise


def check_sha256(r: ManifestRow, actual: str, result: DocumentImportResult) -> bool:
    """Whether the file is the one the manifest's hash names; a mismatch is the row's error."""
    if actual == r.sha256:
        return True
    result.errors.append(
        RowError(
            r.row,
            r.sha256_column,
            f"“{r.member.filename}” has SHA-256 {actual}, but the manifest gives {r.sha256}: it is not the file listed",
        )
    )
    return False


def member_sha256(zf: zipfile.ZipFile, member: zipfile.ZipInfo) -> str:
    digest = hashlib.sha256()
    with contextlib.suppress(Exception), zf.open(member) as fh:
        while chunk := fh.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def remove_unreferenced(hashes: list[str]) -> None:
    """Remove the stored files of these hashes that no committed document points at (after the rollback, the
    import's own rows are gone): they were placed by this import, or were orphans already."""
    try:
        referenced = set(Document.objects.filter(sha256__in=hashes).values_list("sha256", flat=True))
    except DatabaseError:  # what is referenced cannot be known: removing nothing is the safe side
        return
    for sha256 in set(hashes) - referenced:
        name = files.storage_name(sha256)
        with contextlib.suppress(OSError):
            if default_storage.exists(name):
                default_storage.delete(name)


@contextlib.contextmanager
def as_file(source, name: str):
    """A seekable binary file for zipfile: a path is opened (and closed), bytes are wrapped, a file object is used."""
    if isinstance(source, bytes):
        yield io.BytesIO(source)
    elif isinstance(source, (str, os.PathLike)):
        try:
            fh = open(source, "rb")  # noqa: SIM115  (closed below, after the archive that reads it)
        except OSError as error:
            raise UnusableInputError(f"Cannot read {name}: {error.strerror or error}.") from None
        with fh:
            yield fh
    elif hasattr(source, "seek"):
        source.seek(0)
        yield source
    else:
        yield io.BytesIO(source.read())


class Manifest:
    """The manifest's rows matched with the ZIP's files and read into document fields, each problem reported.
    A manifest with more columns (a ZIP of captures of a tracked source) extends LOOKUP and `fields`."""

    LOOKUP = _LOOKUP  # key(header) -> field

    def __init__(self, table: Table, members: dict[str, zipfile.ZipInfo], result):
        self.frame, self.members, self.result = table.frame, members, result
        self.columns: dict[str, str] = {}  # field -> the manifest's header
        for header in self.frame.columns:
            fld = self.LOOKUP.get(key(header))
            if fld and fld not in self.columns:
                self.columns[fld] = header
            elif not fld:
                result.notices.append(f"Manifest column “{header}” was not recognised and not imported.")
        if "file" not in self.columns:
            raise UnusableInputError(
                f"The manifest has no file name column; its columns are: {', '.join(self.frame.columns)}."
            )
        self._hash_column()
        self.by_base: dict[str, list[str]] = {}
        for path in members:
            self.by_base.setdefault(posixpath.basename(path).lower(), []).append(path)
        try:
            self.day_first = dates.detect_day_first([self.cell(r, "date") for _, r in self.frame.iterrows()])
        except ValidationError as error:
            raise UnusableInputError(f"The manifest's dates: {'; '.join(error.messages)}.") from None
        self.used: set[str] = set()
        self.numbers: dict[int, int] = {}  # exhibit number -> the row that gives it

    def _hash_column(self) -> None:
        """A hash column of no stated kind is the SHA-256 column when every value is one (and no SHA-256 column is
        given); else it is not checked, and the notices say why."""
        header = self.columns.pop("hash", None)
        if header is None:
            return
        if "sha256" in self.columns:
            self.result.notices.append(f"Manifest column “{header}” was not imported: “{self.columns['sha256']}” "
                                       "gives the SHA-256.")  # fmt: skip
            return
        values = [(int(i), str(v).strip()) for i, v in self.frame[header].items() if str(v).strip()]
        other = next(((i, v) for i, v in values if not _SHA256.fullmatch(v.lower())), None)
        if other is None:
            self.columns["sha256"] = header
            return
        row, value = other
        kind = _OTHER_HASHES.get(len(value), "no SHA-256") if re.fullmatch(r"[0-9a-fA-F]+", value) else "no hash"
        self.result.notices.append(
            f"Manifest column “{header}” was not checked: only SHA-256 hashes (64 hexadecimal digits) are, and row "
            f"{row} has “{value[:80]}”, {kind}."
        )

    def cell(self, row, fld: str) -> str:
        return str(row[self.columns[fld]]).strip() if fld in self.columns else ""

    def error(self, row: int, fld: str, reason: str) -> None:
        self.result.errors.append(RowError(row, self.columns.get(fld, fld), reason))

    def plan(self) -> list[ManifestRow]:
        planned = []
        for index, row in self.frame.iterrows():
            number = int(index)
            path = self.member_path(number, self.cell(row, "file").replace("\\", "/"))
            if path is not None:
                planned.append(
                    ManifestRow(
                        number,
                        self.members[path],
                        posixpath.basename(path),
                        self.fields(number, row),
                        sha256=self.sha256(number, row),
                        sha256_column=self.columns.get("sha256", ""),
                    )
                )
        unlisted = [p for p in self.members if p not in self.used]
        planned += [ManifestRow(0, self.members[path], posixpath.basename(path), {}) for path in unlisted]
        if unlisted:
            self.result.notices.append(
                f"{len(unlisted)} file{'s' if len(unlisted) > 1 else ''} not in the manifest will be imported under "
                f"{'their' if len(unlisted) > 1 else 'its'} file name: {', '.join(unlisted[:10])}"
                + ("…" if len(unlisted) > 10 else "")
            )
        return planned

    def member_path(self, number: int, wanted: str) -> str | None:
        """The ZIP member a row names: by its path, else by a file name found once in the ZIP."""
        if not wanted:
            self.error(number, "file", "the file name is empty")
            return None
        path = posixpath.normpath(wanted.lstrip("/"))
        if path not in self.members:
            candidates = self.by_base.get(posixpath.basename(path).lower(), [])
            if len(candidates) != 1:
                self.error(number, "file", f"“{wanted}” is not in the ZIP" if not candidates else
                           f"“{wanted}” matches {len(candidates)} files in the ZIP; give its folder too")  # fmt: skip
                return None
            path = candidates[0]
        if path in self.used:
            self.error(number, "file", f"“{wanted}” is listed twice")
            return None
        self.used.add(path)
        return path

    def fields(self, number: int, row) -> dict:
        """What document_intake takes from a manifest row, besides the file."""
        fields: dict = {"title": self.cell(row, "title"), "author": self.cell(row, "author")}
        if exhibit := self.cell(row, "exhibit"):
            digits = "".join(ch for ch in exhibit if ch.isdigit())
            if not digits or int(digits) < 1:
                self.error(number, "exhibit", f"“{exhibit}” is not an exhibit number")
            elif int(digits) in self.numbers:
                self.error(number, "exhibit", f"exhibit {int(digits)} is also on row {self.numbers[int(digits)]}")
            else:
                self.numbers[int(digits)] = number
                fields["exhibit_number"] = int(digits)
        fields["bates_start"], fields["bates_end"] = self.bates(row)
        if text := self.cell(row, "date"):
            try:
                fields["date"] = dates.parse(text, day_first=self.day_first)
            except ValidationError as e:
                self.error(number, "date", "; ".join(e.messages))
        try:
            fields["is_privileged"] = read_bool(self.cell(row, "privileged"))
        except CellError as e:
            self.error(number, "privileged", str(e))
        return fields

    def sha256(self, number: int, row) -> str:
        """The row's SHA-256 in lower case, "" when it gives none (or one that is not a SHA-256: reported)."""
        text = self.cell(row, "sha256")
        if text and not _SHA256.fullmatch(text.lower()):
            self.error(number, "sha256", f"“{text[:80]}” is not a SHA-256 hash (64 hexadecimal digits)")
            return ""
        return text.lower()

    def bates(self, row) -> tuple[str, str]:
        start, end = self.cell(row, "bates_start"), self.cell(row, "bates_end")
        if bates := self.cell(row, "bates"):  # "ACME_000001 - ACME_000010"; a hyphen inside a number is no separator
            parts = re.split(r"\s+(?:-|to)\s+|\s*\u2013\s*", bates, maxsplit=1)
            start, end = parts[0].strip(), (parts[1].strip() if len(parts) > 1 else "")
        return start, end or start
