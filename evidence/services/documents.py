"""Evidence documents: intake (stream, hash, number, store), metadata changes, soft delete and restore, bringing back
an earlier version, and the page counts of PDFs taken in before intake kept them."""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone

from evidence import dates, files
from evidence.models import Document, Matter
from evidence.services.base import save_with_history

DOCUMENT_FIELDS = Document.EDITABLE_FIELDS


@dataclass
class IntakeResult:
    document: Document
    created: bool  # False when these exact bytes were already evidence in the matter


@transaction.atomic
def document_intake(
    *,
    matter: Matter,
    user,
    file,
    filename: str,
    reason: str,
    title: str = "",
    date: dates.PartialDate | str | None = None,
    exhibit_number: int | None = None,
    **fields,
) -> IntakeResult:
    """Take in one evidence file: stream and hash it, recognise a duplicate, number it, store it, extract its text
    (and a PDF's page count): here for files up to EVIDENCE_TEXT_INLINE_BYTES, by a background job for larger ones.

    Exhibit numbers come from the matter's counter, incremented by an UPDATE inside this transaction: the row lock
    makes concurrent intakes queue, and a rolled-back intake gives its number back, so numbers have no gaps and no
    duplicates. An explicit `exhibit_number` (from an import manifest) must be free and moves the counter past it.
    """
    spooled = files.spool(file, filename=filename)
    try:
        existing = Document.objects.filter(matter=matter, sha256=spooled.sha256).first()
        if existing is not None:
            spooled.discard()
            if existing.is_deleted:
                existing.deleted_at = None
                save_with_history(existing, user=user, reason=f"{reason} (the same file again: restored)")
            return IntakeResult(document=existing, created=False)
        # A number asked for (an import's manifest) is checked first: a clash refuses the file before it is read.
        number = _next_exhibit_number(matter, exhibit_number) if exhibit_number is not None else None
        read_later = spooled.size > settings.EVIDENCE_TEXT_INLINE_BYTES and files.has_text(spooled.media_type)
        if read_later or not files.has_text(spooled.media_type):
            contents = files.Contents()
        else:
            contents = read_inline(spooled, filename=filename)
        document = Document(
            matter=matter,
            title=title or filename,
            original_filename=filename[:255],
            sha256=spooled.sha256,
            size=spooled.size,
            media_type=spooled.media_type,
            exhibit_number=number,
            extracted_text=contents.text,
            page_count=contents.page_count,
            **fields,
        )
        document.matter = Matter.objects.get(pk=matter.pk)  # the prefix as it is now, for labels
        document.date = matter.read_date(date) if date is not None else dates.UNDATED
        document.file.name = files.storage_name(spooled.sha256)
        document.full_clean(exclude=["file", "exhibit_number"])
        # The file is placed before commit: it is content-addressed, so a rollback leaves at worst an unreferenced
        # copy of these bytes (reported by verify_evidence), never a row pointing at a missing file.
        files.store(spooled)
        if number is None:
            # The next number is drawn last: the matter's row stays locked from here to commit, and every upload to
            # the matter waits on it, so the file is read and stored before, not while others wait.
            document.exhibit_number = _next_exhibit_number(matter, None)
        save_with_history(document, user=user, reason=reason)
        if read_later:  # a large file's text is read by a worker, not in the request that uploaded it
            from evidence.document_text import start_text_job

            start_text_job(document=document, user=user)
        else:
            from evidence.document_ocr import needs_ocr, start_ocr_job

            if needs_ocr(media_type=document.media_type, contents=contents):  # a scan or an image: by a worker too
                start_ocr_job(document=document, user=user)
    except BaseException:
        spooled.discard()
        raise
    return IntakeResult(document=document, created=True)


def _next_exhibit_number(matter: Matter, requested: int | None) -> int:
    if requested is None:
        Matter.objects.filter(pk=matter.pk).update(last_exhibit_number=F("last_exhibit_number") + 1)
        return Matter.objects.values_list("last_exhibit_number", flat=True).get(pk=matter.pk)
    if requested < 1:
        raise ValidationError({"exhibit_number": "Exhibit numbers start at 1."})
    Matter.objects.filter(pk=matter.pk).update(last_exhibit_number=Greatest(F("last_exhibit_number"), requested))
    taken = Document.objects.filter(matter=matter, exhibit_number=requested).first()
    if taken:
        raise ValidationError({"exhibit_number": f"{taken.exhibit_label} is already “{taken.title}”."})
    return requested


@transaction.atomic
def document_update(
    *, document: Document, user, reason: str, date: dates.PartialDate | str | None = None, **fields
) -> Document:
    unknown = set(fields) - set(DOCUMENT_FIELDS)
    if unknown:
        raise TypeError(f"document_update() got unknown fields {sorted(unknown)}")
    current = Document.objects.select_for_update().get(pk=document.pk)
    for name, value in fields.items():
        setattr(current, name, value)
    if date is not None:
        current.date = current.matter.read_date(date)
    save_with_history(current, user=user, reason=reason)
    return current


