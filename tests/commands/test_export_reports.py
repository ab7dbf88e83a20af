"""export_chronology --report: the attorney reports from the command line, with the export page's options."""

import io

import docx
import pytest

from evidence.models import AccessEvent, Role
from evidence.services.matters import membership_set
from tests import factories
from tests.commands.support import run_command
from tests.exporting.readback import flat, pdftotext

pytestmark = pytest.mark.django_db(transaction=True)  # the command commits, as manage.py does


@pytest.fixture
def tagged(matter, user):
    factories.make_event(matter, title="Setting introduced", date="Aug 2024", issues=["Consent"], actors=["Acme"])
    factories.make_event(matter, title="Work-product note", date="Oct 2024", issues=["Consent"], is_privileged=True)
    factories.make_event(matter, title="Complaint filed", date="Jan 2025", actors=["Jane Doe"])
    return matter


def test_the_command_writes_each_report(tagged, user, tmp_path):
    out = tmp_path / "issues.pdf"
    code, stdout, _ = run_command(
        "export_chronology", "--matter", tagged.slug, "--out", str(out), "--report", "facts-by-issue", "--user",
        user.username,
    )  # fmt: skip
    assert code == 0 and f"Wrote {out}" in stdout
    text = flat(pdftotext(out.read_bytes()))
    assert "Facts by Issue" in text and "Consent (1 event)" in text and "No issue (1 event)" in text
    assert "Work-product note" not in text
    assert AccessEvent.objects.get(kind="export").detail["report"] == "facts-by-issue"

    out = tmp_path / "log.docx"
    code, _, _ = run_command("export_chronology", "--matter", tagged.slug, "--out", str(out), "--report",
                             "privilege-log", "--user", user.username)  # fmt: skip
    assert code == 0
    table = docx.Document(io.BytesIO(out.read_bytes())).tables[1]
    assert [c.text for c in table.rows[1].cells][:3] == ["1", "Oct 2024", "Event\nOther"]
    assert "Work-product note" in table.rows[1].cells[6].text


def test_the_command_refuses_what_the_page_refuses(tagged, user, make_user, tmp_path):
    code, _, stderr = run_command("export_chronology", "--matter", tagged.slug, "--out", str(tmp_path / "x.csv"),
                                  "--report", "cast-of-characters", "--user", user.username)  # fmt: skip
    assert code == 1 and "--format: The reports are exported as PDF or Word only." in stderr

    viewer = make_user()
    membership_set(matter=tagged, user=user, member=viewer, role=Role.VIEWER, reason="test")
    out = tmp_path / "log.pdf"
    code, _, stderr = run_command("export_chronology", "--matter", tagged.slug, "--out", str(out), "--report",
                                  "privilege-log", "--user", viewer.username)  # fmt: skip
    assert code == 1 and "The privilege log needs the editor role" in stderr and not out.exists()
    code, _, stderr = run_command("export_chronology", "--matter", tagged.slug, "--out", str(out),
                                  "--include-privileged", "--user", viewer.username)  # fmt: skip
    assert code == 1 and "privileged material needs the editor role" in stderr
    assert not AccessEvent.objects.filter(kind="export").exists()
