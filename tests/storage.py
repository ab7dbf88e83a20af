"""Changing stored files behind the app's back, as a failing disk, an operator or an attacker would, whichever storage
the run uses (the local folder, or the S3 endpoint with TEST_STORAGE=s3)."""

from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from storages.backends.s3 import S3Storage

from tests.conftest import S3

# A directory, a FIFO or a symbolic link in place of a file exists only on a filesystem; an object store has none.
filesystem_only = pytest.mark.skipif(S3, reason="an object store has no directories, FIFOs or links in place of files")


def _in_bucket() -> bool:
    return isinstance(default_storage, S3Storage)


def _local(name: str) -> Path:
    return Path(default_storage.path(name))


def overwrite(name: str, data: bytes) -> None:
    """Replace the stored bytes in place (what the app itself never does)."""
    if _in_bucket():
        default_storage.connection.meta.client.put_object(
            Bucket=default_storage.bucket_name, Key=default_storage._normalize_name(name), Body=data
        )
    else:
        _local(name).write_bytes(data)


def remove(name: str) -> None:
    default_storage.delete(name)


def place(name: str, data: bytes) -> None:
    """A file the app did not write (a stray, an orphan)."""
    if _in_bucket():
        overwrite(name, data)
    else:
        _local(name).parent.mkdir(parents=True, exist_ok=True)
        _local(name).write_bytes(data)


def stored_names(folder: str = "") -> list[str]:
    """Every stored file's name under `folder`, sorted."""
    try:
        directories, names = default_storage.listdir(folder)
    except FileNotFoundError:
        return []
    found = [f"{folder}/{n}".lstrip("/") for n in names]
    for directory in directories:
        found += stored_names(f"{folder}/{directory}".lstrip("/"))
    return sorted(found)


def process_env(settings) -> dict[str, str]:
    """The environment a manage.py process started by a test needs to use the test's storage (its bucket)."""
    options = settings.STORAGES["default"].get("OPTIONS", {})
    if "bucket_name" not in options:
        return {"MEDIA_ROOT": str(settings.MEDIA_ROOT)}
    return {
        "STORAGE_S3_BUCKET": options["bucket_name"],
        "STORAGE_S3_ENDPOINT_URL": options["endpoint_url"],
        "STORAGE_S3_REGION": options["region_name"],
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
    }
