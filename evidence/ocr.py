"""OCR: Tesseract (Debian's tesseract-ocr, tesseract-ocr-eng) through OCRmyPDF, for scanned PDFs and images.

OCRmyPDF rather than calling Tesseract page by page (pytesseract): it lays an invisible text layer over each original
page (the page's own image and vector content are kept as they are, so the result can be filed), OCRs only the
pages that have no text (mode "skip"), turns an image into a one-page PDF, reports progress page by page, and bounds
each page (Tesseract's time, the pixels of an image before it is decoded). The rendering is pypdfium2's, so
Ghostscript is not needed.

Each run is its own process group, forked from the caller: the whole group (OCRmyPDF, its Tesseract processes) is
killed when the total time runs out, its memory is capped like the import readers' (IMPORT_READ_MAX_MEMORY), and
its temporary files are in a folder of the scratch directory that is removed whatever happens. The output is written
to `dst` only when the run succeeded; the input is never changed.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import shutil
import signal
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)

Progress = Callable[[int, int], None]  # (pages done, pages)

IMAGE_TYPES = ("image/png", "image/jpeg", "image/tiff")
PAGE_SEPARATOR = "\n\f"  # as evidence.files joins a PDF's pages: search tells the page by it
ASSUMED_DPI = 300  # for an image that does not say its resolution: a scan's usual one
HEARTBEAT = 60  # seconds: progress is told again at least this often, well within JOB_STALE_AFTER


class OcrError(Exception):
    """OCR could not be done; the message says why, in words for the user."""


class OcrUnavailable(OcrError):
    """Tesseract is not installed on this host."""


@dataclass(frozen=True)
class OcrResult:
    pages: int  # pages of the output PDF
    text: str  # every page's text (its own or the OCR's), pages joined by PAGE_SEPARATOR
    page_texts: tuple[str, ...] = ()
    warnings: tuple[str, ...] = field(default=())  # e.g. a page Tesseract gave up on within the time per page

    @property
    def empty_pages(self) -> list[int]:
        """The numbers (from 1) of the pages with no text even after OCR."""
        return [n for n, page in enumerate(self.page_texts, 1) if not page.strip()]


def available() -> bool:
    return shutil.which("tesseract") is not None


def ocr_pdf(
    src: Path,
    dst: Path,
    *,
    timeout: float | None = None,
    page_timeout: float | None = None,
    max_pages: int | None = None,
    language: str = "eng",
    progress: Progress | None = None,
) -> OcrResult:
    """Give the PDF `src` a text layer where its pages have none, written to `dst` (a PDF of the same pages, Tesseract's
    invisible text over the pages that had no text; the pages that had text are kept as they were). OcrError says
    why it could not: Tesseract missing, more than `max_pages` pages, the PDF locked or unreadable, `timeout` seconds
    in all. A page Tesseract cannot finish within `page_timeout` is left without text and named in the warnings.
    Defaults: settings OCR_TIMEOUT, OCR_PAGE_TIMEOUT, OCR_MAX_PAGES. `progress(done, pages)` is called as pages are
    done, and again at least every HEARTBEAT seconds once OCR has begun, in the calling process (it may write to
    the database)."""
    return _run(src, dst, image=False, timeout=timeout, page_timeout=page_timeout, max_pages=max_pages,
                language=language, progress=progress)  # fmt: skip


def ocr_image(
    src: Path,
    dst: Path,
    *,
    timeout: float | None = None,
    page_timeout: float | None = None,
    language: str = "eng",
    progress: Progress | None = None,
) -> OcrResult:
    """An image (PNG, JPEG, TIFF) OCR'd into the PDF `dst`: the image as its page, with the text over it."""
    return _run(src, dst, image=True, timeout=timeout, page_timeout=page_timeout, max_pages=None,
                language=language, progress=progress)  # fmt: skip


