"""Evidence in an S3-compatible object store (AWS S3, MinIO, Ceph RGW, Cloudflare R2), chosen by configuration
(STORAGE_S3_* in settings); the local folder stays the default.

What this adds to django-storages' S3Storage:
- objects are private, never overwritten in place (a name taken gets another name, which `files.store` then drops),
  and written with server-side encryption and Object Lock retention when configured;
- a file opened for reading streams from the GET response instead of being downloaded whole first (S3File spools
  the object into a temporary file, in memory unless told otherwise): hashing a 2 GB exhibit, or sending it to the
  user who asked for it, holds one chunk at a time.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

from botocore.exceptions import ClientError
from django.core.exceptions import ImproperlyConfigured
from django.core.files import File
from storages.backends.s3 import S3Storage
from storages.utils import clean_name

RETENTION_MODES = ("GOVERNANCE", "COMPLIANCE")
SERVER_SIDE_ENCRYPTION = ("", "AES256", "aws:kms", "aws:kms:dsse")


class ObjectStream(io.RawIOBase):
    """An object's bytes as the store sends them: read-only, forward-only. `seek(0)` asks the store again (so a file
    hashed before it is sent can be sent from its start); any other seek is refused."""

    def __init__(self, client, *, bucket: str, key: str):
        super().__init__()
        self._client, self._bucket, self._key = client, bucket, key
        self._body = None
        self.size = 0
        self._get()

    def _get(self) -> None:
        try:
            response = self._client.get_object(Bucket=self._bucket, Key=self._key)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in {"NoSuchKey", "404"}:
                raise FileNotFoundError(f"No object {self._key!r} in the store.") from None
            raise OSError(f"The store refused to read {self._key!r}: {error}") from error
        self._body, self.size = response["Body"], response["ContentLength"]

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        return self._body.read(None if size is None or size < 0 else size)

    def readinto(self, buffer) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        if offset != 0 or whence != io.SEEK_SET:
            raise io.UnsupportedOperation("An object from the store is read from its start only.")
        self._body.close()
        self._get()
        return 0

    def close(self) -> None:
        if self._body is not None:
            self._body.close()
        super().close()


class StoredObject(File):
    """An ObjectStream as Django's file API hands it out: `open()` again reads the object again from its start."""

    def __init__(self, stream: ObjectStream, name: str):
        super().__init__(stream, name)

    @property
    def size(self) -> int:
        return self.file.size

    def open(self, mode=None):
        if mode not in (None, "rb"):
            raise ValueError("An object from the store is opened for reading only.")
        if self.file.closed:
            self.file = ObjectStream(self.file._client, bucket=self.file._bucket, key=self.file._key)
        else:
            self.file.seek(0)
        return self


class EvidenceS3Storage(S3Storage):
    def __init__(
        self,
        *,
        server_side_encryption: str = "",
        kms_key_id: str = "",
        retention_days: int = 0,
        retention_mode: str = "GOVERNANCE",
        **options,
    ):
        if server_side_encryption not in SERVER_SIDE_ENCRYPTION:
            raise ImproperlyConfigured(
                f"STORAGE_S3_SSE must be one of {', '.join(filter(None, SERVER_SIDE_ENCRYPTION))} or empty, "
                f"not {server_side_encryption!r}"
            )
        if retention_mode not in RETENTION_MODES:
            raise ImproperlyConfigured(
                f"STORAGE_S3_RETENTION_MODE must be GOVERNANCE or COMPLIANCE, not {retention_mode!r}"
            )
        if retention_days < 0:
            raise ImproperlyConfigured(f"STORAGE_S3_RETENTION_DAYS must be 0 or more, not {retention_days}")
        self.server_side_encryption, self.kms_key_id = server_side_encryption, kms_key_id
        self.retention_days, self.retention_mode = retention_days, retention_mode
        options.setdefault("file_overwrite", False)  # a name already taken is never written over
        options.setdefault("default_acl", None)  # private: the bucket's own policy, never public-read
        options.setdefault("querystring_expire", 60)
        super().__init__(**options)

    def _get_write_parameters(self, name, content=None):
        params = super()._get_write_parameters(name, content)
        if self.server_side_encryption:
            params["ServerSideEncryption"] = self.server_side_encryption
            if self.kms_key_id:
                params["SSEKMSKeyId"] = self.kms_key_id
        if self.retention_days:
            params["ObjectLockMode"] = self.retention_mode
            params["ObjectLockRetainUntilDate"] = datetime.now(UTC) + timedelta(days=self.retention_days)
        return params

    def _open(self, name, mode="rb"):
        if mode != "rb":
            return super()._open(name, mode)
        key = self._normalize_name(clean_name(name))
        return StoredObject(ObjectStream(self.connection.meta.client, bucket=self.bucket_name, key=key), name)

    def ping(self) -> None:
        """Raise unless the bucket answers (readiness)."""
        self.connection.meta.client.head_bucket(Bucket=self.bucket_name)
