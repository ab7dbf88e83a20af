import functools
import os
import socket
import subprocess
import sys
import time
import uuid

import pytest

from evidence.models import Role
from evidence.services.matters import membership_set
from tests import factories

# TEST_STORAGE=s3: evidence goes to an S3 endpoint that this run starts on 127.0.0.1 (moto's server) instead of the
# local folder: one bucket per test process, emptied before each test, so that every test starts with nothing stored,
# as with a folder of its own, while the app's storage (and its connections) lasts the whole run.
S3 = os.environ.get("TEST_STORAGE", "local") == "s3"


@pytest.fixture(scope="session")
def s3_endpoint(tmp_path_factory):
    """The URL of an S3 API server (moto's) that this test process starts on the loopback, in a process of its own:
    a server thread in the test process would share it with the readers' forked children."""
    os.environ.update(AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing", AWS_DEFAULT_REGION="us-east-1")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = tmp_path_factory.mktemp("s3") / "moto_server.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)], stdout=out, stderr=out
        )
    endpoint = f"http://127.0.0.1:{port}"
    client = s3_client(endpoint)
    deadline = time.monotonic() + 30
    while True:
        try:
            client.list_buckets()
            break
        except Exception:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                pytest.fail(f"The S3 server did not start: {log.read_text()[-2000:]}")
            time.sleep(0.1)
    yield endpoint
    server.terminate()
    server.wait(10)


@functools.cache
def s3_client(endpoint: str):
    """One client per endpoint for the whole run: a client costs tens of milliseconds to build."""
    import boto3

    return boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")


def s3_storage(endpoint: str, *, bucket: str | None = None, **options) -> dict:
    """A STORAGES entry for a new, empty bucket on `endpoint` (or `bucket`, made by the caller)."""
    if bucket is None:
        bucket = f"evidence-{uuid.uuid4().hex[:20]}"
        s3_client(endpoint).create_bucket(Bucket=bucket)
    return {
        "BACKEND": "evidence.storage.EvidenceS3Storage",
        "OPTIONS": {"bucket_name": bucket, "endpoint_url": endpoint, "region_name": "us-east-1", **options},
    }


@pytest.fixture(scope="session")
def s3_bucket(s3_endpoint):
    """The default storage, for the whole run of this test process, on a bucket of its own; its name."""
    from django.conf import settings
    from django.test import override_settings

    storage = s3_storage(s3_endpoint)
    with override_settings(STORAGES={**settings.STORAGES, "default": storage}):
        yield storage["OPTIONS"]["bucket_name"]


def empty_bucket(endpoint: str, bucket: str) -> None:
    client = s3_client(endpoint)
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        if page.get("Contents"):
            client.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": o["Key"]} for o in page["Contents"]]})


@pytest.fixture(autouse=True)
def media_root(request, settings, tmp_path):
    """Every test stores evidence under its own temporary MEDIA_ROOT, or, with TEST_STORAGE=s3, in its process's
    bucket, emptied first (what the test before left there is gone)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    if S3:
        empty_bucket(request.getfixturevalue("s3_endpoint"), request.getfixturevalue("s3_bucket"))
    return settings.MEDIA_ROOT


@pytest.fixture
def user(db):
    return factories.UserFactory()


@pytest.fixture
def matter(db, user):
    return factories.make_matter(owner=user)


@pytest.fixture
def make_user(db):
    return factories.UserFactory


def _member(matter, role):
    user = factories.UserFactory()
    membership_set(matter=matter, user=matter.memberships.first().user, member=user, role=role, reason="test")
    return user


@pytest.fixture
def editor(matter):
    """A member of `matter` with the editor role (`user` is its owner)."""
    return _member(matter, Role.EDITOR)


@pytest.fixture
def viewer(matter):
    return _member(matter, Role.VIEWER)


@pytest.fixture
def outsider(db):
    """A user who is not a member of `matter`."""
    return factories.UserFactory()