def _run(src, dst, *, image, timeout, page_timeout, max_pages, language, progress) -> OcrResult:
    if not available():
        raise OcrUnavailable(
            "OCR is not available on this server: Tesseract is not installed (Debian: tesseract-ocr and "
            "tesseract-ocr-eng)."
        )
    timeout = timeout or settings.OCR_TIMEOUT
    options = {
        "image": image,
        "page_timeout": page_timeout or settings.OCR_PAGE_TIMEOUT,
        "max_pages": max_pages or settings.OCR_MAX_PAGES,
        "language": language,
        "max_mpixels": settings.OCR_MAX_IMAGE_MPIXELS,
    }
    from evidence.files import scratch_dir

    work = Path(tempfile.mkdtemp(prefix="ocr-", dir=scratch_dir()))
    try:
        out = work / "out.pdf"
        result = _in_child(Path(src), out, work, options, timeout, progress)
        Path(dst).parent.mkdir(parents=True, exist_ok=True)
        shutil.move(out, dst)
        return result
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _in_child(src: Path, out: Path, work: Path, options: dict, timeout: float, progress: Progress | None):
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(sender, src, out, work, options, timeout), daemon=True)
    child.start()
    sender.close()
    deadline = time.monotonic() + timeout
    last = None
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise OcrError(
                    f"OCR took longer than {_seconds(timeout)} in all (setting OCR_TIMEOUT); it was stopped."
                )
            if not receiver.poll(min(left, HEARTBEAT)):
                if progress is not None and last is not None:
                    progress(*last)  # a long page: the job is still alive
                continue
            try:
                message = receiver.recv()
            except EOFError:  # killed: out of memory in Tesseract or in a library, or by a signal
                child.join(5)
                raise OcrError(
                    f"OCR stopped without finishing (the process ended with {_exit(child.exitcode)}); the file may "
                    "need more memory than setting IMPORT_READ_MAX_MEMORY allows."
                ) from None
            kind, value = message
            if kind == "progress":
                last = value
                if progress is not None:
                    progress(*value)
            elif kind == "ok":
                return value
            elif kind == "refused":
                raise OcrError(value)
            else:
                logger.error("OCR of %s failed:\n%s", src, value)
                raise OcrError(f"OCR failed: {value.strip().splitlines()[-1]}")
    finally:
        receiver.close()
        _kill_group(child)


def _kill_group(child) -> None:
    if child.pid is not None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(child.pid, signal.SIGKILL)  # the child leads its group: Tesseract goes with it
    child.join()


def _exit(code: int | None) -> str:
    if code is not None and code < 0:
        return f"signal {signal.Signals(-code).name}"
    return f"code {code}"


def _seconds(n: float) -> str:
    return f"{n:,.0f} s"


# The child ---------------------------------------------------------------------------------------------------------


def _child(sender, src: Path, out: Path, work: Path, options: dict, timeout: float) -> None:
    os.setsid()
    _die_with_parent()
    from evidence.importing.isolation import _limit

    try:
        _limit(settings.IMPORT_READ_MAX_MEMORY, int(timeout))
        # OCRmyPDF and Tesseract write their temporary files here; the parent removes the folder.
        os.environ["TMPDIR"] = str(work)
        tempfile.tempdir = str(work)
        message = ("ok", _ocr(sender, src, out, options))
    except OcrError as error:
        message = ("refused", str(error))
    except MemoryError:
        message = ("refused", "OCR needed more memory than setting IMPORT_READ_MAX_MEMORY allows; it was stopped.")
    except BaseException:
        message = ("error", traceback.format_exc())
    try:
        sender.send(message)
    finally:
        sender.close()


def _die_with_parent() -> None:
    """A worker killed mid-run (out of memory, its host stopping) takes its OCR with it: the child left its process
    group, so it asks Linux for SIGKILL when its parent dies (PR_SET_PDEATHSIG)."""
    with contextlib.suppress(OSError, AttributeError):
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1: PR_SET_PDEATHSIG