@transaction.atomic
def document_delete(*, document: Document, user, reason: str) -> Document:
    """Soft delete: the file and the row stay; the document is hidden and can be restored."""
    current = Document.objects.select_for_update().get(pk=document.pk)
    current.deleted_at = timezone.now()
    save_with_history(current, user=user, reason=reason)
    return current


@transaction.atomic
def document_restore(*, document: Document, user, reason: str) -> Document:
    current = Document.objects.select_for_update().get(pk=document.pk)
    current.deleted_at = None
    save_with_history(current, user=user, reason=reason)
    return current


@transaction.atomic
def document_revert(*, document: Document, history_id: int, user, reason: str) -> Document:
    """Bring back the metadata of an earlier version (title, date, author, source URL, capture time, Bates range,
    privileged, deleted or not) as a new version; history is never rewritten. The file, its hash and its exhibit
    number never change, so they are not part of a version."""
    old = document.history.get(history_id=history_id)
    current = Document.objects.select_for_update().get(pk=document.pk)
    for name in (*DOCUMENT_FIELDS, *Document.STORED_COLUMNS, "deleted_at"):
        setattr(current, name, getattr(old, name))
    current.date = current.date  # refresh the derived sort and filter columns
    save_with_history(current, user=user, reason=reason)
    return current


@dataclass
class PageCountReport:
    counted: int = 0
    unknown: list[str] = field(default_factory=list)  # "matter PX-3 (scan.pdf): why"


def documents_page_count_fill(*, matter_slug: str | None = None) -> PageCountReport:
    """Read the page count of each PDF that has none (taken in before intake kept page counts), one at a time.

    Each file is copied from storage and hashed first (a file that no longer hashes to its SHA-256 is not read: that
    is for verify_evidence to report), then parsed in a child process under the import readers' memory and time
    limits (evidence.importing.isolation), so a hostile PDF costs a child, not the run. The count is written without
    a new version: like the extracted text, it is read from the file and is no part of the document's history.
    A PDF that gives no count (damaged, locked by a password) keeps none and is listed; running again retries it.
    """
    from evidence.importing.tables import UnusableInputError  # the importers build on this module

    report = PageCountReport()
    pending = Document.objects.filter(media_type="application/pdf", page_count__isnull=True)
    if matter_slug:
        pending = pending.filter(matter__slug=matter_slug)
    for document in pending.select_related("matter").order_by("pk").iterator(chunk_size=200):
        name = f"{document.matter.slug} {document.exhibit_label} ({document.original_filename})"
        try:
            count = read_stored(document, files.pdf_page_count)
        except (StoredFileError, UnusableInputError) as error:
            report.unknown.append(f"{name}: {error}")
            continue
        if count is None:
            report.unknown.append(f"{name}: no page count (the PDF is damaged or locked by a password)")
            continue
        report.counted += Document.objects.filter(pk=document.pk, page_count__isnull=True).update(page_count=count)
    return report


class StoredFileError(Exception):
    """The stored file cannot be read, or is no longer the evidence taken in (verify_evidence reports which)."""


def read_stored(document: Document, reader, *args, timeout: int | None = None, timeout_setting: str = ""):
    """reader(path, *args) run on a copy of the document's stored file, in a child process under the import readers'
    memory and time limits (evidence.importing.isolation), so a hostile file costs a child, not the caller. The copy is
    hashed first: a file that no longer hashes to its SHA-256 is not read. StoredFileError or UnusableInputError."""
    from evidence.importing.isolation import run_isolated

    try:
        with default_storage.open(document.file.name, "rb") as stored:
            spooled = files.spool(stored, filename=document.original_filename)
    except (OSError, ValidationError) as error:
        raise StoredFileError(f"the stored file cannot be read ({' '.join(_messages(error))})") from error
    try:
        if spooled.sha256 != document.sha256:
            raise StoredFileError("the stored file no longer matches its SHA-256 (see verify_evidence)")
        return run_isolated(reader, spooled.path, *args, what=document.original_filename, timeout=timeout,
                            timeout_setting=timeout_setting or "IMPORT_READ_TIMEOUT", advice=READ_ADVICE)  # fmt: skip
    finally:
        spooled.discard()


READ_ADVICE = "The file is kept as evidence, without searchable text."


def read_inline(spooled: files.SpooledEvidence, *, filename: str) -> files.Contents:
    """The text (and page count) of a file being taken in, read in a child process under the import readers' memory
    and time limits (IMPORT_READ_MAX_MEMORY, IMPORT_READ_TIMEOUT), so a file that is hostile to a parser costs a
    child, not the web process. A file over a bound of extraction, or that the child could not read within them, is
    refused: ValidationError saying why, and the file is not stored."""
    from evidence.importing.isolation import run_isolated
    from evidence.importing.tables import UnusableInputError

    try:
        return run_isolated(files.read_contents, spooled.path, spooled.media_type, filename, what=filename,
                            advice="The file was not stored; split it, or ask for the limit to be raised.")  # fmt: skip
    except UnusableInputError as error:
        message = str(error)
        if "not stored" not in message:
            message += " The file was not stored."
        raise ValidationError(message, code="refused") from None


def _messages(error: Exception) -> list[str]:
    return error.messages if isinstance(error, ValidationError) else [str(error)]
