"""Evidence in an S3-compatible object store, against the S3 endpoint the test run starts on 127.0.0.1 (moto's
server): these run in every run, whichever storage the rest of the suite uses (TEST_STORAGE)."""

import hashlib
import io
import tracemalloc
from datetime import UTC, datetime, timedelta

import boto3
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from evidence.importing.uploads import keep_upload, kept_uploads, reading_upload
from evidence.integrity import verify_documents
from evidence.models import IntegrityCheck
from tests.conftest import s3_storage
from tests.factories import make_document
from tests.storage import overwrite


@pytest.fixture
def bucket(settings, s3_endpoint):
    """The default storage on a new bucket of the S3 endpoint; its client, to look at the bucket directly."""
    settings.STORAGES = {**settings.STORAGES, "default": s3_storage(s3_endpoint)}
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1")
    return client, settings.STORAGES["default"]["OPTIONS"]["bucket_name"]


def keys(client, bucket_name) -> list[str]:
    return sorted(o["Key"] for o in client.list_objects_v2(Bucket=bucket_name).get("Contents", []))


def test_evidence_is_stored_in_the_bucket_under_its_sha256_once(bucket, matter, media_root):
    client, name = bucket
    first = make_document(matter, content=b"hello evidence\n", filename="a.txt")
    again = make_document(matter, content=b"hello evidence\n", filename="copy.txt")
    assert again.pk == first.pk  # the same bytes are the same document
    sha256 = hashlib.sha256(b"hello evidence\n").hexdigest()
    assert keys(client, name) == [f"evidence/{sha256[:2]}/{sha256[2:4]}/{sha256}"]
    assert client.get_object(Bucket=name, Key=first.file.name)["Body"].read() == b"hello evidence\n"
    assert not (media_root / "evidence").exists()  # nothing of it on this host's disk


def test_a_name_already_taken_in_the_bucket_is_never_written_over(bucket):
    client, name = bucket
    default_storage.save("jobs/export.csv", ContentFile(b"first export"))
    second = default_storage.save("jobs/export.csv", ContentFile(b"second export"))
    assert second != "jobs/export.csv"
    assert client.get_object(Bucket=name, Key="jobs/export.csv")["Body"].read() == b"first export"


def test_server_side_encryption_and_object_lock_retention_are_asked_for_on_every_object(settings, s3_endpoint, matter):
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1")
    client.create_bucket(Bucket="locked-evidence", ObjectLockEnabledForBucket=True)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": s3_storage(
            s3_endpoint,
            bucket="locked-evidence",
            server_side_encryption="AES256",
            retention_days=30,
            retention_mode="COMPLIANCE",
        ),
    }
    document = make_document(matter, content=b"retained evidence")
    head = client.head_object(Bucket="locked-evidence", Key=document.file.name)
    assert head["ServerSideEncryption"] == "AES256"
    assert head["ObjectLockMode"] == "COMPLIANCE"
    retained = head["ObjectLockRetainUntilDate"] - datetime.now(UTC)
    assert timedelta(days=29) < retained <= timedelta(days=30)
    with pytest.raises(client.exceptions.ClientError, match="AccessDenied"):  # the store itself refuses
        client.delete_object(Bucket="locked-evidence", Key=document.file.name, VersionId=head["VersionId"])


def test_verify_evidence_rehashes_an_object_by_streaming_it(bucket, matter):
    content = bytes(range(256)) * (48 * 4096)  # 48 MB
    document = make_document(matter, content=content, filename="large.bin")
    tracemalloc.start()
    try:
        report = verify_documents()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (report.checked, report.problems) == (1, [])
    assert peak < 16 * 1024 * 1024  # chunks, never the 48 MB object whole
    overwrite(document.file.name, content[:-1] + b"!")
    report = verify_documents()
    assert report.problems and report.problems[0].startswith(f"ALTERED {matter.slug} PX-1")
    assert IntegrityCheck.objects.filter(document=document).latest("checked_at").problem == "sha256"


def test_a_download_streams_the_object_through_the_permission_checked_path(bucket, client, matter, user, outsider):
    document = make_document(matter, content=b"privileged memo", filename="memo.txt")
    url = reverse("document_file", args=[matter.slug, document.pk])
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Length"] == str(len(b"privileged memo"))
    assert b"".join(response.streaming_content) == b"privileged memo"


def test_an_import_upload_is_kept_in_the_bucket_for_a_worker_on_another_host(bucket, media_root):
    client, name = bucket
    token = keep_upload(io.BytesIO(b"Date,Title\nAug 2024,Setting introduced\n"), name="facts.csv")
    assert keys(client, name) == [f"imports/{token}"] and kept_uploads() == [token]
    with reading_upload(token) as path:  # what the worker reads: a copy on its own host, removed afterwards
        assert path.read_bytes() == b"Date,Title\nAug 2024,Setting introduced\n"
    assert not path.exists()


@pytest.mark.django_db
def test_healthz_fails_when_the_bucket_does_not_answer(settings, s3_endpoint, client):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            **s3_storage(s3_endpoint),
            "OPTIONS": {"bucket_name": "no-such-bucket", "endpoint_url": s3_endpoint},
        },
    }
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["storage"].startswith("fail: ")
