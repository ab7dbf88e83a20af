import email.message
import io

import pypdf
import pytest

from tests.factories import make_document, make_pdf

weasyprint = pytest.importorskip("weasyprint")


def test_text_is_extracted_from_a_real_pdf(matter):
    pdf = weasyprint.HTML(string="<p>LinkedIn amended its privacy policy.</p>").write_pdf()
    doc = make_document(matter, content=pdf, filename="policy.pdf")
    assert doc.media_type == "application/pdf"
    assert "amended its privacy policy" in doc.extracted_text
    assert doc.page_count == 1


def test_text_is_extracted_from_html_without_scripts(matter):
    html = (
        b"<html><head><title>t</title><script>var secret=1</script></head>"
        b"<body><h1>FAQ</h1><p>Opt out here.</p></body></html>"
    )
    doc = make_document(matter, content=html, filename="faq.html")
    assert "Opt out here." in doc.extracted_text and "secret" not in doc.extracted_text


def test_text_is_extracted_from_an_email(matter):
    message = email.message.EmailMessage()
    message["From"] = "LinkedIn <notices@linkedin.example>"
    message["To"] = "member@example.com"
    message["Subject"] = "Update on data sharing"
    message["Date"] = "Wed, 18 Sep 2024 10:00:00 -0700"
    message.set_content("We have not enabled data sharing in the UK, EEA and Switzerland.")
    doc = make_document(matter, content=message.as_bytes(), filename="notice.eml")
    assert doc.media_type == "message/rfc822"
    assert "Subject: Update on data sharing" in doc.extracted_text
    assert "UK, EEA and Switzerland" in doc.extracted_text


def test_a_damaged_pdf_is_kept_without_text(matter):
    doc = make_document(matter, content=b"%PDF-1.4 truncated", filename="broken.pdf")
    assert doc.pk and doc.extracted_text == "" and doc.page_count is None


def test_the_pages_of_a_pdf_are_counted_at_intake(matter):
    assert make_document(matter, content=make_pdf(3), filename="px.pdf").page_count == 3
    pages = "".join(f'<p style="break-after: page">Page {n}</p>' for n in range(1, 6))
    rendered = make_document(matter, content=weasyprint.HTML(string=pages).write_pdf(), filename="five.pdf")
    assert rendered.page_count == 5


def test_only_a_pdf_has_a_page_count(matter):
    assert make_document(matter, content=b"Page 1 of 3\f\f", filename="pages.txt").page_count is None
    assert make_document(matter, content=b"<html><p>p. 3</p></html>", filename="a.html").page_count is None


def _encrypted(user_password: str) -> bytes:
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(make_pdf(4))))
    writer.encrypt(user_password=user_password, owner_password="owner secret", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_pdf_locked_by_a_password_is_kept_without_a_page_count(matter):
    # Its page tree cannot be read, and the /Count it declares is not checked by anything: unknown, not trusted.
    locked = make_document(matter, content=_encrypted("open sesame"), filename="locked.pdf")
    assert locked.pk and locked.media_type == "application/pdf" and locked.page_count is None
    # Encrypted with an empty password (restrictions only), it opens as any reader opens it: its pages are counted.
    restricted = make_document(matter, content=_encrypted(""), filename="restricted.pdf")
    assert restricted.page_count == 4


def test_a_pdf_whose_page_tree_is_broken_has_no_page_count(matter):
    content = make_pdf(2).replace(b"/Type /Pages", b"/Type /Pagez").replace(b"/Kids", b"/Kidz")
    doc = make_document(matter, content=content, filename="odd.pdf")
    assert doc.pk and doc.page_count is None


def test_an_email_with_markup_in_its_headers_is_still_an_email(matter):
    raw = (
        b"From: Eve <eve@example.com>\r\nTo: a@example.com\r\nSubject: <script>alert(1)</script>\r\n"
        b"Date: Wed, 18 Sep 2024 10:00:00 -0700\r\n\r\n<p>hello</p>\r\n"
    )
    doc = make_document(matter, content=raw, filename="hostile.eml")
    assert doc.media_type == "message/rfc822"
    assert "Subject: <script>alert(1)</script>" in doc.extracted_text  # kept as text, escaped where shown
