"""The text of a tracked source's version as blocks (headings, paragraphs, list items), which the redline aligns
before it compares words: a reader follows a redline by its paragraphs and headings, and a word diff over the text
run together loses both.

Three readers, by what the version is:

* HTML (a captured web page): read from the stored file with lxml's HTML parser. The file is untrusted, so its size
  and its number of elements are bounded before parsing, and its depth while parsing: libxml2 silently stops
  building the tree at 256 levels (the rest of the page would be missing from the redline without a word), so a
  page nested deeper than MAX_DEPTH is refused instead. Scripts, styles, templates and other text no reader sees are
  left out.
* PDF: the text intake extracted and stored (Document.extracted_text, pages separated by form feeds). pypdf gives
  lines, not paragraphs; paragraphs are rebuilt from them (see `blocks_from_pdf_text`), running page numbers dropped
  and words hyphenated at a line's end joined.
* Plain text and anything else with extracted text: paragraphs separated by blank lines; a line starting with "#"
  (markdown) or a short line in capitals is a heading, one starting with a bullet or "1." / "(a)" a list item.

Whitespace inside a block is collapsed to single spaces; the redline compares words, not line wrapping.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

HEADING, PARAGRAPH, ITEM = "heading", "paragraph", "item"

MAX_HTML_BYTES = 10 * 1024 * 1024
MAX_ELEMENTS = 100_000
MAX_DEPTH = 200  # below libxml2's 256, where it stops building the tree without an error
_FEED = 64 * 1024


class TextRefused(ValueError):
    """A version whose text cannot be read for a redline, and why, in words a user can act on."""


@dataclass(frozen=True)
class Block:
    kind: str  # HEADING, PARAGRAPH or ITEM
    text: str
    level: int = 0  # a heading's level, 1 (the title) to 6; 0 for the others

    @property
    def is_heading(self) -> bool:
        return self.kind == HEADING


def _squash(text: str) -> str:
    return " ".join(text.split())


# Plain text and PDF -------------------------------------------------------------------------------------------

_MARKDOWN_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_BULLET_MARK = re.compile(r"^[-*•◦▪–]\s+")
_BULLET = re.compile(r"^(?:[-*•◦▪–]|\d{1,3}[.)]|\(?[a-zA-Z]\)|\(\d{1,3}\)|[ivxIVX]{1,5}\.)\s+\S")
_PAGE_NUMBER = re.compile(r"^(?:[-–—]\s*)?(?:page\s+)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?(?:\s*[-–—])?$", re.IGNORECASE)
_SECTION_NUMBER = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2})*\.?|[IVX]{1,5}\.|[A-Z]\.)\s+\S")
_SENTENCE_END = (".", "!", "?", ":", ";", '"', "”", ")", "’")
_HEADING_WORDS = 12
_HEADING_CHARS = 100


def _in_capitals(line: str) -> bool:
    """ "PRIVACY POLICY", "3. HOW WE SHARE INFORMATION": short, in capitals, not ending with a comma."""
    letters = [c for c in line if c.isalpha()]
    return (
        len(letters) >= 2
        and len(line) <= _HEADING_CHARS
        and len(line.split()) <= _HEADING_WORDS
        and all(c.isupper() for c in letters)
        and not line.endswith((",", ";"))
    )


def _titled(line: str) -> bool:
    """ "1. Introduction", "How We Use Your Data": a short line that starts with a capital or a number and does not
    end a sentence, which is a heading when it stands alone."""
    return (
        len(line.split()) <= 10
        and len(line) <= _HEADING_CHARS
        and (line[:1].isupper() or line[:1].isdigit())
        and not line.endswith((".", ",", ";", "!", "?"))
    )


def blocks_from_text(text: str) -> list[Block]:
    """Paragraphs separated by blank lines (a form feed is one too). A "#" line is a heading; so is a short line in
    capitals that starts a paragraph, unless the next line is in capitals too (a disclaimer written in capitals is
    a paragraph), and a numbered title standing alone ("2. How We Use Information"). A bulleted or numbered line
    starts a list item, which runs on until the next blank line, heading or item."""
    blocks: list[Block] = []
    for group in re.split(r"\n\s*\n", text.replace("\f", "\n\n")):
        lines = [line.strip() for line in group.splitlines() if line.strip()]
        if len(lines) == 1 and _SECTION_NUMBER.match(lines[0]) and _titled(lines[0]):
            blocks.append(Block(HEADING, _squash(lines[0]), 2))
            continue
        _lines_to_blocks(lines, blocks, ends_paragraph=lambda previous, line: False)
    return blocks


def _lines_to_blocks(lines: list[str], blocks: list[Block], *, ends_paragraph) -> None:
    """Lines without blank lines between them into blocks; `ends_paragraph(previous, line)` says whether a paragraph
    ends between two lines that are neither headings nor list items."""
    current: list[str] = []
    kind = PARAGRAPH

    def flush():
        if joined := _squash(" ".join(current)):
            blocks.append(Block(kind, joined))
        current.clear()

    for i, line in enumerate(lines):
        if heading := _MARKDOWN_HEADING.match(line):
            flush()
            if body := _squash(heading[2]):
                blocks.append(Block(HEADING, body, len(heading[1])))
            kind = PARAGRAPH
            continue
        following = lines[i + 1] if i + 1 < len(lines) else ""
        if not current and _in_capitals(line) and not (following and _in_capitals(following)):
            blocks.append(Block(HEADING, _squash(line), 2))
            continue
        if _BULLET.match(line):
            flush()
            kind = ITEM
            line = _BULLET_MARK.sub("", line)  # a bullet is presentation; a number ("2.", "(a)") is text
        elif current and ends_paragraph(current[-1], line):
            flush()
            kind = PARAGRAPH
        elif not current:
            kind = PARAGRAPH
        if current and current[-1].endswith("-") and current[-1][-2:-1].isalpha() and line[:1].islower():
            current[-1] = current[-1][:-1] + line  # "infor-" + "mation"
        else:
            current.append(line)
    flush()


def blocks_from_pdf_text(text: str) -> list[Block]:
    """A PDF's extracted text (pages separated by form feeds, as intake stores it) as blocks. pypdf gives the lines
    as laid out: a paragraph ends at a blank line, or where a line ends a sentence well short of the page's width
    and the next one starts with a capital; a line alone between two such ends that reads as a title is a heading.
    A page's first or last line that is only a page number ("3", "Page 3 of 30", "- 3 -") is dropped, and a
    paragraph runs on over a page break."""
    pages = [[line.strip() for line in page.splitlines()] for page in text.split("\f")]
    for page in pages:
        while page and not page[-1]:
            page.pop()
        while page and not page[0]:
            page.pop(0)
        for end in (-1, 0):
            if page and _PAGE_NUMBER.match(page[end]):
                page.pop(end)
    lines = [line for page in pages for line in page]
    widths = sorted(len(line) for line in lines if line)
    full = widths[int(len(widths) * 0.8)] if widths else 0

    def short(line: str) -> bool:
        return len(line) < 0.75 * full

    def ends_paragraph(previous: str, line: str) -> bool:
        if line[:1].islower():
            return False
        if _titled(previous) and short(previous):
            return True
        return previous.endswith(_SENTENCE_END) and short(previous)

    blocks: list[Block] = []
    group: list[str] = []
    for line in [*lines, ""]:
        if line:
            group.append(line)
            continue
        if group:
            if len(group) == 1 and _titled(group[0]) and short(group[0]):
                blocks.append(Block(HEADING, _squash(group[0]), 2))
            else:
                start = len(blocks)
                _lines_to_blocks(group, blocks, ends_paragraph=ends_paragraph)
                _titles_to_headings(blocks, start)
            group = []
    return blocks


def _titles_to_headings(blocks: list[Block], start: int) -> None:
    """A block of one short titled line (the PDF reader found no blank line around it) is a heading: "How We Use
    Information" above the section's first paragraph; so is a numbered one ("2. Sharing") that is no list's item,
    the blocks on both sides of it being no items."""
    for i in range(start, len(blocks)):
        block = blocks[i]
        if not (_titled(block.text) and len(block.text.split()) <= 8):
            continue
        if block.kind == PARAGRAPH:
            blocks[i] = Block(HEADING, block.text, 2)
        elif block.kind == ITEM and _SECTION_NUMBER.match(block.text):
            around = blocks[i - 1 : i] + blocks[i + 1 : i + 2]
            if not any(b.kind == ITEM for b in around):
                blocks[i] = Block(HEADING, block.text, 2)


# HTML ----------------------------------------------------------------------------------------------------------

# Text no reader of the page sees.
_HIDDEN = frozenset(
    {"script", "style", "noscript", "template", "head", "title", "svg", "math", "iframe", "object", "canvas", "select"}
)
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_ITEMS = frozenset({"li", "dt", "dd"})
_PARAGRAPHS = frozenset({"p", "blockquote", "pre", "address", "figcaption", "caption", "summary", "legend", "tr"})
# Elements that break the text around them into blocks of its own, but hold blocks rather than being one.
_CONTAINERS = frozenset(
    {
        "html", "body", "div", "section", "article", "main", "header", "footer", "nav", "aside", "ul", "ol", "dl",
        "table", "thead", "tbody", "tfoot", "form", "fieldset", "figure", "details", "hr", "center", "menu",
    }
)  # fmt: skip
_CELLS = frozenset({"td", "th"})
_START_TAG = re.compile(rb"<[A-Za-z]")
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def decode_html(data: bytes) -> str:
    """The page's text: by its byte-order mark, else the charset its <meta> declares, else UTF-8, else Windows-1252
    (lxml, left to guess, reads UTF-8 without a declaration as Latin-1)."""
    for bom, encoding in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    declared = _CHARSET.search(data[:4096])
    if declared:
        try:
            return data.decode(declared[1].decode("ascii"), errors="replace")
        except LookupError:
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def blocks_from_html(data: bytes, *, name: str = "The page") -> list[Block]:
    """The blocks of an HTML page; TextRefused for a page over MAX_HTML_BYTES, with more than MAX_ELEMENTS elements,
    or nested deeper than MAX_DEPTH. `name` names the page in those messages ("Exhibit PX-3")."""
    from lxml import etree

    if len(data) > MAX_HTML_BYTES:
        raise TextRefused(
            f"{name} is {len(data) / 1048576:.1f} MB of HTML; a redline reads at most {MAX_HTML_BYTES // 1048576} MB."
        )
    if len(_START_TAG.findall(data)) > MAX_ELEMENTS:
        raise TextRefused(f"{name} has more than {MAX_ELEMENTS:,} HTML elements; a redline reads at most that many.")
    text = decode_html(data)
    parser = etree.HTMLPullParser(events=("start", "end"), remove_comments=True, remove_pis=True)
    depth = elements = 0
    for i in range(0, len(text), _FEED):
        parser.feed(text[i : i + _FEED])
        for event, _ in parser.read_events():
            if event == "end":
                depth -= 1
                continue
            depth += 1
            elements += 1
            if depth > MAX_DEPTH:
                raise TextRefused(
                    f"{name} nests its HTML elements more than {MAX_DEPTH} deep; a redline does not read such a page."
                )
            if elements > MAX_ELEMENTS:
                raise TextRefused(
                    f"{name} has more than {MAX_ELEMENTS:,} HTML elements; a redline reads at most that many."
                )
    try:
        root = parser.close()
    except etree.XMLSyntaxError:  # nothing the parser could read as an element: no text either
        return []
    blocks: list[Block] = []
    if root is not None:
        _walk(root, blocks)
    return blocks


class _Buffer:
    """The text of the block being read, and what kind of block it is."""

    def __init__(self, blocks: list[Block]):
        self.blocks, self.parts, self.kind, self.level = blocks, [], PARAGRAPH, 0

    def add(self, text: str | None) -> None:
        if text:
            self.parts.append(text)

    def flush(self) -> None:
        if joined := _squash("".join(self.parts)):
            self.blocks.append(Block(self.kind, joined, self.level))
        self.parts, self.kind, self.level = [], PARAGRAPH, 0


def _walk(root, blocks: list[Block]) -> None:
    """The root's tail is never text of the page (the parser puts nothing after </html>)."""
    buffer = _Buffer(blocks)
    _element(root, buffer)
    buffer.flush()


