"""The attorney reports (facts by issue, cast of characters, exhibit list, privilege log), exported as PDF and Word
and read back as an attorney would: pdftotext for the PDF, python-docx for the Word document."""

import io
import re
import subprocess

import docx
import pypdf
import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from evidence.exporting import ExportOptions, export_chronology
from evidence.models import Role
from evidence.selectors import TimelineFilters
from evidence.services.actors import actor_create, issue_create
from evidence.services.documents import document_delete
from evidence.services.matters import membership_set
from tests import factories
from tests.exporting.readback import flat, need, outline_titles, pdftotext
from tests.factories import make_document, make_event

LEGEND = "CONFIDENTIAL — ATTORNEY WORK PRODUCT"


@pytest.fixture
def case(db, user):
    """A small matter with issues, actors, exhibits (one privileged, one deleted) and a privileged event.

    In the chronology with privileged events the events are numbered: 1 Setting introduced (Aug 2024), 2 Policy
    amended (c. Sept 2024), 3 Counsel's memo (Oct 2024, privileged), 4 Complaint filed (Jan 2025), 5 Spokesperson
    denies (undated); without them, 4 and 5 become 3 and 4."""
    matter = factories.make_matter(
        owner=user,
        short_title="Doe v. Acme",
        court="United States District Court, Northern District of California",
        case_number="5:25-cv-00532",
        parties="Jane Doe, Plaintiff,\nv.\nAcme Corp., Defendant.",
        confidentiality_legend=LEGEND,
    )
    policy = make_document(matter, content=b"policy v2", filename="policy.txt", title="Privacy policy, Sept 2024",
                           date="Sept 2024", bates_start="ACME_000001", bates_end="ACME_000004",
                           author="Acme Corp.")  # fmt: skip
    advice = make_document(matter, content=b"advice", filename="advice.txt", title="Counsel's e-mail on the opt-in",
                           date="Oct 2, 2024", author="R. Counsel", is_privileged=True)  # fmt: skip
    gone = make_document(matter, content=b"gone", filename="gone.txt", title="Withdrawn draft")
    document_delete(document=gone, user=user, reason="test")
    faq = make_document(matter, content=b"faq", filename="faq.txt", title="Help-centre FAQ <b>&amp;</b>",
                        bates_start="ACME_000010")  # fmt: skip
    issue_create(matter=matter, name="Damages", user=user, reason="test")  # no event yet: a gap in the outline
    actor_create(matter=matter, name="Zed Witness", user=user, reason="test")  # in no event
    make_event(matter, date="Aug 2024", title="Setting introduced", is_key=True, issues=["Notice", "Consent"],
               actors=["Acme Corp."], citations=[(policy, "p. 2", "")])  # fmt: skip
    make_event(matter, date="c. Sept 2024", title="Policy amended", issues=["Consent"],
               actors=["Acme Corp.", "Jane Doe"], citations=[(policy, "", ""), (faq, "", "")])  # fmt: skip
    make_event(matter, date="Oct 2024", title="Counsel's memo on the opt-in", is_privileged=True,
               kind="internal_communication", description="What counsel advised.", issues=["Consent"],
               actors=["R. Counsel"], citations=[(advice, "", "")])  # fmt: skip
    make_event(matter, date="Jan 2025", title="Complaint filed", kind="court_filing", actors=["Jane Doe"],
               source_note="Dkt. 1")  # fmt: skip
    make_event(matter, date="", title="Spokesperson denies", issues=["Notice"], actors=["Acme Corp."])
    return matter


def export(matter, user, report, fmt="pdf", **filters):
    filters = {"include_privileged": False, **filters}
    options = ExportOptions(format=fmt, report=report, filters=TimelineFilters(**filters))
    return export_chronology(matter=matter, user=user, options=options)


def pdf_text(result) -> tuple[str, str, int]:
    """(the caption page's text, the body's text, the number of pages), each flattened to single spaces."""
    pages = len(pypdf.PdfReader(io.BytesIO(result.content)).pages)
    return flat(pdftotext(result.content, first=1, last=1)), flat(pdftotext(result.content, first=2)), pages


