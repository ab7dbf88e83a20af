"""The matter page's "Download archive": for owners only (the button, the job, its page and its file), built by a
background job and downloaded through the one download path, each step in the access log."""

import hashlib
import io
import json
import zipfile

import pytest
from django.urls import reverse

from evidence.models import AccessEvent, Job, Role
from evidence.services.matters import membership_set
from tests.factories import UserFactory, make_document, make_event

# The job is enqueued on commit: these tests commit, like a request does.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def team(matter, user):
    make_event(matter, title="Setting introduced", actors=["LinkedIn"])
    make_document(matter, content=b"The article", filename="article.txt")
    members = {}
    for role in (Role.EDITOR, Role.VIEWER):
        members[role] = UserFactory()
        membership_set(matter=matter, user=user, member=members[role], role=role, reason="test")
    return {Role.OWNER: user, **members, None: UserFactory()}


def test_the_owner_downloads_the_archive_from_the_matter_page(client, matter, team):
    owner = team[Role.OWNER]
    client.force_login(owner)
    page = client.get(reverse("timeline", args=[matter.slug])).content.decode()
    assert f'action="{reverse("matter_archive", args=[matter.slug])}"' in page and "Download archive" in page

    response = client.post(reverse("matter_archive", args=[matter.slug]))
    job = Job.objects.get(matter=matter, kind=Job.Kind.ARCHIVE)
    assert response.status_code == 302 and response["Location"] == reverse("export_job", args=[matter.slug, job.pk])
    assert job.state == Job.State.DONE, job.message
    assert job.total == 2 and job.progress == 2  # one event, one file: written by the progress thread
    status = client.get(reverse("export_job", args=[matter.slug, job.pk]), {"format": "json"}).json()
    assert status["unit"] == "records and files" and status["download_url"]

    download = client.get(status["download_url"])
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"
    assert f'filename="{matter.slug}-archive-' in download["Content-Disposition"]
    data = b"".join(download.streaming_content)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        assert manifest["counts"]["events"] == 1 and manifest["counts"]["files"] == 1
    made = AccessEvent.objects.get(matter=matter, kind=AccessEvent.Kind.EXPORT_ARCHIVE)
    sent = AccessEvent.objects.get(matter=matter, kind=AccessEvent.Kind.DOWNLOAD_EXPORT)
    assert made.job == job and made.detail["via"] == "matter page"
    assert made.detail["files"][0]["sha256"] == hashlib.sha256(data).hexdigest() == sent.detail["sha256"]
    assert sent.username == owner.username


@pytest.mark.parametrize(("role", "status"), [(Role.EDITOR, 403), (Role.VIEWER, 403), (None, 404)])
def test_no_one_but_an_owner_sees_the_button_starts_an_archive_or_reaches_one(client, matter, team, role, status):
    client.force_login(team[Role.OWNER])
    client.post(reverse("matter_archive", args=[matter.slug]))
    job = Job.objects.get(matter=matter, kind=Job.Kind.ARCHIVE)

    client.force_login(team[role])
    timeline = client.get(reverse("timeline", args=[matter.slug]))
    assert "Download archive" not in timeline.content.decode()
    assert client.post(reverse("matter_archive", args=[matter.slug])).status_code == status
    assert client.get(reverse("export_job", args=[matter.slug, job.pk])).status_code == status
    assert client.get(reverse("export_download", args=[matter.slug, job.pk])).status_code == status
    assert Job.objects.filter(matter=matter, kind=Job.Kind.ARCHIVE).count() == 1
    assert not AccessEvent.objects.filter(matter=matter, kind=AccessEvent.Kind.DOWNLOAD_EXPORT).exists()


def test_the_archive_is_started_by_a_post_only(client, matter, team):
    client.force_login(team[Role.OWNER])
    assert client.get(reverse("matter_archive", args=[matter.slug])).status_code == 405
