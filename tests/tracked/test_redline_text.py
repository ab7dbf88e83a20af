"""The text of a version as blocks: headings, paragraphs and list items kept from HTML, a PDF's extracted lines and
plain text; what no reader sees left out; hostile HTML refused before it is read whole."""

import time

import pytest

from evidence.tracked.text import (
    HEADING,
    ITEM,
    MAX_DEPTH,
    MAX_ELEMENTS,
    MAX_HTML_BYTES,
    PARAGRAPH,
    Block,
    TextRefused,
    blocks_from_html,
    blocks_from_pdf_text,
    blocks_from_text,
)

POLICY_HTML = """<!DOCTYPE html>
<html><head><title>Privacy Policy | Example</title>
<style>p { color: red } .x:before { content: "styled text" }</style>
<script>document.write("<p>Injected paragraph</p>"); var tracking = "script text";</script>
</head><body>
<nav hidden><a href="/">Home</a> menu text</nav>
<noscript>Please enable JavaScript</noscript>
<h1>Privacy Policy</h1>
<p>Effective <time>August 12, 2024</time></p>
<h2>1. Data we <em>collect</em></h2>
<p>We collect the data you
   give us, and <b>data about how</b> you use the Services.<br>We keep it safe.</p>
<ul><li>Your name</li><li>Your e-mail address<ul><li>including work addresses</li></ul>and their history</li></ul>
<div>Text loose in a div<p>A paragraph inside it</p>and text after it</div>
<table><tr><th>Purpose</th><td>Legal basis</td></tr></table>
<template><p>Template text</p></template>
<!-- a comment that is not text -->
<h2>2. Sharing &amp; disclosure</h2>
</body></html>"""


def test_html_keeps_headings_paragraphs_and_items_and_leaves_out_what_no_reader_sees():
    assert blocks_from_html(POLICY_HTML.encode()) == [
        Block(HEADING, "Privacy Policy", 1),
        Block(PARAGRAPH, "Effective August 12, 2024"),
        Block(HEADING, "1. Data we collect", 2),
        Block(PARAGRAPH, "We collect the data you give us, and data about how you use the Services. We keep it safe."),
        Block(ITEM, "Your name"),
        Block(ITEM, "Your e-mail address"),
        Block(ITEM, "including work addresses"),
        Block(ITEM, "and their history"),
        Block(PARAGRAPH, "Text loose in a div"),
        Block(PARAGRAPH, "A paragraph inside it"),
        Block(PARAGRAPH, "and text after it"),
        Block(PARAGRAPH, "Purpose | Legal basis"),
        Block(HEADING, "2. Sharing & disclosure", 2),
    ]
    text = " ".join(b.text for b in blocks_from_html(POLICY_HTML.encode()))
    unseen = ("Injected", "script text", "styled", "Example", "menu text", "JavaScript", "Template", "comment")
    for hidden in unseen:
        assert hidden not in text


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("<p>café — “quoted”</p>".encode(), "café — “quoted”"),  # UTF-8 without a declaration
        ("<meta charset='windows-1252'><p>café “quoted”</p>".encode("cp1252"), "café “quoted”"),
        ("\ufeff<p>café</p>".encode("utf-8"), "café"),
        ("<p>caf\xe9</p>".encode("latin-1"), "café"),  # not UTF-8: read as Windows-1252
    ],
)
def test_html_is_decoded_by_its_declaration_or_as_utf8(data, expected):
    assert blocks_from_html(data) == [Block(PARAGRAPH, expected)]


def test_html_without_text_has_no_blocks():
    assert blocks_from_html(b"") == []
    assert blocks_from_html(b"<html><body><script>x()</script></body></html>") == []


def test_html_over_the_size_bound_is_refused_before_it_is_read():
    data = b"<p>" + b"x" * MAX_HTML_BYTES + b"</p>"
    with pytest.raises(TextRefused, match=r"Exhibit PX-9 is 10\.0 MB of HTML; a redline reads at most 10 MB"):
        blocks_from_html(data, name="Exhibit PX-9")


