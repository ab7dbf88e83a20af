"""export_matter and import_matter as people run them: who may, what they print, the slug, users with no account."""

import hashlib

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from evidence.models import AccessEvent, Event, Matter, Membership, Role
from evidence.services.matters import membership_set
from tests.archive.support import build_matter, empty_instance
from tests.commands.support import run_command
from tests.factories import UserFactory, make_document


def test_export_is_recorded_in_the_access_log_with_the_archive_hash(owner, tmp_path):
    matter = build_matter(owner)
    out_path = tmp_path / "doe.zip"
    code, out, err = run_command("export_matter", "--matter", matter.slug, "--out", str(out_path), "--user", "owner")
    assert code == 0, err
    assert f"Wrote {out_path} (" in out and "6 events, 3 documents, 4 citations" in out
    record = AccessEvent.objects.get(matter=matter, kind=AccessEvent.Kind.EXPORT_ARCHIVE)
    assert record.username == "owner" and record.detail["via"] == "export_matter command"
    assert record.detail["files"][0]["sha256"] == hashlib.sha256(out_path.read_bytes()).hexdigest()
    assert record.detail["files"][0]["sha256"] in out
    assert record.detail["history_chain"].startswith("#")


@pytest.mark.parametrize("role", [Role.EDITOR, Role.VIEWER, None])
def test_only_an_owner_may_export(owner, tmp_path, role):
    matter = build_matter(owner)
    other = UserFactory(username="other")
    if role:
        membership_set(matter=matter, user=owner, member=other, role=role, reason="test")
    out_path = tmp_path / "doe.zip"
    code, out, err = run_command("export_matter", "--matter", matter.slug, "--out", str(out_path), "--user", "other")
    assert code == 2 and f"No matter “{matter.slug}” that other owns." in err
    assert not out_path.exists() and not list(tmp_path.glob("*.part"))
    code, out, err = run_command("export_matter", "--matter", "nope", "--out", str(out_path), "--user", "owner")
    assert code == 2 and "No matter “nope” that owner owns." in err


def test_a_slug_taken_here_is_refused_and_another_one_given_is_recorded(archived):
    matter, path, _ = archived
    code, out, err = run_command("import_matter", str(path), "--user", "owner")
    assert code == 2 and "A matter “doe-v-linkedin” exists here already" in err and "--slug" in err
    code, out, err = run_command("import_matter", str(path), "--slug", "doe-copy", "--user", "owner")
    assert code == 0, err
    copy = Matter.objects.get(slug="doe-copy")
    last = copy.history.order_by("-history_id").first()
    assert last.history_change_reason == "restored from doe.zip as “doe-copy” (archived as “doe-v-linkedin”)"
    assert last.slug == "doe-copy" and copy.history.order_by("history_id").first().slug == "doe-v-linkedin"
    assert copy.short_title == matter.short_title and copy.last_exhibit_number == 3
    call_command("verify_evidence", "--matter", "doe-copy")
    # the restored matter goes on numbering its exhibits and writing its chain
    assert make_document(copy, user=copy.memberships.get(role=Role.OWNER).user, content=b"new").exhibit_number == 4
    call_command("verify_evidence", "--matter", "doe-copy")


def test_users_with_no_account_here_are_named_and_the_restoring_user_owns_the_matter(
    archived, settings, request, tmp_path
):
    matter, path, _ = archived
    empty_instance(settings, request, tmp_path)
    UserFactory(username="owner")
    UserFactory(username="restorer")
    code, out, err = run_command("import_matter", str(path), "--user", "restorer")
    assert code == 0, err
    for username in ("paralegal", "reader"):
        assert f"Note: member “{username}” has no account here and was not restored as a member." in out
    assert "Note: “paralegal” has no account here; the history rows they wrote name them in their reasons." in out
    restored = Matter.objects.get(slug="doe-v-linkedin")
    members = dict(Membership.objects.filter(matter=restored).values_list("user__username", "role"))
    assert members == {"owner": Role.OWNER, "restorer": Role.OWNER}
    version = Event.history.filter(matter_id=restored.pk, title="Setting introduced").earliest("history_id")
    assert version.history_user is None and version.history_change_reason == "test [by “paralegal”, no account here]"
    by_owner = Event.history.filter(matter_id=restored.pk, title="Spokesperson denies", history_type="+").get()
    assert by_owner.history_user.username == "owner" and by_owner.history_change_reason == "test"
    call_command("verify_evidence", "--matter", restored.slug)


def test_a_user_who_may_not_create_matters_may_not_restore_one(archived, settings):
    matter, path, _ = archived
    Group.objects.create(name="matter creators")
    settings.MATTER_CREATORS = "matter creators"
    code, out, err = run_command("import_matter", str(path), "--slug", "copy", "--user", "owner")
    assert code == 2 and "may not create matters" in err
