"""Sectioned PDF rendering: taken where it should be, and correct across sections."""

import io
import os
import re
import subprocess
import threading

import pypdf
import pytest

from evidence.exporting import ExportOptions, Row, export_chronology, sectioned
from evidence.exporting.sectioned import split_rows
from tests.exporting.readback import export_pdf, flat, need, outline_titles, pdftotext
from tests.factories import make_event

THRESHOLD = 20


@pytest.fixture
def low_threshold(settings):
    """Sectioning from 20 events on, two sections at most (whatever the machine's cores): fast, and the same
    everywhere."""
    settings.EXPORT_PDF_SECTION_MIN_EVENTS = THRESHOLD
    settings.EXPORT_PDF_SECTION_WORKERS = 2


def small_matter(matter, events: int):
    for i in range(events):
        make_event(matter, date=f"{['Mar', 'Jun', 'Oct'][i % 3]} {2022 + i % 3}", title=f"Event-{i:02d}",
                   description="What happened, in a sentence or two. " * 4)  # fmt: skip
    return matter


def test_just_above_the_threshold_the_sections_path_is_taken_and_numbers_pages_globally(low_threshold, matter, user):
    small_matter(matter, THRESHOLD + 1)
    result = export_chronology(matter=matter, user=user, options=ExportOptions(format="pdf"))
    assert result.sections == 2, "the chronology was rendered in a single pass"
    reader = pypdf.PdfReader(io.BytesIO(result.content))
    pages = len(reader.pages)
    assert pages >= 3
    texts = [flat(page.extract_text()) for page in reader.pages]
    for n, text in enumerate(texts, start=1):
        assert f"Page {n} of {pages}" in text, n
    body = " ".join(texts[1:])
    numbers = re.findall(r"(\d+) (?:Mar 2022|June 2023|Oct 2024) ", body)
    assert [int(n) for n in numbers] == list(range(1, THRESHOLD + 2))  # every event, once, in order
    assert "Exhibit Index" in texts[-1]
    assert outline_titles(reader) == ["2022", "2023", "2024", "Exhibit index"]


def test_just_below_the_threshold_one_pass(low_threshold, matter, user):
    small_matter(matter, THRESHOLD - 1)
    result = export_chronology(matter=matter, user=user, options=ExportOptions(format="pdf"))
    assert result.sections == 1
    reader = pypdf.PdfReader(io.BytesIO(result.content))
    pages = len(reader.pages)
    assert f"Page {pages} of {pages}" in reader.pages[-1].extract_text()


def test_sectioned_rendering_numbers_pages_and_bookmarks_across_sections(long_matter, user, settings):
    """Large chronologies render in parallel sections; forced here on 60 events in 3 sections."""
    settings.EXPORT_PDF_SECTION_MIN_EVENTS = 20
    settings.EXPORT_PDF_SECTION_WORKERS = 3
    assert sectioned.section_workers(60) == 3
    content = export_pdf(long_matter, user, embed_exhibits=True)
    reader = pypdf.PdfReader(io.BytesIO(content))
    pages = len(reader.pages)
    page_texts = [flat(pdftotext(content, first=n, last=n)) for n in range(1, pages + 1)]
    for n, text in enumerate(page_texts, start=1):
        assert f"Page {n} of {pages}" in text
    assert "Chronology of Events" in page_texts[0] and "60 events" in page_texts[0]
    starts = [next(n for n, t in enumerate(page_texts) if f"Start-{i:02d} " in t) for i in range(60)]
    assert all(f"End-{i:02d}." in page_texts[starts[i]] for i in range(60))  # no row split
    numbers = re.findall(r"(\d+) (?:Mar 2022|June 2023|Oct 2024) ", " ".join(page_texts[1:]))
    assert [int(n) for n in numbers] == list(range(1, 61))  # numbered 1..60 in order across sections
    assert outline_titles(reader) == ["2022", "2023", "2024", "Exhibit index"]
    for item in reader.outline:
        if item.title == "Exhibit index":
            assert "Exhibit Index" in page_texts[reader.get_destination_page_number(item)]
    assert set(reader.attachments) == {"PX-1_policy.pdf", "exhibit-manifest.csv"}
    assert (
        'pdfaid:part="3"' in reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
        or "<pdfaid:part>3</pdfaid:part>" in reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    )
    assert reader.metadata.title == f"Chronology of Events — {long_matter.short_title}"
    need("qpdf")
    path = f"/tmp/sectioned-{os.getpid()}.pdf"
    with open(path, "wb") as fh:
        fh.write(content)
    try:
        assert subprocess.run(["qpdf", "--check", path], capture_output=True).returncode == 0
    finally:
        os.unlink(path)


