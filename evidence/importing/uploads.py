"""Uploaded import files kept until their import is confirmed, in the storage (not on the web host's disk), so that
the worker that previews or imports a file may run on another host. An upload is named by a token we made, never by
a name from the request."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage
from django.utils import timezone

from evidence import files

FOLDER = "imports"
STALE_AFTER = timedelta(hours=24)


def _name(token: str) -> str:
    if Path(token).name != token or not token[:32].isalnum() or len(token) < 32:
        raise FileNotFoundError(token)
    return f"{FOLDER}/{token}"


def kept_uploads() -> list[str]:
    """The tokens of the uploads kept now."""
    try:
        return default_storage.listdir(FOLDER)[1]
    except FileNotFoundError:  # the local folder before the first upload
        return []


def keep_upload(upload, *, name: str) -> str:
    """Store an uploaded file until the import is confirmed; returns its token. Uploads older than a day (a preview
    nobody confirmed) are swept here."""
    cutoff = timezone.now() - STALE_AFTER
    for old in kept_uploads():
        with contextlib.suppress(FileNotFoundError):  # another request swept it first
            if default_storage.get_modified_time(f"{FOLDER}/{old}") < cutoff:
                default_storage.delete(f"{FOLDER}/{old}")
    token = uuid.uuid4().hex + Path(name).suffix.lower()[:8]
    default_storage.save(_name(token), upload if isinstance(upload, File) else File(upload, name=token))
    return token


def upload_kept(token: str) -> bool:
    try:
        return default_storage.exists(_name(token))
    except FileNotFoundError:
        return False


def discard_upload(token: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        default_storage.delete(_name(token))


@contextlib.contextmanager
def reading_upload(token: str) -> Iterator[Path]:
    """The kept upload as a file of this host, for the reader's child process (FileNotFoundError when it is gone)."""
    with files.local_copy(_name(token), suffix=Path(token).suffix) as path:
        yield path
