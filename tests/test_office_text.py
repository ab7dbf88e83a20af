"""Word and Excel evidence gives its text at intake (search finds it; the document's page shows it), bounded."""

import datetime as dt
import email.message
import io

import docx
import openpyxl
from django.urls import reverse

from evidence.services.citations import citation_create
from tests.factories import make_document, make_event, make_pdf


def word_file() -> bytes:
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "PRIVILEGED AND CONFIDENTIAL draft"
    document.add_heading("Memo on the Data for Generative AI Improvement setting", level=1)
    document.add_paragraph("The setting was introduced in August 2024 and was on by default.")
    table = document.add_table(rows=2, cols=3)
    for cell, value in zip(table.rows[0].cells, ["Date", "Change", "Source"], strict=True):
        cell.text = value
    for cell, value in zip(table.rows[1].cells, ["Sept 18, 2024", "Privacy policy amended", ""], strict=True):
        cell.text = value
    document.add_paragraph("UK, EEA and Switzerland members were excluded.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def workbook() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Chronology"
    sheet.append(["Date", "Event", "Count"])
    sheet.append([dt.date(2024, 8, 14), "Setting introduced", 3.0])
    sheet.append([dt.datetime(2025, 1, 21, 9, 30), "Complaint filed", 1])
    book.create_sheet("Actors").append(["Blake Lawit", "General Counsel"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_word_documents_text_is_read_in_order_with_its_tables_and_header(matter, client, user):
    document = make_document(matter, content=word_file(), filename="memo.docx")
    assert document.media_type == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert document.extracted_text.splitlines() == [
        "Memo on the Data for Generative AI Improvement setting",
        "The setting was introduced in August 2024 and was on by default.",
        "Date\tChange\tSource",
        "Sept 18, 2024\tPrivacy policy amended",
        "UK, EEA and Switzerland members were excluded.",
        "PRIVILEGED AND CONFIDENTIAL draft",
    ]
    client.force_login(user)
    page = client.get(reverse("document_detail", args=[matter.slug, document.pk])).content.decode()
    assert "The setting was introduced in August 2024 and was on by default." in page


def test_a_workbooks_cells_are_read_sheet_by_sheet(matter):
    document = make_document(matter, content=workbook(), filename="facts.xlsx")
    assert document.media_type == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert document.extracted_text.splitlines() == [
        "Sheet: Chronology",
        "Date\tEvent\tCount",
        "2024-08-14\tSetting introduced\t3",
        "2025-01-21 09:30\tComplaint filed\t1",
        "",
        "Sheet: Actors",
        "Blake Lawit\tGeneral Counsel",
    ]


def test_the_timeline_search_finds_events_by_words_inside_the_word_and_excel_files_they_cite(matter, client, user):
    memo = make_document(matter, content=word_file(), filename="memo.docx")
    facts = make_document(matter, content=workbook(), filename="facts.xlsx")
    for document, title in ((memo, "Memo received"), (facts, "Spreadsheet of facts received")):
        citation_create(event=make_event(matter, title=title), document=document, pinpoint="", user=user,
                        reason="test")  # fmt: skip
    client.force_login(user)
    url = reverse("timeline", args=[matter.slug])
    found = client.get(url, {"q": "Switzerland"}).content.decode()
    assert "Memo received" in found and "Spreadsheet of facts received" not in found
    found = client.get(url, {"q": "Blake Lawit"}).content.decode()
    assert "Spreadsheet of facts received" in found and "Memo received" not in found


def test_a_damaged_word_file_is_kept_without_text(matter):
    broken = word_file()[:-200]  # its central directory cut off
    document = make_document(matter, content=broken, filename="cut.docx")
    assert document.pk and document.extracted_text == ""


def test_an_emails_text_names_its_people_and_attachments(matter):
    message = email.message.EmailMessage()
    message["From"] = "LinkedIn <notices@linkedin.example>"
    message["To"] = "member@example.com"
    message["Subject"] = "Update on data sharing"
    message["Date"] = "Wed, 18 Sep 2024 10:00:00 -0700"
    message.set_content("See the attached policy.")
    message.add_attachment(make_pdf(1), maintype="application", subtype="pdf", filename="privacy-policy.pdf")
    document = make_document(matter, content=message.as_bytes(), filename="notice.eml")
    assert document.extracted_text.splitlines()[:4] == [
        "Subject: Update on data sharing",
        "From: LinkedIn <notices@linkedin.example>",
        "To: member@example.com",
        "Attachments: privacy-policy.pdf",
    ]
