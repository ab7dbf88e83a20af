"""The filing package, read back file by file as a court's system and an independent reader would: qpdf, pypdf,
pdffonts, pdftotext."""

import io
import os
import random
import re
import subprocess
import zipfile

import docx
import pypdf
import pytest
from PIL import Image, ImageDraw, ImageFont
from weasyprint import HTML

from evidence import ocr
from evidence.exporting import ExportOptions, export_chronology
from evidence.exporting.preflight import preflight
from evidence.selectors import TimelineFilters
from evidence.services.citations import citation_create
from evidence.services.matters import filing_settings_update
from tests.exporting.readback import flat, need, pdftotext
from tests.factories import make_document, make_event

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"


def package(matter, user) -> tuple[dict[str, bytes], list[str], tuple[str, ...]]:
    result = export_chronology(matter=matter, user=user, options=ExportOptions(report="filing-package"))
    assert result.filename.endswith(".zip") and result.media_type == "application/zip"
    with zipfile.ZipFile(io.BytesIO(result.content)) as archive:
        names = archive.namelist()
        files = {name: archive.read(name) for name in names}
    return files, names, result.warnings


def read_back(name: str, content: bytes, tmp_path) -> pypdf.PdfReader:
    """What an independent reader finds: qpdf's syntax check and encryption, pypdf's attachments and page sizes,
    pdffonts' embedding."""
    for tool in ("qpdf", "pdffonts"):
        need(tool)
    path = tmp_path / "check.pdf"
    path.write_bytes(content)
    check = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert check.returncode == 0, (name, check.stdout, check.stderr)
    encryption = subprocess.run(["qpdf", "--show-encryption", str(path)], capture_output=True, text=True).stdout
    assert "File is not encrypted" in encryption, (name, encryption)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()
    assert fonts[2:], (name, "no fonts: no text")
    for line in fonts[2:]:
        emb = line[line.index(" ", 50) :].split()  # name, type, encoding, then emb sub uni object ID
        assert emb[-5] == "yes", (name, line)
    reader = pypdf.PdfReader(io.BytesIO(content))
    assert not reader.attachments and "/AcroForm" not in reader.trailer["/Root"], name
    for page in reader.pages:
        size = sorted((round(float(page.mediabox.width)), round(float(page.mediabox.height))))
        assert size == [612, 792], (name, size)
    return reader


def test_the_demo_matters_filing_package_passes_its_own_preflight_and_an_independent_read_back(demo, tmp_path):
    matter, owner = demo
    files, names, warnings = package(matter, owner)
    exhibit = (
        "Ex. 1 – DMR News, “LinkedIn Faces Legal Battle Over Alleged Misuse of Private Messages for AI Training”.pdf"
    )
    assert names == ["Chronology of Events.pdf", "Index of Exhibits.pdf", exhibit]
    assert warnings[0] == "Pre-flight: 3 files checked against the court's limit of 35.0 MB: none would be rejected."
    for name, content in files.items():
        assert preflight(content, name=name, limit=35_000_000).ok, name
        reader = read_back(name, content, tmp_path)
        if name.startswith("Ex. "):
            for number in range(1, len(reader.pages) + 1):
                page = flat(pdftotext(content, first=number, last=number))
                assert f"Ex. 1 · Page {number} of {len(reader.pages)}" in page
    chronology = flat(pdftotext(files["Chronology of Events.pdf"]))
    assert "Ex. 1 ¶ 2" in chronology and "Unverified" not in chronology and "Key fact" not in chronology
    assert "work product" not in chronology and "PX-1" not in chronology
    assert "LinkedIn Faces Legal Battle" in pdftotext(files[exhibit])  # the article's own text, searchable
    index = flat(pdftotext(files["Index of Exhibits.pdf"]))
    assert "Index of Exhibits" in index and exhibit.removesuffix(".pdf") in index


def scanned_png(words: str) -> bytes:
    image = Image.new("RGB", (1700, 600), "white")
    ImageDraw.Draw(image).text((80, 220), words, fill="black", font=ImageFont.truetype(FONT, 90))
    out = io.BytesIO()
    image.save(out, format="PNG", dpi=(200, 200))
    return out.getvalue()


def word_docx(text: str) -> bytes:
    document = docx.Document()
    document.add_heading("Memorandum", level=1)
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


EMAIL = (
    b"From: Pat Smith <pat@example.com>\r\nTo: Members <members@example.com>\r\nSubject: Your data settings\r\n"
    b"Date: Wed, 18 Sep 2024 09:30:00 -0700\r\nMessage-ID: <1@example.com>\r\n\r\n"
    b"We have not enabled data sharing for AI in the UK.\r\n"
)
HTML_PAGE = (
    b"<html><head><script>document.write('scripted')</script></head><body><h1>Privacy Policy</h1>"
    b"<p>We may use your data to train models.</p><img src='https://example.com/tracker.png'></body></html>"
)


