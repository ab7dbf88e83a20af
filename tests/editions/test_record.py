"""Every chronology exported as PDF or Word is kept as an edition: who, when, the filters, the format, the file's
SHA-256 (that of the very bytes downloaded), the history chain head, and the file and its snapshot in the storage."""

import json

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from evidence.models import AppendOnlyError, Edition, Job
from evidence.services.chain import chain_head
from tests.editions.support import cited_matter, export_edition, sha256

# Exports from the page are enqueued on commit: these tests commit, like a request does.
pytestmark = pytest.mark.django_db(transaction=True)


def url(name, matter, *args):
    return reverse(name, args=[matter.slug, *args])


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_a_pdf_export_from_the_page_is_kept_as_an_edition_with_the_sha256_of_the_downloaded_file(
    client, matter, user, viewer
):
    cited_matter(matter, user)
    head = chain_head(matter).head_text
    client.force_login(viewer)
    response = client.post(url("export", matter), {"format": "pdf", "paper": "letter", "date_from": "Aug 2024"})
    job = Job.objects.get(matter=matter, kind=Job.Kind.EXPORT)
    assert response.status_code == 302 and job.state == Job.State.DONE

    edition = Edition.objects.get(matter=matter)
    assert (edition.number, edition.format, edition.user, edition.job) == (1, "pdf", viewer, job)
    assert edition.chain_head == head and edition.events_count == 4 and not edition.includes_privileged
    assert "Privileged events excluded" in edition.filters_described
    assert any(line.startswith("Dates: events that may fall on or after Aug 1, 2024") for line in
               edition.filters_described), edition.filters_described  # fmt: skip

    job_page = client.get(response.url).content.decode()
    assert "Kept as edition 1" in job_page and f'href="{url("edition_compare", matter, 1)}"' in job_page

    downloaded = client.get(url("edition_download", matter, edition.number))
    assert downloaded.status_code == 200 and downloaded["Content-Type"] == "application/pdf"
    assert downloaded["Content-Disposition"].startswith("attachment;")
    content = body(downloaded)
    assert sha256(content) == edition.sha256 and len(content) == edition.size
    assert sha256(body(client.get(url("export_download", matter, job.pk)))) == edition.sha256  # the same file

    page = client.get(url("export", matter)).content.decode()
    assert edition.sha256 in page and edition.chain_head in page
    assert "Privileged events excluded" in page and "on or after Aug 1, 2024" in page
    assert f'href="{url("edition_compare", matter, 1)}"' in page
    assert f'href="{url("edition_download", matter, 1)}"' in page


def test_a_word_export_is_an_edition_too_but_not_a_table_or_a_report(client, matter, user):
    cited_matter(matter, user)
    client.force_login(user)
    client.post(url("export", matter), {"format": "docx", "paper": "letter"})
    client.post(url("export", matter), {"format": "csv", "paper": "letter"})
    client.post(url("export", matter), {"format": "xlsx", "paper": "letter"})
    client.post(url("export", matter), {"format": "pdf", "paper": "letter", "report": "exhibit-list"})
    assert Job.objects.filter(kind=Job.Kind.EXPORT, state=Job.State.DONE).count() == 4
    edition = Edition.objects.get()
    assert edition.format == "docx" and edition.filename.endswith(".docx")
    content = body(client.get(url("edition_download", matter, edition.number)))
    assert content.startswith(b"PK") and sha256(content) == edition.sha256
    assert "Word" in client.get(url("export", matter)).content.decode()


def test_the_command_keeps_an_edition_and_the_stored_files_are_what_was_written(matter, user, tmp_path):
    events = cited_matter(matter, user)
    edition, written = export_edition(matter, user, tmp_path, "--format", "pdf")
    assert edition.via == "export_chronology command" and edition.job is None and edition.username == user.username
    assert sha256(written) == edition.sha256
    assert edition.file.name == f"editions/{edition.sha256[:2]}/{edition.sha256[2:4]}/{edition.sha256}.pdf"
    with default_storage.open(edition.file.name, "rb") as fh:
        assert fh.read() == written

    with default_storage.open(edition.snapshot.name, "rb") as fh:
        stored = fh.read()
    assert sha256(stored) == edition.snapshot_sha256 and len(stored) == edition.snapshot_size
    snapshot = json.loads(stored)
    assert snapshot["chain_head"] == edition.chain_head
    rows = {row["title"]: row for row in snapshot["events"]}
    assert rows["Setting introduced"]["date"] == "Aug 2024" and rows["Setting introduced"]["key"] is True
    assert rows["Policy amended"]["citations"] == [
        {
            "document": events["policy"].pk,
            "exhibit": "PX-2",
            "pinpoint": "p. 3",
            "bates": "",
            "note": "the amended clause",
        }  # fmt: skip
    ]

    second, _ = export_edition(matter, user, tmp_path, "--format", "docx")
    assert second.number == 2 and second.format == "docx"


def test_an_edition_is_never_changed_or_deleted(matter, user, tmp_path):
    cited_matter(matter, user)
    edition, _ = export_edition(matter, user, tmp_path)
    edition.filename = "other.pdf"
    with pytest.raises(AppendOnlyError):
        edition.save()
    with pytest.raises(AppendOnlyError):
        edition.delete()
    with pytest.raises(AppendOnlyError):
        Edition.objects.filter(pk=edition.pk).update(sha256="0" * 64)
    assert Edition.objects.get().filename.endswith(".pdf") and Edition.objects.get().filename != "other.pdf"
