"""Evidence files: streamed hashing at intake, media-type sniffing, text (and PDF page count) extraction,
verification.

Files are stored content-addressed (evidence/ab/cd/<sha256>) so the same bytes are stored once and a stored file is
never replaced by different content.
"""

import hashlib
import logging
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import BinaryIO

import magic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.template.defaultfilters import filesizeformat

logger = logging.getLogger(__name__)

CHUNK = 1024 * 1024
MAX_EXTRACTED_CHARS = 5_000_000
MAX_EMAIL_TEXT_BYTES = 100 * 1024 * 1024  # as services.email reads a message whole


@dataclass
class SpooledEvidence:
    """An incoming file written to a temporary file while its hash and size were computed."""

    path: Path
    sha256: str
    size: int
    media_type: str

    def discard(self) -> None:
        self.path.unlink(missing_ok=True)


def _chunks(source: BinaryIO | Iterable[bytes]) -> Iterable[bytes]:
    if hasattr(source, "chunks"):
        yield from source.chunks(CHUNK)
    elif hasattr(source, "read"):
        while chunk := source.read(CHUNK):
            yield chunk
    else:
        yield from source


def spool(source, *, filename: str, max_bytes: int | None = None) -> SpooledEvidence:
    """Stream `source` to a temporary file, hashing as it goes; refuse empty or oversized files without keeping them."""
    limit = settings.EVIDENCE_MAX_UPLOAD_BYTES if max_bytes is None else max_bytes
    digest = hashlib.sha256()
    size = 0
    head = b""
    fd, name = tempfile.mkstemp(dir=scratch_dir(), prefix="intake-")
    path = Path(name)
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in _chunks(source):
                size += len(chunk)
                if size > limit:
                    check_size(size, filename=filename, limit=limit)
                if len(head) < 8192:
                    head += chunk[: 8192 - len(head)]
                digest.update(chunk)
                out.write(chunk)
        check_size(size, filename=filename, limit=limit)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return SpooledEvidence(path=path, sha256=digest.hexdigest(), size=size, media_type=sniff(head, filename))


def scratch_dir() -> Path:
    """This host's folder for files being taken in or read (never the evidence itself, which is in the storage):
    SCRATCH_DIR, else MEDIA_ROOT/tmp."""
    path = Path(settings.SCRATCH_DIR or Path(settings.MEDIA_ROOT) / "tmp")
    path.mkdir(parents=True, exist_ok=True)
    return path


@contextmanager
def local_copy(name: str, *, suffix: str = "") -> Iterator[Path]:
    """A stored file as a file of this host, for a reader that needs a path (a child process reads it): streamed
    from the storage, whichever host wrote it, and removed afterwards."""
    fd, temp = tempfile.mkstemp(dir=scratch_dir(), prefix="read-", suffix=suffix)
    path = Path(temp)
    try:
        with os.fdopen(fd, "wb") as out, default_storage.open(name, "rb") as stored:
            shutil.copyfileobj(stored, out, CHUNK)
        yield path
    finally:
        path.unlink(missing_ok=True)


def check_size(size: int, *, filename: str, limit: int | None = None) -> None:
    limit = settings.EVIDENCE_MAX_UPLOAD_BYTES if limit is None else limit
    if size == 0:
        raise ValidationError(f"“{filename}” is empty (0 bytes): there is nothing to keep as evidence.", code="empty")
    if size > limit:
        raise ValidationError(f"“{filename}” is larger than the upload limit of {_human(limit)}.", code="too_large")


def sniff(head: bytes, filename: str) -> str:
    """The media type read from the content itself, never from the name the sender chose."""
    media_type = magic.from_buffer(head, mime=True) or "application/octet-stream"
    # libmagic calls a message "text/html" or "text/plain" when its first lines hold markup or no Received: header.
    if media_type.startswith("text/") and filename.lower().endswith(".eml") and has_message_headers(head):
        return "message/rfc822"
    return media_type


def has_message_headers(head: bytes) -> bool:
    """Whether the bytes start with an RFC 5322 header block: a From plus a Date, Subject, To or Message-ID."""
    header_block = head.replace(b"\r\n", b"\n").split(b"\n\n", 1)[0].decode("latin-1")
    names = {
        line.split(":", 1)[0].strip().lower()
        for line in header_block.splitlines()
        if ":" in line and line[:1] not in " \t"
    }
    return "from" in names and bool(names & {"date", "subject", "to", "message-id"})


def storage_name(sha256: str) -> str:
    return f"evidence/{sha256[:2]}/{sha256[2:4]}/{sha256}"


def store(spooled: SpooledEvidence) -> str:
    """Move the spooled file into content-addressed storage; return its storage name.

    If a file with this hash is already stored it is the same content, so the spooled copy is simply dropped.
    """
    name = storage_name(spooled.sha256)
    try:
        if not default_storage.exists(name):
            with spooled.path.open("rb") as fh:
                saved = default_storage.save(name, File(fh, name=name))
            if saved != name:  # another writer stored the same bytes between exists() and save()
                default_storage.delete(saved)
    finally:
        spooled.discard()
    return name


