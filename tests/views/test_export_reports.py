"""The export page offers the attorney reports; a viewer is offered neither privileged events nor the privilege log."""

import io
import re

import docx
import pytest
from django.urls import reverse

from evidence.models import Job
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)  # exports are enqueued on commit


@pytest.fixture
def events(matter):
    factories.make_event(matter, title="Setting introduced", date="Aug 2024", actors=["Acme Corp."])
    factories.make_event(matter, title="Work-product note", date="Oct 2024", actors=["Acme Corp."], is_privileged=True)


def url(name, matter, *args):
    return reverse(name, args=[matter.slug, *args])


def test_the_page_offers_each_report_and_exports_it(client, matter, editor, events):
    client.force_login(editor)
    html = client.get(url("export", matter)).content.decode()
    for value in ("chronology", "facts-by-issue", "cast-of-characters", "exhibit-list", "privilege-log"):
        assert re.search(rf'name="report" value="{value}"', html), value
    assert "Cast of characters: each actor with their events" in html

    response = client.post(url("export", matter), {"report": "cast-of-characters", "format": "docx", "paper": "a4"})
    job = Job.objects.get()
    assert response.url == url("export_job", matter, job.pk) and job.state == Job.State.DONE
    assert job.options["report"] == "cast-of-characters" and "cast-of-characters" in job.result_name
    content = b"".join(client.get(url("export_download", matter, job.pk)).streaming_content)
    document = docx.Document(io.BytesIO(content))
    assert "Cast of Characters" in [p.text for p in document.paragraphs]
    assert [c.text for c in document.tables[1].rows[1].cells][:2] == ["1", "Aug 2024"]
    assert "Work-product note" not in "".join(c.text for r in document.tables[1].rows for c in r.cells)


def test_a_report_is_pdf_or_word_only(client, matter, editor, events):
    client.force_login(editor)
    response = client.post(url("export", matter), {"report": "exhibit-list", "format": "xlsx", "paper": "letter"})
    assert response.status_code == 200 and not Job.objects.exists()
    assert "The reports are exported as PDF or Word only." in response.content.decode()


def test_a_viewer_is_offered_no_privileged_material(client, matter, viewer, events):
    client.force_login(viewer)
    html = client.get(url("export", matter)).content.decode()
    assert 'value="privilege-log"' not in html and 'value="exhibit-list"' in html
    assert re.search(r'name="include_privileged"[^>]* disabled', html)
    assert "Privileged material is exported only by editors and owners of the matter." in html

    for data in ({"report": "privilege-log"}, {"report": "chronology", "include_privileged": "on"}):
        response = client.post(url("export", matter), {"format": "pdf", "paper": "letter", **data})
        assert response.status_code == 200 and not Job.objects.exists(), data