def test_split_rows_prefers_a_change_of_year():
    class E:
        def __init__(self, start):
            self.date_start = start

    rows = [Row(no=i, event=E("2022" if i < 48 else "2023"), citations=[]) for i in range(100)]
    assert [len(p) for p in split_rows(rows, 2)] == [48, 52]
    rows = [Row(no=i, event=E("2022"), citations=[]) for i in range(100)]
    assert [len(p) for p in split_rows(rows, 3)] == [33, 34, 33]


def _words(content: bytes, word: str) -> list[tuple[int, str]]:
    """(page, box) of every `word` in the PDF, as pdftotext -bbox places it."""
    need("pdftotext")
    xml = subprocess.run(["pdftotext", "-bbox", "-", "-"], input=content, capture_output=True, check=True).stdout
    found = []
    for n, page in enumerate(xml.decode().split("<page ")[1:], start=1):
        found += [(n, box) for box in re.findall(rf"<word ([^>]*)>{word}</word>", page)]
    return found


def test_more_sections_than_workers_each_in_a_process_of_its_own(long_matter, user, settings):
    """A large chronology is cut into sections of at most EXPORT_PDF_SECTION_ROWS events, laid out two at a time;
    the footer's "Page X of Y" is where a single pass puts it, on every page."""
    settings.EXPORT_PDF_SECTION_MIN_EVENTS = 20
    settings.EXPORT_PDF_SECTION_WORKERS = 2
    settings.EXPORT_PDF_SECTION_ROWS = 12
    assert sectioned.section_count(60, sectioned.section_workers(60)) == 5
    result = export_chronology(matter=long_matter, user=user, options=ExportOptions(format="pdf"))
    assert result.sections == 5
    content = result.content
    reader = pypdf.PdfReader(io.BytesIO(content))
    pages = len(reader.pages)
    page_texts = [flat(pdftotext(content, first=n, last=n)) for n in range(1, pages + 1)]
    for n, text in enumerate(page_texts, start=1):
        assert f"Page {n} of {pages}" in text
        assert text.count("Page ") == 1  # the number once, not the section's own as well
    numbers = re.findall(r"(\d+) (?:Mar 2022|June 2023|Oct 2024) ", " ".join(page_texts[1:]))
    assert [int(n) for n in numbers] == list(range(1, 61))
    assert outline_titles(reader) == ["2022", "2023", "2024", "Exhibit index"]
    assert "Exhibit Index" in page_texts[-1] and "1–60" in page_texts[-1].replace("-", "–")

    settings.EXPORT_PDF_SECTION_MIN_EVENTS = 10**6
    single = export_chronology(matter=long_matter, user=user, options=ExportOptions(format="pdf")).content
    boxes = {box for _, box in _words(content, "Page")}
    assert boxes == {box for _, box in _words(single, "Page")}  # the same place on the page, to the hundredth
    assert len(_words(content, "Page")) == pages


def test_sections_are_rendered_when_the_requesting_process_has_threads(long_matter, user, settings):
    """A web process (gunicorn's threads) or a job runner may ask: the workers are not forked from it."""
    settings.EXPORT_PDF_SECTION_MIN_EVENTS = 20
    settings.EXPORT_PDF_SECTION_WORKERS = 2
    stop = threading.Event()
    other = threading.Thread(target=stop.wait, daemon=True)
    other.start()
    try:
        assert threading.active_count() > 1
        result = export_chronology(matter=long_matter, user=user, options=ExportOptions(format="pdf"))
    finally:
        stop.set()
        other.join()
    assert result.sections == 2
    reader = pypdf.PdfReader(io.BytesIO(result.content))
    assert f"Page {len(reader.pages)} of {len(reader.pages)}" in reader.pages[-1].extract_text()
