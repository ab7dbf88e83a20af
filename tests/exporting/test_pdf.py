"""The court-ready PDF, read back as an attorney (pdftotext) and as a validator would (pypdf, qpdf)."""

import hashlib
import io
import os
import re
import select
import socket
import subprocess

import pypdf

from evidence.exporting import ExportOptions, export_chronology
from evidence.selectors import TimelineFilters
from evidence.services.chain import chain_head
from tests import factories
from tests.exporting.readback import export_pdf, flat, need, outline_titles, pdftotext
from tests.factories import make_document, make_event


def test_demo_pdf_first_page_table_index_and_metadata(demo):
    matter, user = demo
    content = export_pdf(matter, user)
    reader = pypdf.PdfReader(io.BytesIO(content))
    pages = len(reader.pages)
    assert pages >= 3

    first = flat(pdftotext(content, first=1, last=1))
    assert "Chronology of Events" in first
    assert "A LinkedIn Premium user" in first and "LinkedIn, Defendant." in first
    assert "UNITED STATES FEDERAL COURT" in first
    assert re.search(r"Prepared \w{3} \d{1,2}, \d{4}, \d{1,2}:\d{2} [AP]M P[SD]T by ", first)
    assert "Privileged events excluded" in first
    assert "7 events (2 undated, listed last)" in first
    assert f"Page 1 of {pages}" in first
    assert matter.confidentiality_legend in first

    text = flat(pdftotext(content))
    # Events in chronological order, numbered, undated last.
    titles = [
        "LinkedIn e-mails users",
        "LinkedIn introduces a privacy setting",
        "LinkedIn modifies its privacy policy",
        "Complaint filed against LinkedIn",
        "DMR News reports the lawsuit",
        "LinkedIn changes its FAQ",
        "LinkedIn spokesperson",
    ]
    assert "No. Date Event Source" in flat(pdftotext(content, first=2, last=2, layout=True))
    body = text[text.index("period a date covers") :]  # after the visual timeline
    positions = [body.index(t) for t in titles]
    assert positions == sorted(positions)
    assert "2 Aug 2024 Key fact Disputed LinkedIn introduces a privacy setting" in body
    assert "3 c. Sept 2024" in body and "Date unknown" in body
    assert "PX-1 ¶ 2" in body
    # The exhibit index, with the hash and the events citing it.
    document = matter.documents.get(exhibit_number=1)  # the article; the tracked sources' versions follow it
    index = text[text.index("Exhibit Index") :]
    assert "PX-1" in index and document.sha256 in index and "1–7" in index
    assert f"Page {pages} of {pages}" in text

    # Metadata, PDF/A-3b, bookmarks, embedded fonts.
    meta = reader.metadata
    assert meta.title == "Chronology of Events — Premium User v. LinkedIn"
    assert meta.author == "paralegal"
    assert "Chronology of 7 events in Premium User v. LinkedIn" in meta.subject
    assert meta.creation_date is not None
    xmp = reader.xmp_metadata
    assert (
        xmp.custom_properties.get("part") == "3"
        or 'pdfaid:part="3"' in reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    )
    assert outline_titles(reader) == ["2024", "2025", "Undated events", "Exhibit index"]
    assert {"Liberation-Serif", "Liberation-Serif-Bold"} <= embedded_fonts(reader)
    assert "/JavaScript" not in str(reader.trailer["/Root"]) and "/AcroForm" not in reader.trailer["/Root"]


def embedded_fonts(reader: pypdf.PdfReader) -> set[str]:
    """The fonts the pages use, each checked to be embedded."""
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = (
                font["/DescendantFonts"][0]["/FontDescriptor"]
                if "/DescendantFonts" in font
                else font["/FontDescriptor"]
            )
            assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor.get_object())
            fonts.add(font["/BaseFont"].split("+")[-1])
    return fonts


