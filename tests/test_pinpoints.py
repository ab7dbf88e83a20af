"""Pinpoints (evidence/pinpoints.py): the highest page a pinpoint names and the warning for one past a PDF's last
page; and where the document viewer opens a citation (a page, a Bates number's page, a paragraph)."""

import pytest

from evidence.pinpoints import (
    Place,
    bates_page,
    confirmation,
    first_page,
    last_page,
    page_warning,
    page_warnings,
    paragraph_number,
    place_in,
    place_of,
    text_paragraphs,
)
from tests.factories import make_document, make_pdf, make_text_pdf


@pytest.mark.parametrize(
    "pinpoint, page",
    [
        ("p. 3", 3),
        ("p.99", 99),
        ("p 12", 12),
        ("P. 4", 4),
        ("pp. 3-5", 5),
        ("pp. 3–5", 5),  # en dash
        ("pp. 3 - 5", 5),
        ("pp. 5-3", 5),
        ("pp. 123-25", 125),  # the short way: 123 to 125
        ("pp. 1011-13", 1013),
        ("pp. 98-102", 102),
        ("pp. 3, 7-9", 9),
        ("pp. 3 & 8", 8),
        ("pp. 3 and 9", 9),
        ("at 7", 7),
        ("Dkt. 12 at 3", 3),  # the docket number is no page
        ("at 3 n.2", 3),
        ("at p. 4", 4),
        ("at 45:3-12", 45),  # a transcript's page 45, lines 3 to 12
        ("page 12", 12),
        ("Pages 2 to 4", 4),
        ("pages 3 through 5", 5),
        ("pg. 4", 4),
        ("pgs. 4-6", 6),
        ("p. 3 ¶ 4", 3),
        ("Ex. A, at 3, 10", 10),
    ],
)
def test_the_highest_page_a_pinpoint_names(pinpoint, page):
    assert last_page(pinpoint) == page


@pytest.mark.parametrize(
    "pinpoint",
    [
        "",
        "¶ 12",
        "¶¶ 3-5",
        "00:01:32",
        "ACME_000123",  # Bates pins are left alone
        "ACME 000123",
        "LI-000010",
        "LI-P 12",
        "ACME_P. 12",
        "p. 007",  # zero-padded: a Bates number, not a page
        "p. 0",
        "p. iv",  # front matter in roman numerals has no place in a page count
        "p12",
        "p. 12345678",
        "Tr. 45:3",
        "para. 3",
        "that 5",
        "§ 4.2",
    ],
)
def test_pinpoints_that_name_no_page(pinpoint):
    assert last_page(pinpoint) is None


def test_a_very_long_text_is_read_only_as_far_as_a_pinpoint_goes():
    assert last_page("x" * 10_000 + " p. 9") is None
    assert last_page("p. 1, " * 100_000) == 1


def test_the_warning_names_the_exhibit_its_pages_and_the_pinpoint():
    assert page_warning("PX-3", 3, "p. 99") == "PX-3 has 3 pages; p. 99 is past its last page."
    assert page_warning("PX-1", 1, "pp. 1-2") == "PX-1 has 1 page; pp. 1-2 is past its last page."
    assert page_warning("PX-3", 3, "p. 3") is None  # the last page itself
    assert page_warning("PX-3", None, "p. 99") is None  # page count not known
    assert page_warning("PX-3", 3, "¶ 99") is None


def test_warnings_leave_out_what_is_cited_already(matter):
    short = make_document(matter, content=make_pdf(3), filename="short.pdf")
    text = make_document(matter, content=b"a text", filename="a.txt")
    entered = [(short, "p. 99", ""), (short, "p. 2", ""), (text, "p. 99", ""), (short, " p. 50 ", "note")]
    assert page_warnings(entered) == [
        "PX-1 has 3 pages; p. 99 is past its last page.",
        "PX-1 has 3 pages; p. 50 is past its last page.",
    ]
    assert page_warnings(entered, already=[(short.pk, "p. 99")]) == ["PX-1 has 3 pages; p. 50 is past its last page."]


def test_a_confirmation_is_of_exactly_the_warnings_shown():
    shown = ["PX-1 has 3 pages; p. 99 is past its last page."]
    assert confirmation(shown) == confirmation(list(shown))
    assert confirmation(shown) != confirmation(["PX-1 has 3 pages; p. 98 is past its last page."])


# Where the viewer opens a citation ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "pinpoint, page",
    [
        ("p. 3", 3),
        ("pp. 3-4", 3),
        ("pp. 3–5, 9", 3),
        ("pp. 9, 3", 9),  # the first one written, where the reader is sent first
        ("at 7", 7),
        ("Dkt. 12 at 3", 3),
        ("page 12", 12),
        ("p. 3 ¶ 4", 3),
        ("¶ 12", None),
        ("LI-000105", None),
        ("p. 007", None),
    ],
)
def test_the_first_page_a_pinpoint_names(pinpoint, page):
    assert first_page(pinpoint) == page


@pytest.mark.parametrize(
    "pinpoint, paragraph",
    [("¶ 12", 12), ("¶12", 12), ("¶¶ 12-14", 12), ("para. 7", 7), ("paras 3 and 4", 3), ("Paragraph 2", 2),
     ("Compl. ¶ 5", 5), ("p. 3", None), ("§ 4", None), ("", None)],
)  # fmt: skip
def test_the_paragraph_a_pinpoint_names(pinpoint, paragraph):
    assert paragraph_number(pinpoint) == paragraph


