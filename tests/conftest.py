import pytest

from evidence.models import Role
from evidence.services.matters import membership_set
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