def test_qpdf_check_passes(demo):
    need("qpdf")
    matter, user = demo
    content = export_pdf(matter, user, embed_exhibits=True)
    result = subprocess.run(["qpdf", "--check", "-"], input=content, capture_output=True)
    if result.returncode == 2 and b"-" in result.stderr:  # older qpdf: no stdin
        path = f"/tmp/qpdf-check-{os.getpid()}.pdf"
        with open(path, "wb") as fh:
            fh.write(content)
        result = subprocess.run(["qpdf", "--check", path], capture_output=True)
        os.unlink(path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert b"No syntax or stream encoding errors" in result.stdout


def test_key_fact_titles_are_bold(demo):
    matter, user = demo
    reader = pypdf.PdfReader(io.BytesIO(export_pdf(matter, user)))
    runs = []
    for page in reader.pages[1:]:
        page.extract_text(visitor_text=lambda text, cm, tm, font, size: runs.append((text, font and font["/BaseFont"])))
    bold = flat(" ".join(t for t, f in runs if f and f.endswith("Liberation-Serif-Bold")))
    regular = flat(" ".join(t for t, f in runs if f and f.endswith("Liberation-Serif")))
    assert "introduces a privacy setting" in bold  # key fact
    assert "e-mails users" in regular and "e-mails users" not in bold  # not a key fact


def test_long_chronology_repeats_header_keeps_rows_whole_and_bookmarks_years(long_matter, user):
    content = export_pdf(long_matter, user)
    reader = pypdf.PdfReader(io.BytesIO(content))
    pages = len(reader.pages)
    assert pages >= 6
    page_texts = [flat(pdftotext(content, first=n, last=n)) for n in range(1, pages + 1)]
    for n, text in enumerate(page_texts[1:-1], start=2):
        layout = flat(pdftotext(content, first=n, last=n, layout=True))
        assert layout.startswith(f"{long_matter.short_title} Chronology of Events No. Date Event Source"), n
        assert long_matter.short_title in text
        assert f"Page {n} of {pages}" in text
    for i in range(60):
        start = [n for n, t in enumerate(page_texts) if f"Start-{i:02d}" in t]
        end = [n for n, t in enumerate(page_texts) if f"End-{i:02d}." in t]
        assert start and start == end, f"row {i} is split across pages {start} / {end}"
    assert outline_titles(reader) == ["2022", "2023", "2024", "Exhibit index"]
    assert "Bates ACME_000100 – ACME_000120" in " ".join(page_texts)
    # The year bookmarks point at the page where the year's first row is.
    for item in reader.outline:
        if item.title == "2023":
            target = reader.get_destination_page_number(item)
            assert "June 2023" in page_texts[target]


def test_a4_paper(matter, user):
    make_event(matter, title="One event")
    reader = pypdf.PdfReader(io.BytesIO(export_pdf(matter, user, paper="a4")))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    reader = pypdf.PdfReader(io.BytesIO(export_pdf(matter, user)))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)


def test_embedded_exhibits_are_attached_with_a_manifest(matter, user):
    one = make_document(matter, content=b"first exhibit", filename="memo one.txt", title="Memo")
    two = make_document(matter, content=b"%PDF-1.4 second", filename="policy.pdf", title="Policy")
    unused = make_document(matter, content=b"never cited", filename="unused.txt")
    from evidence.services.citations import citation_create

    e1 = make_event(matter, date="Aug 2024", title="First")
    e2 = make_event(matter, date="Sept 2024", title="Second")
    for event, doc in ((e1, one), (e2, one), (e2, two)):
        citation_create(event=event, document=doc, user=user, reason="test")
    content = export_pdf(matter, user, embed_exhibits=True)
    reader = pypdf.PdfReader(io.BytesIO(content))
    attachments = reader.attachments
    assert set(attachments) == {"PX-1_memo_one.txt", "PX-2_policy.pdf", "exhibit-manifest.csv"}
    assert attachments["PX-1_memo_one.txt"] == [b"first exhibit"]
    assert attachments["PX-2_policy.pdf"] == [b"%PDF-1.4 second"]
    manifest = attachments["exhibit-manifest.csv"][0].decode().splitlines()
    head = chain_head(matter).head_text  # the history the chronology was built from, as its cover says
    assert manifest[0] == "exhibit,file_name,sha256,title,history_chain"
    assert manifest[1] == f"PX-1,PX-1_memo_one.txt,{hashlib.sha256(b'first exhibit').hexdigest()},Memo,{head}"
    assert manifest[2].endswith(f",Policy,{head}")
    assert len(manifest) == 3 and unused.exhibit_label not in "".join(manifest)
    # PDF/A-3 associated files: every attachment is listed in the catalog's /AF with a relationship.
    catalog = reader.trailer["/Root"]
    specs = {spec.idnum: spec.get_object() for spec in catalog["/AF"]}
    relationships = sorted(str(spec["/AFRelationship"]) for spec in specs.values())
    assert relationships == ["/Source", "/Source", "/Supplement"]
    text = flat(pdftotext(content))
    assert "Attached: PX-1_memo_one.txt" in text and "exhibit-manifest.csv" in text
    # Without the option, nothing is attached.
    assert pypdf.PdfReader(io.BytesIO(export_pdf(matter, user))).attachments == {}