def hash_stored(name: str) -> str:
    digest = hashlib.sha256()
    with default_storage.open(name, "rb") as fh:
        for chunk in iter(lambda: fh.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


class _TextFromHTML(HTMLParser):
    _skip = {"script", "style", "head", "title", "noscript"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._depth = 0

    def handle_starttag(self, tag, attrs):
        if tag in self._skip:
            self._depth += 1
        elif tag in {"p", "br", "div", "li", "tr", "h1", "h2", "h3", "h4"}:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self._skip and self._depth:
            self._depth -= 1

    def handle_data(self, data):
        if not self._depth:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    parser = _TextFromHTML()
    parser.feed(html)
    return "".join(parser.parts)


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


@dataclass(frozen=True)
class Contents:
    """What intake reads from a file: its searchable text and, for a PDF, its number of pages (None: unknown)."""

    text: str = ""
    page_count: int | None = None


def has_text(media_type: str) -> bool:
    """Whether read_contents reads anything from a file of this type."""
    from evidence.office_text import MEDIA_TYPES

    return media_type in ("application/pdf", "message/rfc822", *MEDIA_TYPES) or media_type.startswith("text/")


def read_contents(path: Path, media_type: str, name: str = "the file") -> Contents:
    """The text of a PDF, Word, Excel, text, HTML or e-mail file and the page count of a PDF; nothing for other types
    or for files that cannot be read (a damaged file is still evidence: it is kept, only without text). A file over
    a bound (a PDF's pages, an archive's expansion, a workbook's cells) is refused: UnusableInputError, naming the
    bound; `name` is the file's name for that message. A PDF is parsed once for both."""
    if media_type == "application/pdf":
        return _pdf_contents(path, name)
    return Contents(text=extract_text(path, media_type, name))


def extract_text(path: Path, media_type: str, name: str = "the file") -> str:
    """Searchable text of a file read_contents reads; "" for other types or unreadable files."""
    from evidence.importing.tables import UnusableInputError
    from evidence.office_text import MEDIA_TYPES, office_text

    if media_type == "application/pdf":
        return _pdf_contents(path, name).text
    try:
        if media_type in MEDIA_TYPES:
            text = office_text(path, media_type, name=name, max_chars=MAX_EXTRACTED_CHARS)
        elif media_type == "text/html":
            text = html_to_text(_decode(path.read_bytes()))
        elif media_type == "message/rfc822":
            text = _email_text(path)
        elif media_type.startswith("text/"):
            text = _decode(path.read_bytes())
        else:
            return ""
    except UnusableInputError:
        raise
    except Exception:  # a damaged file is still evidence; it is kept, only without searchable text
        logger.warning("Could not extract text from %s (%s)", path, media_type, exc_info=True)
        return ""
    return tidy(text)


def tidy(text: str) -> str:
    return " ".join(text.replace("\x00", "").split(" "))[:MAX_EXTRACTED_CHARS]


def _pdf_contents(path: Path, name: str = "the file") -> Contents:
    """The page count and the text are read apart: a PDF whose text cannot be extracted still has pages."""
    from evidence.importing.tables import UnusableInputError

    try:
        reader, page_count = _read_pdf(path, name)
    except UnusableInputError:
        raise
    except Exception:  # a damaged file is still evidence; it is kept, only without text and page count
        logger.warning("Could not read the PDF %s", path, exc_info=True)
        return Contents()
    try:
        text = "\n\f".join((page.extract_text() or "") for page in reader.pages)
    except Exception:
        logger.warning("Could not extract text from the PDF %s", path, exc_info=True)
        text = ""
    return Contents(text=tidy(text), page_count=page_count)


def _read_pdf(path: Path, name: str = "the file"):
    """The PDF's reader and its page count, found by walking the page tree (bounded by pypdf's limits on its depth
    and size). A PDF locked by a password offers only the /Count it declares, which nothing checks: its page count
    is not taken as known. A PDF that declares, or holds, more than EVIDENCE_PDF_MAX_PAGES pages is refused before
    its pages are read (UnusableInputError)."""
    from pypdf import PasswordType, PdfReader

    reader = PdfReader(path)
    if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
        return reader, None
    _check_pages(reader.trailer["/Root"]["/Pages"].get("/Count"), name, "declares")
    count = len(reader.pages)
    _check_pages(count, name, "has")
    return reader, (count if count >= 1 else None)


def _check_pages(count, name: str, verb: str) -> None:
    from evidence.importing.tables import UnusableInputError

    limit = settings.EVIDENCE_PDF_MAX_PAGES
    if isinstance(count, int) and count > limit:
        raise UnusableInputError(
            f"“{name}” {verb} {count:,} pages; the limit is {limit:,} (setting EVIDENCE_PDF_MAX_PAGES). Split it."
        )


def pdf_page_count(path: Path) -> int | None:
    """The page count of a PDF (without its text), None when it cannot be read."""
    try:
        return _read_pdf(path, path.name)[1]
    except Exception:
        logger.warning("Could not read the PDF %s", path, exc_info=True)
        return None


def _email_text(path: Path) -> str:
    """Subject and body, through the e-mail reader's bounds (MIME parts, nesting, attachments): a hostile message
    is kept without text rather than parsed without limit."""
    from evidence import email_evidence  # it builds on this module

    if path.stat().st_size > getattr(settings, "EVIDENCE_EMAIL_MAX_BYTES", MAX_EMAIL_TEXT_BYTES):
        return ""
    parsed = email_evidence.parse_email(path.read_bytes())
    lines = [f"Subject: {parsed.subject}"]
    for label, people in (("From", parsed.sender), ("To", parsed.to), ("Cc", parsed.cc), ("Bcc", parsed.bcc)):
        if people:
            lines.append(f"{label}: " + ", ".join(f"{shown} <{addr}>" if shown else addr for shown, addr in people))
    if parsed.attachments:
        lines.append("Attachments: " + ", ".join(attachment.filename for attachment in parsed.attachments))
    return "\n".join(lines) + f"\n\n{parsed.body}"


def _human(n: int) -> str:
    # Django's filesizeformat joins with a no-break space; messages are also printed by commands and logs.
    return filesizeformat(n).replace("\xa0", " ")
