"""Page references in pinpoints (evidence/pinpoints.py): the highest page a pinpoint names, and the warning for one
past a PDF's last page."""

import pytest

from evidence.pinpoints import confirmation, last_page, page_warning, page_warnings
from tests.factories import make_document, make_pdf


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
