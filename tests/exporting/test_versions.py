"""The working copy, the internal version and the filing version of the chronology, read back from the PDF and the
Word document; the events' own numbers they print; the caption page without the visual timeline."""

import datetime as dt
import importlib
import io

import docx
import pytest
from django.apps import apps
from django.core.management import call_command

from evidence.exporting import ExportOptions, export_chronology
from evidence.models import CitationForm, Event, Matter
from evidence.pinpoints import filing_pinpoint
from evidence.selectors import TimelineFilters
from evidence.services.citations import citation_create
from evidence.services.matters import filing_settings_update
from tests.exporting.readback import export_pdf, flat, pdftotext
from tests.factories import make_document, make_event, make_matter

SIGNATURE = "/s/ Jane Doe\nJane Doe (SBN 123456)\nDoe & Roe LLP\nAttorneys for Plaintiff"


def numbers_in_table(text: str) -> list[int]:
    """The No. column as pdftotext -layout prints it: a number at the start of a row, then the date."""
    found = []
    for line in text.splitlines():
        parts = line.split()
        if parts and parts[0].isdigit() and len(parts) > 1 and not line.startswith(" " * 12):
            found.append(int(parts[0]))
    return found


def test_events_are_numbered_at_creation_without_gaps_and_keep_their_number(matter, user):
    first = make_event(matter, date="Mar 2024", title="First")
    second = make_event(matter, date="Jan 2024", title="Earlier, created later")
    third = make_event(matter, date="", title="Undated")
    assert [first.number, second.number, third.number] == [1, 2, 3]
    other = make_event(make_matter(owner=user), title="Other matter")
    assert other.number == 1  # per matter
    matter.refresh_from_db()
    assert matter.last_event_number == 3


def test_a_matter_saved_from_an_old_copy_does_not_make_numbers_repeat(matter):
    stale = Matter.objects.get(pk=matter.pk)
    make_event(matter, title="One"), make_event(matter, title="Two")
    stale.short_title = "Renamed"
    stale.save()  # writes back the count it read: 0
    assert make_event(matter, title="Three").number == 3


def test_an_import_numbers_its_new_events_after_the_existing_ones(matter, user, tmp_path):
    make_event(matter, date="Mar 2024", title="Before the import")
    sheet = tmp_path / "events.csv"
    sheet.write_text("Date,Title\nAug 2024,Imported one\nSept 2024,Imported two\n", encoding="utf-8")
    call_command("import_events", str(sheet), "--matter", matter.slug, "--user", user.username, stdout=io.StringIO())
    numbers = dict(Event.objects.filter(matter=matter).values_list("title", "number"))
    assert numbers == {"Before the import": 1, "Imported one": 2, "Imported two": 3}


def test_the_migration_numbers_existing_events_in_date_order_per_matter(matter, user):
    """0018 gives the events that existed before numbers their chronological rank, deleted ones included."""
    late = make_event(matter, date="2025", title="Late")
    early = make_event(matter, date="Aug 2024", title="Early")
    undated = make_event(matter, date="", title="Undated")
    Event.objects.filter(pk=late.pk).update(number=100)
    Event.objects.filter(pk=early.pk).update(number=101)
    Event.objects.filter(pk=undated.pk).update(number=102)
    migration = importlib.import_module("evidence.migrations.0018_event_number")
    migration.number_events(apps, None)
    numbers = dict(Event.objects.filter(matter=matter).values_list("title", "number"))
    assert numbers == {"Early": 1, "Late": 2, "Undated": 3}
    assert Matter.objects.get(pk=matter.pk).last_event_number == 3


@pytest.mark.parametrize(
    ("pinpoint", "cited"),
    [("p. 4", "at 4"), ("pp. 3-5", "at 3-5"), ("page 12", "at 12"), ("¶ 12", "¶ 12"), ("LI-000104", "at LI-000104"),
     ("00:01:32", "at 00:01:32"), ("", "")],
)  # fmt: skip
def test_a_pinpoint_as_a_filing_cites_it(pinpoint, cited):
    assert filing_pinpoint(pinpoint) == cited


@pytest.fixture
def filed(demo):
    matter, owner = demo
    make_event(matter, date="Jul 2024", title="Privileged strategy note", is_privileged=True)
    filing_settings_update(matter=matter, user=owner, reason="test", signature_block=SIGNATURE)
    return matter, owner


