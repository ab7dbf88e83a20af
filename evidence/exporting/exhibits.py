"""One cited exhibit as the PDF a court takes: Letter pages, searchable text, each page stamped with its exhibit
number (and Bates number, where the exhibit has a range), cut into parts under the court's file size limit.

The steps, for the filing package (package.py):

1. `stage`: the stored file, checked against its SHA-256, as a PDF. A PDF is taken as it is; an image becomes one
   page per frame (img2pdf: the image's own pixels, not re-encoded); text, HTML and e-mail are laid out by WeasyPrint
   with the static-only fetcher (an HTML exhibit's scripts never run and its remote images are never fetched: the
   page shows where they were); Word, OpenDocument and RTF files are converted by LibreOffice (`soffice --headless
   --convert-to pdf`, its own profile, killed after EXHIBIT_CONVERT_TIMEOUT seconds); any other file (a spreadsheet,
   audio, video) gets a slip sheet saying what the native file is, as productions do.
2. OCR (evidence.ocr) when a page has no text.
3. `finish`: every page scaled, never cropped, into a Letter page (upright or on its side, as the page is) with a
   margin at the top for the court's own header and at the bottom for the stamp; annotations, forms, scripts and
   attached files are left behind with the source's catalog; the stamp laid over each page; then cut into parts when
   the whole is over the limit.

Parsing an exhibit (pypdf, img2pdf, WeasyPrint) happens in a child of the readers' fork server, under the import
readers' memory limit and EVIDENCE_TEXT_READ_TIMEOUT (importing.isolation), so a hostile file costs a child, not the
worker.
"""

from __future__ import annotations

import html
import io
import os
import re
import shutil
import signal
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from evidence.importing.tables import UnusableInputError

LETTER = (612.0, 792.0)
TOP_MARGIN = 30.0  # points kept clear at the top: CM/ECF stamps its header line there
BOTTOM_MARGIN = 30.0  # and at the bottom, for the exhibit stamp
IMAGE_TYPES = ("image/png", "image/jpeg", "image/tiff", "image/gif", "image/bmp", "image/webp")
OFFICE_TYPES = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/msword",
    "application/vnd.oasis.opendocument.text",
    "application/rtf",
    "text/rtf",
)
EMAIL_TYPE = "message/rfc822"
MAX_TEXT_CHARS = 5_000_000  # a text exhibit longer than this is laid out up to here, and says so


class ExhibitError(UnusableInputError):
    """The exhibit could not be made into a PDF; the message says why, for the user (an UnusableInputError, so that
    the isolated child hands it back as it is)."""


@dataclass(frozen=True)
class Source:
    """What the steps need of a document, as plain values: the child processes never touch the database."""

    label: str  # "Ex. 3", as the stamp and the file name say it
    title: str
    media_type: str
    original_filename: str
    size: int
    sha256: str
    bates_start: str = ""
    bates_end: str = ""


@dataclass(frozen=True)
class Part:
    path: Path
    first_page: int
    last_page: int


# Staging -----------------------------------------------------------------------------------------------------------


def stage_kind(media_type: str) -> str:
    if media_type == "application/pdf":
        return "pdf"
    if media_type in IMAGE_TYPES:
        return "image"
    if media_type in OFFICE_TYPES:
        return "office"
    if media_type == EMAIL_TYPE or media_type.startswith("text/"):
        return "text"
    return "slip"


def image_to_pdf(path: Path, out: Path) -> int:
    """An image as PDF pages of its own pixels (img2pdf); an image img2pdf cannot embed as it is (transparency, an
    unusual mode) is flattened on white by Pillow first. Returns the number of pages."""
    import img2pdf
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = settings.OCR_MAX_IMAGE_MPIXELS * 1_000_000
    try:
        content = img2pdf.convert(str(path), rotation=img2pdf.Rotation.ifvalid)
    except Exception:
        with Image.open(path) as image:
            frames = []
            for index in range(getattr(image, "n_frames", 1)):
                image.seek(index)
                frame = image.convert("RGBA")
                flat = Image.new("RGB", frame.size, "white")
                flat.paste(frame, mask=frame.split()[-1])
                buffer = io.BytesIO()
                flat.save(buffer, format="PNG")
                frames.append(buffer.getvalue())
        content = img2pdf.convert(frames)
    out.write_bytes(content)
    return _page_count(out)


