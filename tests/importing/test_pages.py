"""Pinpoints past an exhibit's last page in an import (evidence/importing/pages.py): warnings with their row numbers
in the plan, printed by import_events, never blocking the write."""

import io

from django.core.management import call_command

from evidence.models import Citation
from tests.factories import make_document, make_pdf
from tests.importing.support import run

CSV = (
    b"Date,Title,Sources,ID\r\n"
    b"Aug 2024,Setting introduced,PX-1 p. 99; PX-2 p. 40,E1\r\n"
    b"Sept 2024,Policy amended,PX-1 pp. 2-3,E2\r\n"
    b"Sept 18 2024,E-mail to members,PX-1 at 4 [note: the UK carve-out],E3\r\n"
)


def _exhibits(matter):
    """PX-1: a 3-page PDF; PX-2: a text file, whose pages are not known."""
    return make_document(matter, content=make_pdf(3), filename="px1.pdf"), make_document(matter, content=b"memo")


def test_the_plan_lists_pinpoints_past_the_last_page_with_their_rows_and_still_imports(matter, user):
    _exhibits(matter)

    result = run(matter, user, "events.csv", CSV)

    plan = result.plan
    assert plan.ok and not plan.errors and result.written  # a warning is no error
    assert [(w.row, w.reason) for w in plan.warnings] == [
        (2, "PX-1 has 3 pages; p. 99 is past its last page."),
        (4, "PX-1 has 3 pages; at 4 is past its last page."),
    ]
    assert sorted(Citation.objects.filter(document__exhibit_number=1).values_list("pinpoint", "note")) == [
        ("at 4", "the UK carve-out"),
        ("p. 99", ""),
        ("pp. 2-3", ""),
    ]


def test_a_reimport_is_not_warned_about_what_its_events_cite_already(matter, user):
    _exhibits(matter)
    run(matter, user, "events.csv", CSV)
    more = CSV.replace(b"PX-1 pp. 2-3,E2", b"PX-1 pp. 2-3; PX-1 p. 7,E2")

    again = run(matter, user, "events.csv", more, dry_run=True)

    assert [(w.row, w.reason) for w in again.plan.warnings] == [(3, "PX-1 has 3 pages; p. 7 is past its last page.")]


def test_a_matter_without_page_counts_has_no_warnings(matter, user):
    make_document(matter, content=b"%PDF-1.4 truncated", filename="broken.pdf")
    make_document(matter, content=b"memo")
    assert run(matter, user, "events.csv", CSV, dry_run=True).plan.warnings == []


def test_import_events_prints_the_warnings_and_imports(matter, user, tmp_path):
    _exhibits(matter)
    path = tmp_path / "events.csv"
    path.write_bytes(CSV)
    out = io.StringIO()

    call_command("import_events", str(path), matter=matter.slug, user=user.username, stdout=out)

    printed = out.getvalue()
    assert "Warning: row 2: PX-1 has 3 pages; p. 99 is past its last page." in printed
    assert "Warning: row 4: PX-1 has 3 pages; at 4 is past its last page." in printed
    assert "Imported events.csv" in printed and Citation.objects.count() == 4


def test_a_row_left_unchanged_is_not_warned_about(matter, user):
    _exhibits(matter)
    run(matter, user, "events.csv", b"Date,Title\r\nAug 2024,Setting introduced\r\n")
    # Without an id, the row is the event already there, which the import leaves as it is, citations and all.
    again = run(matter, user, "events.csv", b"Date,Title,Sources\r\nAug 2024,Setting introduced,PX-1 p. 99\r\n")
    assert again.plan.counts["unchanged"] == 1 and again.plan.warnings == []
