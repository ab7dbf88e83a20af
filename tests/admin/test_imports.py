"""The admin import pages: upload -> preview (writes nothing) -> confirm; permissions; large files in the background."""

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from evidence.importing.uploads import kept_uploads
from evidence.models import Document, Event, Job, Role
from tests.factories import UserFactory, make_document, make_matter

FIXTURES = Path(__file__).parents[1] / "fixtures" / "import"


@pytest.fixture
def staff(db):
    from django.contrib.auth.models import Permission

    user = UserFactory(staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="evidence"))
    return user


@pytest.fixture
def staff_matter(staff):
    matter = make_matter(owner=staff)
    make_document(matter, content=b"The article", filename="article.txt")
    return matter


def upload(name, data=None):
    return SimpleUploadedFile(name, data if data is not None else (FIXTURES / name).read_bytes())


def preview(client, matter, name, data=None, **extra):
    """Upload, then the job page: the preview job runs when the upload's transaction commits (the immediate backend)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            reverse("admin:evidence_event_import"),
            {"matter": matter.pk, "file": upload(name, data), "sheet": "", "order": "auto", **extra},
        )
    if response.status_code != 302:  # a form error
        return response
    job = Job.objects.filter(kind=Job.Kind.PREVIEW_EVENTS).first()
    assert response["Location"] == reverse("admin:evidence_event_import_job", args=[job.pk])
    return client.get(response["Location"])


def page_values(html):
    """The preview's table of unknown values: (column, value, rows) per line."""
    body = html.split('id="import-values"')[1].split("</tbody>")[0]
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td>(.*?)</td>", row, re.S)[:3]]
        for row in body.split("<tr>")[2:]
    ]


def test_links_from_the_changelists_and_the_matter(client, staff, staff_matter):
    client.force_login(staff)
    events = client.get(reverse("admin:evidence_event_changelist")).content.decode()
    assert reverse("admin:evidence_event_import") in events
    documents = client.get(reverse("admin:evidence_document_changelist")).content.decode()
    assert reverse("admin:evidence_document_import") in documents
    page = client.get(reverse("admin:evidence_matter_change", args=[staff_matter.pk])).content.decode()
    assert f"{reverse('admin:evidence_event_import')}?matter={staff_matter.pk}" in page


def test_preview_shows_counts_rows_with_precision_and_unrecognised_columns_and_writes_nothing(
    client, staff, staff_matter
):
    client.force_login(staff)
    page = preview(client, staff_matter, "casemap_facts.csv")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Aug 2024 (month)" in html and "c. Sept 2024 (month, approximate)" in html
    assert "Jan 24, 2025, 9:30 AM PST (minute)" in html
    assert "Columns not recognised, not imported unless you map them below: Evaluation" in html
    assert "“Date &amp; Time”: month/day (US), as no value proves day/month." in html
    assert page.context["counts"] == {"new": 6, "updated": 0, "unchanged": 0, "invalid": 0}
    assert "Import 6 new and 0 updated events" in html
    assert not Event.objects.filter(matter=staff_matter).exists()
    # confirm
    response = client.post(reverse("admin:evidence_event_import_confirm"), {"token": page.context["token"]})
    assert response.status_code == 302 and f"matter__id__exact={staff_matter.pk}" in response["Location"]
    assert Event.objects.filter(matter=staff_matter).count() == 6
    assert Event.objects.filter(matter=staff_matter).first().history.get().history_user == staff
    # the token is spent
    assert (
        client.post(reverse("admin:evidence_event_import_confirm"), {"token": page.context["token"]}).status_code == 404
    )


def test_invalid_rows_are_listed_escaped_and_cannot_be_confirmed(client, staff, staff_matter):
    client.force_login(staff)
    data = b"Date,Title,Type\nAug 2024,<script>alert(1)</script>,Policy edit\nnonsense,Fine,<b>odd</b>\n"
    html = preview(client, staff_matter, "bad.csv", data).content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "could not read &#x27;nonsense&#x27; as a date" in html
    # an unknown kind blocks nothing: it is listed, escaped, for the user to map
    assert page_values(html) == [["Kind", "&lt;b&gt;odd&lt;/b&gt;", "1 (row 3)"]]
    assert "Import 1 new" not in html
    assert not Event.objects.filter(matter=staff_matter).exists()


