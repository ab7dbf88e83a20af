"""An archive to import is untrusted input: a member whose path leaves the archive, a link, a zip bomb, too many
members, JSON nested too deep or a ZIP that is no archive is refused before anything is written, with the reason."""

import hashlib
import stat
import zipfile

import pytest

from evidence.models import Matter
from tests.archive.support import entries, reseal, zip_bytes
from tests.commands.support import run_command


def import_copy(path):
    return run_command("import_matter", str(path), "--slug", "copy", "--user", "owner")


@pytest.mark.parametrize("member", ["../../etc/cron.d/evil", "/etc/passwd", "records/../../evil.jsonl", "C:/x.txt"])
def test_a_member_whose_path_leaves_the_archive_is_refused(archived, tmp_path, member):
    matter, path, _ = archived
    hostile = tmp_path / "hostile.zip"
    hostile.write_bytes(zip_bytes({**entries(path), member: b"owned"}))
    code, out, err = import_copy(hostile)
    assert code == 2
    assert f"contains “{member}”, which no matter archive has" in err and "nothing was imported" in err
    assert not Matter.objects.filter(slug="copy").exists()


def test_a_symbolic_link_is_refused(archived, tmp_path):
    matter, path, _ = archived
    name = next(n for n in entries(path) if n.startswith("files/"))
    hostile = tmp_path / "link.zip"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(hostile, "w") as target:
        for info in source.infolist():
            if info.filename == name:
                info.external_attr = (stat.S_IFLNK | 0o777) << 16
            target.writestr(info, source.read(info.filename))
    code, out, err = import_copy(hostile)
    assert code == 2 and f"contains a symbolic link (“{name}”)" in err


def test_a_zip_bomb_is_refused_before_it_is_unpacked(archived, tmp_path):
    matter, path, _ = archived
    zeros = b"\0" * (20 * 1024 * 1024)
    bomb = reseal(path, tmp_path / "bomb.zip", {}, extra={f"files/{hashlib.sha256(zeros).hexdigest()}": zeros})
    code, out, err = import_copy(bomb)
    assert code == 2 and "Refused as a possible zip bomb" in err and "IMPORT_ZIP_MAX_RATIO" in err


def test_more_members_than_the_setting_allows_are_refused(archived, tmp_path, settings):
    matter, path, _ = archived
    settings.ARCHIVE_MAX_MEMBERS = 5
    code, out, err = import_copy(path)
    assert code == 2 and "the limit is 5 (setting ARCHIVE_MAX_MEMBERS)" in err


def test_a_record_nested_too_deep_is_refused(archived, tmp_path):
    matter, path, _ = archived
    deep = b'{"ref":1,"current":' + b"[" * 40 + b"]" * 40 + b',"history":[]}\n'
    code, out, err = import_copy(reseal(path, tmp_path / "deep.zip", {"records/actors.jsonl": deep}))
    assert code == 1 and "records/actors.jsonl line 1" in err and "IMPORT_MAX_JSON_DEPTH" in err


def test_a_record_with_fields_of_another_version_is_refused(archived, tmp_path):
    matter, path, _ = archived
    actors = entries(path)["records/actors.jsonl"].replace(b'"kind":', b'"colour":"red","kind":', 1)
    code, out, err = import_copy(reseal(path, tmp_path / "other.zip", {"records/actors.jsonl": actors}))
    assert code == 1 and "records/actors.jsonl line 1" in err and "unknown: colour" in err


def test_a_zip_that_is_no_archive_is_refused(tmp_path, owner):
    plain = tmp_path / "documents.zip"
    plain.write_bytes(zip_bytes({"files/" + "a" * 64: b"x"}))
    code, out, err = import_copy(plain)
    assert code == 2 and "has no manifest.json: it is not a matter archive" in err
    not_zip = tmp_path / "notes.zip"
    not_zip.write_bytes(b"just text")
    code, out, err = import_copy(not_zip)
    assert code == 2 and "is not a readable matter archive" in err
