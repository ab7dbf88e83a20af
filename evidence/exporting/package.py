"""The filing package (CM/ECF-ready): one ZIP holding the filing version of the chronology (no attachments), an
index of the exhibits, and every exhibit the chronology cites as its own text-searchable, stamped Letter PDF
(exhibits.py), named "Ex. 1 – Privacy policy.pdf" as the matter cites exhibits, in the order the chronology first
cites them; a file over the court's limit (the matter's filing settings, 35 MB unless set) is cut into parts named
"… (part 1 of 2).pdf". Every file is pre-flighted (preflight.py); what a court would reject is said, file by file,
in the result's warnings (the job page, the command's output).

Privileged material never enters: the filing version leaves out privileged events and citations of privileged
documents, so the exhibits are only those a filing may show, whoever asks for the package.
"""

from __future__ import annotations

import dataclasses
import logging
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string

from evidence import ocr
from evidence.exporting import Chronology, Exhibit, Progress, exhibits, preflight
from evidence.exporting.exhibits import ExhibitError, Source
from evidence.filenames import readable_stem
from evidence.files import scratch_dir
from evidence.models.filing import FilingSettings
from evidence.text import clean

logger = logging.getLogger(__name__)

CHRONOLOGY_NAME = "Chronology of Events"
INDEX_NAME = "Index of Exhibits"


@dataclass
class PackagedExhibit:
    exhibit: Exhibit
    source: Source
    parts: list[tuple[str, int, int]] = dataclasses.field(default_factory=list)  # (file name, first, last page)
    pages: int = 0
    problem: str = ""  # why it could not be made, if it could not


@dataclass(frozen=True)
class Package:
    content: bytes
    warnings: tuple[str, ...]
    reports: tuple[preflight.PreflightReport, ...]


def render_package(chronology: Chronology, *, progress: Progress | None = None) -> Package:
    """The ZIP of the filing package of `chronology` (its filing version, as chronology_for read it)."""
    from evidence.exporting.pdf import render_pdf

    filing = chronology.filing or FilingSettings(matter=chronology.matter)
    limit = filing.file_limit_bytes
    report = progress or (lambda done, total: None)
    total = len(chronology.exhibits) + 2
    report(0, total)
    options = dataclasses.replace(chronology.options, report="chronology", format="pdf")
    inner = dataclasses.replace(chronology, options=options)
    with tempfile.TemporaryDirectory(dir=scratch_dir(), prefix="package-") as work:
        work = Path(work)
        out = work / "out"
        out.mkdir()
        rendered = render_pdf(inner)
        staged = work / "chronology.pdf"
        staged.write_bytes(rendered.content)
        files: list[Path] = [_fit(staged, out, CHRONOLOGY_NAME, limit)]
        warnings = list(rendered.warnings)
        report(1, total)
        packaged = []
        for done, exhibit in enumerate(chronology.exhibits, start=2):
            packaged.append(_exhibit(exhibit, filing, work, out, limit))
            report(done, total)
        index = out / f"{INDEX_NAME}.pdf"
        index.write_bytes(_index_pdf(inner, packaged))
        files = [*files, index]
        for item in packaged:
            files += [out / name for name, _, _ in item.parts]
            if item.problem:
                warnings.append(f"{item.source.label} could not be included: {item.problem}")
        reports = [_preflight(path, limit) for path in _flatten(files)]
        content = _zip(_flatten(files))
    report(total, total)
    rejected = [r for r in reports if not r.ok]
    summary = (
        f"Pre-flight: {len(reports)} file{'s' if len(reports) != 1 else ''} checked against the court's limit of "
        f"{preflight.megabytes(limit)}: "
        + ("none would be rejected." if not rejected else f"{len(rejected)} would be rejected.")
    )
    return Package(content, (summary, *(r.text for r in rejected), *warnings), tuple(reports))


def _flatten(files: list) -> list[Path]:
    flat = []
    for item in files:
        flat.extend(item if isinstance(item, list) else [item])
    return flat


def _fit(path: Path, out: Path, stem: str, limit: int) -> list[Path] | Path:
    """The app's own PDF under the limit: as it is, or cut into parts."""
    target = out / f"{stem}.pdf"
    if path.stat().st_size <= limit:
        shutil.move(path, target)
        return target
    shutil.move(path, target)
    import pypdf

    pages = len(pypdf.PdfReader(str(target)).pages)
    return [part.path for part in exhibits._split(target, out, stem=stem, limit=limit, pages=pages)]


