"""Pre-flight: what CM/ECF would reject in a PDF, and why; on every PDF export too."""

import io

import pypdf
import pytest
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject, TextStringObject
from weasyprint import HTML

from evidence.exporting import ExportOptions, export_chronology
from evidence.exporting.preflight import preflight
from evidence.services.citations import citation_create
from tests.factories import make_document, make_event

LIMIT = 35_000_000


def letter_pdf(text: str = "A page of text.", *, size: str = "letter", pages: int = 1) -> bytes:
    """A PDF as a court wants it (text, embedded fonts), by WeasyPrint; `size` "A4" for the wrong paper."""
    body = "".join(f'<p style="break-after: page">{text} {n}</p>' for n in range(1, pages + 1))
    return HTML(string=f"<style>@page {{ size: {size}; }}</style>{body}").write_pdf()


def rewritten(content: bytes, change) -> bytes:
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(content)))
    change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def with_javascript(writer: pypdf.PdfWriter) -> None:
    action = writer._add_object(DictionaryObject({
        NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert('hello');"),
    }))  # fmt: skip
    tree = DictionaryObject({NameObject("/Names"): ArrayObject([TextStringObject("hello"), action])})
    writer._root_object[NameObject("/Names")] = DictionaryObject({NameObject("/JavaScript"): writer._add_object(tree)})
    writer._root_object[NameObject("/OpenAction")] = action


def with_form_field(writer: pypdf.PdfWriter) -> None:
    page = writer.pages[0]
    field = DictionaryObject({
        NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Widget"),
        NameObject("/FT"): NameObject("/Tx"), NameObject("/T"): TextStringObject("name"),
        NameObject("/Rect"): ArrayObject([NumberObject(72), NumberObject(700), NumberObject(272), NumberObject(720)]),
    })  # fmt: skip
    reference = writer._add_object(field)
    page[NameObject("/Annots")] = ArrayObject([reference])
    writer._root_object[NameObject("/AcroForm")] = DictionaryObject({NameObject("/Fields"): ArrayObject([reference])})


def unembedded_font_pdf() -> bytes:
    """A Letter page whose text is set in Helvetica, a font the file does not carry."""
    writer = pypdf.PdfWriter()
    page = writer.add_blank_page(width=612, height=792)
    font = writer._add_object(DictionaryObject({
        NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject("/Helvetica"),
    }))  # fmt: skip
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})}
    )
    stream = pypdf.generic.DecodedStreamObject()
    stream.set_data(b"BT /F1 12 Tf 72 720 Td (Hello court) Tj ET")
    page[NameObject("/Contents")] = writer._add_object(stream)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def checks(content: bytes, limit: int = LIMIT) -> dict[str, str]:
    report = preflight(content, name="test.pdf", limit=limit)
    return {p.check: p.reason for p in report.problems}


def test_a_clean_letter_pdf_passes():
    report = preflight(letter_pdf(pages=2), name="clean.pdf", limit=LIMIT)
    assert report.ok and report.pages == 2
    assert report.text.startswith("clean.pdf: passes (2 pages, ")


@pytest.mark.parametrize(
    ("change", "check", "reason"),
    [
        (lambda w: w.add_attachment("notes.csv", b"a,b\n"), "attachments", "it has 1 attached file (notes.csv)"),
        (with_javascript, "javascript", "(document-level JavaScript, an action on opening)"),
        (with_form_field, "forms", "it has form fields (1 field)"),
        (lambda w: w.encrypt(user_password="", owner_password="owner"), "encryption", "it is encrypted"),
    ],
)
def test_what_cm_ecf_rejects_is_named(change, check, reason):
    found = checks(rewritten(letter_pdf(), change))
    assert check in found and reason in found[check], found


def test_a4_pages_a_missing_text_layer_and_an_unembedded_font_are_named():
    a4 = checks(letter_pdf(size="A4", pages=2))
    assert a4 == {"page_size": "pages 1, 2 (2 in all) are 595 × 842 pt (A4), not Letter"}
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=612, height=792)
    blank = io.BytesIO()
    writer.write(blank)
    assert checks(blank.getvalue()) == {"text": "page 1 has no searchable text"}
    assert checks(unembedded_font_pdf()) == {"fonts": "the font Helvetica is not embedded (page 1)"}


def test_a_file_over_the_courts_limit_is_named():
    content = letter_pdf()
    found = checks(content, limit=len(content) - 1)
    assert list(found) == ["size"] and "over the court's limit" in found["size"]


def test_every_pdf_export_is_preflighted_and_embedded_exhibits_are_told_they_are_no_filing(matter, user):
    document = make_document(matter, content=letter_pdf(), filename="policy.pdf", title="Policy")
    event = make_event(matter, date="Aug 2024", title="Policy amended")
    citation_create(event=event, document=document, pinpoint="p. 1", user=user, reason="test")
    plain = export_chronology(matter=matter, user=user, options=ExportOptions())
    assert not any("Pre-flight" in w for w in plain.warnings)
    embedded = export_chronology(matter=matter, user=user, options=ExportOptions(embed_exhibits=True))
    warning = next(w for w in embedded.warnings if w.startswith("Pre-flight"))
    assert "would be rejected: it has 2 attached files (PX-1_policy.pdf, exhibit-manifest.csv)" in warning
    assert "a transmittal copy: file the filing package" in warning