def _element(element, buffer: _Buffer) -> None:
    """Depth-first; depth is bounded by MAX_DEPTH, checked while parsing, so recursion is safe."""
    tag = element.tag.lower() if isinstance(element.tag, str) else ""
    if tag in _HIDDEN or element.get("hidden") is not None:
        buffer.add(" ")
        return
    block = tag in _HEADINGS or tag in _ITEMS or tag in _PARAGRAPHS
    if block or tag in _CONTAINERS:
        buffer.flush()
        if tag in _HEADINGS:
            buffer.kind, buffer.level = HEADING, _HEADINGS[tag]
        elif tag in _ITEMS:
            buffer.kind = ITEM
    if tag == "br":
        buffer.add(" ")
    elif tag in _CELLS and element.getprevious() is not None:
        buffer.add(" | ")
    buffer.add(element.text)
    kind, level = buffer.kind, buffer.level
    for child in element:
        _element(child, buffer)
        if block and not buffer.parts:
            buffer.kind, buffer.level = kind, level  # text after a nested block belongs to this one again
        buffer.add(child.tail)
    if block or tag in _CONTAINERS:
        buffer.flush()


# A version's document ------------------------------------------------------------------------------------------

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})


def document_blocks(document) -> list[Block]:
    """The blocks of a version's document: an HTML page read from its stored file (checked against its SHA-256 first:
    evidence.integrity.IntegrityFailure for a file that is not what was received), a PDF's or any other file's text
    as intake extracted it. TextRefused for an HTML page over the bounds."""
    name = f"Exhibit {document.exhibit_label}"
    if document.media_type in HTML_TYPES:
        if document.size > MAX_HTML_BYTES:
            raise TextRefused(
                f"{name} is {document.size / 1048576:.1f} MB of HTML; a redline reads at most "
                f"{MAX_HTML_BYTES // 1048576} MB."
            )
        from evidence.integrity import read_verified

        return blocks_from_html(read_verified(document), name=name)
    if document.media_type == "application/pdf":
        return blocks_from_pdf_text(document.extracted_text)
    return blocks_from_text(document.extracted_text)
