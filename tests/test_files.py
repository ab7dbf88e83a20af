import email.message

import pytest

from tests.factories import make_document

weasyprint = pytest.importorskip("weasyprint")


def test_text_is_extracted_from_a_real_pdf(matter):
    pdf = weasyprint.HTML(string="<p>LinkedIn amended its privacy policy.</p>").write_pdf()
    doc = make_document(matter, content=pdf, filename="policy.pdf")
    assert doc.media_type == "application/pdf"
    assert "amended its privacy policy" in doc.extracted_text


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
    assert doc.pk and doc.extracted_text == ""


def test_an_email_with_markup_in_its_headers_is_still_an_email(matter):
    raw = (
        b"From: Eve <eve@example.com>\r\nTo: a@example.com\r\nSubject: <script>alert(1)</script>\r\n"
        b"Date: Wed, 18 Sep 2024 10:00:00 -0700\r\n\r\n<p>hello</p>\r\n"
    )
    doc = make_document(matter, content=raw, filename="hostile.eml")
    assert doc.media_type == "message/rfc822"
    assert "Subject: <script>alert(1)</script>" in doc.extracted_text  # kept as text, escaped where shown
