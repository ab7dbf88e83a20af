"""Pre-flight: what a court's e-filing system (CM/ECF) would reject in a PDF, and why, before anyone uploads it.

Federal courts' CM/ECF refuses a PDF with attached files, JavaScript or other actions that run on their own,
encryption or form fields; wants Letter pages, searchable text and embedded fonts; and caps the size of each file
(35 MB in C.D. Cal., S.D.N.Y. and N.D. Ill.; the matter's filing settings hold its court's). `preflight` checks one
file for all of these and says, in words, what would be rejected; the filing package runs it on every file it holds,
and every PDF export on its file (a chronology with embedded exhibits is told that it is no filing).

The checks read the file with pypdf only as far as they need: the catalog, the name trees, each page's size,
annotations, fonts (each font object once, form XObjects followed to a bounded depth) and text. The files checked are
the app's own output; exhibits are normalised before they get here.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

import pypdf
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

LETTER = (612.0, 792.0)  # points
TOLERANCE = 1.5  # points: rounding in the writers
MAX_XOBJECT_DEPTH = 8
MAX_PAGES_NAMED = 6
RUNNING_ACTIONS = {
    "/JavaScript", "/Launch", "/SubmitForm", "/ResetForm", "/ImportData", "/Rendition", "/Sound", "/Movie", "/GoToE",
    "/Hide", "/SetOCGState", "/Trans", "/GoTo3DView", "/RichMediaExecute",
}  # fmt: skip

CHECKS = {
    "attachments": "attached files",
    "javascript": "JavaScript and actions",
    "encryption": "encryption",
    "forms": "form fields",
    "page_size": "Letter pages",
    "text": "searchable text",
    "size": "file size",
    "fonts": "embedded fonts",
}


@dataclass(frozen=True)
class Problem:
    check: str  # a key of CHECKS
    reason: str  # "page 2 is A4 (595 × 842 pt), not Letter"


@dataclass
class PreflightReport:
    name: str
    size: int
    limit: int
    pages: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, check: str, reason: str) -> None:
        self.problems.append(Problem(check, reason))

    @property
    def text(self) -> str:
        """ "Ex. 3 – Policy.pdf: passes (12 pages, 1.2 MB)." or "…: would be rejected: it has 2 attached files; …" """
        if self.ok:
            return f"{self.name}: passes ({_pages(self.pages)}, {megabytes(self.size)})."
        return f"{self.name}: would be rejected: " + "; ".join(p.reason for p in self.problems) + "."


def megabytes(size: int) -> str:
    """ "35.0 MB", "48 KB" (decimal units, as courts state their limits)"""
    return f"{size / 1_000_000:,.1f} MB" if size >= 1_000_000 else f"{max(1, round(size / 1000)):,} KB"


def _pages(n: int) -> str:
    return "1 page" if n == 1 else f"{n:,} pages"


def preflight(content: bytes, *, name: str, limit: int) -> PreflightReport:
    """Every check on the PDF `content` (named `name` in the report) against a court limit of `limit` bytes."""
    report = PreflightReport(name=name, size=len(content), limit=limit)
    if len(content) > limit:
        report.add("size", f"it is {megabytes(len(content))}, over the court's limit of {megabytes(limit)}")
    try:
        reader = pypdf.PdfReader(io.BytesIO(content), strict=False)
        encrypted = reader.is_encrypted
    except Exception as error:  # not a PDF a court could read either
        report.add("text", f"it cannot be read as a PDF ({type(error).__name__})")
        return report
    if encrypted:
        report.add("encryption", "it is encrypted (courts take no password-protected or restricted PDF)")
        if reader.decrypt("") == 0:
            return report
    try:
        _check(reader, report)
    except Exception as error:
        report.add("text", f"it could not be read to the end ({type(error).__name__}: {error})")
    return report


def _check(reader: pypdf.PdfReader, report: PreflightReport) -> None:
    catalog = reader.trailer["/Root"].get_object()
    report.pages = len(reader.pages)
    attachments = list(reader.attachments)
    if attachments:
        names = ", ".join(attachments[:5]) + (", …" if len(attachments) > 5 else "")
        report.add("attachments", f"it has {_count(len(attachments), 'attached file')} ({names})")
    elif "/AF" in catalog:
        report.add("attachments", "it declares associated files (/AF)")
    forms = catalog.get("/AcroForm")
    if forms is not None:
        forms = forms.get_object()
        fields = forms.get("/Fields") or []
        if len(fields) or "/XFA" in forms:
            xfa = ", XFA" if "/XFA" in forms else ""
            report.add("forms", f"it has form fields ({_count(len(fields), 'field')}{xfa})")
    _check_pages(reader, report, scripts=_document_actions(catalog))


def _check_pages(reader: pypdf.PdfReader, report: PreflightReport, *, scripts: list[str]) -> None:
    sizes: dict[str, list[int]] = {}
    no_text: list[int] = []
    unembedded: dict[str, list[int]] = {}
    seen_fonts: dict = {}
    annotations = {"/Widget": 0, "/FileAttachment": 0}
    for number, page in enumerate(reader.pages, start=1):
        size = _page_size(page)
        if not _is_letter(size):
            sizes.setdefault(f"{size[0]:.0f} × {size[1]:.0f} pt{_paper_name(size)}", []).append(number)
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if annotation.get("/Subtype") in annotations:
                annotations[annotation.get("/Subtype")] += 1
            if _runs(annotation.get("/A")) or "/AA" in annotation:
                scripts.append(f"an annotation on page {number}")
        if "/AA" in page:
            scripts.append(f"page {number}'s own actions")
        for font in _fonts(page.get("/Resources"), seen_fonts, depth=0):
            unembedded.setdefault(font, []).append(number)
        if not shows_text(page):
            no_text.append(number)
    if scripts:
        more = ", …" if len(scripts) > 4 else ""
        report.add("javascript", f"it has JavaScript or actions that run on their own ({', '.join(scripts[:4])}{more})")
    if annotations["/Widget"] and not any(p.check == "forms" for p in report.problems):
        report.add("forms", f"it has {_count(annotations['/Widget'], 'form field widget')}")
    if annotations["/FileAttachment"]:
        report.add("attachments", f"it has {_count(annotations['/FileAttachment'], 'file attachment annotation')}")
    for size, pages in sizes.items():
        report.add("page_size", f"{_page_list(pages)} {'is' if len(pages) == 1 else 'are'} {size}, not Letter")
    if no_text:
        report.add("text", f"{_page_list(no_text)} {'has' if len(no_text) == 1 else 'have'} no searchable text")
    for font, pages in unembedded.items():
        report.add("fonts", f"the font {font} is not embedded ({_page_list(pages)})")


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'s' if n != 1 else ''}"


# A text-showing operator after its string or array: ") Tj", "> Tj", "] TJ", ") '", ') "'.
_SHOWS_TEXT = re.compile(rb"[)>\]]\s*(?:Tj|TJ|'|\")")


def shows_text(page) -> bool:
    return _has_text(page, page.get("/Resources"), depth=0)


def _has_text(content, resources, *, depth: int) -> bool:
    """Whether the page (or a form it draws) shows any text: reading the operators, which is some fifty times
    quicker than extracting the text, for chronologies of hundreds of pages. OCR's invisible text counts."""
    stream = content.get_contents() if hasattr(content, "get_contents") else content
    if stream is not None and _SHOWS_TEXT.search(stream.get_data()):
        return True
    if resources is None or depth >= MAX_XOBJECT_DEPTH:
        return False
    xobjects = resources.get_object().get("/XObject")
    for reference in xobjects.get_object().values() if xobjects is not None else ():
        xobject = reference.get_object()
        if xobject.get("/Subtype") == "/Form" and _has_text(xobject, xobject.get("/Resources"), depth=depth + 1):
            return True
    return False


