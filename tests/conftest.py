import pytest

from tests import factories


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Every test stores evidence under its own temporary MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def user(db):
    return factories.UserFactory()


@pytest.fixture
def matter(db, user):
    return factories.MatterFactory(owner=user)


@pytest.fixture
def make_user(db):
    return factories.UserFactory
