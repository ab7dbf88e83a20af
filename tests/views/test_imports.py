"""The timeline's "Import events": the admin's form, preview, mapping and apply, for a matter's editors only."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from evidence.models import Event, Job
from tests.factories import make_event, make_matter

pytestmark = pytest.mark.django_db

SHEET = b"Date,Title,Category,Occurred on\n2024-09-18,Spokesperson confirms the setting,Press,Statement to 404 Media\n"


def url(name, matter, *args):
    return reverse(name, args=[matter.slug, *args])


def preview(client, into, data=SHEET, **extra):
    """Upload into the matter `into`, then the job's page: the preview job runs when the upload's transaction
    commits (the immediate backend)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            url("event_import", into),
            {"file": SimpleUploadedFile("team.csv", data), "sheet": "", "order": "auto", **extra},
        )
    if response.status_code != 302:  # a form error
        return response
    job = Job.objects.filter(kind=Job.Kind.PREVIEW_EVENTS).latest("pk")
    assert response["Location"] == url("event_import_job", into, job.pk)
    return client.get(response["Location"])


def token_of(response) -> str:
    return response.context["token"]


def test_an_editor_imports_a_sheet_with_its_unknown_values_mapped(client, matter, editor):
    client.force_login(editor)
    assert url("event_import", matter) in client.get(url("timeline", matter)).content.decode()
    page = preview(client, matter)
    html = page.content.decode()
    assert "Dry run: nothing has been written yet." in html and 'id="import-values"' in html
    assert "Press" in html and "Statement to 404 Media" in html and not Event.objects.exists()

    # the choices change the rows: a new preview first, nothing written
    form = page.context["mapping_values"][0][1].html_name, page.context["mapping_columns"][0][1].html_name
    with TestCase.captureOnCommitCallbacks(execute=True):
        again = client.post(
            url("event_import_confirm", matter),
            {"token": token_of(page), form[0]: "public_statement", form[1]: "source_note", "recheck": "1"},
        )
    assert again.status_code == 302 and not Event.objects.exists()
    page = client.get(again["Location"])
    assert "Import 1 new and 0 updated events" in page.content.decode()

    done = client.post(
        url("event_import_confirm", matter),
        {"token": token_of(page), form[0]: "public_statement", form[1]: "source_note", "import": "1"},
        follow=True,
    )
    assert done.redirect_chain[-1][0] == url("timeline", matter)
    assert "Imported team.csv into" in done.content.decode()
    event = Event.objects.get(matter=matter)
    assert (event.kind, event.source_note) == ("public_statement", "Statement to 404 Media")


def test_the_matter_is_the_pages_whatever_the_form_says(client, matter, editor):
    other = make_matter(owner=editor)
    client.force_login(editor)
    preview(client, matter, matter=other.pk)
    assert Job.objects.get(kind=Job.Kind.PREVIEW_EVENTS).matter == matter


def test_a_preview_of_one_matter_is_not_confirmed_through_another(client, matter, editor):
    other = make_matter(owner=editor)
    client.force_login(editor)
    page = preview(client, matter)
    response = client.post(url("event_import_confirm", other), {"token": token_of(page), "import": "1"})
    assert response.status_code == 404
    job = Job.objects.get(kind=Job.Kind.PREVIEW_EVENTS)
    assert client.get(url("event_import_job", other, job.pk)).status_code == 404
    assert not Event.objects.exists()


def test_a_file_over_the_limit_is_refused_on_the_form(client, matter, editor, settings):
    settings.IMPORT_MAX_BYTES = 10
    client.force_login(editor)
    response = preview(client, matter)
    assert response.status_code == 200 and "larger than the import limit" in response.content.decode()
    assert not Job.objects.exists()


def test_viewers_and_outsiders_can_neither_see_nor_reach_it(client, matter, user, viewer, outsider):
    make_event(matter, title="Known")
    client.force_login(user)  # the owner previews; then the others try each page of it
    page = preview(client, matter)
    job = Job.objects.get(kind=Job.Kind.PREVIEW_EVENTS)
    token = token_of(page)

    client.force_login(viewer)
    assert url("event_import", matter) not in client.get(url("timeline", matter)).content.decode()
    assert client.get(url("event_import", matter)).status_code == 403
    assert preview(client, matter).status_code == 403
    assert client.get(url("event_import_job", matter, job.pk)).status_code == 403
    assert client.post(url("event_import_confirm", matter), {"token": token, "import": "1"}).status_code == 403

    client.force_login(outsider)
    assert client.get(url("event_import", matter)).status_code == 404
    assert client.get(url("event_import_job", matter, job.pk)).status_code == 404
    assert client.post(url("event_import_confirm", matter), {"token": token, "import": "1"}).status_code == 404
    assert list(Event.objects.values_list("title", flat=True)) == ["Known"]
