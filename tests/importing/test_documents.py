"""Importing documents from a ZIP with a manifest (evidence/importing/documents.py): intake of every file, all or
nothing, nothing escapes."""

import io
import stat
import zipfile

import pytest

from evidence.importing import UnusableInputError
from evidence.importing.documents import import_documents
from evidence.models import Document
from tests.factories import make_document, make_pdf
from tests.importing.support import FILES, MANIFEST, POLICY, make_zip


def test_zip_with_manifest_goes_through_intake(matter, user):
    result = import_documents(make_zip(FILES), matter=matter, user=user, name="production.zip")
    assert result.written and not result.errors
    docs = {d.title: d for d in Document.objects.filter(matter=matter)}
    policy = docs["Privacy policy as captured"]
    assert (policy.exhibit_number, policy.bates_start, policy.bates_end) == (5, "LI_000001", "LI_000004")
    assert policy.date_display == "Sept 18, 2024" and policy.author == "LinkedIn" and policy.media_type == "text/html"
    notice = docs["E-mail to members"]
    assert notice.exhibit_number == 6 and notice.original_filename == "notice.txt"  # numbered after the explicit 5
    assert (notice.bates_start, notice.bates_end) == (
        "LI-000010",
        "LI-000010",
    ) and notice.date_display == "c. Sept 2024"
    assert docs["Internal memo"].is_privileged and docs["Internal memo"].extracted_text == "Privileged memo"
    assert policy.history.get().history_change_reason == "Imported from production.zip"
    assert policy.file.read() == POLICY


def test_a_pdf_from_a_zip_has_its_page_count(matter, user):
    manifest = "File Name,Title\r\nscan.pdf,Signed agreement\r\nnotes.txt,Notes\r\n"
    files = {"scan.pdf": make_pdf(7), "notes.txt": b"p. 99"}
    result = import_documents(make_zip(files, manifest=manifest), matter=matter, user=user, name="production.zip")
    assert result.written
    counts = dict(Document.objects.filter(matter=matter).values_list("title", "page_count"))
    assert counts == {"Signed agreement": 7, "Notes": None}


def test_the_same_zip_twice_stores_nothing_twice(matter, user):
    import_documents(make_zip(FILES, manifest=MANIFEST.replace(",5,", ",,")), matter=matter, user=user, name="a.zip")
    again = import_documents(
        make_zip(FILES, manifest=MANIFEST.replace(",5,", ",,")), matter=matter, user=user, name="a.zip"
    )
    assert again.written and not again.created and len(again.already) == 3
    assert Document.objects.filter(matter=matter).count() == 3


def test_invalid_manifest_rows_write_nothing(matter, user):
    make_document(matter, content=b"taken", filename="x.pdf")
    manifest = (
        "File,Title,Exhibit,Date,Privileged\n"
        "policy.html,P,1,Aug 32 2024,no\n"  # exhibit 1 is taken: found while writing, rolls back
        "missing.pdf,M,,,\n"
        "memo.txt,Memo,,,perhaps\n"
    )
    result = import_documents(make_zip(FILES, manifest), matter=matter, user=user, name="bad.zip")
    assert [(e.row, e.column, e.reason) for e in result.errors] == [
        (2, "Date", "'Aug 32 2024': day 32 does not exist"),
        (3, "File", "“missing.pdf” is not in the ZIP"),
        (4, "Privileged", "“perhaps” is not yes or no (write Y, yes, true or x; N, no, false or leave it empty)"),
    ]
    assert Document.objects.filter(matter=matter).count() == 1


def test_a_failing_intake_rolls_back_the_files_before_it(matter, user, media_root):
    make_document(matter, content=b"taken", filename="x.pdf")  # PX-1
    stored = sorted(p for p in media_root.rglob("*") if p.is_file())
    manifest = "File,Title,Exhibit\npolicy.html,P,2\nmemo.txt,Memo,1\n"
    result = import_documents(make_zip(FILES, manifest), matter=matter, user=user, name="bad.zip")
    assert not result.written and [(e.row, e.reason) for e in result.errors] == [(3, "PX-1 is already “x.pdf”.")]
    assert list(Document.objects.filter(matter=matter).values_list("exhibit_number", flat=True)) == [1]
    # policy.html was stored before memo.txt failed: the rollback takes its file away too
    assert sorted(p for p in media_root.rglob("*") if p.is_file()) == stored


@pytest.mark.parametrize("member", ["../evil.txt", "/etc/evil.txt", "a/../../evil.txt", "C:/evil.txt"])
def test_paths_that_escape_are_refused(matter, user, member):
    with pytest.raises(UnusableInputError, match="a path outside the ZIP"):
        import_documents(make_zip({member: b"x"}), matter=matter, user=user, name="evil.zip")
    assert not Document.objects.filter(matter=matter).exists()


def test_symlinks_bombs_and_missing_manifest_are_refused(matter, user, settings):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("manifest.csv", "File\nlink\n")
        info = zipfile.ZipInfo("link")
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(info, "/etc/passwd")
    with pytest.raises(UnusableInputError, match="symbolic link"):
        import_documents(buffer.getvalue(), matter=matter, user=user, name="l.zip")
    bomb = make_zip({"zeros.txt": b"\0" * (5 * 1024 * 1024)}, manifest="File\nzeros.txt\n")
    with pytest.raises(UnusableInputError, match="possible zip bomb"):
        import_documents(bomb, matter=matter, user=user, name="b.zip")
    with pytest.raises(UnusableInputError, match="no manifest.csv"):
        import_documents(make_zip(FILES, manifest=None), matter=matter, user=user, name="n.zip")
    with pytest.raises(UnusableInputError, match="not a readable ZIP"):
        import_documents(b"not a zip", matter=matter, user=user, name="n.zip")
    settings.EVIDENCE_MAX_UPLOAD_BYTES = 4
    with pytest.raises(UnusableInputError, match="larger than the upload limit"):
        import_documents(make_zip(FILES), matter=matter, user=user, name="big.zip")
