"""Who a command acts as (evidence/management/acting_user.py): one rule for every command that works on a matter."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.core.management.base import BaseCommand

from evidence.management.acting_user import USER_HELP
from evidence.models import Document, Matter
from tests.factories import UserFactory
from tests.importing.support import FILES, make_zip


def help_text(name: str) -> str:
    from django.core.management import load_command_class

    command: BaseCommand = load_command_class("evidence", name)
    return " ".join(command.create_parser("manage.py", name).format_help().split())


@pytest.mark.parametrize("name", ["import_events", "import_documents", "export_chronology"])
def test_each_command_states_the_rule_in_its_help(name):
    assert " ".join(USER_HELP.split()) in help_text(name)


def test_the_only_user_acts_when_there_is_no_superuser_and_several_users_are_refused(matter, user, tmp_path):
    out = tmp_path / "chronology.csv"
    call_command("export_chronology", "--matter", matter.slug, "--out", str(out), stdout=io.StringIO())
    assert out.exists()
    UserFactory()
    with pytest.raises(CommandError, match=r"--user USERNAME \(there are several users and no superuser\)"):
        call_command("export_chronology", "--matter", matter.slug, "--out", str(out))


def test_the_only_superuser_acts_and_an_inactive_one_does_not_count(matter, user, tmp_path):
    UserFactory()
    root = UserFactory(superuser=True)
    UserFactory(superuser=True, is_active=False)
    path = tmp_path / "production.zip"
    path.write_bytes(make_zip(FILES))
    call_command("import_documents", str(path), "--matter", matter.slug, stdout=io.StringIO())
    assert {d.history.get().history_user for d in Document.objects.filter(matter=matter)} == {root}


def test_an_unknown_or_inactive_user_is_refused(matter, tmp_path):
    UserFactory(username="gone", is_active=False)
    for name in ("nobody", "gone"):
        with pytest.raises(CommandError, match=f"No active user “{name}”"):
            call_command("export_chronology", "--matter", matter.slug, "--out", str(tmp_path / "x.csv"), "--user", name)


def test_load_demo_acts_as_the_login_it_creates(db):
    call_command("load_demo", "--user", "alex", "--password", "s3cret-demo", stdout=io.StringIO())
    matter = Matter.objects.get(slug="linkedin-ai-training")
    alex = matter.memberships.get().user
    assert alex.username == "alex" and alex.check_password("s3cret-demo") and alex.is_staff
    assert matter.history.get().history_user == alex
