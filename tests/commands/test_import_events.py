"""python manage.py import_events: what it prints, its exit status, and who it acts as."""

import io

from django.core.management import CommandError, call_command

from evidence.models import Event
from tests.factories import UserFactory
from tests.importing.support import FIXTURES


def command(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_events", *args, stdout=out, stderr=err)
        code = 0
    except CommandError as error:  # what manage.py prints before it exits with the error's returncode
        code = error.returncode
        err.write(f"CommandError: {error}\n")
    return code, out.getvalue(), err.getvalue()


def test_command_imports_and_prints_the_counts(matter, user, exhibit):
    code, out, _ = command(str(FIXTURES / "casemap_facts.csv"), "--matter", matter.slug, "--user", user.username)
    assert code == 0
    assert f"Imported casemap_facts.csv into {matter.slug}: 6 new, 0 updated, 0 unchanged, 0 invalid." in out
    assert "Not imported (columns not recognised): Evaluation" in out
    code, out, _ = command(
        str(FIXTURES / "casemap_facts.csv"), "--matter", matter.slug, "--user", user.username, "--dry-run"
    )
    assert code == 0 and "Would import casemap_facts.csv" in out and "6 unchanged" in out


def test_command_exits_1_with_each_invalid_row(matter, user, exhibit):
    code, _, err = command(str(FIXTURES / "invalid_rows.csv"), "--matter", matter.slug, "--user", user.username)
    assert code == 1
    assert "Row 3, column “Date”: 'Aug 32 2024': day 32 does not exist" in err
    assert "Row 6, column “Exhibit”: PX-9 does not exist in this matter (its exhibit is PX-1)" in err
    assert "1 new, 0 updated, 0 unchanged, 5 invalid. Nothing was written." in err
    assert not Event.objects.filter(matter=matter).exists()


def test_command_exits_2_on_unusable_input(matter, user, tmp_path):
    assert command(str(FIXTURES / "no_title.csv"), "--matter", matter.slug, "--user", user.username)[0] == 2
    code, _, err = command(str(tmp_path / "missing.csv"), "--matter", matter.slug, "--user", user.username)
    assert code == 2 and "Cannot read" in err
    assert command(str(FIXTURES / "day_first.csv"), "--matter", "nope", "--user", user.username)[0] == 2


def test_command_user_defaults_to_the_only_superuser_and_needs_editor_role(matter, user):
    outsider = UserFactory()
    code, _, err = command(str(FIXTURES / "day_first.csv"), "--matter", matter.slug, "--user", outsider.username)
    assert code == 2 and f"No matter “{matter.slug}” that {outsider} may edit." in err
    code, _, err = command(str(FIXTURES / "day_first.csv"), "--matter", matter.slug)
    assert code == 2 and "--user" in err  # no superuser at all
    root = UserFactory(superuser=True)
    code, out, _ = command(str(FIXTURES / "day_first.csv"), "--matter", matter.slug, "--day-first")
    assert code == 0 and "“When”: day/month, as chosen for this import." in out
    assert Event.objects.get(title="Letter sent").history.get().history_user == root
    UserFactory(superuser=True)
    assert command(str(FIXTURES / "day_first.csv"), "--matter", matter.slug)[0] == 2
