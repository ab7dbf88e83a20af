import pytest
from django.test import Client

from evidence.services.tokens import api_token_create

ROLES = ("outsider", "viewer", "editor", "owner")


def api_client(user, name: str = "tests") -> Client:
    """A client that sends a real token of `user` (made as the token page makes it) on every request."""
    _, raw = api_token_create(user=user, name=name)
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    client.raw_token = raw
    return client


@pytest.fixture
def people(matter, user, editor, viewer, outsider) -> dict:
    return {"owner": user, "editor": editor, "viewer": viewer, "outsider": outsider}


@pytest.fixture
def api_as(people):
    """api_as("viewer") -> a client acting through a token of the matter's viewer."""
    return lambda role: api_client(people[role])


def write_status(role: str, success: int) -> int:
    """What a write answers each role: outsiders learn nothing (404), viewers may not (403)."""
    return {"outsider": 404, "viewer": 403}.get(role, success)


def read_status(role: str) -> int:
    return 404 if role == "outsider" else 200
