"""Two columns with the same header are refused when the file is read (evidence/importing/tables.py), naming both, on
every path an import takes: the reader, the command, the background task and the admin preview."""

import io
import json

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from openpyxl import Workbook

from evidence.importing import UnusableInputError, read_table
from evidence.importing.tasks import start_import_job
from evidence.importing.uploads import keep_upload
from evidence.models import Event, Job
from tests.commands.support import run_command
from tests.factories import UserFactory, make_matter

DUPLICATE_CSV = b"Date,Title,Source,date\nAug 2024,Setting introduced,PX-1,Sept 2024\n"
REFUSAL_CSV = (
    "“facts.csv”: columns 1 and 4 are both headed “Date” (written “Date” and “date”). Rename or delete all but one "
    "of them, so that it is clear which one to import."
)


def command(*args):
    return run_command("import_events", *args)


def workbook(rows: list[list]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def refusal(data: bytes, name: str) -> str:
    with pytest.raises(UnusableInputError) as caught:
        read_table(data, name=name)
    return str(caught.value)


def test_csv_columns_are_named_by_number():
    assert refusal(DUPLICATE_CSV, "facts.csv") == REFUSAL_CSV


def test_xlsx_columns_are_named_by_letter():
    data = workbook([["No.", "Title", "Date", "Source", "Notes", "Date"], [1, "Setting introduced", "Aug 2024", "",
                                                                            "", "Sept 2024"]])  # fmt: skip
    assert refusal(data, "facts.xlsx") == (
        "“facts.xlsx”: columns C and F are both headed “Date”. Rename or delete all but one of them, so that it is "
        "clear which one to import."
    )


def test_every_clash_is_named_at_once_and_spaces_do_not_hide_one():
    data = b"Title, Date ,Date,Tags,title,DATE\nx,Aug 2024,,,,\n"
    assert refusal(data, "many.csv") == (
        "“many.csv”: columns 1 and 5 are both headed “Title” (written “Title” and “title”); columns 2, 3 and 6 are "
        "all headed “Date” (written “Date” and “DATE”). Rename or delete all but one of them, so that it is clear "
        "which one to import."
    )


def test_json_keys_differing_only_in_case():
    data = json.dumps([{"Date": "Aug 2024", "Title": "Setting introduced"}, {"date": "Sept 2024", "Title": "x"}])
    assert refusal(data.encode(), "facts.json") == (
        "“facts.json”: the keys “Date” and “date” name the same column. Rename or delete all but one of them, so "
        "that it is clear which one to import."
    )


def test_columns_the_import_does_not_read_are_refused_alike():
    """A column may be mapped to a field later: which of two same-named columns would be ambiguous."""
    assert "columns 3 and 4 are both headed “Reviewer”" in refusal(
        b"Date,Title,Reviewer,Reviewer\nAug 2024,x,a,b\n", "r.csv"
    )


def test_blank_and_different_headers_are_no_clash():
    """Two different headers for one field keep today's notice; blank headers are no headers."""
    table = read_table(b"Date,Title,Source,Exhibit,,\nAug 2024,x,PX-1,,,\n", name="ok.csv")
    assert list(table.frame.columns) == ["Date", "Title", "Source", "Exhibit"]


def test_the_command_refuses_with_exit_2_and_writes_nothing(matter, user, tmp_path):
    path = tmp_path / "facts.csv"
    path.write_bytes(DUPLICATE_CSV)
    code, _, err = command(str(path), "--matter", matter.slug, "--user", user.username)
    assert code == 2
    assert err == f"CommandError: Cannot import: {REFUSAL_CSV}\n"
    assert not Event.objects.filter(matter=matter).exists()


def test_the_background_import_fails_with_the_refusal(matter, user):
    token = keep_upload(io.BytesIO(DUPLICATE_CSV), name="facts.csv")
    with TestCase.captureOnCommitCallbacks(execute=True):
        job = start_import_job(matter=matter, user=user, token=token, name="facts.csv", sheet=None, day_first=None,
                               rows=1)  # fmt: skip
    job.refresh_from_db()
    assert (job.state, job.message) == (Job.State.FAILED, f"Cannot import: {REFUSAL_CSV}")
    assert not Event.objects.filter(matter=matter).exists()


def test_the_admin_preview_shows_the_refusal(client, db):
    staff = UserFactory(staff=True)
    staff.user_permissions.set(Permission.objects.filter(content_type__app_label="evidence"))
    own = make_matter(owner=staff)
    client.force_login(staff)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            reverse("admin:evidence_event_import"),
            {"matter": own.pk, "file": SimpleUploadedFile("facts.csv", DUPLICATE_CSV), "sheet": "", "order": "auto"},
        )
    html = client.get(response["Location"]).content.decode()
    assert "Failed" in html and REFUSAL_CSV in html
    assert not Event.objects.filter(matter=own).exists()