def _ocr(sender, src: Path, out: Path, options: dict) -> OcrResult:
    import ocrmypdf
    from PIL import Image

    from evidence import ocr_progress

    extra = {}
    if options["image"]:
        if dpi := _image_dpi(src, options["max_mpixels"]):
            extra["image_dpi"] = dpi
    else:
        _check_pages(src, options["max_pages"])
    ocr_progress.sender = sender
    warnings = _Warnings()
    logging.getLogger("ocrmypdf").addHandler(warnings)
    Image.MAX_IMAGE_PIXELS = int(options["max_mpixels"] * 1_000_000)
    try:
        ocrmypdf.ocr(
            src,
            out,
            language=[options["language"]],
            mode="skip",  # OCR only the pages without text; keep the others as they are
            output_type="pdf",  # not PDF/A: that would rewrite the pages the user gave
            optimize=0,  # the page images stay as they were
            rasterizer="pypdfium",
            jobs=1,
            use_threads=True,
            tesseract_timeout=options["page_timeout"],
            max_image_mpixels=options["max_mpixels"],
            progress_bar=True,
            plugins=["evidence.ocr_progress"],
            **extra,
        )
    except ocrmypdf.exceptions.EncryptedPdfError:
        raise OcrError("The PDF is locked by a password: it cannot be OCR'd.") from None
    except ocrmypdf.exceptions.MissingDependencyError as error:
        raise OcrUnavailable(f"OCR is not available on this server: {_first_line(error)}") from None
    except ocrmypdf.exceptions.ExitCodeException as error:
        raise OcrError(f"The file could not be OCR'd: {_first_line(error) or type(error).__name__}.") from None
    except Image.DecompressionBombError:
        raise _too_many_pixels(options["max_mpixels"]) from None
    from evidence.files import tidy

    page_texts = _page_texts(out)
    return OcrResult(pages=len(page_texts), text=tidy(PAGE_SEPARATOR.join(page_texts)), page_texts=tuple(page_texts),
                     warnings=tuple(warnings.seen))  # fmt: skip


def _check_pages(src: Path, limit: int) -> None:
    """The page count the PDF declares, then the pages its tree holds, against the limit, before any page is read."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(src)
        if reader.is_encrypted:
            raise OcrError("The PDF is locked by a password: it cannot be OCR'd.")
        declared = reader.trailer["/Root"]["/Pages"].get("/Count", 0)
        if isinstance(declared, int) and declared > limit:
            raise OcrError(f"The PDF declares {declared:,} pages; OCR takes at most {limit:,} (setting OCR_MAX_PAGES).")
        pages = len(reader.pages)
    except (PdfReadError, KeyError, ValueError, TypeError, AttributeError) as error:
        raise OcrError(f"The PDF could not be read ({error}).") from None
    if pages > limit:
        raise OcrError(f"The PDF has {pages:,} pages; OCR takes at most {limit:,} (setting OCR_MAX_PAGES).")


def _image_dpi(src: Path, max_mpixels: float) -> int | None:
    """The image's own resolution when it states a credible one; else ASSUMED_DPI (OCRmyPDF refuses an image without
    one). Its pixels are counted from the header, before anything is decoded."""
    from PIL import Image

    try:
        with Image.open(src) as image:
            width, height = image.size
            frames = getattr(image, "n_frames", 1)
            dpi = image.info.get("dpi")
    except Image.DecompressionBombError:
        raise _too_many_pixels(max_mpixels) from None
    except (OSError, ValueError) as error:
        raise OcrError(f"The image could not be read ({error}).") from None
    if width * height > max_mpixels * 1_000_000:
        raise _too_many_pixels(max_mpixels)
    if frames > 1:
        raise OcrError(f"The image has {frames:,} frames; OCR reads single images (convert the TIFF to a PDF).")
    if dpi and min(float(dpi[0]), float(dpi[1])) >= 70:
        return None
    return ASSUMED_DPI


def _too_many_pixels(limit: float) -> OcrError:
    return OcrError(f"An image of the file is larger than {limit:,.0f} megapixels (setting OCR_MAX_IMAGE_MPIXELS).")


def _page_texts(path: Path) -> list[str]:
    from pypdf import PdfReader

    from evidence.files import tidy

    return [tidy(page.extract_text() or "") for page in PdfReader(path).pages]


def _first_line(error: Exception) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else ""


class _Warnings(logging.Handler):
    """OCRmyPDF's warnings worth telling the user: pages Tesseract gave up on."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.seen: list[str] = []

    def emit(self, record):
        message = record.getMessage()
        if "timed out" in message.lower() or "too large" in message.lower():
            self.seen.append(message.strip())
