"""Choices in admin forms and autocomplete offer only the matter being edited (or the user's matters), and the server
refuses a crafted id from another matter with a form error."""

import json
import re

import pytest
from django.urls import reverse

from evidence.models import Citation, Event, Role
from evidence.services.documents import document_delete
from evidence.services.matters import membership_set
from tests.admin.conftest import event_data, page
from tests.factories import make_document, make_matter


def change_url(obj):
    return reverse(f"admin:evidence_{obj._meta.model_name}_change", args=[obj.pk])


def test_the_event_form_offers_only_its_matters_actors_and_issues(client, world):
    client.force_login(world.users["superuser"])
    form = client.get(change_url(world.event)).context["adminform"].form
    assert list(form.fields["actors"].queryset) == [world.actor]
    assert "Hidden Corp" not in str(form["actors"]) and "Hidden" not in str(form["issues"])


def test_another_matters_actor_in_a_crafted_post_is_a_form_error(client, world, rows):
    client.force_login(world.users["superuser"])  # even one who may see both matters
    before = rows()
    data = event_data(world.event, actors=[world.actor.pk, world.other_actor.pk], reason="crafted")
    response = client.post(change_url(world.event), data)
    assert response.status_code == 200 and "Select a valid choice" in page(response)
    assert rows() == before


def test_another_matters_document_in_the_citation_inline_is_a_form_error(client, world, rows):
    client.force_login(world.users["editor"])
    before = rows()
    data = event_data(world.event, reason="crafted") | {
        "citations-TOTAL_FORMS": 2,
        "citations-1-document": world.other_document.pk,
        "citations-1-pinpoint": "p. 1",
    }
    response = client.post(change_url(world.event), data)
    assert response.status_code == 200 and "Select a valid choice" in page(response)
    assert rows() == before and not Citation.objects.filter(document=world.other_document).exists()


@pytest.fixture
def second_matter(world):
    """A second matter of the editor of `a`, with its own actor and document."""
    matter = make_matter(owner=world.users["owner"], short_title="Roe v. LinkedIn")
    membership_set(matter=matter, user=world.users["owner"], member=world.users["editor"], role=Role.EDITOR, reason="t")
    return (
        matter,
        make_document(matter, content=b"roe", filename="roe.txt"),
        world.actor.__class__.objects.create(matter=matter, name="Roe"),
    )


def test_a_new_event_refuses_records_of_the_editors_other_matter(client, world, second_matter, rows):
    _, document, actor = second_matter
    client.force_login(world.users["editor"])
    add = reverse("admin:evidence_event_add")
    common = {"matter": world.a.pk, "date": "2024", "order": 0, "title": "Mixed", "kind": "other",
              "status": "unverified", "citations-INITIAL_FORMS": 0}  # fmt: skip
    before = rows()
    response = client.post(add, common | {"actors": [actor.pk], "citations-TOTAL_FORMS": 0})
    assert "Not in Doe v. LinkedIn: Roe." in page(response)
    response = client.post(add, common | {"citations-TOTAL_FORMS": 1, "citations-0-document": document.pk})
    assert response.status_code == 200 and "An event can only cite a document of its own matter." in page(response)
    assert rows() == before and not Event.objects.filter(title="Mixed").exists()


def test_the_matter_choice_is_the_matters_one_may_write_in(client, world, second_matter):
    client.force_login(world.users["editor"])
    form = client.get(reverse("admin:evidence_event_add")).context["adminform"].form
    assert {m.short_title for m in form.fields["matter"].queryset} == {"Doe v. LinkedIn", "Roe v. LinkedIn"}
    client.force_login(world.users["owner"])
    form = client.get(reverse("admin:evidence_membership_add")).context["adminform"].form
    assert {m.short_title for m in form.fields["matter"].queryset} == {"Doe v. LinkedIn", "Roe v. LinkedIn"}
    client.force_login(world.users["outsider"])
    form = client.get(reverse("admin:evidence_membership_add")).context["adminform"].form
    assert [m.short_title for m in form.fields["matter"].queryset] == ["Secret v. Hidden"]


def test_no_list_of_users_is_offered_to_add_a_member(client, world):
    client.force_login(world.users["owner"])
    for url in (reverse("admin:evidence_membership_add"), change_url(world.a)):
        html = page(client.get(url))
        assert "Username or e-mail" in html and f'value="{world.spare.username}"' not in html
        assert re.search(r'<select[^>]*name="[^"]*user"', html) is None


def autocomplete(client, model, field, term=""):
    url = reverse("admin:autocomplete")
    response = client.get(url, {"app_label": "evidence", "model_name": model, "field_name": field, "term": term})
    return response.status_code, [r["text"] for r in json.loads(response.content)["results"]]


@pytest.mark.parametrize(
    ("role", "actors"),
    [
        ("superuser", ["Hidden Corp", "LinkedIn"]),
        ("owner", ["LinkedIn"]),
        ("editor", ["LinkedIn"]),
        ("viewer", []),  # offers are for writing; a viewer writes nothing
        ("outsider", ["Hidden Corp"]),
    ],
)
def test_autocomplete_offers_only_the_users_writable_matters(client, world, role, actors):
    client.force_login(world.users[role])
    assert autocomplete(client, "event", "actors") == (200, actors)
    status, issues = autocomplete(client, "event", "issues")
    assert ("hidden issue" in issues) == (role in ("superuser", "outsider"))
    status, documents = autocomplete(client, "citation", "document", "memo")
    assert (documents == ["PX-1 Hidden memo"]) == (role in ("superuser", "outsider"))
    status, events = autocomplete(client, "citation", "event", "Hidden")
    assert bool(events) == (role in ("superuser", "outsider"))


def test_autocomplete_leaves_out_deleted_documents(client, world):
    client.force_login(world.users["editor"])
    assert autocomplete(client, "citation", "document")[1] == ["PX-1 DMR News article"]
    document_delete(document=world.document, user=world.users["editor"], reason="wrong file")
    assert autocomplete(client, "citation", "document")[1] == []


def test_autocomplete_is_for_staff(client, world):
    client.force_login(world.users["nonstaff"])
    url = reverse("admin:autocomplete")
    response = client.get(url, {"app_label": "evidence", "model_name": "event", "field_name": "actors"})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