def _document_actions(catalog: DictionaryObject) -> list[str]:
    found = []
    names = catalog.get("/Names")
    if names is not None and "/JavaScript" in names.get_object():
        found.append("document-level JavaScript")
    if _runs(catalog.get("/OpenAction")):
        found.append("an action on opening")
    if "/AA" in catalog:
        found.append("document actions (/AA)")
    return found


def _runs(action, depth: int = 0) -> bool:
    """Whether an action (or the chain of /Next actions after it) runs anything: JavaScript, a launch, a form
    submission…; a plain link (/URI, /GoTo) does not."""
    if action is None or depth > 8:
        return False
    action = action.get_object()
    if isinstance(action, ArrayObject):  # an /OpenAction that is a destination, not an action
        return False
    if not isinstance(action, DictionaryObject):
        return False
    if action.get("/S") in RUNNING_ACTIONS:
        return True
    following = action.get("/Next")
    if isinstance(following, ArrayObject):
        return any(_runs(a, depth + 1) for a in following)
    return _runs(following, depth + 1)


def _page_size(page) -> tuple[float, float]:
    box = page.cropbox
    width, height = float(box.width), float(box.height)
    if (page.get("/Rotate") or 0) % 180:
        width, height = height, width
    return abs(width), abs(height)


def _is_letter(size: tuple[float, float]) -> bool:
    """Letter, upright or on its side."""
    width, height = sorted(size)
    return abs(width - LETTER[0]) <= TOLERANCE and abs(height - LETTER[1]) <= TOLERANCE


