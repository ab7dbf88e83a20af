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

# TEST_STORAGE=s3: evidence goes to an S3 endpoint that this run starts on 127.0.0.1 (moto's server), one bucket per
# test, instead of the local folder.
S3 = os.environ.get("TEST_STORAGE", "local") == "s3"


@pytest.fixture(scope="session")
def s3_endpoint(tmp_path_factory):
    """The URL of an S3 API server (moto's) that this test process starts on the loopback, in a process of its own:
    a server thread in the test process would share it with the readers' forked children."""
    import boto3

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
    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
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


def s3_storage(endpoint: str, *, bucket: str | None = None, **options) -> dict:
    """A STORAGES entry for a new, empty bucket on `endpoint`."""
    import boto3

    bucket = bucket or f"evidence-{uuid.uuid4().hex[:20]}"
    boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1").create_bucket(Bucket=bucket)
    return {
        "BACKEND": "evidence.storage.EvidenceS3Storage",
        "OPTIONS": {"bucket_name": bucket, "endpoint_url": endpoint, "region_name": "us-east-1", **options},
    }


@pytest.fixture(autouse=True)
def media_root(request, settings, tmp_path):
    """Every test stores evidence under its own temporary MEDIA_ROOT, or in its own bucket with TEST_STORAGE=s3."""
    settings.MEDIA_ROOT = tmp_path / "media"
    if S3:
        settings.STORAGES = {**settings.STORAGES, "default": s3_storage(request.getfixturevalue("s3_endpoint"))}
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