def test_html_with_too_many_elements_is_refused_before_it_is_parsed():
    data = b"<p>a</p>" * (MAX_ELEMENTS + 1)
    started = time.perf_counter()
    with pytest.raises(TextRefused, match=f"more than {MAX_ELEMENTS:,} HTML elements"):
        blocks_from_html(data, name="Exhibit PX-9")
    assert time.perf_counter() - started < 1


def test_html_nested_too_deep_is_refused_not_cut_short():
    """libxml2 stops building the tree at 256 levels without an error: the text after would silently vanish."""
    deep = b"<div>" * (MAX_DEPTH + 1) + b"deep" + b"</div>" * (MAX_DEPTH + 1) + b"<p>after the nesting</p>"
    with pytest.raises(TextRefused, match=f"more than {MAX_DEPTH} deep"):
        blocks_from_html(deep, name="Exhibit PX-9")
    very_deep = b"<div>" * 100_000 + b"x"
    with pytest.raises(TextRefused, match="deep"):
        blocks_from_html(very_deep)
    shallow = b"<div>" * (MAX_DEPTH - 5) + b"deep" + b"</div>" * (MAX_DEPTH - 5) + b"<p>after the nesting</p>"
    assert blocks_from_html(shallow)[-1] == Block(PARAGRAPH, "after the nesting")


def test_plain_text_paragraphs_headings_and_items():
    text = (
        "# Privacy Policy\n\n"
        "PRIVACY NOTICE FOR MEMBERS\n"
        "This notice explains\nhow we use data.\n\n"
        "2. How We Use Information\n\n"
        "- Your name\n  and profile\n* Your e-mail\n(a) a lettered item\n\n"
        "THE SERVICES ARE PROVIDED AS IS\nAND WITHOUT WARRANTY OF ANY KIND.\n\n"
        "### Contact\fLast paragraph.\n"
    )
    assert blocks_from_text(text) == [
        Block(HEADING, "Privacy Policy", 1),
        Block(HEADING, "PRIVACY NOTICE FOR MEMBERS", 2),
        Block(PARAGRAPH, "This notice explains how we use data."),
        Block(HEADING, "2. How We Use Information", 2),
        Block(ITEM, "Your name and profile"),
        Block(ITEM, "Your e-mail"),
        Block(ITEM, "(a) a lettered item"),
        Block(PARAGRAPH, "THE SERVICES ARE PROVIDED AS IS AND WITHOUT WARRANTY OF ANY KIND."),
        Block(HEADING, "Contact", 3),
        Block(PARAGRAPH, "Last paragraph."),
    ]


def test_pdf_lines_are_rebuilt_into_paragraphs_over_page_breaks():
    # As intake stores a PDF's text: pypdf's lines, pages joined by "\n\f".
    text = (
        "PRIVACY POLICY\n"
        "1. Introduction\n"
        "This policy explains how we collect and use your personal information when you use our services\n"
        "and the choices you have about it.\n"
        "We also use infor-\n"
        "mation from partners to improve the products and services we offer to members around the world\n"
        "1\n"
        "\n\f"
        "Page 2 of 3\n"
        "and to keep them safe.\n"
        "2. Sharing\n"
        "We share data with affiliates, service providers and others as this section of the policy describes,\n"
        "including:\n"
        "• Your name\n"
        "• Your e-mail address\n"
    )
    assert blocks_from_pdf_text(text) == [
        Block(HEADING, "PRIVACY POLICY", 2),
        Block(HEADING, "1. Introduction", 2),
        Block(
            PARAGRAPH,
            "This policy explains how we collect and use your personal information when you use our services "
            "and the choices you have about it.",
        ),
        Block(
            PARAGRAPH,
            "We also use information from partners to improve the products and services we offer to members "
            "around the world and to keep them safe.",
        ),
        Block(HEADING, "2. Sharing", 2),
        Block(
            PARAGRAPH,
            "We share data with affiliates, service providers and others as this section of the policy describes, "
            "including:",
        ),
        Block(ITEM, "Your name"),
        Block(ITEM, "Your e-mail address"),
    ]


def test_empty_text_has_no_blocks():
    assert blocks_from_text("") == []
    assert blocks_from_pdf_text("") == []
    assert blocks_from_pdf_text("\n\f\n") == []
