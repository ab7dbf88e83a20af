"""python manage.py import_events: what it prints, its exit status, and who it acts as."""

from evidence.models import Event
from tests.commands.support import run_command
from tests.factories import UserFactory
from tests.importing.support import FIXTURES


def command(*args):
    return run_command("import_events", *args)


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
    assert "2 new, 0 updated, 0 unchanged, 4 invalid. Nothing was written." in err
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


SHEET = b"Date,Title,Category,Status,Occurred on\n2024-08-15,One,Press,Pending review,x\n2024-08-16,Two,Press,,y\n"


def test_command_says_which_defaults_it_applied_and_how_to_choose(matter, user, tmp_path):
    path = tmp_path / "team.csv"
    path.write_bytes(SHEET)
    code, out, _ = command(str(path), "--matter", matter.slug, "--user", user.username, "--dry-run")
    assert code == 0
    assert (
        "Default applied: kind “Press” (2 rows: 2, 3) → Other, kept as issue tag “Press”; "
        "to choose, add --map-kind 'Press=<kind>'"
    ) in out
    assert "Default applied: status “Pending review” (1 row: 2) → Unverified, kept as issue tag “Pending review”" in out
    assert "Not imported (columns not recognised): Occurred on; to import one, add --map-column" in out


def test_command_takes_the_mapping_as_options_or_a_file_and_remembers_it(matter, user, tmp_path):
    path = tmp_path / "team.csv"
    path.write_bytes(SHEET)
    mapping = tmp_path / "mapping.json"
    mapping.write_text('{"columns": {"Occurred on": "Description"}, "status": {"Pending review": "Disputed"}}')
    code, out, _ = command(str(path), "--matter", matter.slug, "--user", user.username, "--mapping", str(mapping),
                           "--map-kind", "Press=Public statement")  # fmt: skip
    assert code == 0
    assert "Column “Occurred on” read as description" in out
    assert "Mapped: kind “Press” (2 rows: 2, 3) → Public statement" in out
    assert "Mapped: status “Pending review” (1 row: 2) → Disputed" in out
    one = Event.objects.get(matter=matter, title="One")
    assert (one.kind, one.status, one.description) == ("public_statement", "disputed", "x")
    # remembered: the same file again is read the same way with no options, and nothing changes
    code, out, _ = command(str(path), "--matter", matter.slug, "--user", user.username)
    assert code == 0 and "0 new, 0 updated, 2 unchanged" in out and "Default applied" not in out


def test_command_refuses_a_wrong_mapping_before_reading_the_file(matter, user, tmp_path):
    path = tmp_path / "team.csv"
    path.write_bytes(SHEET)
    base = [str(path), "--matter", matter.slug, "--user", user.username]
    code, _, err = command(*base, "--map-kind", "Press=Gossip")
    assert code == 2 and "“Gossip” is not a kind; use one of" in err
    code, _, err = command(*base, "--map-column", "Occurred on")
    assert code == 2 and "--map-column “Occurred on” must be written NAME=TARGET" in err
    code, _, err = command(*base, "--mapping", str(tmp_path / "missing.json"))
    assert code == 2 and "missing.json" in err
    code, _, err = command(str(FIXTURES / "no_title.csv"), "--matter", matter.slug, "--user", user.username)
    assert code == 2 and "has no title column" in err and "--map-column '<header>=title'" in err
    assert not Event.objects.filter(matter=matter).exists()
