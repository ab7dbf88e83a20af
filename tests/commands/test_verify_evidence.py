"""python manage.py verify_evidence: intact files pass, altered and missing ones are named."""

import pytest
from django.core.management import CommandError, call_command

from tests.factories import make_document


def test_verify_evidence_passes_on_intact_files_and_names_altered_and_missing_ones(matter, media_root, capsys):
    kept = make_document(matter, content=b"intact exhibit")
    altered = make_document(matter, content=b"original bytes")
    missing = make_document(matter, content=b"will vanish")
    call_command("verify_evidence")
    assert "3 files checked, 0 problems." in capsys.readouterr().out

    (media_root / altered.file.name).write_bytes(b"tampered bytes")
    (media_root / missing.file.name).unlink()
    with pytest.raises(CommandError, match="3 files checked, 2 problems"):
        call_command("verify_evidence")
    err = capsys.readouterr().err
    assert f"ALTERED {matter.slug} PX-2" in err and f"MISSING {matter.slug} PX-3" in err
    assert "PX-1" not in err and kept.sha256 not in err
