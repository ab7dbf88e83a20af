"""A citation's note travels with its label into the PDF and the Word document, where the attorney reads it."""

import io

import docx

from evidence.exporting import ExportOptions, export_chronology
from tests.exporting.readback import export_pdf, flat, pdftotext
from tests.factories import make_document, make_event


def _cited(matter):
    doc = make_document(matter, content=b"exhibit", filename="memo.txt", title="Memo", bates_start="ACME_1")
    make_event(matter, date="Aug 2024", title="Setting introduced",
               citations=[(doc, "p. 2", "quoted in the complaint"), (doc, "p. 5", "")])  # fmt: skip


def test_the_pdf_prints_each_citations_note_beside_it(matter, user):
    _cited(matter)
    text = flat(pdftotext(export_pdf(matter, user)))
    assert "PX-1 p. 2 (Bates ACME_1) — quoted in the complaint" in text
    assert "PX-1 p. 5 (Bates ACME_1)" in text


def test_the_word_document_prints_each_citations_note_beside_it(matter, user):
    _cited(matter)
    result = export_chronology(matter=matter, user=user, options=ExportOptions(format="docx"))
    table = docx.Document(io.BytesIO(result.content)).tables[1]
    assert table.rows[1].cells[3].text.splitlines() == [
        "PX-1 p. 2 (Bates ACME_1) — quoted in the complaint",
        "PX-1 p. 5 (Bates ACME_1)",
    ]
