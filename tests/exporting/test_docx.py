"""The Word export, read back with python-docx."""

import io

import docx
from docx.oxml.ns import qn

from evidence.exporting import ExportOptions, export_chronology
from evidence.services.citations import citation_create
from tests import factories
from tests.factories import make_document, make_event


def test_word_document_has_caption_table_index_and_legend(db, user):
    matter = factories.make_matter(
        owner=user,
        court="Superior Court of California, County of Santa Clara",
        case_number="24-CV-001",
        parties="Jane Doe, Plaintiff,\nv.\nAcme Corp., Defendant.",
        confidentiality_legend="CONFIDENTIAL — ATTORNEY WORK PRODUCT",
    )
    doc = make_document(matter, content=b"exhibit", filename="memo.txt", title="Memo", bates_start="ACME_1",
                        bates_end="ACME_4")  # fmt: skip
    key = make_event(matter, date="Aug 2024", title="Key thing", description="Line one.\nLine two.", is_key=True,
                     status="disputed", actors=["Acme Corp."], source_note="Dkt. 1")  # fmt: skip
    make_event(matter, date="c. Sept 2024", title="Minor thing")
    citation_create(event=key, document=doc, pinpoint="p. 2", user=user, reason="test")

    result = export_chronology(matter=matter, user=user, options=ExportOptions(format="docx", paper="a4"))
    assert result.filename.endswith(".docx")
    document = docx.Document(io.BytesIO(result.content))
    paragraphs = [p.text for p in document.paragraphs]
    assert "SUPERIOR COURT OF CALIFORNIA, COUNTY OF SANTA CLARA" in paragraphs
    assert "Chronology of Events" in paragraphs and "Exhibit Index" in paragraphs
    assert "Events: 2 events" in paragraphs
    assert paragraphs[-1] == "CONFIDENTIAL — ATTORNEY WORK PRODUCT"

    caption, table, index = document.tables
    assert "Jane Doe, Plaintiff," in caption.cell(0, 0).text and "Case No. 24-CV-001" in caption.cell(0, 1).text
    assert [c.text for c in table.rows[0].cells] == ["No.", "Date", "Event", "Source"]
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None  # repeated on every page
    first = [c.text for c in table.rows[1].cells]
    assert first[0:2] == ["1", "Aug 2024"]
    assert first[2].splitlines() == ["[Key fact, Disputed] Key thing", "Line one.", "Line two.", "Other; Acme Corp."]
    assert first[3].splitlines() == ["PX-1 p. 2 (Bates ACME_1 – ACME_4)", "Dkt. 1"]
    title_runs = table.rows[1].cells[2].paragraphs[0].runs
    assert title_runs[-1].text == "Key thing" and title_runs[-1].bold
    second = table.rows[2].cells[2].paragraphs[0].runs
    assert second[-1].text == "Minor thing" and not second[-1].bold
    assert [c.text for c in table.rows[2].cells][:2] == ["2", "c. Sept 2024"]

    assert [c.text for c in index.rows[0].cells] == ["Exhibit", "Title", "Date", "Bates range", "Cited by"]
    row = [c.text for c in index.rows[1].cells]
    assert (
        row[0] == "PX-1" and row[1] == f"Memo\nSHA-256 {doc.sha256}" and row[3] == "ACME_1 – ACME_4" and row[4] == "1"
    )

    section = document.sections[0]
    assert round(section.page_width.inches, 2) == 8.27 and round(section.left_margin.inches, 2) == 1
    footer = section.footer.paragraphs[0]
    assert footer.text.startswith("CONFIDENTIAL — ATTORNEY WORK PRODUCT") and "Page 1 of 1" in footer.text
    instructions = [e.text.strip() for e in footer._p.iter(qn("w:instrText"))]
    assert instructions == ["PAGE", "NUMPAGES"]
    assert "Case No. 24-CV-001" in section.header.paragraphs[0].text
    assert document.core_properties.title == f"Chronology of Events — {matter.short_title}"