def test_privileged_events_left_out_unless_asked_for_then_marked(matter, user):
    make_event(matter, title="Open fact", date="Aug 2024")
    make_event(matter, title="Counsel's work-product note", date="Sept 2024", is_privileged=True)
    default = flat(pdftotext(export_pdf(matter, user)))
    assert "Open fact" in default and "work-product note" not in default
    assert "1 event" in default
    included = flat(pdftotext(export_pdf(matter, user, filters=TimelineFilters(include_privileged=True))))
    assert "Privileged Counsel's work-product note" in included
    assert "Privileged events included and marked" in included


def test_filters_are_stated_on_the_first_page(matter, user):
    make_event(matter, title="Kept", date="Aug 2024", is_key=True, kind="policy_edit")
    make_event(matter, title="Dropped", date="Aug 2024", kind="policy_edit")
    filters = TimelineFilters(include_privileged=False, key_only=True, kinds=("policy_edit",))
    first = flat(pdftotext(export_pdf(matter, user, filters=filters), first=1, last=1))
    assert "Kinds: Policy edit" in first and "Key facts only" in first and "1 event" in first


def test_hostile_text_is_shown_and_nothing_is_fetched(db, user):
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.setblocking(False)
    port = listener.getsockname()[1]
    try:
        hostile_img = f'<img src="http://127.0.0.1:{port}/x">'
        hostile_link = '<link rel="stylesheet" href="file:///etc/passwd">'
        hostile_css = f'"; }} @page {{ background: url(http://127.0.0.1:{port}/css) }} x {{ content: "'
        matter = factories.make_matter(
            owner=user,
            short_title=f"Doe v. {hostile_css}",
            confidentiality_legend=f"</style><style>@import url(http://127.0.0.1:{port}/import);</style>",
            parties=hostile_img,
        )
        make_event(
            matter,
            title=hostile_img,
            description=f"{hostile_link}<style>@import 'http://127.0.0.1:{port}/s';</style>"
            f'<svg><image href="http://127.0.0.1:{port}/svg"/></svg>',
            source_note=f'<object data="http://127.0.0.1:{port}/o"></object>',
        )
        content = export_pdf(matter, user, paper="a4")
        readable, _, _ = select.select([listener], [], [], 0.3)
        assert readable == [], "the renderer connected to the listening socket"
    finally:
        listener.close()
    text = re.sub(r"\s", "", pdftotext(content))
    assert re.sub(r"\s", "", hostile_img) in text  # shown as text, not run
    assert re.sub(r"\s", "", hostile_link) in text
    assert "root:x:0:0" not in text


def test_query_count_does_not_grow_with_events(matter, user, django_assert_num_queries):
    from evidence.services.citations import citation_create

    doc = make_document(matter, content=b"exhibit", filename="a.txt")
    for i in range(3):
        event = make_event(matter, title=f"Event {i}", actors=["Alice"], issues=["notice"])
        citation_create(event=event, document=doc, user=user, reason="test")
    options = ExportOptions(format="pdf")
    # membership, history chain head, events, actors, issues, citations (with their documents and matter), and the
    # court's file size limit for the pre-flight
    with django_assert_num_queries(7):
        export_chronology(matter=matter, user=user, options=options)
    for i in range(12):
        event = make_event(matter, title=f"More {i}", actors=["Bob"], issues=["consent"])
        citation_create(event=event, document=doc, user=user, reason="test")
    with django_assert_num_queries(7):
        export_chronology(matter=matter, user=user, options=options)
