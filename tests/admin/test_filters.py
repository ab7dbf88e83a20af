"""List filters and lookups never reveal another matter: not its title, not its counts."""

import pytest
from django.urls import reverse

from tests.admin.conftest import page

SCOPED = ["event", "document", "citation", "actor", "issue", "job", "membership"]


@pytest.mark.parametrize("name", SCOPED)
def test_the_matter_filter_lists_only_the_users_matters(client, world, name):
    client.force_login(world.users["owner"])
    url = reverse(f"admin:evidence_{name}_changelist")
    html = page(client.get(url + "?_facets=True"))
    assert "Doe v. LinkedIn" in html and "Secret v. Hidden" not in html
    # Another matter's id in the lookup finds nothing and names nothing.
    response = client.get(url, {"matter__id__exact": world.b.pk, "_facets": "True"})
    assert response.status_code == 200
    assert "Secret" not in page(response) and "Hidden" not in page(response)
    assert response.context["cl"].result_count == 0


def test_filtering_by_the_users_matter_still_works(client, world):
    client.force_login(world.users["superuser"])
    url = reverse("admin:evidence_event_changelist")
    html = page(client.get(url, {"matter__id__exact": world.a.pk}))
    assert "Setting introduced" in html and "Hidden plan" not in html


def test_other_filters_count_only_the_users_records(client, world):
    client.force_login(world.users["viewer"])
    response = client.get(reverse("admin:evidence_document_changelist"), {"_facets": "True"})
    html = page(response)
    assert "text/plain" in html and "(1)" in html and "(2)" not in html  # two text files exist, one of them ours


def test_a_lookup_through_a_relation_is_refused(client, world):
    client.force_login(world.users["outsider"])
    url = reverse("admin:evidence_event_changelist")
    assert client.get(url, {"matter__short_title__startswith": "Doe"}).status_code == 400
