"""Import the captures of a tracked source from a file (a WARC, a WACZ, or a ZIP of files with a manifest): each
capture becomes a document of the matter, through the same intake as any evidence (hash, content-addressed storage,
exhibit number), and a version of the source. All or nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from evidence.importing.apply import import_reason
from evidence.importing.documents import remove_unreferenced
from evidence.importing.plan import RowError
from evidence.models import Document, SourceVersion, TrackedSource
from evidence.services.documents import document_intake
from evidence.services.sources import version_add
from evidence.tracked.captures import CapturePlan, PlannedCapture, planned_captures

Progress = Callable[[str, int, int], None]
MB = 1024 * 1024


@dataclass
class CaptureImportResult:
    name: str
    source: TrackedSource
    added: list[SourceVersion] = field(default_factory=list)
    reused: list[tuple[str, Document]] = field(default_factory=list)  # (capture, the document its bytes already were)
    duplicates: list[tuple[str, Document]] = field(default_factory=list)  # (capture, a version of the source already)
    skipped: int = 0
    notices: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    written: bool = False

    def summary(self) -> str:
        reused = f" ({len(self.reused)} from documents already in the matter)" if self.reused else ""
        parts = [f"{_count(len(self.added), 'version')} added{reused}"]
        if self.duplicates:
            parts.append(f"{_count(len(self.duplicates), 'capture')} already a version, not added again")
        if self.skipped:
            parts.append(f"{_count(self.skipped, 'record')} skipped")
        if self.errors:
            parts.append(f"{_count(len({e.row for e in self.errors}), 'invalid row')}")
        return ", ".join(parts)


def captures_import(
    *, source: TrackedSource, path: str | Path, user, name: str | None = None, reason: str = "",
    progress: Progress | None = None,
) -> CaptureImportResult:  # fmt: skip
    """Take in every capture in the file at `path` as a document and a version of `source`, in one transaction.

    A capture whose bytes are already a document of the matter becomes a version through that document (and the
    result says so); one that is already a version of this source is not added again (a duplicate). A web archive's
    captures are versions captured by web archive at the archived time (WARC-Date), first seen on that day (on the
    matter's clock). CaptureFileError (an UnusableInputError) for a file that cannot be imported at all; row errors
    of a manifest in `errors`. Either way, and whenever the writing fails, nothing is written: no document, no
    version, no stored file left behind. `progress(stage, done, total)` is told how the reading of a web archive goes
    (with a `total` of 0: the stage says it all), then of each capture taken in."""
    name = name or Path(path).name
    reason = reason or import_reason(name)
    progress = progress or (lambda stage, done, total: None)
    result = CaptureImportResult(name=name, source=source)

    def reading(records: int, captures: int, done: int, total: int) -> None:
        progress(f"Reading {name}: {_count(records, 'record')}, {_count(captures, 'capture')} of the source's URL so "
                 f"far ({done / MB:,.1f} of {total / MB:,.1f} MB)", 0, 0)  # fmt: skip

    with planned_captures(path, source=source, name=name, reading=reading) as plan:
        result.notices, result.errors, result.skipped = list(plan.notices), list(plan.errors), plan.skipped
        if result.errors:
            return result
        _take_in(plan, source=source, user=user, reason=reason, result=result, progress=progress)
    return result


def _take_in(plan: CapturePlan, *, source, user, reason: str, result: CaptureImportResult, progress) -> None:
    # explicit exhibit numbers first, so that a numbered row never collides with one numbered on the way
    captures = sorted(plan.captures, key=lambda c: (c.document.get("exhibit_number") is None, c.row))
    placed: list[str] = []  # hashes of the files this import may have put in storage
    try:
        with transaction.atomic():
            for done, capture in enumerate(captures, 1):
                placed.append(capture.sha256)
                _one(capture, source=source, user=user, reason=reason, result=result, placed=placed)
                progress("Taking in the captures", done, len(captures))
            if result.errors:
                raise ValidationError(result.errors[0].reason)
    except BaseException as error:
        remove_unreferenced([h for h in placed if h])
        result.added, result.reused, result.duplicates = [], [], []
        if isinstance(error, ValidationError) and result.errors:
            return
        raise
    result.written = True


def _one(capture: PlannedCapture, *, source, user, reason: str, result: CaptureImportResult, placed) -> None:
    with capture.open() as fh:
        try:
            intake = document_intake(matter=source.matter, user=user, file=fh, filename=capture.filename,
                                     reason=reason, **capture.document)  # fmt: skip
        except ValidationError as error:
            result.errors.append(RowError(capture.row, "file", f"{capture.label}: {'; '.join(error.messages)}"))
            raise
    document = intake.document
    placed.append(document.sha256)
    if capture.sha256 and document.sha256 != capture.sha256:
        what = "the manifest gives" if capture.row else "the archive's payload hashed to"
        result.errors.append(RowError(capture.row, capture.sha256_column or "file",
                                      f"{capture.label} has SHA-256 {document.sha256}, but {what} {capture.sha256}: "
                                      "it is not the file listed"))  # fmt: skip
        return
    if not intake.created:
        existing = SourceVersion.objects.filter(source=source, document=document).first()
        if existing is not None:
            result.duplicates.append((capture.label, document))
            result.notices.append(
                f"{capture.label}: its bytes are {document.exhibit_label}, already a version of “{source.name}”"
                + (" (deleted: restore it on the source's page)" if existing.is_deleted else "")
                + "; not added again."
            )
            return
        result.reused.append((capture.label, document))
        result.notices.append(
            f"{capture.label}: its bytes are already {document.exhibit_label} (“{document.title}”); that document "
            "is the new version."
        )
    try:
        version = version_add(source=source, document=document, user=user, reason=reason, **capture.version)
    except ValidationError as error:
        result.errors.append(RowError(capture.row, "file", f"{capture.label}: {'; '.join(error.messages)}"))
        raise
    result.added.append(version)


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"
