"""Names that leave the app are built from safe parts (evidence/filenames.py), and names shown on the document pages
and in the PDF's exhibit index show their bidi controls instead of obeying them."""

import io

import pypdf
import pytest
from django.urls import reverse

from evidence.filenames import exhibit_file_name, safe_file_name, safe_part
from evidence.services.citations import citation_create
from tests.exporting.readback import export_pdf, flat, pdftotext
from tests.factories import make_document, make_event, make_matter

pytestmark = pytest.mark.django_db

RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE: "invoice‮fdp.exe" reads as "invoiceexe.pdf"


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ("policy v2.pdf", "policy_v2.pdf"),
        ("Änderung policy.pdf", "Änderung_policy.pdf"),
        ("../../etc/passwd", "etc_passwd"),
        ("..\\evil.exe", "evil.exe"),
        (f"invoice{RLO}fdp.exe", "invoicefdp.exe"),
        ("a\u2066b\u2069c\u200ed\u200f", "abcd"),
        ('evil";\r\nSet-Cookie: x=1.csv', "evil_;Set-Cookie_x=1.csv"),
        ('a<b>c:d"e|f?g*h', "a_b_c_d_e_f_g_h"),
        ("...", ""),
    ],
)
def test_a_part_keeps_letters_and_loses_paths_controls_and_reserved_characters(text, safe):
    assert safe_part(text) == safe


def test_a_long_name_is_cut_with_its_extension_kept():
    name = safe_file_name("x" * 300 + ".pdf")
    assert len(name) == 150 and name.endswith("x.pdf")


@pytest.mark.parametrize(
    ("prefix", "name"),
    [("PX-", "PX-1_memo.txt"), ("../", "Exhibit-1_memo.txt"), (f"DX{RLO}-", "DX-1_memo.txt"), ("Ex. ", "Ex1_memo.txt")],
)
def test_the_exhibit_prefix_is_made_safe_too(user, prefix, name):
    matter = make_matter(owner=user, exhibit_prefix=prefix)
    assert exhibit_file_name(make_document(matter, content=b"m", filename="memo.txt")) == name


def test_the_document_pages_show_a_name_as_received(client, matter, user):
    document = make_document(matter, content=b"MZ not really", filename=f"invoice{RLO}fdp.exe")
    client.force_login(user)
    for address in (
        reverse("document_detail", args=[matter.slug, document.pk]),
        reverse("document_list", args=[matter.slug]),
    ):
        html = client.get(address).content.decode()
        assert "invoice[U+202E]fdp.exe" in html and RLO not in html


def test_pdf_attachments_are_named_safely_and_the_exhibit_index_shows_names_as_received(user):
    matter = make_matter(owner=user, exhibit_prefix=f"../{RLO}")
    document = make_document(matter, content=b"an exhibit", filename=f"invoice{RLO}fdp.exe")
    event = make_event(matter, title="Invoice sent", date="Aug 2024")
    citation_create(event=event, document=document, user=user, reason="test")
    content = export_pdf(matter, user, embed_exhibits=True)
    attachments = pypdf.PdfReader(io.BytesIO(content)).attachments
    assert set(attachments) == {"Exhibit-1_invoicefdp.exe", "exhibit-manifest.csv"}
    text = flat(pdftotext(content))
    assert "invoice[U+202E]fdp.exe" in text and RLO not in text