def test_unusable_files_are_refused_on_the_job_page_and_not_kept(client, staff, staff_matter):
    client.force_login(staff)
    html = preview(client, staff_matter, "broken.xlsx", b"PK\x03\x04 not really a workbook").content.decode()
    assert "Failed" in html and "Cannot import" in html and "Fix the file and try again" in html
    assert not kept_uploads()


def test_the_job_page_shows_progress_until_the_preview_is_ready(client, staff, staff_matter):
    client.force_login(staff)
    response = client.post(  # the task is not run: its transaction has not committed
        reverse("admin:evidence_event_import"),
        {"matter": staff_matter.pk, "file": upload("casemap_facts.csv"), "sheet": "", "order": "auto"},
    )
    job = Job.objects.get(kind=Job.Kind.PREVIEW_EVENTS)
    assert job.state == Job.State.QUEUED
    html = client.get(response["Location"]).content.decode()
    assert "Queued" in html and "<progress" in html and 'http-equiv="refresh"' in html
    assert "Nothing is written until you confirm it" in html and 'name="token"' not in html
    Job.objects.filter(pk=job.pk).update(state=Job.State.RUNNING, progress=3, total=6, message="Checking rows: 3 of 6")
    html = client.get(response["Location"]).content.decode()
    assert "3 of 6 rows" in html and 'value="50"' in html and "Checking rows: 3 of 6" in html


def test_the_job_page_of_an_import_whose_worker_stopped_says_so_instead_of_polling(client, staff, staff_matter):
    client.force_login(staff)
    response = client.post(
        reverse("admin:evidence_event_import"),
        {"matter": staff_matter.pk, "file": upload("casemap_facts.csv"), "sheet": "", "order": "auto"},
    )
    job = Job.objects.get(kind=Job.Kind.PREVIEW_EVENTS)
    silent_since = timezone.now() - dt.timedelta(seconds=settings.JOB_STALE_AFTER + 1)
    Job.objects.filter(pk=job.pk).update(state=Job.State.RUNNING, progress=3, total=6, heartbeat_at=silent_since)
    html = client.get(response["Location"]).content.decode()
    assert "The worker running this import stopped (no progress since" in html
    assert "start the import again." in html and 'http-equiv="refresh"' not in html
    job.refresh_from_db()
    assert job.state == Job.State.FAILED


def test_only_the_starter_or_an_editor_sees_a_preview_job(client, staff, staff_matter):
    client.force_login(staff)
    page = preview(client, staff_matter, "casemap_facts.csv")
    job_url = page.request["PATH_INFO"]
    outsider = UserFactory(staff=True)
    outsider.user_permissions.set(staff.user_permissions.all())
    client.force_login(outsider)
    assert client.get(job_url).status_code == 404
    assert (
        client.post(reverse("admin:evidence_event_import_confirm"), {"token": page.context["token"]}).status_code == 404
    )


def test_day_first_choice_and_sheet(client, staff, staff_matter):
    client.force_login(staff)
    page = preview(client, staff_matter, "day_first.csv", order="month")
    assert page.context["counts"]["invalid"] == 1  # 21/01/2025 read month/day: month 21 does not exist
    page = preview(client, staff_matter, "chronology.xlsx", sheet="Chronology")
    assert page.context["counts"]["new"] == 5


def test_only_editors_import_and_only_into_their_matters(client, staff, staff_matter):
    viewer = UserFactory(staff=True)
    viewer.user_permissions.set(staff.user_permissions.all())
    make_matter(owner=staff, members={viewer: Role.VIEWER})
    other = make_matter(owner=UserFactory())
    client.force_login(staff)
    form = client.get(reverse("admin:evidence_event_import")).context["form"]
    assert other not in form.fields["matter"].queryset and staff_matter in form.fields["matter"].queryset
    page = preview(client, other, "day_first.csv")
    assert "Select a valid choice" in page.content.decode()
    client.force_login(viewer)
    assert list(client.get(reverse("admin:evidence_event_import")).context["form"].fields["matter"].queryset) == []
    client.logout()
    assert client.get(reverse("admin:evidence_event_import")).status_code == 302  # to the admin login