def test_filing_version_has_no_internal_marks_and_cites_in_the_matters_form(filed):
    matter, owner = filed
    pdf = export_pdf(matter, owner, version="filing", timeline=False)
    text = flat(pdftotext(pdf))
    who = owner.get_full_name() or owner.get_username()
    for internal in ("Unverified", "Undisputed", "Disputed", "Key fact", "Privileged", "Prepared", who,
                     "work product", "Filters applied", "History chain", "SHA-256", "PX-1"):  # fmt: skip
        assert internal not in text, internal
    assert "Privileged strategy note" not in text
    assert "Ex. 1 ¶ 2" in text and "Ex. 1 ¶ 4" in text  # the demo cites the article by paragraph
    assert "Dated:" in text and "/s/ Jane Doe Jane Doe (SBN 123456) Doe & Roe LLP Attorneys for Plaintiff" in text
    assert "Timeline" not in pdftotext(pdf, first=1, last=1)
    # Each event under its own number: the demo's undated FAQ change was its second event.
    faq = Event.objects.get(matter=matter, external_id="demo-faq")
    layout = pdftotext(pdf, layout=True)
    assert faq.number == 2 and numbers_in_table(layout) == [4, 1, 3, 5, 7, 2, 6]

    filing_settings_update(matter=matter, user=owner, reason="test", citation_form=CitationForm.LABEL)
    pdf = export_pdf(matter, owner, version="filing", signature=False)
    text = flat(pdftotext(pdf))
    assert "PX-1 ¶ 2" in text and "Ex. 1" not in text and "/s/ Jane Doe" not in text
    cover = pdftotext(pdf, first=1, last=1)
    assert "Timeline" in cover and "Key fact" not in cover and "key)" not in cover  # key facts drawn as any other


def test_numbers_stay_when_an_earlier_event_is_added_or_events_are_filtered(filed):
    matter, owner = filed
    before = numbers_in_table(pdftotext(export_pdf(matter, owner, version="filing", timeline=False), layout=True))
    make_event(matter, date="Jan 2020", title="A much earlier fact")
    after = numbers_in_table(pdftotext(export_pdf(matter, owner, version="filing", timeline=False), layout=True))
    assert after == [9, *before]  # the new event is the matter's ninth (the privileged note was the eighth)
    window = TimelineFilters(include_privileged=False, date_from=dt.date(2025, 1, 1))
    filtered = numbers_in_table(
        pdftotext(export_pdf(matter, owner, version="filing", filters=window, timeline=False), layout=True)
    )
    assert filtered == [5, 7]  # Jan 2025 and Jan 24, 2025 keep their numbers


def test_internal_version_marks_every_status(filed):
    matter, owner = filed
    options = {"version": "internal", "filters": TimelineFilters(include_privileged=True)}
    text = flat(pdftotext(export_pdf(matter, owner, **options)))
    for mark in ("Unverified", "Undisputed", "Disputed", "Key fact", "Privileged", "Prepared"):
        assert mark in text, mark
    assert "PX-1 ¶ 2" in text and "/s/ Jane Doe" not in text
    working = flat(pdftotext(export_pdf(matter, owner)))
    assert "Unverified" not in working and "Disputed" in working  # the working copy marks what it always marked


def test_the_caption_page_keeps_or_leaves_out_the_visual_timeline(demo):
    matter, owner = demo
    assert "Timeline" in pdftotext(export_pdf(matter, owner), first=1, last=1)
    assert "Timeline" not in pdftotext(export_pdf(matter, owner, timeline=False), first=1, last=1)


def test_filing_version_refuses_privileged_material_and_attachments(filed):
    matter, owner = filed
    with pytest.raises(ValueError, match="never includes privileged"):
        ExportOptions(version="filing", filters=TimelineFilters(include_privileged=True))
    with pytest.raises(ValueError, match="reject a PDF with attached files"):
        ExportOptions(version="filing", embed_exhibits=True)
    with pytest.raises(ValueError, match="chronology in PDF or Word"):
        ExportOptions(version="filing", format="csv")


def test_filing_version_in_word(filed):
    matter, owner = filed
    result = export_chronology(matter=matter, user=owner, options=ExportOptions(format="docx", version="filing"))
    assert result.filename.startswith("linkedin-ai-training-chronology-filing-") and result.filename.endswith(".docx")
    document = docx.Document(io.BytesIO(result.content))
    body = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    for internal in ("Unverified", "Disputed", "Key fact", "SHA-256", "Prepared", "work product", "PX-1"):
        assert internal not in body + cells, internal
    assert "Ex. 1 ¶ 2" in cells and "As of:" in body
    assert "Dated:" in body and "/s/ Jane Doe\nJane Doe (SBN 123456)" in body
    assert "work product" not in document.sections[0].footer.paragraphs[0].text
    assert document.core_properties.author == ""


def test_a_citation_of_a_page_in_the_filing_form(matter, user):
    document = make_document(matter, content=b"%PDF-1.4 x", filename="policy.pdf", title="Policy")
    event = make_event(matter, date="Aug 2024", title="Policy amended")
    citation_create(event=event, document=document, pinpoint="p. 4", user=user, reason="test", note="check this")
    text = flat(pdftotext(export_pdf(matter, user, version="filing")))
    assert "Ex. 1 at 4" in text and "check this" not in text
    filing_settings_update(matter=matter, user=user, reason="test", citation_form=CitationForm.EXHIBIT)
    assert "Exhibit 1 at 4" in flat(pdftotext(export_pdf(matter, user, version="filing")))
