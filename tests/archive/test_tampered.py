"""An archive altered after export_matter wrote it is refused by import_matter before anything is written, naming the
entry: a changed file, a changed records entry, a changed manifest, an entry added or left out, a damaged member. An
archive whose records do not hold together, its hashes made to match, is refused in the restore and leaves no file
behind."""

import json
import zipfile

import pytest

from evidence.models import HistoryLink, Matter
from tests.archive.support import empty_instance, entries, reseal, rewrite, stored_files
from tests.commands.support import run_command
from tests.factories import UserFactory


def import_copy(path, *extra):
    return run_command("import_matter", str(path), "--slug", "copy", "--user", "owner", *extra)


def assert_nothing_written(links_before):
    assert not Matter.objects.filter(slug="copy").exists()
    assert HistoryLink.objects.count() == links_before


def first_file(path) -> str:
    return next(name for name in entries(path) if name.startswith("files/"))


def test_an_untouched_archive_is_restored(archived):
    matter, path, digest = archived
    code, out, err = import_copy(path, "--manifest-sha256", digest)
    assert code == 0, err
    assert "Restored doe.zip as copy" in out


def test_a_changed_file_is_refused_naming_its_entry(archived, tmp_path):
    matter, path, _ = archived
    links = HistoryLink.objects.count()
    name = first_file(path)
    altered = rewrite(path, tmp_path / "altered.zip", {name: b"%PDF-1.4 a different complaint"})
    code, out, err = import_copy(altered)
    assert code == 1
    assert f"Entry {name} was altered: its SHA-256 is " in err and "Nothing was imported." in err
    assert_nothing_written(links)


def test_a_file_changed_in_place_is_refused_as_damaged(archived, tmp_path):
    """The bytes edited inside the ZIP itself, its CRC left as it was."""
    matter, path, _ = archived
    raw = bytearray(path.read_bytes())
    at = raw.index(b"Privacy policy v2")
    raw[at] = ord("p")
    damaged = tmp_path / "damaged.zip"
    damaged.write_bytes(bytes(raw))
    code, out, err = import_copy(damaged)
    assert code == 1
    assert "Entry files/" in err and ("is damaged" in err or "was altered" in err)
    assert not Matter.objects.filter(slug="copy").exists()


def test_a_changed_records_entry_is_refused_naming_it(archived, tmp_path):
    matter, path, _ = archived
    events = entries(path)["records/events.jsonl"].replace(b"Setting introduced", b"Setting never existed")
    code, out, err = import_copy(rewrite(path, tmp_path / "altered.zip", {"records/events.jsonl": events}))
    assert code == 1
    assert "Entry records/events.jsonl was altered" in err


def test_a_changed_manifest_is_refused(archived, tmp_path):
    matter, path, _ = archived
    manifest = json.loads(entries(path)["manifest.json"])
    manifest["matter"]["short_title"] = "Someone else v. LinkedIn"
    altered = rewrite(path, tmp_path / "altered.zip", {"manifest.json": json.dumps(manifest).encode()})
    code, out, err = import_copy(altered)
    assert code == 1
    assert "manifest.json was altered: its SHA-256 is " in err and "but manifest.sha256 says" in err


def test_a_resealed_archive_is_refused_against_the_manifest_hash_printed_at_export(archived, tmp_path):
    """Entries and manifest rewritten together hash consistently; the manifest SHA-256 noted at export does not."""
    matter, path, digest = archived
    events = entries(path)["records/events.jsonl"].replace(b"Setting introduced", b"Setting never existed")
    resealed = reseal(path, tmp_path / "resealed.zip", {"records/events.jsonl": events})
    code, out, err = import_copy(resealed, "--manifest-sha256", digest)
    assert code == 1
    assert f"not {digest} as given" in err
    assert not Matter.objects.filter(slug="copy").exists()


@pytest.mark.parametrize("change", ["added", "left out"])
def test_an_entry_added_or_left_out_is_refused_naming_it(archived, tmp_path, change):
    matter, path, _ = archived
    name = first_file(path)
    if change == "added":
        stray = "files/" + "0" * 64
        altered = rewrite(path, tmp_path / "altered.zip", {}, extra={stray: b"planted"})
        expected = f"Entry {stray} is not listed in manifest.json"
    else:
        altered = rewrite(path, tmp_path / "altered.zip", {name: None})
        expected = f"Entry {name} is listed in manifest.json but missing from the archive"
    code, out, err = import_copy(altered)
    assert code == 1 and expected in err


def test_records_that_do_not_hold_together_are_refused_and_leave_no_file(archived, settings, request, tmp_path):
    """Hashes made to match, but a citation names an event the archive does not have: refused when the citations are
    restored, after the files were placed; the transaction rolls back and the files are removed."""
    matter, path, _ = archived
    citations = entries(path)["records/citations.jsonl"].replace(b'"event":1,', b'"event":99,', 1)
    broken = reseal(path, tmp_path / "broken.zip", {"records/citations.jsonl": citations})
    empty_instance(settings, request, tmp_path)
    UserFactory(username="owner")
    code, out, err = import_copy(broken)
    assert code == 1
    assert "records/citations.jsonl line 1" in err and "event 99 is not in the archive" in err
    assert not Matter.objects.exists() and not HistoryLink.objects.exists()
    assert stored_files() == set()


def test_an_archive_unzipped_and_zipped_again_is_restored_and_refused_once_a_file_changed(archived, tmp_path):
    """As a person with unzip and zip would handle it: the folders become entries of their own, which are no
    entries of the archive's and are passed over; a file changed on disk meanwhile is named."""
    matter, path, _ = archived
    unpacked = tmp_path / "unpacked"
    with zipfile.ZipFile(path) as zf:
        zf.extractall(unpacked)
    again = tmp_path / "again.zip"
    with zipfile.ZipFile(again, "w", zipfile.ZIP_DEFLATED) as zf:
        for item in sorted(unpacked.rglob("*")):
            zf.write(item, item.relative_to(unpacked).as_posix() + ("/" if item.is_dir() else ""))
    code, out, err = import_copy(again)
    assert code == 0, err
    name = first_file(path)
    (unpacked / name).write_bytes(b"changed on disk")
    again.unlink()
    with zipfile.ZipFile(again, "w", zipfile.ZIP_DEFLATED) as zf:
        for item in sorted(unpacked.rglob("*")):
            zf.write(item, item.relative_to(unpacked).as_posix())
    code, out, err = run_command("import_matter", str(again), "--slug", "copy-2", "--user", "owner")
    assert code == 1 and f"Entry {name} was altered" in err