@pytest.mark.parametrize(
    "pinpoint, page",
    [
        ("LI-000104", 1),
        ("LI-000105", 2),  # the issue's own example: inside LI-000104 – LI-000106, the second page
        ("LI-000106", 3),
        ("LI_000105", 2),  # the prefix matched without its separator, case or spacing
        ("li 000105", 2),
        ("LI000105", 2),
        ("LI-000105-06", 2),
        ("LI-000105 – LI-000106", 2),
        ("Ex. 3, LI-000106", 3),
        ("ACME_000105", None),  # another producing party's prefix
        ("p. 2", None),
        ("", None),
    ],
)
def test_a_bates_number_in_the_exhibits_range_names_its_page(pinpoint, page):
    assert bates_page(pinpoint, bates_start="LI-000104", bates_end="LI-000106") == page


def test_a_bates_number_outside_the_range_is_said_so():
    assert bates_page("LI-000107", bates_start="LI-000104", bates_end="LI-000106") == (
        "LI-000107 is outside this exhibit's Bates range (LI-000104 – LI-000106)."
    )
    assert "outside" in bates_page("LI-000103", bates_start="LI-000104", bates_end="LI-000106")
    # With only a first number, any later number of the prefix is a page from there.
    assert bates_page("LI-000110", bates_start="LI-000104") == 7
    assert bates_page("LI-000105", bates_start="") is None  # no Bates range: nothing to count from
    assert bates_page("LI-000105", bates_start="none") is None


def test_text_paragraphs_by_blank_lines_or_lines():
    text = "First paragraph,\nwrapped.\n\nSecond.\n\n\n  Third.  \n"
    assert text_paragraphs(text) == [
        (1, "First paragraph,\nwrapped."),
        (2, "Second."),
        (3, "Third."),
    ]
    # No blank line at all (a web page's text): each line is a paragraph.
    assert [p.number for p in text_paragraphs("A\nB\r\nC")] == [1, 2, 3]
    assert text_paragraphs("") == []


def test_a_document_that_numbers_its_paragraphs_is_cited_by_its_own_numbers():
    complaint = "COMPLAINT\n\n1. Plaintiff uses LinkedIn.\n\n2. LinkedIn added a setting.\n\nIt was on.\n\n3. Then…"
    assert [(p.number, p.text[:6]) for p in text_paragraphs(complaint)] == [
        (None, "COMPLA"),
        (1, "1. Pla"),
        (2, "2. Lin"),
        (None, "It was"),
        (3, "3. The"),
    ]
    assert [p.number for p in text_paragraphs("(1) a\n\n(2) b")] == [1, 2]
    assert [p.number for p in text_paragraphs("¶ 7 a\n\n¶ 8 b")] == [7, 8]
    # Numbers out of order are not the document's paragraph numbers (a list of years, say): paragraphs by order.
    assert [p.number for p in text_paragraphs("2024. a\n\n1999. b")] == [1, 2]


def test_a_pdf_opens_at_the_page_a_pinpoint_names():
    assert place_in(pinpoint="pp. 3-4", paged=True, page_count=5) == Place(page=3)
    assert place_in(pinpoint="LI-000105", paged=True, page_count=3, bates_start="LI-000104",
                    bates_end="LI-000106") == Place(page=2)  # fmt: skip
    assert place_in(pinpoint="p. 9", paged=True, page_count=5) == Place(
        note="p. 9 is past the last page: this document has 5 pages."
    )
    assert place_in(pinpoint="p. 9", paged=True, page_count=None) == Place(page=9)  # the viewer stops at the last
    assert place_in(pinpoint="00:01:32", paged=True, page_count=5) == Place()
    assert place_in(pinpoint="", paged=True) == Place()
    assert place_in(pinpoint="LI-000200", paged=True, bates_start="LI-000104", bates_end="LI-000106").note == (
        "LI-000200 is outside this exhibit's Bates range (LI-000104 – LI-000106)."
    )


def test_a_paragraph_of_a_pdf_opens_at_the_page_it_begins_on():
    text = "CLASS ACTION COMPLAINT\n1. Plaintiff …\n2. LinkedIn …\n\f3. In August 2024 …\n12. Later …\n\f13. End"
    assert place_in(pinpoint="¶ 3", paged=True, text=text) == Place(page=2)
    assert place_in(pinpoint="¶ 12", paged=True, text=text) == Place(page=2)
    assert place_in(pinpoint="¶ 13", paged=True, text=text) == Place(page=3)
    assert place_in(pinpoint="¶ 1", paged=True, text=text) == Place(page=1)
    assert place_in(pinpoint="¶ 40", paged=True, text=text).note == "¶ 40 was not found in the text of this document."


def test_a_text_opens_at_the_paragraph():
    text = "Intro\n\n1. One\n\n2. Two"
    assert place_in(pinpoint="¶ 2", paged=False, text=text) == Place(paragraph=2)
    assert place_in(pinpoint="¶ 9", paged=False, text=text) == Place(note="This document has no ¶ 9.")
    assert place_in(pinpoint="p. 2", paged=False, text=text) == Place()  # a text has no pages


def test_a_stored_pdf_with_a_bates_range(matter):
    pdf = make_text_pdf(["one", "two", "three"])
    document = make_document(matter, content=pdf, filename="policy.pdf", bates_start="LI-000104",
                              bates_end="LI-000106")  # fmt: skip
    assert document.page_count == 3
    assert place_of(document, "LI-000105") == Place(page=2)
    assert place_of(document, "p. 3") == Place(page=3)
    assert place_of(document, "p. 4").note == "p. 4 is past the last page: this document has 3 pages."