def text_to_pdf(path: Path, out: Path, source: Source) -> int:
    """Text, HTML or an e-mail laid out on Letter pages by WeasyPrint, fetching nothing but the app's static files."""
    from weasyprint import CSS, HTML

    from evidence.fetcher import PDF_STATIC, StaticOnlyFetcher

    fetcher = StaticOnlyFetcher()
    page = CSS(string="@page { size: letter; margin: 0.75in; }", url_fetcher=fetcher)
    if source.media_type == "text/html":
        document = HTML(string=_decoded(path), base_url=PDF_STATIC.as_uri() + "/", url_fetcher=fetcher)
        stylesheets = [page]
    else:
        body = _email_html(path) if source.media_type == EMAIL_TYPE else _text_html(_decoded(path))
        document = HTML(string=_page(source, body), base_url=PDF_STATIC.as_uri() + "/", url_fetcher=fetcher)
        stylesheets = [page]
    document.write_pdf(str(out), stylesheets=stylesheets)
    return _page_count(out)


def slip_sheet(out: Path, source: Source) -> int:
    """One page standing for a file that is produced in its native form."""
    from weasyprint import CSS, HTML

    from evidence.fetcher import PDF_STATIC, StaticOnlyFetcher

    fetcher = StaticOnlyFetcher()
    label, title, name = html.escape(source.label), html.escape(source.title), html.escape(source.original_filename)
    body = (
        f'<div class="slip"><p class="label">{label}</p><p>{title}</p><p>Produced in native form: {name}<br>'
        f"{html.escape(source.media_type)}, {source.size:,} bytes<br>SHA-256 {source.sha256}</p></div>"
    )
    document = HTML(string=_page(source, body), base_url=PDF_STATIC.as_uri() + "/", url_fetcher=fetcher)
    document.write_pdf(str(out), stylesheets=[CSS(string="@page { size: letter; margin: 1in; }")])
    return 1


