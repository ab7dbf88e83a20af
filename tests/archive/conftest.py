import pytest

from evidence.archive import archive_export
from tests.archive.support import build_matter


@pytest.fixture
def owner(user):
    user.username = "owner"
    user.save()
    return user


@pytest.fixture
def archived(owner, tmp_path):
    """(matter, path of its archive, the manifest SHA-256 export_matter printed)."""
    matter = build_matter(owner)
    path = tmp_path / "doe.zip"
    made = archive_export(matter=matter, user=owner, path=path, via="test")
    return matter, path, made.written.manifest_sha256