def in_order(text: str, *parts: str) -> bool:
    """Whether the parts are in the text one after the other (a part may be there more than once)."""
    at = 0
    for part in parts:
        found = text.find(part, at)
        if found < 0:
            return False
        at = found + len(part)
    return True


def word(result):
    return docx.Document(io.BytesIO(result.content))


def rows_of(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


# The frame: the chronology's caption page, running header, page numbers and metadata --------------------------------


@pytest.mark.parametrize(
    ("report", "title"),
    [
        ("facts-by-issue", "Facts by Issue"),
        ("cast-of-characters", "Cast of Characters"),
        ("exhibit-list", "Exhibit List"),
        ("privilege-log", "Privilege Log"),
    ],
)
def test_each_report_is_printed_in_the_chronologys_frame(case, user, report, title, tmp_path):
    result = export(case, user, report)
    assert result.filename.startswith(f"{case.slug}-{report}-") and result.filename.endswith(".pdf")
    cover, body, pages = pdf_text(result)
    assert pages >= 2
    assert "UNITED STATES DISTRICT COURT, NORTHERN DISTRICT OF CALIFORNIA" in cover
    assert "Jane Doe, Plaintiff," in cover and "Acme Corp., Defendant." in cover
    assert "Case No. 5:25-cv-00532" in cover and title.upper() in cover and title in cover
    assert re.search(r"Prepared \w{3} \d{1,2}, \d{4}, \d{1,2}:\d{2} [AP]M P[SD]T by ", cover)
    assert "History chain head #" in cover and LEGEND in cover
    assert f"Page 1 of {pages}" in cover
    for n in range(2, pages + 1):
        page = flat(pdftotext(result.content, first=n, last=n, layout=True))
        assert page.startswith(f"Doe v. Acme {title}, Case No. 5:25-cv-00532"), n  # the running header
        assert f"Page {n} of {pages}" in page and LEGEND in page

    reader = pypdf.PdfReader(io.BytesIO(result.content))
    assert reader.metadata.title == f"{title} — Doe v. Acme"
    assert reader.metadata.subject.startswith(f"{title} of Doe v. Acme: ")
    assert 'pdfaid:part="3"' in reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert "/JavaScript" not in str(reader.trailer["/Root"]) and "/AcroForm" not in reader.trailer["/Root"]
    need("qpdf")
    path = tmp_path / result.filename
    path.write_bytes(result.content)
    check = subprocess.run(["qpdf", "--check", str(path)], capture_output=True)
    assert check.returncode == 0 and b"No syntax or stream encoding errors" in check.stdout

    document = word(export(case, user, report, fmt="docx"))
    paragraphs = [p.text for p in document.paragraphs]
    assert "UNITED STATES DISTRICT COURT, NORTHERN DISTRICT OF CALIFORNIA" in paragraphs and title in paragraphs
    assert "Case No. 5:25-cv-00532" in document.tables[0].cell(0, 1).text
    assert title.upper() in document.tables[0].cell(0, 1).text
    section = document.sections[0]
    assert section.header.paragraphs[0].text == f"Doe v. Acme\t\t{title}, Case No. 5:25-cv-00532"
    assert section.footer.paragraphs[0].text.startswith(LEGEND) and "Page 1 of 1" in section.footer.paragraphs[0].text
    assert document.core_properties.title == f"{title} — Doe v. Acme"


# Facts by issue -------------------------------------------------------------------------------------------------------


def test_facts_by_issue_lists_each_issue_with_its_events_in_order(case, user):
    cover, body, _ = pdf_text(export(case, user, "facts-by-issue"))
    assert "Issues 3 issues; 4 events (1 undated, listed last)" in cover
    assert "Privileged events excluded" in cover
    # Issues by name, each with its events in chronological order, the untagged ones last; No. as in the chronology.
    assert in_order(
        body,
        "Consent (2 events)", "1 Aug 2024 Key fact Setting introduced", "2 c. Sept 2024 Policy amended",
        "Damages (no events yet)", "No event in the matter yet.",
        "Notice (2 events)", "1 Aug 2024 Key fact Setting introduced", "4 Date unknown Spokesperson denies",
        "No issue (1 event)", "3 Jan 2025", "Complaint filed",
    )  # fmt: skip
    assert "PX-1 p. 2 (Bates ACME_000001 – ACME_000004)" in body and "Dkt. 1" in body
    assert "Counsel" not in body  # privileged: left out
    reader = pypdf.PdfReader(io.BytesIO(export(case, user, "facts-by-issue").content))
    assert outline_titles(reader) == ["Consent", "Damages", "Notice", "No issue"]


def test_facts_by_issue_as_word(case, user):
    document = word(export(case, user, "facts-by-issue", fmt="docx"))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert headings == ["Consent", "Damages", "Notice", "No issue"]
    assert "Issues: 3 issues; 4 events (1 undated, listed last)" in [p.text for p in document.paragraphs]
    consent, notice, untagged = document.tables[1:]  # Damages has no table, only "No event in the matter yet."
    assert [r[:2] for r in rows_of(consent)] == [["No.", "Date"], ["1", "Aug 2024"], ["2", "c. Sept 2024"]]
    assert rows_of(consent)[1][2].splitlines()[0] == "[Key fact] Setting introduced"
    assert [r[0] for r in rows_of(notice)] == ["No.", "1", "4"]
    assert rows_of(untagged)[1][2].startswith("Complaint filed") and rows_of(untagged)[1][3] == "Dkt. 1"
    assert "No event in the matter yet." in [p.text for p in document.paragraphs]


def test_the_issue_filter_outlines_only_its_issues(case, user):
    _, body, _ = pdf_text(export(case, user, "facts-by-issue", issues=("Notice",)))
    assert "Notice (2 events)" in body and "Consent (" not in body and "No issue" not in body


# Cast of characters ---------------------------------------------------------------------------------------------------


def test_cast_of_characters_lists_each_actor_with_their_events(case, user):
    cover, body, _ = pdf_text(export(case, user, "cast-of-characters"))
    # R. Counsel is named only by the privileged event: not even named without it. Zed Witness is in no event yet.
    assert "Actors 3 actors; 4 events" in cover
    assert in_order(
        body,
        "Acme Corp. (Organisation; 3 events)", "1 Aug 2024", "2 c. Sept 2024", "4 Date unknown Spokesperson denies",
        "Jane Doe (Person; 2 events)", "2 c. Sept 2024 Policy amended", "3 Jan 2025 Complaint filed",
        "Zed Witness (Person; no events yet)", "No event in the matter yet.",
    )  # fmt: skip
    assert "Counsel" not in body


def test_cast_of_characters_as_word(case, user):
    document = word(export(case, user, "cast-of-characters", fmt="docx"))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert headings == ["Acme Corp.", "Jane Doe", "Zed Witness"]
    acme, jane = document.tables[1:]
    assert [r[0] for r in rows_of(acme)] == ["No.", "1", "2", "4"]
    assert [r[1] for r in rows_of(jane)] == ["Date", "c. Sept 2024", "Jan 2025"]


def test_an_editor_with_privileged_events_gets_their_actors_too(case, user):
    _, body, _ = pdf_text(export(case, user, "cast-of-characters", include_privileged=True))
    assert in_order(body, "R. Counsel (Person; 1 event)", "3 Oct 2024", "Privileged Counsel's memo on the opt-in")


# Exhibit list ---------------------------------------------------------------------------------------------------------


def test_exhibit_list_has_every_live_exhibit_with_hash_and_citing_events(case, user):
    policy, advice, gone, faq = case.documents.order_by("exhibit_number")
    cover, body, _ = pdf_text(export(case, user, "exhibit-list"))
    assert "Exhibits 2 exhibits" in cover and "Privileged documents are left out." in cover
    assert "Exhibit Description Date Bates range Cited by" in body
    assert in_order(body, "PX-1 Privacy policy, Sept 2024 Sept 2024 ACME_000001 – ACME_000004 1, 2",
                    f"SHA-256 {policy.sha256}", "PX-4 Help-centre FAQ <b>&amp;</b> ACME_000010 2",
                    f"SHA-256 {faq.sha256}")  # fmt: skip
    assert "PX-2" not in body and "Withdrawn draft" not in body and advice.sha256 not in body

    document = word(export(case, user, "exhibit-list", fmt="docx"))
    table = rows_of(document.tables[1])
    assert table[0] == ["Exhibit", "Description", "Date", "Bates range", "Cited by"]
    assert table[1] == ["PX-1", f"Privacy policy, Sept 2024\nSHA-256 {policy.sha256}", "Sept 2024",
                        "ACME_000001 – ACME_000004", "1, 2"]  # fmt: skip
    assert table[2][0] == "PX-4" and table[2][1].startswith("Help-centre FAQ <b>&amp;</b>\n") and len(table) == 3


def test_exhibit_list_with_privileged_material_marks_it(case, user):
    _, body, _ = pdf_text(export(case, user, "exhibit-list", include_privileged=True))
    assert in_order(body, "PX-1", "PX-2 Privileged Counsel's e-mail on the opt", "Oct 2, 2024 3", "PX-4")
    document = word(export(case, user, "exhibit-list", fmt="docx", include_privileged=True))
    assert rows_of(document.tables[1])[2][1].startswith("[Privileged] Counsel's e-mail on the opt-in")


# Privilege log --------------------------------------------------------------------------------------------------------


def test_privilege_log_lists_privileged_documents_and_events_by_date(case, user):
    advice = case.documents.get(is_privileged=True)
    make_document(case, content=b"undated", filename="notes.txt", title="Litigation hold notes", is_privileged=True)
    result = export(case, user, "privilege-log")  # privileged material is what it lists: no need to ask for it
    cover, body, _ = pdf_text(result)
    assert "Entries 2 documents, 1 event" in cover and "Privileged events included and marked" in cover
    assert "Case Timeline records no recipients" in cover
    lines = [flat(line) for line in pdftotext(result.content, first=2, layout=True).splitlines() if line.strip()]
    assert "No. Date Document Author Recipients asserted Description" in lines  # "Privilege" is on the line above
    # By date as known: "Oct 2024" before "Oct 2, 2024", undated last.
    entries = [line for line in lines if re.match(r"\d+ ", line)]
    assert entries == [
        "1 Oct 2024 Event Work product Counsel's memo on the opt-in",
        "2 Oct 2, 2024 PX-2 R. Counsel Counsel's e-mail on the opt-in",
        "3 Date unknown PX-5 Litigation hold notes",
    ]
    assert "What counsel advised." not in body and advice.sha256 not in body  # the title only
    assert "Setting introduced" not in body and "Privacy policy" not in body  # not privileged
    page = pypdf.PdfReader(io.BytesIO(result.content)).pages[1]
    assert page.mediabox.width > page.mediabox.height  # seven columns: landscape

    document = word(export(case, user, "privilege-log", fmt="docx"))
    table = rows_of(document.tables[1])
    assert table[0] == ["No.", "Date", "Document", "Author", "Recipients", "Privilege asserted", "Description"]
    assert table[1] == ["1", "Oct 2024", "Event\nInternal communication", "", "", "Work product",
                        "Counsel's memo on the opt-in\nR. Counsel"]  # fmt: skip
    assert table[2] == ["2", "Oct 2, 2024", "PX-2\nText", "R. Counsel", "", "", "Counsel's e-mail on the opt-in"]
    assert table[3][:3] == ["3", "Date unknown", "PX-5\nText"]
    section = document.sections[0]
    assert section.page_width > section.page_height


# Who may export what ----------------------------------------------------------------------------------------------


def everything_in(result, fmt: str) -> str:
    if fmt == "pdf":
        return pdftotext(result.content)
    document = word(result)
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_a_viewers_reports_hold_no_privileged_material(case, user, make_user):
    viewer = make_user()
    membership_set(matter=case, user=user, member=viewer, role=Role.VIEWER, reason="test")
    for report in ("facts-by-issue", "cast-of-characters", "exhibit-list"):
        for fmt in ("pdf", "docx"):
            text = everything_in(export(case, viewer, report, fmt=fmt), fmt)
            assert "Privacy policy" in text or "Setting introduced" in text, (report, fmt)
            assert "Counsel" not in text and "PX-2" not in text, (report, fmt)
    with pytest.raises(PermissionDenied, match="The privilege log needs the editor role"):
        export(case, viewer, "privilege-log")
    with pytest.raises(PermissionDenied, match="privileged material needs the editor role"):
        export(case, viewer, "facts-by-issue", include_privileged=True)


def test_the_reports_cost_a_fixed_number_of_queries(case, user):
    def queries(report):
        with CaptureQueriesContext(connection) as ctx:
            export(case, user, report, fmt="docx", include_privileged=True)
        return len(ctx.captured_queries)

    before = {r: queries(r) for r in ("facts-by-issue", "cast-of-characters", "exhibit-list", "privilege-log")}
    policy = case.documents.get(exhibit_number=1)
    for i in range(8):
        make_event(case, date=f"Mar {2020 + i}", title=f"More {i}", issues=[f"Issue {i}", "Consent"],
                   actors=[f"Actor {i}"], citations=[(make_document(case, content=f"x{i}".encode(),
                   filename=f"x{i}.txt", is_privileged=i % 2 == 0), "", ""), (policy, f"p. {i}", "")],
                   is_privileged=i % 3 == 0)  # fmt: skip
    after = {r: queries(r) for r in before}
    assert after == before
    assert before == {"facts-by-issue": 7, "cast-of-characters": 7, "exhibit-list": 7, "privilege-log": 7}


def test_names_are_printed_as_typed_never_as_markup(matter, user):
    hostile = '"><i>Consent</i>'
    make_event(matter, date="Aug 2024", title="<script>x</script>", issues=[hostile], actors=["Eve\u202ecod.exe"])
    result = export(matter, user, "facts-by-issue")
    _, body, _ = pdf_text(result)
    assert f"{hostile} (1 event)" in body and "<script>x</script>" in body
    assert outline_titles(pypdf.PdfReader(io.BytesIO(result.content))) == [hostile]
    _, body, _ = pdf_text(export(matter, user, "cast-of-characters"))
    assert "Eve[U+202E]cod.exe (Person; 1 event)" in body  # a bidi control written out, as in every export
    document = word(export(matter, user, "cast-of-characters", fmt="docx"))
    assert [p.text for p in document.paragraphs if p.style.name == "Heading 2"] == ["Eve[U+202E]cod.exe"]


def test_a_report_names_the_characters_no_font_has_in_what_it_prints(matter, user):
    need("fc-list")
    make_event(matter, date="Aug 2024", title="Seal \U000f0000 on the letter", issues=["Issue \U000f0000"])
    warnings = export(matter, user, "facts-by-issue").warnings
    assert any("(U+F0000), in the heading “Issue \U000f0000”" in w for w in warnings)
    assert any("(U+F0000), in event No. 1 “Seal \U000f0000 on the letter”" in w for w in warnings)
    assert export(matter, user, "exhibit-list").warnings == ()  # the event is not printed there


def test_a_reports_headings_are_the_documents_serif_in_black(case, user):
    document = word(export(case, user, "facts-by-issue", fmt="docx"))
    for name in ("Heading 1", "Heading 2"):
        style = document.styles[name]
        assert style.font.name == "Times New Roman" and str(style.font.color.rgb) == "000000", name