def office_to_pdf(path: Path, out: Path, *, timeout: int) -> int:
    """A word-processing file converted by LibreOffice (`soffice --headless --convert-to pdf`), with a profile of its
    own (two conversions at once would otherwise share one and fail), killed with its children after `timeout`."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise ExhibitError("LibreOffice is not installed here (apt-get install libreoffice-writer-nogui).")
    with tempfile.TemporaryDirectory(dir=out.parent) as work:
        work = Path(work)
        source = work / ("exhibit" + _suffix(path.name, ".docx"))
        shutil.copyfile(path, source)
        command = [soffice, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless", "--norestore",
                   "--convert-to", "pdf", "--outdir", str(work), str(source)]  # fmt: skip
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
                                   env={**os.environ, "HOME": str(work)})  # fmt: skip
        try:
            _, errors = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise ExhibitError(f"LibreOffice took longer than {timeout} s to convert it.") from None
        converted = source.with_suffix(".pdf")
        if process.returncode != 0 or not converted.exists():
            detail = errors.decode(errors="replace").strip().splitlines()[-1:] or ["no PDF written"]
            raise ExhibitError(f"LibreOffice could not convert it ({detail[0][:200]}).")
        shutil.move(converted, out)
    return _page_count(out)


def _suffix(name: str, default: str) -> str:
    suffix = Path(name).suffix.lower()
    return suffix if re.fullmatch(r"\.[a-z0-9]{1,5}", suffix) else default


def _decoded(path: Path) -> str:
    from evidence.files import _decode

    return _decode(path.read_bytes()[: MAX_TEXT_CHARS * 4])


def _text_html(text: str) -> str:
    cut = len(text) > MAX_TEXT_CHARS
    body = f'<pre class="text">{html.escape(text[:MAX_TEXT_CHARS])}</pre>'
    return body + ('<p class="cut">[The text continues; it is cut here.]</p>' if cut else "")


def _email_html(path: Path) -> str:
    from evidence.email_evidence import parse_email

    try:
        parsed = parse_email(path.read_bytes())
    except Exception:  # not readable as e-mail: shown as the text it is
        return _text_html(_decoded(path))

    def people(pairs):
        return ", ".join(f"{name} <{address}>" if name else address for name, address in pairs)

    rows = [("From", people(parsed.sender)), ("To", people(parsed.to)), ("Cc", people(parsed.cc)),
            ("Date", parsed.date.display() if parsed.date else ""), ("Subject", parsed.subject),
            ("Attachments", ", ".join(a.filename for a in parsed.attachments))]  # fmt: skip
    head = "".join(f"<tr><th>{name}</th><td>{html.escape(value)}</td></tr>" for name, value in rows if value)
    return f'<table class="headers">{head}</table>' + _text_html(parsed.body)


def _page(source: Source, body: str) -> str:
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><link rel="stylesheet" href="exhibit.css">'
        f"<title>{html.escape(source.label)}: {html.escape(source.title)}</title></head><body>{body}</body></html>"
    )


def pages_without_text(path: Path) -> list[int]:
    """The numbers of the pages with no text to find (a scan); [] for a PDF locked by a password (finish refuses it)."""
    import pypdf

    reader = pypdf.PdfReader(str(path))
    if reader.is_encrypted and reader.decrypt("") == 0:
        return []
    from evidence.exporting.preflight import shows_text

    return [n for n, page in enumerate(reader.pages, start=1) if not shows_text(page)]


def _page_count(path: Path) -> int:
    import pypdf

    return len(pypdf.PdfReader(str(path)).pages)


# Finishing ---------------------------------------------------------------------------------------------------------


def bates_numbers(start: str, end: str, pages: int) -> list[str]:
    """The Bates number of each page: "LI-000104" … when the range counts the pages (or has no end); else the range
    itself on every page; [] without a Bates number."""
    if not start:
        return []
    found = re.fullmatch(r"(.*?)(\d+)", start.strip())
    if found:
        prefix, digits = found.groups()
        first = int(digits)
        last = first + pages - 1
        ending = re.fullmatch(r"(.*?)(\d+)", end.strip()) if end else None
        if not end or (ending and ending.group(1) == prefix and int(ending.group(2)) == last):
            return [f"{prefix}{n:0{len(digits)}d}" for n in range(first, last + 1)]
    text = f"{start} – {end}" if end and end != start else start
    return [text] * pages


def finish(src: Path, out_dir: Path, *, source: Source, stem: str, limit: int) -> list[Part]:
    """The staged PDF made Letter, stamped and cut under `limit` bytes: the parts written in `out_dir`, as
    "<stem>.pdf" or "<stem> (part 1 of 2).pdf"."""
    import pypdf
    from pypdf import Transformation

    reader = pypdf.PdfReader(str(src))
    if reader.is_encrypted and reader.decrypt("") == 0:
        raise ExhibitError("it is locked by a password; file an unlocked copy.")
    pages = len(reader.pages)
    stamps = _stamps(source, pages)
    writer = pypdf.PdfWriter()
    for page, stamp in zip(reader.pages, stamps.pages, strict=True):
        letter = _on_letter(writer, page)
        # The stamp sits at the bottom right of an upright page: moved right on a page on its side.
        shift = float(letter.mediabox.width) - LETTER[0]
        letter.merge_transformed_page(stamp, Transformation().translate(shift, 0))
    writer.add_metadata({"/Title": f"{source.label}: {source.title}", "/Producer": "Case Timeline"})
    whole = out_dir / f"{stem}.pdf"
    with whole.open("wb") as handle:
        writer.write(handle)
    _drop_unused_resources(whole)
    if whole.stat().st_size <= limit:
        return [Part(whole, 1, pages)]
    return _split(whole, out_dir, stem=stem, limit=limit, pages=pages)


def _on_letter(writer, page):
    """A new Letter page of `writer` (on its side for a page wider than high, as it is shown) with `page` drawn on it
    as it is shown (its /Rotate applied), scaled to fit inside the margins and centred."""
    from pypdf import Transformation

    box = page.cropbox
    left, bottom = float(box.left), float(box.bottom)
    width, height = abs(float(box.width)), abs(float(box.height))
    rotation = (page.get("/Rotate") or 0) % 360
    # Drawn as shown: the box moved to the origin, then turned clockwise by /Rotate (pypdf turns anticlockwise).
    turn = Transformation().translate(-left, -bottom).rotate(-rotation)
    corners = [turn.apply_on((x, y)) for x in (left, left + width) for y in (bottom, bottom + height)]
    low_x, low_y = min(c[0] for c in corners), min(c[1] for c in corners)
    shown_width = max(c[0] for c in corners) - low_x
    shown_height = max(c[1] for c in corners) - low_y
    page_width, page_height = (LETTER[1], LETTER[0]) if shown_width > shown_height else LETTER
    room_height = page_height - TOP_MARGIN - BOTTOM_MARGIN
    scale = min(page_width / shown_width, room_height / shown_height) if shown_width and shown_height else 1.0
    dx = (page_width - shown_width * scale) / 2
    dy = BOTTOM_MARGIN + (room_height - shown_height * scale) / 2
    placed = turn.translate(-low_x, -low_y).scale(scale, scale).translate(dx, dy)
    letter = writer.add_blank_page(width=page_width, height=page_height)
    letter.merge_transformed_page(page, placed)
    for key in ("/Annots", "/AA"):  # links, widgets, attachments and page actions stay with the source
        if key in letter:
            del letter[key]
    return letter


def _drop_unused_resources(path: Path) -> None:
    """Each page keeps only the images, forms and fonts its content draws (qpdf, through pikepdf). Some writers
    (WeasyPrint among them) give every page the resources of all, which would put every page's images into every
    part of a split exhibit."""
    import pikepdf

    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        pdf.remove_unreferenced_resources()
        pdf.save(path)


def _stamps(source: Source, pages: int):
    """A PDF of one upright Letter page per exhibit page, holding only its stamp ("Ex. 3 · LI-000105 · Page 2 of 7")
    at the bottom right, in the app's own embedded font, on white so that it reads over anything under it."""
    import pypdf
    from weasyprint import HTML

    from evidence.fetcher import PDF_STATIC, StaticOnlyFetcher

    bates = bates_numbers(source.bates_start, source.bates_end, pages)
    label = html.escape(source.label)
    blocks = []
    for number in range(1, pages + 1):
        lines = [f"<b>{label}</b>"]
        if bates:
            lines.append(html.escape(bates[number - 1]))
        lines.append(f"Page {number} of {pages}")
        blocks.append(f'<div class="stamp"><span>{" · ".join(lines)}</span></div>')
    document = (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><link rel="stylesheet" href="stamp.css"></head>'
        f"<body>{''.join(blocks)}</body></html>"
    )
    fetcher = StaticOnlyFetcher()
    content = HTML(string=document, base_url=PDF_STATIC.as_uri() + "/", url_fetcher=fetcher).write_pdf()
    return pypdf.PdfReader(io.BytesIO(content))


def _split(whole: Path, out_dir: Path, *, stem: str, limit: int, pages: int) -> list[Part]:
    """Parts of consecutive pages, each under `limit`: as many pages as the average page size allows, fewer when a
    part still comes out too large. A single page over the limit is refused."""

    import pikepdf

    source = pikepdf.open(whole)
    average = whole.stat().st_size / pages
    ranges, first = [], 1
    while first <= pages:
        count = max(1, min(pages - first + 1, int(limit * 0.9 / average)))
        while True:
            part = pikepdf.new()
            part.pages.extend(source.pages[first - 1 : first - 1 + count])
            buffer = io.BytesIO()
            part.save(buffer)
            if buffer.tell() <= limit:
                break
            if count == 1:
                raise ExhibitError(f"its page {first} alone is over the court's file size limit.")
            count = max(1, count // 2)
        ranges.append((first, first + count - 1, buffer.getvalue()))
        first += count
    source.close()
    whole.unlink()
    parts = []
    for index, (start, end, content) in enumerate(ranges, start=1):
        path = out_dir / f"{stem} (part {index} of {len(ranges)}).pdf"
        path.write_bytes(content)
        parts.append(Part(path, start, end))
    return parts
