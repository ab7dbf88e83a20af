"""Response headers a security review looks for: the Content-Security-Policy on every page (and no inline script,
style or event handler that it would block), and `Cache-Control: private, no-store` on matter pages and files."""

import re

import pytest
from django.urls import reverse

from evidence.models import Job
from tests import factories

# The export page enqueues on commit, as a request does.
pytestmark = pytest.mark.django_db(transaction=True)

DIRECTIVES = [
    "default-src 'self'",
    "script-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
]


def _csp(response) -> list[str]:
    return [part.strip() for part in response["Content-Security-Policy"].split(";")]


@pytest.fixture
def pages(client, user, matter):
    """Every main page of the app, as (name, URL), for a signed-in owner of `matter`."""
    event = factories.make_event(matter, title="Setting introduced")
    document = factories.make_document(matter, content=b"%PDF-1.4 demo", filename="policy.pdf")
    client.force_login(user)
    m = matter.slug
    return [
        ("matters", reverse("home")),
        ("new matter", reverse("matter_new")),
        ("timeline", reverse("timeline", args=[m])),
        ("event", reverse("event_detail", args=[m, event.pk])),
        ("event form", reverse("event_new", args=[m])),
        ("event edit", reverse("event_edit", args=[m, event.pk])),
        ("documents", reverse("document_list", args=[m])),
        ("document", reverse("document_detail", args=[m, document.pk])),
        ("viewer", reverse("document_viewer", args=[m, document.pk])),
        ("upload", reverse("document_upload", args=[m])),
        ("export", reverse("export", args=[m])),
        ("members", reverse("matter_members", args=[m])),
        ("two-factor", reverse("two_factor")),
        ("admin", reverse("admin:index")),
    ]


def test_every_page_sends_the_policy_and_has_nothing_inline(client, user, pages):
    user.is_staff = user.is_superuser = True
    user.save()
    for name, url in pages:
        response = client.get(url)
        assert response.status_code == 200, name
        csp = _csp(response)
        for directive in DIRECTIVES:
            assert directive in csp, (name, directive)
        style = next(d for d in csp if d.startswith("style-src"))
        assert "'unsafe-inline'" not in style and style.startswith("style-src 'self'"), name
        if url.startswith("/admin/"):
            continue  # Django's admin templates are CSP-ready (nonces); the browser test watches them
        html = response.content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), f"inline <script> on {name}"
        assert "<style" not in html, f"<style> element on {name}"
        assert not re.search(r"<[^>]+\sstyle=", html), f"style attribute on {name}"
        assert not re.search(r"<[^>]+\son[a-z]+=", html), f"inline event handler on {name}"


def test_the_login_page_sends_it_too(client):
    response = client.get(reverse("login"))
    assert "default-src 'self'" in _csp(response)


def test_the_document_file_keeps_its_own_stricter_policy_and_may_be_framed_by_the_app(client, user, matter):
    document = factories.make_document(matter, content=b"%PDF-1.4 demo", filename="policy.pdf")
    client.force_login(user)
    response = client.get(reverse("document_file", args=[matter.slug, document.pk]) + "?inline=1")
    assert response.status_code == 200
    assert "sandbox" in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "SAMEORIGIN"


def test_matter_pages_and_files_are_not_stored_by_caches(client, user, matter, pages):
    for name, url in pages:
        assert client.get(url)["Cache-Control"] == "private, no-store", name
    document = factories.make_document(matter, content=b"%PDF-1.4 demo", filename="policy.pdf")
    response = client.get(reverse("document_file", args=[matter.slug, document.pk]))
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"

    factories.make_event(matter, title="Complaint filed", date="Jan 2025")
    client.post(reverse("export", args=[matter.slug]), {"format": "csv", "paper": "letter"})
    job = Job.objects.get(matter=matter)
    response = client.get(reverse("export_download", args=[matter.slug, job.pk]))
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"


def test_even_a_refused_matter_address_is_not_cached(client, matter, outsider):
    client.force_login(outsider)
    response = client.get(reverse("timeline", args=[matter.slug]))
    assert response.status_code == 404 and response["Cache-Control"] == "private, no-store"
    client.logout()
    response = client.get(reverse("timeline", args=[matter.slug]))
    assert response.status_code == 302 and response["Cache-Control"] == "private, no-store"