def source_of(exhibit: Exhibit, filing: FilingSettings) -> Source:
    document = exhibit.document
    return Source(
        label=filing.exhibit_label(document),
        title=exhibit.title,
        media_type=document.media_type,
        original_filename=clean(document.original_filename),
        size=document.size,
        sha256=document.sha256,
        bates_start=document.bates_start,
        bates_end=document.bates_end,
    )


def exhibit_stem(source: Source) -> str:
    """ "Ex. 1 – Privacy policy": the label and the title, safe for every file system, spaces kept."""
    return readable_stem(f"{source.label} – {source.title}", fallback=source.label)


def _exhibit(exhibit: Exhibit, filing: FilingSettings, work: Path, out: Path, limit: int) -> PackagedExhibit:
    from evidence.importing.isolation import run_isolated
    from evidence.importing.tables import UnusableInputError
    from evidence.services.documents import StoredFileError, read_stored

    source = source_of(exhibit, filing)
    item = PackagedExhibit(exhibit, source)
    folder = Path(tempfile.mkdtemp(dir=work, prefix="exhibit-"))
    staged = folder / "staged.pdf"
    timeout = settings.EVIDENCE_TEXT_READ_TIMEOUT
    try:
        kind = exhibits.stage_kind(source.media_type)
        if kind == "office":
            copy = folder / ("source" + Path(source.original_filename).suffix.lower()[:6])
            read_stored(exhibit.document, shutil.copyfile, copy, timeout=timeout)
            exhibits.office_to_pdf(copy, staged, timeout=timeout)
        else:
            read_stored(exhibit.document, _stage, kind, staged, source, timeout=timeout)
        staged = _with_text(staged, folder, source)
        parts = run_isolated(exhibits.finish, staged, out, source=source, stem=exhibit_stem(source), limit=limit,
                             what=source.label, timeout=timeout)  # fmt: skip
    except (ExhibitError, StoredFileError, UnusableInputError, ocr.OcrError) as error:
        item.problem = str(error)
        logger.warning("Filing package: %s not included: %s", source.label, error)
        return item
    item.parts = [(part.path.name, part.first_page, part.last_page) for part in parts]
    item.pages = parts[-1].last_page if parts else 0
    return item


def _stage(path: Path, kind: str, staged: Path, source: Source) -> int:
    """In the isolated child: the stored file (at `path`) as the PDF `staged`."""
    if kind == "pdf":
        shutil.copyfile(path, staged)
        return 0
    if kind == "image":
        return exhibits.image_to_pdf(path, staged)
    if kind == "text":
        return exhibits.text_to_pdf(path, staged, source)
    return exhibits.slip_sheet(staged, source)


def _with_text(staged: Path, folder: Path, source: Source) -> Path:
    """The staged PDF with a text layer on the pages that have none (OCR), when there is any such page."""
    from evidence.importing.isolation import run_isolated

    if not run_isolated(exhibits.pages_without_text, staged, what=source.label):
        return staged
    if not ocr.available():
        return staged  # pre-flight says which pages have no text
    done = folder / "ocr.pdf"
    ocr.ocr_pdf(staged, done)
    return done


def _index_pdf(chronology: Chronology, packaged: list[PackagedExhibit]) -> bytes:
    from evidence.exporting.pdf import page_css, write_pdf
    from evidence.fetcher import StaticOnlyFetcher

    caption = chronology.caption
    rows = []
    for item in packaged:
        document = item.exhibit.document
        rows.append({
            "label": item.source.label,
            "title": item.source.title,
            "date": document.date.display() if document.date_start else "",
            "bates": item.exhibit.bates,
            "pages": item.pages or "",
            "files": [name for name, _, _ in item.parts],
            "problem": item.problem,
            "cited_by": item.exhibit.cited_by_text,
        })  # fmt: skip
    context = {
        "title": f"{INDEX_NAME} — {caption.short_title}",
        "page_css": page_css(chronology, title=INDEX_NAME),
        "caption": caption,
        "heading": INDEX_NAME,
        "as_of": chronology.prepared_display,
        "chronology_file": f"{CHRONOLOGY_NAME}.pdf",
        "rows": rows,
    }
    html = clean(render_to_string("pdf/package_index.html", context))
    return write_pdf(html, [], fetcher=StaticOnlyFetcher())


def _preflight(path: Path, limit: int) -> preflight.PreflightReport:
    return preflight.preflight(path.read_bytes(), name=path.name, limit=limit)


def _zip(files: list[Path]) -> bytes:
    import io

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in files:
            archive.write(path, arcname=path.name)
    return buffer.getvalue()
