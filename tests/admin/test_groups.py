"""The role groups, and the demo user who gets the group of his role instead of every permission of the app."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.urls import reverse

from evidence.admin.groups import GROUP_NAMES, ensure_role_groups
from evidence.models import Event, Role

NEVER = {"delete_event", "delete_document", "delete_actor", "delete_issue", "delete_matter", "delete_job"}


def codenames(group):
    return set(group.permissions.values_list("codename", flat=True))


def test_each_role_gets_the_permissions_of_its_role(db):
    groups = ensure_role_groups()
    viewers, editors, owners = (codenames(groups[r]) for r in (Role.VIEWER, Role.EDITOR, Role.OWNER))
    assert viewers and all(c.startswith("view_") for c in viewers) and "view_membership" not in viewers
    assert viewers < editors < owners
    assert {"add_event", "change_event", "delete_citation"} <= editors and "change_matter" not in editors
    assert {"change_matter", "add_membership", "delete_membership"} <= owners
    assert not (owners & NEVER) and not any("historical" in c for c in owners)


def test_ensure_role_groups_puts_back_what_was_changed(db):
    groups = ensure_role_groups()
    groups[Role.VIEWER].permissions.add(Permission.objects.get(codename="delete_event"))
    ensure_role_groups()
    assert "delete_event" not in codenames(groups[Role.VIEWER])
    assert Group.objects.filter(name__in=GROUP_NAMES.values()).count() == 3


def test_migrate_gives_existing_groups_the_permissions_of_models_added_since(db):
    groups = ensure_role_groups()
    editors = groups[Role.EDITOR]
    added_since = Permission.objects.filter(codename__in=["view_sourceversion", "add_sourceversion", "change_audience"])
    editors.permissions.remove(*added_since)  # as the group was before tracked sources
    call_command("migrate", verbosity=0)
    assert {"view_sourceversion", "add_sourceversion", "change_audience"} <= codenames(editors)
    assert "delete_sourceversion" not in codenames(editors) and "view_trackedsource" in codenames(groups[Role.VIEWER])


def test_the_demo_user_is_an_owner_of_the_demo_matter_not_of_the_app(db, client):
    legacy = Group.objects.create(name="Litigation team")
    legacy.permissions.set(Permission.objects.filter(content_type__app_label="evidence"))
    user = get_user_model().objects.create_user("paralegal", password="x", is_staff=True)
    user.groups.add(legacy)
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    user.refresh_from_db()
    assert [g.name for g in user.groups.all()] == ["Case Timeline owners"]
    assert not user.is_superuser and not any(p.split(".")[1] in NEVER for p in user.get_all_permissions())
    client.force_login(user)
    event = Event.objects.first()
    assert client.get(reverse("admin:evidence_event_change", args=[event.pk])).status_code == 200
    assert client.get(reverse("admin:evidence_event_delete", args=[event.pk])).status_code == 403


def test_opening_a_matter_in_the_admin_follows_matter_creators(client, world, settings):
    client.force_login(world.users["owner"])
    assert client.get(reverse("admin:evidence_matter_add")).status_code == 200
    settings.MATTER_CREATORS = "Partners"
    assert client.get(reverse("admin:evidence_matter_add")).status_code == 403
    world.users["owner"].groups.add(Group.objects.create(name="Partners"))
    assert client.get(reverse("admin:evidence_matter_add")).status_code == 200
