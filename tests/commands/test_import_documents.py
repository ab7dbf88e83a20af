"""python manage.py import_documents: what it prints and its exit status."""

import io

import pytest
from django.core.management import CommandError, call_command

from evidence.models import Document
from tests.importing.support import FILES, make_zip


def test_command(matter, user, tmp_path):
    path = tmp_path / "production.zip"
    path.write_bytes(make_zip({**FILES, "extra.txt": b"unlisted", "__MACOSX/._memo.txt": b"junk"}))
    out = io.StringIO()
    call_command("import_documents", str(path), "--matter", matter.slug, "--user", user.username, stdout=out)
    text = out.getvalue()
    assert "PX-5  Privacy policy as captured" in text
    assert "Note: 1 file not in the manifest will be imported under its file name: extra.txt" in text
    assert "Imported production.zip into" in text and "4 documents added, 0 already in the matter" in text
    assert Document.objects.filter(matter=matter, title="extra.txt").exists()
    with pytest.raises(CommandError) as exit:
        call_command(
            "import_documents",
            str(tmp_path / "none.zip"),
            "--matter",
            matter.slug,
            "--user",
            user.username,
            stderr=io.StringIO(),
        )
    assert exit.value.returncode == 2
