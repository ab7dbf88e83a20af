"""Documents through the API: uploads go through the upload page's intake (numbered, hashed), files leave through the
one download path (role checked, access logged)."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from evidence.models import AccessEvent, Document
from tests import factories, storage
from tests.api.conftest import ROLES, api_client, read_status, write_status

pytestmark = pytest.mark.django_db


def docs_url(matter, *rest) -> str:
    return "/".join([f"/api/matters/{matter.slug}/documents", *map(str, rest)]) + ("/" if not rest else "")


def upload(api, matter, content: bytes, name="policy.pdf", **fields):
    return api.post(docs_url(matter), {"file": SimpleUploadedFile(name, content), **fields})


@pytest.mark.parametrize("role", ROLES)
def test_list_detail_and_download_by_role(api_as, matter, role):
    pdf = factories.make_pdf(2)
    document = factories.make_document(matter, content=pdf, filename="privacy-policy.pdf", is_privileged=True)
    api = api_as(role)
    listed, detail, file = (api.get(docs_url(matter)), api.get(docs_url(matter, document.pk)),
                            api.get(docs_url(matter, document.pk, "file")))  # fmt: skip
    assert listed.status_code == detail.status_code == file.status_code == read_status(role)
    if role == "outsider":
        assert not AccessEvent.objects.filter(kind=AccessEvent.Kind.DOWNLOAD_FILE).exists()
        return
    assert [d["exhibit"] for d in listed.json()["results"]] == ["PX-1"]
    assert detail.json()["privileged"] is True and detail.json()["page_count"] == 2
    assert b"".join(file.streaming_content) == pdf
    assert file["Content-Disposition"].startswith("attachment;") and "PX-1" in file["Content-Disposition"]
    assert file["X-Content-Type-Options"] == "nosniff"
    assert AccessEvent.objects.filter(kind=AccessEvent.Kind.DOWNLOAD_FILE, document=document).count() == 1


@pytest.mark.parametrize("role", ROLES)
def test_upload_by_role(api_as, matter, role):
    response = upload(api_as(role), matter, factories.make_pdf(1), reason="received from opposing counsel")
    assert response.status_code == write_status(role, 201)
    assert Document.objects.exists() == (response.status_code == 201)


def test_an_upload_goes_through_intake(matter, editor):
    factories.make_document(matter)  # PX-1
    content = factories.make_pdf(3, title="Privacy policy Sept 2024")
    api = api_client(editor)
    response = upload(
        api, matter, content, name="policy v2.pdf", reason="captured from the website", date="Sept 18, 2024",
        title="Privacy policy", bates_start="LI_000001", privileged="false",
    )  # fmt: skip
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["exhibit_number"], body["exhibit"], body["created"]) == (2, "PX-2", True)
    assert body["sha256"] == hashlib.sha256(content).hexdigest()
    assert (body["size"], body["media_type"], body["page_count"]) == (len(content), "application/pdf", 3)
    assert (body["date"], body["date_start"], body["precision"]) == ("Sept 18, 2024", "2024-09-18", "day")
    assert (body["title"], body["original_filename"], body["bates_start"]) == (
        "Privacy policy",
        "policy v2.pdf",
        "LI_000001",
    )
    assert response["Location"] == docs_url(matter, body["id"])
    document = Document.objects.get(pk=body["id"])
    assert document.history.get().history_user == editor
    assert document.history.get().history_change_reason == "captured from the website"
    # The same bytes again are the same exhibit, not a second one.
    again = upload(api, matter, content, name="copy.pdf", reason="again")
    assert (again.status_code, again.json()["id"], again.json()["created"]) == (200, body["id"], False)
    assert Document.objects.count() == 2
    fetched = api.get(body["file_url"])
    assert b"".join(fetched.streaming_content) == content


def test_an_upload_without_reason_or_file_is_refused(matter, editor):
    api = api_client(editor)
    response = upload(api, matter, b"data")
    assert response.status_code == 400 and set(response.json()["errors"]) == {"reason"}
    response = api.post(docs_url(matter), {"reason": "r"})
    assert response.status_code == 400 and set(response.json()["errors"]) == {"file"}
    response = upload(api, matter, b"", reason="r")
    assert response.status_code == 400 and set(response.json()["errors"]) == {"file"}
    assert not Document.objects.exists()


def test_an_oversized_upload_is_refused_naming_the_file(matter, editor, settings):
    settings.EVIDENCE_MAX_UPLOAD_BYTES = 100
    response = upload(api_client(editor), matter, b"x" * 101, reason="r")
    assert response.status_code == 400 and "file" in response.json()["errors"]
    assert not Document.objects.exists()


def test_a_document_of_another_matter_is_not_found(matter, user):
    other = factories.make_matter(owner=user)
    document = factories.make_document(other)
    api = api_client(user)
    assert api.get(docs_url(matter, document.pk)).status_code == 404
    assert api.get(docs_url(matter, document.pk, "file")).status_code == 404


def test_a_file_that_changed_in_the_store_is_not_sent(matter, viewer):
    document = factories.make_document(matter, content=b"original evidence bytes")
    storage.overwrite(document.file.name, b"tampered evidence bytes")
    response = api_client(viewer).get(docs_url(matter, document.pk, "file"))
    assert response.status_code == 409
    assert "SHA-256" in response.json()["detail"]
