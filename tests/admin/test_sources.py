"""The admin of tracked sources, versions and audiences: scoped like the pages, written through the services with a
reason, soft delete and restore as actions, a read-only history that outsiders cannot reach."""

import pytest
from django.urls import reverse

from evidence.models import Audience, SourceVersion, TrackedSource
from evidence.services.chain import verify_chains
from evidence.services.sources import audience_create, version_update
from tests.admin.conftest import page
from tests.factories import make_document, make_source, make_version


def admin_url(name, *args):
    return reverse(f"admin:evidence_{name}", args=args)


@pytest.fixture
def tracked(world):
    owner = world.users["owner"]
    world.source = make_source(world.a, name="Privacy Policy", user=owner)
    world.audience = audience_create(matter=world.a, user=owner, name="UK members", reason="r")
    world.version = make_version(world.source, user=owner, effective="Nov 2023", audiences=[world.audience])
    world.hidden_source = make_source(world.b, name="Hidden policy", user=world.users["outsider"])
    world.hidden_version = make_version(world.hidden_source, user=world.users["outsider"])
    return world


def test_each_list_shows_only_the_users_matters(client, tracked):
    client.force_login(tracked.users["editor"])
    for name, mine, hidden in (("trackedsource", "Privacy Policy", "Hidden policy"),
                               ("sourceversion", "Privacy Policy", "Hidden policy"),
                               ("audience", "UK members", "Hidden")):  # fmt: skip
        html = page(client.get(admin_url(f"{name}_changelist")))
        assert mine in html and hidden not in html, name
    assert client.get(admin_url("trackedsource_change", tracked.hidden_source.pk)).status_code in (302, 404)
    assert client.get(admin_url("sourceversion_history", tracked.hidden_version.pk)).status_code == 404


def test_a_viewer_reads_but_cannot_change_or_add(client, tracked):
    client.force_login(tracked.users["viewer"])
    html = page(client.get(admin_url("sourceversion_change", tracked.version.pk)))
    assert "Nov 2023" in html and 'name="reason"' not in html
    assert client.get(admin_url("trackedsource_add")).status_code == 403
    response = client.post(admin_url("trackedsource_change", tracked.source.pk),
                           {"matter": tracked.a.pk, "name": "Renamed", "kind": "policy", "reason": "r"})  # fmt: skip
    assert response.status_code == 403 and TrackedSource.objects.get(pk=tracked.source.pk).name == "Privacy Policy"


def test_an_editor_adds_a_source_and_a_version_through_the_services(client, tracked):
    editor = tracked.users["editor"]
    client.force_login(editor)
    response = client.post(admin_url("trackedsource_add"), {
        "matter": tracked.a.pk, "name": "Generative AI FAQ", "kind": "faq", "url": "https://example.com/faq",
    })  # fmt: skip
    assert response.status_code == 302
    faq = TrackedSource.objects.get(name="Generative AI FAQ")
    assert faq.history.get().history_change_reason == "created in admin"
    document = make_document(tracked.a, content=b"FAQ v1", user=editor)
    data = {
        "matter": tracked.a.pk,
        "source": faq.pk,
        "document": document.pk,
        "capture_method": "screenshot",
        "first_seen": "Aug 2024",
        "effective": "",
        "audiences": [tracked.audience.pk],
        "reason": "from client",
    }
    assert client.post(admin_url("sourceversion_add"), data).status_code == 302
    version = SourceVersion.objects.get(source=faq)
    assert version.first_seen_date.display() == "Aug 2024" and list(version.audiences.all()) == [tracked.audience]
    assert (version.history.get().history_user, version.history.get().history_change_reason) == (editor, "from client")
    again = client.post(admin_url("sourceversion_add"), data)
    assert again.status_code == 200 and "already a version of" in page(again)
    assert not verify_chains().problems


def test_the_admin_refuses_another_matters_records(client, tracked):
    client.force_login(tracked.users["owner"])
    document = make_document(tracked.a, content=b"ours")
    data = {"matter": tracked.a.pk, "source": tracked.hidden_source.pk, "document": document.pk,
            "capture_method": "upload", "audiences": []}  # fmt: skip
    response = client.post(admin_url("sourceversion_add"), data)
    assert response.status_code == 200 and not SourceVersion.objects.filter(document=document).exists()


def test_a_version_change_needs_a_reason_and_its_history_shows_the_audiences_then(client, tracked):
    client.force_login(tracked.users["editor"])
    version = tracked.version
    data = {"capture_method": "web_archive", "first_seen": "", "effective": "Nov 2, 2023", "audiences": [], "note": ""}
    refused = client.post(admin_url("sourceversion_change", version.pk), data)
    assert refused.status_code == 200 and "This field is required" in page(refused)
    assert client.post(admin_url("sourceversion_change", version.pk), data | {"reason": "date read"}).status_code == 302
    version.refresh_from_db()
    assert version.effective_date.display() == "Nov 2, 2023" and not version.audiences.exists()
    first = version.history.order_by("history_id").first()
    html = page(client.get(admin_url("sourceversion_simple_history", version.pk, first.history_id)))
    assert "UK members" in html and "Nov 2023" in html  # the version as it was
    assert client.post(admin_url("sourceversion_simple_history", version.pk, first.history_id), {}).status_code == 403


def test_soft_delete_and_restore_are_actions_with_a_reason_and_retire_for_audiences(client, tracked):
    client.force_login(tracked.users["editor"])
    action = {"action": "soft_delete", "_selected_action": [tracked.source.pk, tracked.hidden_source.pk],
              "reason": "entered twice"}  # fmt: skip
    client.post(admin_url("trackedsource_changelist"), action)
    assert TrackedSource.objects.get(pk=tracked.source.pk).is_deleted
    assert not TrackedSource.objects.get(pk=tracked.hidden_source.pk).is_deleted  # not his matter
    client.post(admin_url("sourceversion_changelist"),
                {"action": "soft_delete", "_selected_action": [tracked.version.pk], "reason": "duplicate"})  # fmt: skip
    version = SourceVersion.objects.get(pk=tracked.version.pk)
    assert version.is_deleted and version.history.first().history_change_reason == "duplicate"
    client.post(admin_url("audience_changelist"),
                {"action": "retire", "_selected_action": [tracked.audience.pk], "reason": "merged"})  # fmt: skip
    assert Audience.objects.get(pk=tracked.audience.pk).retired_at is not None
    assert client.post(admin_url("audience_delete", tracked.audience.pk), {"post": "yes"}).status_code == 403


def test_the_history_list_of_a_version_is_scoped(client, tracked):
    version_update(version=tracked.version, user=tracked.users["owner"], reason="note added", note="n")
    client.force_login(tracked.users["viewer"])
    assert "note added" in page(client.get(admin_url("sourceversion_history", tracked.version.pk)))
    client.force_login(tracked.users["outsider"])
    assert client.get(admin_url("sourceversion_history", tracked.version.pk)).status_code == 404
