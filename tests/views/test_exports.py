"""The export page, its job page (JSON status for the progress bar) and the download of the result."""

import csv
import io
import re

import pytest
from django.urls import reverse

from evidence.models import Job
from tests import factories

# Exports are enqueued on commit: these tests commit, like a request does.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def events(matter):
    factories.make_event(matter, title="Setting introduced", date="Aug 2024", kind="setting_introduced", is_key=True)
    factories.make_event(matter, title="Policy amended", date="c. Sept 2024", kind="policy_edit", issues=["Consent"])
    factories.make_event(matter, title="Work-product note", date="Oct 2024", is_privileged=True)
    factories.make_event(matter, title="Complaint filed", date="Jan 2025", kind="court_filing")


def url(name, matter, *args):
    return reverse(name, args=[matter.slug, *args])


def export(client, matter, **data):
    payload = {"format": "csv", "paper": "letter", **data}
    return client.post(url("export", matter), payload)


def rows_of(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def test_export_page_has_labelled_options_and_an_export_button(client, matter, viewer, events):
    client.force_login(viewer)
    html = client.get(url("export", matter)).content.decode()
    assert ">Export</button>" in html
    for label in ("Format", "From", "To", "Kinds", "Issues", "Key facts only", "Include privileged events", "Paper",
                  "Embed the cited exhibits"):  # fmt: skip
        assert label in html
    assert 'value="pdf"' in html and 'value="docx"' in html


def test_export_page_is_prefilled_from_the_timeline_query(client, matter, user, events):
    client.force_login(user)
    query = "?q=policy&from=Aug+2024&to=2025&kind=policy_edit&kind=court_filing&issue=Consent&key=on"
    response = client.get(url("export", matter) + query)
    form = response.context["form"]
    assert form.initial["date_from"] == "Aug 2024" and form.initial["date_to"] == "2025"
    assert form.initial["kinds"] == ["policy_edit", "court_filing"]
    assert form.initial["issues"] == ["Consent"] and form.initial["text"] == "policy" and form.initial["key_only"]
    html = response.content.decode()
    assert 'value="Aug 2024"' in html
    assert re.search(r'value="policy_edit"[^>]* checked', html) and not re.search(r'value="other"[^>]* checked', html)


def test_small_export_finishes_at_once_and_downloads_as_an_attachment(client, matter, viewer, events):
    client.force_login(viewer)
    response = export(client, matter, date_from="Sept 2024", date_to="2025")
    job = Job.objects.get(matter=matter)
    assert response.status_code == 302 and response.url == url("export_job", matter, job.pk)
    assert job.state == Job.State.DONE and job.user == viewer
    page = client.get(response.url)
    html = page.content.decode()
    assert any("Export ready" in str(m) for m in page.context["messages"])
    download = url("export_download", matter, job.pk)
    assert f'href="{download}"' in html

    file = client.get(download)
    assert file.status_code == 200
    assert file["Content-Disposition"].startswith("attachment;")
    assert job.result_name in file["Content-Disposition"]
    assert file["X-Content-Type-Options"] == "nosniff"
    text = "\n".join(",".join(r) for r in rows_of(file))
    assert "Policy amended" in text and "Complaint filed" in text
    assert "Setting introduced" not in text  # before the From date
    assert "Work-product note" not in text  # privileged: left out unless asked for


def test_export_options_reach_the_export(client, matter, user, events):
    client.force_login(user)
    export(client, matter, key_only="on")
    job = Job.objects.get()
    assert job.options["filters"]["key_only"] is True
    text = "\n".join(",".join(r) for r in rows_of(client.get(url("export_download", matter, job.pk))))
    assert "Setting introduced" in text and "Policy amended" not in text

    export(client, matter, include_privileged="on")
    job = Job.objects.order_by("-pk").first()
    assert "Work-product note" in "\n".join(
        ",".join(r) for r in rows_of(client.get(url("export_download", matter, job.pk)))
    )


def test_pdf_export_with_a4_paper(client, matter, user, events):
    client.force_login(user)
    export(client, matter, format="pdf", paper="a4")
    job = Job.objects.get()
    assert job.state == Job.State.DONE and job.options["paper"] == "a4" and job.result_name.endswith(".pdf")
    file = client.get(url("export_download", matter, job.pk))
    assert file["Content-Type"] == "application/pdf"
    assert b"".join(file.streaming_content).startswith(b"%PDF")


def test_invalid_options_keep_the_input(client, matter, user, events):
    client.force_login(user)
    response = export(client, matter, date_from="Febtember 2024", date_to="2025", format="csv", embed_exhibits="on")
    html = response.content.decode()
    assert response.status_code == 200 and not Job.objects.exists()
    assert 'value="Febtember 2024"' in html and "could not read" in html
    assert "Exhibits can be embedded in a PDF only." in html
    response = export(client, matter, date_from="2025", date_to="2024")
    assert "The end is before the start." in response.content.decode()


def test_job_status_as_json_for_the_progress_bar(client, matter, user, events):
    client.force_login(user)
    export(client, matter)
    job = Job.objects.get()
    status = client.get(url("export_job", matter, job.pk) + "?format=json").json()
    assert status["state"] == "done" and status["progress"] == status["total"] == 3
    assert status["download_url"] == url("export_download", matter, job.pk)
    assert client.get(url("export_job", matter, job.pk), HTTP_ACCEPT="application/json").json()["id"] == job.pk


def test_a_running_job_shows_a_progress_bar_and_no_download(client, matter, user):
    job = Job.objects.create(matter=matter, user=user, kind=Job.Kind.EXPORT, state=Job.State.RUNNING, progress=40,
                             total=200, options={"format": "pdf", "paper": "letter"})  # fmt: skip
    client.force_login(user)
    html = client.get(url("export_job", matter, job.pk)).content.decode()
    assert '<progress id="job-bar" max="200" value="40">' in html
    assert "js/export.js" in html and '<meta http-equiv="refresh"' in html  # polls; refreshes without JS
    assert client.get(url("export_download", matter, job.pk)).status_code == 404
    assert client.get(url("export_job", matter, job.pk) + "?format=json").json()["download_url"] == ""


def test_a_failed_job_says_why(client, matter, user):
    job = Job.objects.create(
        matter=matter, user=user, kind=Job.Kind.EXPORT, state=Job.State.FAILED, message="disk full"
    )
    client.force_login(user)
    assert "The export failed: disk full" in client.get(url("export_job", matter, job.pk)).content.decode()


def test_non_members_get_404_for_the_page_the_job_and_its_file(client, matter, user, make_user, events):
    client.force_login(user)
    export(client, matter)
    job = Job.objects.get()
    outsider = make_user()
    client.force_login(outsider)
    assert client.get(url("export", matter)).status_code == 404
    assert export(client, matter).status_code == 404
    assert client.get(url("export_job", matter, job.pk)).status_code == 404
    assert client.get(url("export_download", matter, job.pk)).status_code == 404
    # a member of another matter cannot reach this job through their own matter either
    own = factories.make_matter(owner=outsider)
    assert client.get(url("export_job", own, job.pk)).status_code == 404
    assert client.get(url("export_download", own, job.pk)).status_code == 404


def test_login_required(client, matter):
    assert client.get(url("export", matter)).status_code == 302
