"""OCR through the real Tesseract: a scanned page gets a text layer with its words, on its own page."""

import shutil
import struct
import subprocess
import zlib

import pytest
from pypdf import PdfReader

from evidence import ocr
from tests.factories import make_pdf
from tests.scans import scanned_image, scanned_pdf

pytestmark = pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract is not installed (tesseract-ocr)")

PAGE_ONE = ["Privacy setting introduced in August 2024", "Members were opted in by default"]
PAGE_TWO = ["The complaint was filed in January 2025"]


def pdftotext(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_a_scanned_pdf_gets_a_text_layer_with_its_words_page_by_page(tmp_path):
    src = tmp_path / "scan.pdf"
    src.write_bytes(original := scanned_pdf([PAGE_ONE, PAGE_TWO]))
    assert PdfReader(src).pages[0].extract_text().strip() == ""  # an image, no text
    seen = []

    result = ocr.ocr_pdf(
        src, tmp_path / "out" / "scan-ocr.pdf", progress=lambda done, pages: seen.append((done, pages))
    )

    assert result.pages == 2
    first, second = result.text.split("\n\f")
    assert "Privacy setting introduced in August 2024" in first and "opted in by default" in first
    assert "complaint was filed in January 2025" in second and "August" not in second
    assert seen[-1] == (2, 2) and (1, 2) in seen  # page by page
    written = tmp_path / "out" / "scan-ocr.pdf"
    assert "Members were opted in by default" in pdftotext(written)  # read back by poppler, not by our reader
    assert len(PdfReader(written).pages) == 2
    assert src.read_bytes() == original  # the original is untouched


def test_pages_that_have_text_are_kept_as_they_are(tmp_path):
    src = tmp_path / "mixed.pdf"
    src.write_bytes(make_pdf(1))
    result = ocr.ocr_pdf(src, tmp_path / "out.pdf")
    assert result.pages == 1 and result.empty_pages == [1]


@pytest.mark.parametrize("format, dpi", [("PNG", 300), ("JPEG", 300), ("TIFF", 300), ("PNG", None)])
def test_an_image_becomes_a_searchable_one_page_pdf(tmp_path, format, dpi):
    src = tmp_path / f"photo.{format.lower()}"
    src.write_bytes(scanned_image(PAGE_TWO, format=format, dpi=dpi))
    result = ocr.ocr_image(src, tmp_path / "photo.pdf")
    assert result.pages == 1
    assert "complaint was filed in January 2025" in result.text
    assert "complaint was filed in January 2025" in pdftotext(tmp_path / "photo.pdf")


def test_too_many_pages_are_refused_before_any_is_read_and_nothing_is_written(tmp_path, settings):
    settings.OCR_MAX_PAGES = 3
    src = tmp_path / "long.pdf"
    src.write_bytes(make_pdf(4))
    with pytest.raises(ocr.OcrError, match=r"The PDF declares 4 pages; OCR takes at most 3 \(setting OCR_MAX_PAGES\)"):
        ocr.ocr_pdf(src, tmp_path / "out.pdf")
    assert not (tmp_path / "out.pdf").exists()
    assert list((tmp_path / "media" / "tmp").iterdir()) == []  # its working folder is gone


def test_a_run_past_its_time_is_stopped_with_the_reason(tmp_path):
    src = tmp_path / "scan.pdf"
    src.write_bytes(scanned_pdf([PAGE_ONE] * 3))
    with pytest.raises(ocr.OcrError, match=r"OCR took longer than 1 s in all \(setting OCR_TIMEOUT\); it was stopped"):
        ocr.ocr_pdf(src, tmp_path / "out.pdf", timeout=1)
    assert not (tmp_path / "out.pdf").exists()
    assert list((tmp_path / "media" / "tmp").iterdir()) == []


def test_a_file_that_is_not_a_pdf_is_refused_clearly(tmp_path):
    src = tmp_path / "fake.pdf"
    src.write_bytes(b"%PDF-1.7\nnot really\n")
    with pytest.raises(ocr.OcrError, match=r"The PDF could not be read|could not be OCR'd"):
        ocr.ocr_pdf(src, tmp_path / "out.pdf")
    assert not (tmp_path / "out.pdf").exists()


def test_without_tesseract_ocr_says_it_is_not_installed(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # a host without the program
    with pytest.raises(ocr.OcrUnavailable, match="Tesseract is not installed"):
        ocr.ocr_pdf(tmp_path / "any.pdf", tmp_path / "out.pdf")


def png_declaring(width: int, height: int) -> bytes:
    """A PNG of a few hundred bytes whose header declares width × height pixels (a decompression bomb)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    rows = zlib.compress(b"\0" * (width // 8 + 1) * 10)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")


def test_an_image_declaring_too_many_pixels_is_refused_before_it_is_decoded(tmp_path):
    src = tmp_path / "bomb.png"
    src.write_bytes(png_declaring(30_000, 30_000))
    with pytest.raises(ocr.OcrError, match=r"larger than 250 megapixels \(setting OCR_MAX_IMAGE_MPIXELS\)"):
        ocr.ocr_image(src, tmp_path / "bomb.pdf")
    assert not (tmp_path / "bomb.pdf").exists()