def test_word_tables_have_fixed_column_widths_in_the_grid_and_every_cell(db, user):
    """Word lays a table out by its cells' widths, LibreOffice by the table's grid: both must say the same."""
    matter = factories.make_matter(owner=user)
    doc = make_document(matter, content=b"exhibit", filename="memo.txt", title="Memo")
    event = make_event(matter, date="Aug 2024", title="Thing", description="A description. " * 40)
    citation_create(event=event, document=doc, pinpoint="p. 2", user=user, reason="test")
    make_event(matter, date="Sept 2024", title="Other thing")

    document = docx.Document(
        io.BytesIO(export_chronology(matter=matter, user=user, options=ExportOptions(format="docx")).content)
    )
    caption, table, index = document.tables
    expected = {
        "events": (table, [0.45, 1.15, 6.5 - 0.45 - 1.15 - 1.4, 1.4]),  # No. and Date narrow, Event wide, Source medium
        "index": (index, [0.8, 6.5 - 0.8 - 1.05 - 1.15 - 0.95, 1.05, 1.15, 0.95]),
        "caption": (caption, [6.5 * 0.55, 6.5 * 0.45]),
    }
    for name, (t, inches) in expected.items():
        twips = [round(i * 1440) for i in inches]
        assert [c.width.twips for c in t.columns] == twips, name  # the grid (w:gridCol)
        for row in t.rows:
            assert [c.width.twips for c in row.cells] == twips, name  # every cell (w:tcW)
        assert t._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed", name  # autofit off
        total = t._tbl.tblPr.find(qn("w:tblW"))
        assert (total.get(qn("w:type")), total.get(qn("w:w"))) == ("dxa", str(sum(twips))), name
    assert len(table.rows) == 3 and len(index.rows) == 2


def test_libreoffice_keeps_the_column_widths_of_the_demo_chronology(db, tmp_path):
    """LibreOffice (`soffice --headless --convert-to pdf`) lays the demo's chronology out on 2 pages with the Event
    column 3.5 inches wide, as Word does: not 6 pages of four equal columns."""
    import io as _io
    import os
    import re
    import subprocess

    from django.conf import settings
    from django.core.management import call_command

    from evidence.models import Matter, Role
    from tests.exporting.readback import need

    need("soffice")
    need("pdftotext")
    call_command("load_demo", stdout=_io.StringIO())
    matter = Matter.objects.get(slug="linkedin-ai-training")
    owner = matter.memberships.get(role=Role.OWNER).user
    result = export_chronology(matter=matter, user=owner, options=ExportOptions(format="docx"))
    source = tmp_path / "chronology.docx"
    source.write_bytes(result.content)
    # The export names Times New Roman, which fontconfig draws in Liberation Serif (same metrics) where that is
    # installed, as Word's users have it. LibreOffice is given the PDF's own copy (static/pdf/fonts), so the layout
    # does not depend on this machine's fonts.
    fonts = tmp_path / "fonts.conf"
    fonts.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
        f"<dir>{settings.BASE_DIR / 'static' / 'pdf' / 'fonts'}</dir><cachedir>{tmp_path / 'fontcache'}</cachedir>"
        "</fontconfig>"
    )
    environment = {**os.environ, "HOME": str(tmp_path), "FONTCONFIG_FILE": str(fonts)}
    subprocess.run(
        ["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(source)],
        capture_output=True, check=True, timeout=180, env=environment,
    )  # fmt: skip
    pdf = tmp_path / "chronology.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Pages:\s+2\n", info), info
    boxes = subprocess.run(["pdftotext", "-bbox", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True,
                           text=True, check=True).stdout  # fmt: skip
    header = {w: float(x) for x, w in re.findall(r'<word xMin="([\d.]+)"[^>]*>(No\.|Date|Event|Source)</word>', boxes)}
    assert header["Source"] - header["Event"] > 3.3 * 72  # the Event column, 3.5 in of the 6.5
    assert header["Date"] - header["No."] < 0.6 * 72 and header["Event"] - header["Date"] < 1.3 * 72
