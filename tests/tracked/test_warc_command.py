"""manage.py import_captures: who may run it, what it prints, and its exit status."""

import io

import pytest
from django.core.management import CommandError, call_command

from evidence.models import SourceVersion
from evidence.services.sources import source_create
from tests.hostile.cases import zip_of
from tests.tracked.warcs import URL, sha256, two_versions


@pytest.fixture
def source(matter, user):
    return source_create(matter=matter, user=user, name="Privacy Policy", kind="policy", url=URL, reason="test")


@pytest.fixture
def warc(tmp_path):
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(two_versions().bytes())
    return path


def command(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_captures", *map(str, args), stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


def test_imports_and_prints_each_version_with_its_hash(warc, source, editor, matter):
    printed = command(warc, "--matter", matter.slug, "--source", "Privacy Policy", "--as", editor.username)
    version = SourceVersion.objects.filter(source=source).order_by("pk").first()
    assert f"{version.document.exhibit_label}  Privacy Policy, archived Aug 12, 2024" in printed
    assert "captured 2024-08-12 10:15:00 UTC" in printed and sha256(version.document.file.read()) in printed
    assert "Note: 2 records for other URLs skipped" in printed
    assert "Imported crawl.warc.gz into “Privacy Policy”" in printed and "2 versions added" in printed
    assert version.history.first().history_user == editor


@pytest.mark.parametrize(
    "who, where, message",
    [
        ("viewer", {}, "No matter “{slug}” that .* may edit"),
        ("outsider", {}, "No matter “{slug}” that .* may edit"),
        ("editor", {"source": "Terms"}, "No tracked source “Terms” in {slug} .its sources: “Privacy Policy”"),
        ("editor", {"file": "missing.warc"}, "Cannot read missing.warc: no such file"),
    ],
)
def test_refusals_write_nothing(request, warc, source, matter, who, where, message):
    user = request.getfixturevalue(who)
    file = where.get("file", warc)
    with pytest.raises(CommandError, match=message.format(slug=matter.slug)) as refused:
        command(
            file, "--matter", matter.slug, "--source", where.get("source", "Privacy Policy"), "--user", user.username
        )
    assert refused.value.returncode == 2
    assert not SourceVersion.objects.exists()


def test_a_truncated_warc_exits_2_naming_the_record(tmp_path, source, editor, matter):
    path = tmp_path / "cut.warc.gz"
    path.write_bytes(two_versions().bytes()[:-40])
    with pytest.raises(CommandError, match=r"Cannot import: “cut.warc.gz”: record 9 \(offset [\d,]+\) .* is cut off"):
        command(path, "--matter", matter.slug, "--source", "Privacy Policy", "--user", editor.username)
    assert not SourceVersion.objects.exists()


def test_invalid_manifest_rows_exit_1(tmp_path, source, editor, matter):
    path = tmp_path / "captures.zip"
    path.write_bytes(zip_of({"manifest.csv": b"File,Capture method\nv1.html,Fax\n", "v1.html": b"<p>x</p>"}))
    err = io.StringIO()
    with pytest.raises(CommandError, match="Nothing was written") as refused:
        call_command("import_captures", str(path), "--matter", matter.slug, "--source", "Privacy Policy",
                     "--user", editor.username, stdout=io.StringIO(), stderr=err)  # fmt: skip
    assert refused.value.returncode == 1
    assert "Manifest row 2, column “Capture method”: “Fax” is not a capture method" in err.getvalue()