def test_large_files_run_as_a_background_job_with_progress(
    client, staff, staff_matter, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_BACKGROUND_ROWS = 3
    client.force_login(staff)
    page = preview(client, staff_matter, "casemap_facts.csv")
    assert "imported in the background" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:evidence_event_import_confirm"), {"token": page.context["token"]})
    job = Job.objects.get(kind=Job.Kind.IMPORT_EVENTS)
    assert response["Location"] == reverse("admin:evidence_event_import_job", args=[job.pk])
    assert (job.state, job.progress, job.total) == ("done", 6, 6)
    assert job.message == "Imported casemap_facts.csv: 6 new, 0 updated, 0 unchanged, 0 invalid."
    assert Event.objects.filter(matter=staff_matter).count() == 6
    html = client.get(response["Location"]).content.decode()
    assert "Done" in html and "See the events" in html


def _zip(manifest: str, **members: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("manifest.csv", manifest)
        for name, content in members.items():
            zf.writestr(name.replace("_", "."), content)
    return buffer.getvalue()


def import_zip(client, matter, content: bytes, *, check_only=False, run=True):
    """Post the ZIP on the admin's page; its job runs at commit (the immediate backend) when `run`."""
    form = {"matter": matter.pk, "file": SimpleUploadedFile("p.zip", content)}
    if check_only:
        form["check_only"] = "on"
    with TestCase.captureOnCommitCallbacks(execute=run):
        response = client.post(reverse("admin:evidence_document_import"), form)
    assert response.status_code == 302
    return client.get(response["Location"])


def test_import_documents_runs_as_a_job_whose_page_shows_the_exhibits(client, staff, staff_matter):
    client.force_login(staff)
    page = import_zip(client, staff_matter, _zip("File,Title,Exhibit\nnote.txt,A note,7\n", note_txt="hello"))
    html = page.content.decode()
    assert "Done" in html and "1 of 1 files" in html and "PX-7" in html and "A note" in html
    assert "Imported p.zip: 1 documents added, 0 already in the matter, 0 invalid rows." in html
    assert "See the documents" in html
    assert Document.objects.get(matter=staff_matter, exhibit_number=7).title == "A note"
    assert not kept_uploads()  # the upload is spent


def test_a_queued_document_import_shows_its_progress_page_until_a_worker_takes_it(client, staff, staff_matter):
    client.force_login(staff)
    page = import_zip(client, staff_matter, _zip("File\nnote.txt\n", note_txt="hello"), run=False)
    html = page.content.decode()
    assert "Queued" in html and 'http-equiv="refresh"' in html and "You may leave it" in html
    assert staff_matter.documents.count() == 1 and len(kept_uploads()) == 1  # the article only; the ZIP kept


def test_an_invalid_manifest_row_refuses_the_whole_zip_naming_row_column_and_reason(client, staff, staff_matter):
    client.force_login(staff)
    content = _zip("File,Title,Privileged\na.txt,A,yes\nb.txt,B,perhaps\n", a_txt="a", b_txt="b")
    html = import_zip(client, staff_matter, content).content.decode()
    assert "Failed" in html and "Nothing was written" in html and "Fix the file and try again" in html
    assert "<td>3</td><td>Privileged</td>" in html
    assert staff_matter.documents.count() == 1  # the article only


def test_a_check_of_a_zip_writes_nothing_and_says_it_can_be_imported(client, staff, staff_matter):
    client.force_login(staff)
    html = import_zip(client, staff_matter, _zip("File\nnote.txt\n", note_txt="x"), check_only=True).content.decode()
    assert "Checked p.zip: the ZIP and its manifest can be imported." in html
    assert staff_matter.documents.count() == 1


def test_another_matters_editor_cannot_see_a_document_import_job(client, staff, staff_matter):
    from django.contrib.auth.models import Permission

    client.force_login(staff)
    page = import_zip(client, staff_matter, _zip("File\nnote.txt\n", note_txt="x"))
    other = UserFactory(staff=True)
    other.user_permissions.set(Permission.objects.filter(content_type__app_label="evidence"))
    make_matter(owner=other)
    client.force_login(other)
    assert client.get(page.request["PATH_INFO"]).status_code == 404


MAPPABLE = (
    b"Date,Title,Category,Status,Occurred on\n"
    b"2024-08-15,Setting introduced,Press,Contested,x\n"
    b"2024-09-18,Policy updated,Policy,Pending review,y\n"
    b"2024-09-19,Statement to press,press,Undisputed,\n"
)


def choices(page, **chosen):
    """The preview's mapping form as the user submits it: what it shows, with `chosen` changed."""
    form = {"token": page.context["token"]}
    for _column, field in page.context["mapping_columns"] + page.context["mapping_values"]:
        form[field.html_name] = field.value()
    return {**form, **chosen}


def test_unknown_values_and_columns_are_mapped_in_the_preview_then_remembered_for_the_matter(
    client, staff, staff_matter, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    page = preview(client, staff_matter, "team.csv", MAPPABLE)
    html = page.content.decode()
    assert page_values(html) == [["Kind", "Press", "2 (rows 2, 4)"], ["Status", "Pending review", "1 (row 3)"]]
    assert [field.value() for _, field in page.context["mapping_values"]] == ["issue", "issue"]
    assert '<option value="issue" selected>Other, and keep the label as an issue tag</option>' in html
    assert "x · y" in html  # what the unrecognised column holds
    assert page.context["counts"] == {"new": 3, "updated": 0, "unchanged": 0, "invalid": 0}

    # the user chooses, and checks again: a new preview, nothing written
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:evidence_event_import_confirm"),
            choices(page, value_0="public_statement", column_0="description", recheck="1"),
        )
    page = client.get(response["Location"])
    rows = {row["values"]["title"]: row for row in page.context["preview"]["rows"]}
    assert rows["Setting introduced"]["values"]["kind"] == "public_statement"
    assert rows["Setting introduced"]["values"]["description"] == "x"
    assert rows["Policy updated"]["issues"] == ["Pending review"]
    assert [c[0]["header"] for c in page.context["mapping_columns"]] == ["Occurred on"]
    assert not Event.objects.filter(matter=staff_matter).exists()

    # confirmed as previewed
    response = client.post(reverse("admin:evidence_event_import_confirm"), {**choices(page), "import": "1"})
    assert response.status_code == 302
    written = {e.title: e for e in Event.objects.filter(matter=staff_matter)}
    assert written["Statement to press"].kind == "public_statement" and written["Setting introduced"].description == "x"

    # the next file into this matter is previewed the same way, the choices shown as remembered
    page = preview(client, staff_matter, "next.csv", b"Date,Title,Category,Occurred on\n2024-10-01,Later,PRESS,z\n")
    assert page.context["preview"]["unknown_values"][0]["target"] == "public_statement"
    assert page.context["preview"]["unknown_values"][0]["defaulted"] is False
    assert page.context["preview"]["rows"][0]["values"]["description"] == "z"


def test_import_with_changed_choices_shows_the_new_preview_instead_of_writing(
    client, staff, staff_matter, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    page = preview(client, staff_matter, "team.csv", MAPPABLE)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:evidence_event_import_confirm"), choices(page, value_1="disputed", **{"import": "1"})
        )
    newest = Job.objects.filter(kind=Job.Kind.PREVIEW_EVENTS).first()
    assert response["Location"] == reverse("admin:evidence_event_import_job", args=[newest.pk])
    assert not Event.objects.filter(matter=staff_matter).exists()
    page = client.get(response["Location"], follow=True)
    assert "Your choices change what the import does" in page.content.decode()
    assert page.context["preview"]["unknown_values"][1]["target"] == "disputed"


def test_a_choice_that_is_not_offered_is_refused_and_nothing_is_written(client, staff, staff_matter):
    client.force_login(staff)
    page = preview(client, staff_matter, "team.csv", MAPPABLE)
    response = client.post(reverse("admin:evidence_event_import_confirm"), choices(page, value_0="<b>x</b>"))
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not Event.objects.filter(matter=staff_matter).exists()


def test_a_sheet_without_a_title_column_is_imported_once_a_column_is_mapped_to_the_title(
    client, staff, staff_matter, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    page = preview(client, staff_matter, "no_title.csv")
    html = page.content.decode()
    assert "has no title column" in html and "Choose below which of its columns gives the title" in html
    assert "Import 1 new" not in html and [c[0]["header"] for c in page.context["mapping_columns"]] == ["Whatever"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:evidence_event_import_confirm"), choices(page, column_0="title"))
    page = client.get(response["Location"])
    assert page.context["counts"]["new"] == 1
    client.post(reverse("admin:evidence_event_import_confirm"), choices(page, **{"import": "1"}))
    assert list(Event.objects.filter(matter=staff_matter).values_list("title", flat=True)) == ["x"]