@pytest.mark.skipif(not ocr.available(), reason="tesseract is not installed")
def test_every_kind_of_exhibit_becomes_a_stamped_searchable_letter_pdf_in_citation_order(matter, user, tmp_path):
    a4 = HTML(string="<style>@page { size: A4 }</style><p>Board minutes page one</p>"
              "<p style='break-before: page'>Board minutes page two</p>").write_pdf()  # fmt: skip
    documents = [
        make_document(matter, content=a4, filename="minutes.pdf", title="Board minutes", bates_start="ACME_000100",
                      bates_end="ACME_000101"),
        make_document(matter, content=scanned_png("SCANNED LETTER WORDS"), filename="scan.png", title="Scan"),
        make_document(matter, content=word_docx("Quarterly memo text"), filename="memo.docx", title="Memo"),
        make_document(matter, content=HTML_PAGE, filename="policy.html", title="Policy: web/page"),
        make_document(matter, content=EMAIL, filename="notice.eml", title="Notice e-mail"),
        make_document(matter, content=b"ID3\x03\x00" + bytes(2000), filename="call.mp3", title="Call recording"),
    ]  # fmt: skip
    # Cited latest exhibit first: the package follows the chronology, not the exhibit numbers.
    for month, document in zip(["Jan", "Feb", "Mar", "Apr", "May", "Jun"], reversed(documents), strict=True):
        event = make_event(matter, date=f"{month} 2024", title=f"Event citing {document.title}")
        citation_create(event=event, document=document, pinpoint="", user=user, reason="test")
    files, names, warnings = package(matter, user)
    assert names == [
        "Chronology of Events.pdf", "Index of Exhibits.pdf", "Ex. 6 – Call recording.pdf", "Ex. 5 – Notice e-mail.pdf",
        "Ex. 4 – Policy_ web_page.pdf", "Ex. 3 – Memo.pdf", "Ex. 2 – Scan.pdf", "Ex. 1 – Board minutes.pdf",
    ]  # fmt: skip
    assert warnings[0].endswith("none would be rejected."), warnings
    expected = {
        "Ex. 1": ["Board minutes page one", "Board minutes page two"],
        "Ex. 2": ["SCANNED LETTER WORDS"],
        "Ex. 3": ["Quarterly memo text"],
        "Ex. 4": ["We may use your data to train models."],
        "Ex. 5": [
            "Pat Smith <pat@example.com>",
            "Your data settings",
            "We have not enabled data sharing for AI in the UK.",
        ],
        "Ex. 6": ["Produced in native form: call.mp3"],
    }
    for name, content in files.items():
        reader = read_back(name, content, tmp_path)
        label = name.split(" – ")[0]
        if label not in expected:
            continue
        pages = [flat(pdftotext(content, first=n, last=n)) for n in range(1, len(reader.pages) + 1)]
        assert len(pages) == len(expected[label]) or label != "Ex. 1"
        for number, text in enumerate(pages, start=1):
            assert f"{label} ·" in text and f"Page {number} of {len(pages)}" in text, (name, text)
        for words in expected[label]:
            assert words in " ".join(pages), (name, words, pages)
    minutes = [flat(pdftotext(files["Ex. 1 – Board minutes.pdf"], first=n, last=n)) for n in (1, 2)]
    assert "Ex. 1 · ACME_000100 · Page 1 of 2" in minutes[0] and "Ex. 1 · ACME_000101 · Page 2 of 2" in minutes[1]
    policy = flat(pdftotext(files["Ex. 4 – Policy_ web_page.pdf"]))
    assert "scripted" not in policy  # its script never ran
    index = flat(pdftotext(files["Index of Exhibits.pdf"]))
    assert re.search(r"Ex\. 6 .*Ex\. 5 .*Ex\. 4 .*Ex\. 3 .*Ex\. 2 .*Ex\. 1 ", index), index


def noisy_page_pdf(pages: int) -> bytes:
    """Pages of incompressible pixels (with a line of text each): about 0.6 MB a page."""
    rng = random.Random(7)
    html = []
    for n in range(pages):
        image = Image.frombytes("RGB", (460, 460), rng.randbytes(460 * 460 * 3))
        out = io.BytesIO()
        image.save(out, format="PNG")
        import base64

        data = base64.b64encode(out.getvalue()).decode()
        html.append(f"<p style='break-before: page'>Photograph {n + 1}</p><img src='data:image/png;base64,{data}'>")
    return HTML(string="".join(html)).write_pdf()


def test_an_exhibit_over_the_courts_limit_is_split_into_parts_under_it(matter, user, tmp_path):
    content = noisy_page_pdf(3)
    assert len(content) > 1_500_000
    document = make_document(matter, content=content, filename="photos.pdf", title="Site photographs")
    event = make_event(matter, date="Aug 2024", title="Site visited")
    citation_create(event=event, document=document, pinpoint="p. 2", user=user, reason="test")
    filing_settings_update(matter=matter, user=user, reason="test", file_limit_mb=1)
    files, names, warnings = package(matter, user)
    parts = [n for n in names if n.startswith("Ex. 1 – Site photographs")]
    assert len(parts) >= 2 and parts[0] == f"Ex. 1 – Site photographs (part 1 of {len(parts)}).pdf", names
    stamped = []
    for name in parts:
        assert len(files[name]) <= 1_000_000
        reader = read_back(name, files[name], tmp_path)
        stamped += [flat(pdftotext(files[name], first=n, last=n)) for n in range(1, len(reader.pages) + 1)]
    assert [re.search(r"Page (\d) of 3", text).group(1) for text in stamped] == ["1", "2", "3"]
    assert all("Photograph" in text for text in stamped)
    assert warnings[0].endswith("none would be rejected."), warnings
    assert os.path.basename(parts[-1]).endswith(f"(part {len(parts)} of {len(parts)}).pdf")


def test_the_package_is_always_the_filing_version_on_letter_paper_without_attachments():
    options = ExportOptions(report="filing-package", paper="a4", embed_exhibits=True, format="docx")
    assert (options.format, options.version, options.paper, options.embed_exhibits) == (
        "zip",
        "filing",
        "letter",
        False,
    )
    with pytest.raises(ValueError, match="never includes privileged"):
        ExportOptions(report="filing-package", filters=TimelineFilters())
