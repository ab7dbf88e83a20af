"""A document manifest's SHA-256 column (evidence/importing/documents.py): each file is checked against it as it is
stored, and one mismatch refuses the whole import, leaving no document and no file."""

import hashlib
import io

from django.core.management import CommandError, call_command

from evidence.importing.documents import import_documents
from evidence.models import Document
from tests.factories import make_document
from tests.importing.support import FILES, POLICY, make_zip

POLICY_SHA = hashlib.sha256(POLICY).hexdigest()
MEMO_SHA = hashlib.sha256(FILES["memo.txt"]).hexdigest()
NOTICE_SHA = hashlib.sha256(FILES["mail/notice.txt"]).hexdigest()
WRONG = "0" * 64


def manifest(hashes: dict[str, str], header: str = "SHA-256") -> str:
    return f"File Name,Title,{header}\n" + "".join(f"{name},{name} title,{sha}\n" for name, sha in hashes.items())


def stored_files(media_root) -> list:
    return sorted(p for p in media_root.rglob("*") if p.is_file())


def test_matching_hashes_are_imported_in_either_case(matter, user):
    listed = {"policy.html": POLICY_SHA.upper(), "mail/notice.txt": NOTICE_SHA, "memo.txt": ""}
    result = import_documents(make_zip(FILES, manifest(listed)), matter=matter, user=user, name="p.zip")
    assert result.written and not result.errors and len(result.created) == 3


def test_a_mismatch_refuses_everything_and_leaves_no_file(matter, user, media_root):
    make_document(matter, content=b"already here", filename="old.pdf")
    before = stored_files(media_root)
    listed = {"policy.html": POLICY_SHA, "mail/notice.txt": NOTICE_SHA, "memo.txt": WRONG}
    result = import_documents(make_zip(FILES, manifest(listed)), matter=matter, user=user, name="p.zip")
    assert not result.written and not result.created
    assert [(e.row, e.column, e.reason) for e in result.errors] == [
        (4, "SHA-256", f"“memo.txt” has SHA-256 {MEMO_SHA}, but the manifest gives {WRONG}: it is not the file listed")
    ]
    assert Document.objects.filter(matter=matter).count() == 1
    # policy.html and notice.txt were stored before memo.txt was found wrong: they are gone again
    assert stored_files(media_root) == before


def test_a_check_without_writing_lists_every_mismatch(matter, user, media_root):
    listed = {"policy.html": WRONG, "mail/notice.txt": NOTICE_SHA, "memo.txt": "f" * 64}
    result = import_documents(make_zip(FILES, manifest(listed)), matter=matter, user=user, name="p.zip", dry_run=True)
    assert [(e.row, e.reason) for e in result.errors] == [
        (2, f"“policy.html” has SHA-256 {POLICY_SHA}, but the manifest gives {WRONG}: it is not the file listed"),
        (4, f"“memo.txt” has SHA-256 {MEMO_SHA}, but the manifest gives {'f' * 64}: it is not the file listed"),
    ]
    assert not Document.objects.exists() and not stored_files(media_root)


def test_a_value_that_is_no_sha256_is_the_rows_error(matter, user):
    listed = {"policy.html": "d41d8cd98f00b204e9800998ecf8427e", "mail/notice.txt": NOTICE_SHA, "memo.txt": MEMO_SHA}
    result = import_documents(make_zip(FILES, manifest(listed, "SHA256 Hash")), matter=matter, user=user, name="p.zip")
    assert [(e.row, e.column, e.reason) for e in result.errors] == [
        (2, "SHA256 Hash", "“d41d8cd98f00b204e9800998ecf8427e” is not a SHA-256 hash (64 hexadecimal digits)")
    ]
    assert not Document.objects.exists()


def test_a_hash_column_of_sha256_values_is_checked(matter, user):
    listed = {"policy.html": POLICY_SHA, "mail/notice.txt": WRONG, "memo.txt": MEMO_SHA}
    result = import_documents(make_zip(FILES, manifest(listed, "Hash")), matter=matter, user=user, name="p.zip")
    assert [(e.row, e.column) for e in result.errors] == [(3, "Hash")]
    assert "“mail/notice.txt” has SHA-256" in result.errors[0].reason and not Document.objects.exists()


def test_an_md5_hash_column_is_not_checked_and_the_notices_say_so(matter, user):
    md5 = {name: hashlib.md5(data).hexdigest() for name, data in FILES.items()}
    result = import_documents(make_zip(FILES, manifest(md5, "Hash")), matter=matter, user=user, name="p.zip")
    assert result.written and len(result.created) == 3
    assert result.notices == [
        "Manifest column “Hash” was not checked: only SHA-256 hashes (64 hexadecimal digits) are, and row 2 has "
        f"“{md5['policy.html']}”, an MD5."
    ]


def test_the_command_prints_the_row_the_file_and_both_hashes(matter, user, tmp_path, media_root):
    path = tmp_path / "production.zip"
    path.write_bytes(make_zip(FILES, manifest({"policy.html": POLICY_SHA, "mail/notice.txt": WRONG})))
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_documents", str(path), "--matter", matter.slug, "--user", user.username, stdout=out,
                     stderr=err)  # fmt: skip
        code = 0
    except CommandError as error:
        code, message = error.returncode, str(error)
    assert (code, message) == (1, "Nothing was written.")
    assert err.getvalue() == (
        f"Manifest row 3, column “SHA-256”: “mail/notice.txt” has SHA-256 {NOTICE_SHA}, but the manifest gives "
        f"{WRONG}: it is not the file listed\n"
    )
    assert not Document.objects.exists() and not stored_files(media_root)
