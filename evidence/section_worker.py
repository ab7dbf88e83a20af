"""What the processes of the sectioned PDF renderer (evidence/exporting/sectioned.py) run.

They are forked from a server process that has loaded only this module (WeasyPrint, pypdf, the static-only fetcher),
never Django's apps nor the chronology: a page the server holds is counted again in the resident set of every
worker forked from it, and the chronology stays in the process that asked for the PDF. Each worker renders one
section and exits, so the memory of a section's layout is given back before the next section starts.

`render_section` lays one section's HTML out and writes its PDF without page numbers. `finish` draws "Page X of Y"
for every page of the whole PDF on a document of blank pages with the same page rules (so the numbers are set
exactly as a single pass sets them), merges the sections (the first carries the caption, metadata, PDF/A-3 XMP and
attachments; the others' pages and bookmarks are appended) and draws each page's number over it as a form XObject.
Files go through a folder on disk, so no process holds more than one section's PDF or the merged one.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import pypdf
from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject
from weasyprint import HTML, Attachment

from evidence.fetcher import StaticOnlyFetcher

WRITE_OPTIONS = {"pdf_variant": "pdf/a-3b"}
NUMBER_XOBJECT = "/CaseTimelinePageNumber"  # a name WeasyPrint never gives a resource


@dataclass(frozen=True)
class AttachmentFile:
    """An attachment of the PDF (an exhibit, the manifest), as the first section's worker receives it."""

    path: str
    name: str
    description: str
    relationship: str


@dataclass(frozen=True)
class Rendered:
    pages: int
    refused: tuple[str, ...]  # URLs the fetcher refused, for the requester's log


def write_pdf(
    html: str, *, base_url: str, fetcher: StaticOnlyFetcher, attachments: list | None = None
) -> tuple[bytes, int]:
    """The PDF of `html` and its number of pages."""
    document = HTML(string=html, base_url=base_url, url_fetcher=fetcher).render()
    return document.write_pdf(attachments=attachments or None, **WRITE_OPTIONS), len(document.pages)


def render_section(
    html_path: str, pdf_path: str, *, base_url: str, roots: list[str], attachments: list[AttachmentFile]
) -> Rendered:
    fetcher = StaticOnlyFetcher(roots=[Path(r) for r in roots])
    files = [
        Attachment(
            string=Path(a.path).read_bytes(),
            name=a.name,
            description=a.description,
            relationship=a.relationship,
            url_fetcher=fetcher,
        )
        for a in attachments
    ]
    content, pages = write_pdf(Path(html_path).read_text(encoding="utf-8"), base_url=base_url, fetcher=fetcher,
                               attachments=files)  # fmt: skip
    Path(pdf_path).write_bytes(content)
    return Rendered(pages=pages, refused=tuple(fetcher.refused))


def finish(parts: list[str], numbers_html: str, out_path: str, *, base_url: str, roots: list[str]) -> Rendered:
    """Merge the sections' PDFs `parts` into `out_path`, each page numbered from `numbers_html` (one blank page per
    page of the whole, with only the page-number margin box)."""
    fetcher = StaticOnlyFetcher(roots=[Path(r) for r in roots])
    numbers = pypdf.PdfReader(io.BytesIO(write_pdf(numbers_html, base_url=base_url, fetcher=fetcher)[0]))
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(parts[0]))
    for part in parts[1:]:
        writer.append(pypdf.PdfReader(part))
    if len(writer.pages) != len(numbers.pages):
        raise ValueError(f"merged {len(writer.pages)} pages, numbered {len(numbers.pages)}")

    # The page's own drawing is wrapped in q … Q so that whatever graphics state it leaves does not move the number.
    save = writer._add_object(_stream(b"q\n"))
    restore_and_number = writer._add_object(_stream(f"\nQ q {NUMBER_XOBJECT} Do Q\n".encode()))
    for page, number in zip(writer.pages, numbers.pages, strict=True):
        form = _stream(number.get_contents().get_data())
        form.update({
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): number.mediabox,
            NameObject("/Resources"): number["/Resources"].clone(writer),
        })  # fmt: skip
        # Pages may share one resource dictionary: each gets its own, naming its own number.
        resources = DictionaryObject(page.get("/Resources") or {})
        xobjects = DictionaryObject(resources.get("/XObject") or {})
        xobjects[NameObject(NUMBER_XOBJECT)] = writer._add_object(form.flate_encode())
        resources[NameObject("/XObject")] = xobjects
        page[NameObject("/Resources")] = resources
        contents = page.raw_get("/Contents")
        contents = list(contents.get_object()) if isinstance(contents.get_object(), ArrayObject) else [contents]
        page[NameObject("/Contents")] = ArrayObject([save, *contents, restore_and_number])
    with open(out_path, "wb") as out:
        writer.write(out)
    return Rendered(pages=len(writer.pages), refused=tuple(fetcher.refused))


def call(conn, function, args: tuple, kwargs: dict) -> None:
    """A worker process's body: `function(*args, **kwargs)`, its result or its error sent back through `conn`."""
    try:
        conn.send(("ok", function(*args, **kwargs)))
    except BaseException as error:  # reported to the requester, which renders in one pass instead
        conn.send(("error", f"{type(error).__name__}: {error}"))
    finally:
        conn.close()


def _stream(data: bytes) -> DecodedStreamObject:
    stream = DecodedStreamObject()
    stream.set_data(data)
    return stream
