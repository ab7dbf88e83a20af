"""Exports through the API: started with the export page's options, polled, and their file fetched."""

import csv
import io

import pypdf
import pytest
from django.core.management import call_command

from evidence.models import Job
from tests import factories
from tests.api.conftest import ROLES, api_client, read_status

DATABASE_TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "exports", "imports"]}
}


def jobs_url(matter, *rest) -> str:
    return "/".join([f"/api/matters/{matter.slug}/jobs", *map(str, rest)]) + ("/" if not rest else "")


def start(api, matter, **options):
    return api.post(jobs_url(matter), options, "application/json")


@pytest.mark.django_db(transaction=True)
def test_an_export_is_started_polled_and_fetched(settings, matter, viewer):
    """On the database queue, as deployed: queued until a worker runs it, then its file."""
    settings.TASKS = DATABASE_TASKS
    factories.make_event(matter, date="Jan 24, 2025", title="Complaint filed", issues=["AI training"])
    factories.make_event(matter, date="Aug 2024", title="Setting introduced")
    factories.make_event(matter, date="Sept 2024", title="Work product", is_privileged=True)
    api = api_client(viewer)
    started = start(api, matter, format="csv", date_from="Aug 2024")
    assert started.status_code == 202, started.json()
    job = started.json()
    assert (job["state"], job["file_url"]) == ("queued", "")
    assert started["Location"] == jobs_url(matter, job["id"])
    assert api.get(jobs_url(matter, job["id"], "file")).status_code == 404  # nothing to fetch yet

    call_command("db_worker", queue_name="*", batch=True, no_startup_delay=True, reload=False)

    polled = api.get(started["Location"]).json()
    assert polled["state"] == "done" and polled["file_url"] == jobs_url(matter, job["id"], "file")
    fetched = api.get(polled["file_url"])
    assert fetched.status_code == 200 and fetched["Content-Disposition"].startswith("attachment;")
    rows = list(csv.DictReader(io.StringIO(b"".join(fetched.streaming_content).decode())))
    # A viewer's export leaves privileged work product out, as the export page's does.
    assert [(r["date"], r["title"], r["date_start"], r["precision"]) for r in rows] == [
        ("Aug 2024", "Setting introduced", "2024-08", "month"),
        ("Jan 24, 2025", "Complaint filed", "2025-01-24", "day"),
    ]
    listed = api.get(jobs_url(matter)).json()["results"]
    assert [j["id"] for j in listed] == [job["id"]]
    # The API's event has the CSV's date fields, word for word.
    event = api.get(f"/api/matters/{matter.slug}/events/?q=Complaint").json()["results"][0]
    assert {k: event[k] for k in ("date", "date_start", "date_end", "precision", "bound", "time_zone")} == {
        k: rows[1][k] for k in ("date", "date_start", "date_end", "precision", "bound", "time_zone")
    }


@pytest.mark.django_db(transaction=True)  # the export is enqueued when its job row commits
@pytest.mark.parametrize("role", ROLES)
def test_exports_by_role(api_as, matter, role):
    factories.make_event(matter, title="Work product", is_privileged=True)
    api = api_as(role)
    plain = start(api, matter, format="csv")
    assert plain.status_code == (404 if role == "outsider" else 202)
    privileged = start(api, matter, format="csv", include_privileged=True)
    if role in ("outsider", "viewer"):
        assert privileged.status_code == {"outsider": 404, "viewer": 400}[role]
        if role == "viewer":
            assert set(privileged.json()["errors"]) == {"include_privileged"}
        return
    assert privileged.status_code == 202
    body = b"".join(api.get(privileged.json()["file_url"]).streaming_content).decode()
    assert "Work product" in body


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", ROLES)
def test_another_members_export_is_seen_as_on_the_export_page(people, api_as, matter, role):
    job = start(api_client(people["owner"]), matter, format="csv").json()
    api = api_as(role)
    assert api.get(jobs_url(matter, job["id"])).status_code == read_status(role)
    assert api.get(jobs_url(matter, job["id"], "file")).status_code == read_status(role)


@pytest.mark.django_db(transaction=True)
def test_a_pdf_export_reads_back(matter, editor):
    factories.make_event(matter, date="c. Sept 2024", title="Privacy policy amended")
    api = api_client(editor)
    job = start(api, matter, format="pdf", paper="a4").json()
    assert job["state"] == "done", job
    pdf = pypdf.PdfReader(io.BytesIO(b"".join(api.get(job["file_url"]).streaming_content)))
    text = "".join(page.extract_text() for page in pdf.pages)
    assert "Privacy policy amended" in text and "c. Sept 2024" in text


@pytest.mark.django_db
def test_bad_export_options_are_named(matter, editor):
    api = api_client(editor)
    response = start(api, matter, format="csv", embed_exhibits=True)
    assert response.status_code == 400 and set(response.json()["errors"]) == {"embed_exhibits"}
    response = start(api, matter, format="tiff")
    assert response.status_code == 400 and set(response.json()["errors"]) == {"format"}
    response = start(api, matter, format="csv", date_from="Smarch")
    assert response.status_code == 400 and set(response.json()["errors"]) == {"date_from"}
    assert not Job.objects.exists()


@pytest.mark.django_db
def test_an_archive_job_is_the_owners_only(matter, user, viewer):
    from evidence.archive.tasks import run_archive_job  # noqa: F401  (the archive's job kind)
    from evidence.services.jobs import job_create

    job = job_create(matter=matter, user=user, kind=Job.Kind.ARCHIVE, options={})
    assert api_client(viewer).get(jobs_url(matter, job.pk)).status_code == 403
    assert api_client(user).get(jobs_url(matter, job.pk)).status_code == 200
