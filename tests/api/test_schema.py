"""The OpenAPI schema served by the app, valid, and its docs page served from the app's own static files."""

import re

import pytest
import yaml
from django.test import Client
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema
from openapi_spec_validator import validate

from tests.api.conftest import api_client

pytestmark = pytest.mark.django_db


def test_the_schema_is_served_and_valid():
    response = Client().get("/api/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    validate(schema)  # openapi-spec-validator: a valid OpenAPI 3 document
    validate_schema(SchemaGenerator().get_schema(request=None, public=True))  # drf-spectacular's own check
    paths = schema["paths"]
    for path in (
        "/api/matters/", "/api/matters/{slug}/events/", "/api/matters/{slug}/events/{id}",
        "/api/matters/{slug}/events/{id}/citations/", "/api/matters/{slug}/documents/",
        "/api/matters/{slug}/documents/{id}/file", "/api/matters/{slug}/actors/", "/api/matters/{slug}/issues/",
        "/api/matters/{slug}/jobs/", "/api/matters/{slug}/jobs/{id}/file",
    ):  # fmt: skip
        assert path in paths, path
    bearer = schema["components"]["securitySchemes"]["bearerAuth"]
    assert (bearer["type"], bearer["scheme"]) == ("http", "bearer")
    assert all(op["security"] == [{"bearerAuth": []}] for p in paths.values() for op in p.values())
    patch = paths["/api/matters/{slug}/events/{id}"]["patch"]
    assert "If-Match" in [p["name"] for p in patch["parameters"]]
    body = patch["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert schema["components"]["schemas"][body]["required"] == ["reason"]
    listed = paths["/api/matters/{slug}/events/"]["get"]
    assert {"q", "from", "to", "kind", "issue", "actor", "status", "page"} <= {p["name"] for p in listed["parameters"]}


def test_the_docs_page_uses_only_the_apps_own_files():
    client = Client()
    page = client.get("/api/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(s.startswith("/") and not s.startswith("//") for s in sources), sources
    assert "<script>" not in html and "<style>" not in html  # nothing inline: the CSP forbids it
    assert "script-src 'self'" in page["Content-Security-Policy"]
    script = client.get(next(s for s in sources if "script=" in s))
    assert script.status_code == 200 and "/api/schema/" in script.content.decode()


def test_the_schema_does_not_need_a_token_but_the_api_does(user):
    assert Client().get("/api/schema/").status_code == 200
    assert Client().get("/api/matters/").status_code == 401
    assert api_client(user).get("/api/matters/").status_code == 200