def _paper_name(size: tuple[float, float]) -> str:
    width, height = sorted(size)
    if abs(width - 595) <= 2 and abs(height - 842) <= 2:
        return " (A4)"
    if abs(width - 612) <= 2 and abs(height - 1008) <= 2:
        return " (Legal)"
    return ""


def _page_list(pages: list[int]) -> str:
    shown = ", ".join(str(p) for p in pages[:MAX_PAGES_NAMED]) + (", …" if len(pages) > MAX_PAGES_NAMED else "")
    return f"page {shown}" if len(pages) == 1 else f"pages {shown} ({len(pages)} in all)"


def _fonts(resources, seen: dict, *, depth: int):
    """The names of the fonts used by these resources (and the form XObjects in them) that are not embedded, each
    font object judged once."""
    if resources is None or depth > MAX_XOBJECT_DEPTH:
        return
    resources = resources.get_object()
    fonts = resources.get("/Font")
    if fonts is not None:
        for reference in fonts.get_object().values():
            key = reference.idnum if isinstance(reference, IndirectObject) else id(reference)
            if key not in seen:
                seen[key] = _unembedded_name(reference.get_object())
            if seen[key]:
                yield seen[key]
    xobjects = resources.get("/XObject")
    if xobjects is not None:
        for reference in xobjects.get_object().values():
            key = ("x", reference.idnum) if isinstance(reference, IndirectObject) else None
            if key is not None and key in seen:
                continue
            if key is not None:
                seen[key] = None
            xobject = reference.get_object()
            if xobject.get("/Subtype") == "/Form":
                yield from _fonts(xobject.get("/Resources"), seen, depth=depth + 1)


def _unembedded_name(font: DictionaryObject) -> str | None:
    """The font's name when its program is not in the file; None when it is (Type 3 fonts are drawn by the file)."""
    subtype = font.get("/Subtype")
    if subtype == "/Type3":
        return None
    if subtype == "/Type0":
        descendants = font.get("/DescendantFonts")
        if not descendants:
            return str(font.get("/BaseFont", "?")).lstrip("/")
        font = descendants.get_object()[0].get_object()
    descriptor = font.get("/FontDescriptor")
    if descriptor is not None:
        descriptor = descriptor.get_object()
        if any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
            return None
    return str(font.get("/BaseFont", "?")).lstrip("/")
