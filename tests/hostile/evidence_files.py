"""Hostile evidence files through the documents upload page: text extraction refuses, saying which bound and its
setting, a Word or Excel file that unpacks without limit or a workbook too large, and a PDF that declares more pages
than a reader should walk; nothing is stored. A file merely odd (a workbook that declares a huge dimension but holds
little) is stored."""

from __future__ import annotations

import io
import zipfile

from tests.hostile.cases import MB, Case, xlsx, zeros_member

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def docx(document_xml: str | None = None, *, zeros: int = 0, extra_members: int = 0) -> bytes:
    """A Word document written by hand: its body (or `zeros` bytes of zeros as the body part) and `extra_members`
    tiny parts."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        zf.writestr(
            "_rels/.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship '
            'Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="word/document.xml"/></Relationships>',
        )
        if zeros:
            zeros_member(zf, "word/document.xml", zeros)
        else:
            zf.writestr("word/document.xml", document_xml or f'<w:document xmlns:w="{_W}"><w:body/></w:document>')
        for i in range(extra_members):
            zf.writestr(f"word/media/{i}.xml", "<x/>")
    return buffer.getvalue()


def pdf_declaring(pages: int) -> bytes:
    """A PDF of one page whose page tree declares `pages` (its /Count), written byte by byte."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count %d >>" % pages,
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % n + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def wide_sheet(rows: int, columns: int) -> bytes:
    return xlsx([[f"r{r}c{c}" for c in range(columns)] for r in range(rows)])


EVIDENCE = [
    Case(
        "docx-zip-bomb",
        "memo.docx",
        lambda: docx(zeros=200 * MB),
        r"“memo\.docx”: member “word/document\.xml” expands [\d,]+ times .*IMPORT_ZIP_MAX_RATIO.*zip bomb.*not stored",
        channels=("upload",),
    ),
    Case(
        "docx-6000-members",
        "parts.docx",
        lambda: docx(extra_members=6_000),
        r"“parts\.docx” has 6,003 members; the limit is 5,000 \(setting IMPORT_ZIP_MAX_MEMBERS\).*not stored",
        channels=("upload",),
    ),
    Case(
        "xlsx-huge-sheet",
        "huge.xlsx",
        lambda: wide_sheet(300, 100),
        r"“huge\.xlsx” has more than 20,000 cells \(reached in sheet “Chronology”\).*EVIDENCE_SHEET_MAX_CELLS",
        settings={"EVIDENCE_SHEET_MAX_CELLS": 20_000},
        channels=("upload",),
    ),
    Case(
        "xlsx-zip-bomb",
        "bomb.xlsx",
        lambda: xlsx([["Date", "Title"]], padding=300 * MB),
        r"“bomb\.xlsx”: member “xl/worksheets/sheet1\.xml” expands [\d,]+ times.*zip bomb.*not stored",
        channels=("upload",),
    ),
    Case(
        "xlsx-declares-every-cell",
        "declared.xlsx",
        lambda: xlsx([["Date", "Title"], ["Aug 2024", "Setting introduced"]], dimension="A1:XFD1048576"),
        r"PX-\d+ stored: declared\.xlsx",
        stored=1,
        channels=("upload",),
    ),
    Case(
        "pdf-declares-10000-pages",
        "production.pdf",
        lambda: pdf_declaring(10_000),
        r"“production\.pdf” declares 10,000 pages; the limit is 5,000 \(setting EVIDENCE_PDF_MAX_PAGES\).*not stored",
        channels=("upload",),
    ),
]
