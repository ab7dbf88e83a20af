"""captures_import: the captures in a WARC, a WACZ or a ZIP with a manifest become documents and versions of a tracked
source, all or nothing; a bad file changes nothing."""

from datetime import UTC, datetime

import pytest
from django.apps import apps
from django.core.files.storage import default_storage

from evidence import files
from evidence.models import CaptureMethod, Document, SourceVersion
from evidence.services.captures import captures_import
from evidence.services.documents import document_intake
from evidence.services.sources import audience_create, audience_retire, source_create
from evidence.tracked.warc import CaptureFileError
from tests.hostile.cases import zip_of
from tests.storage import stored_names
from tests.tracked.warcs import PDF, POLICY_V1, POLICY_V2, URL, Warc, sha256, two_versions, wacz


@pytest.fixture
def source(matter, user):
    return source_create(matter=matter, user=user, name="Privacy Policy", kind="policy", url=URL, reason="test")


def run(tmp_path, source, user, data: bytes, name="crawl.warc.gz"):
    path = tmp_path / name
    path.write_bytes(data)
    return captures_import(source=source, path=path, user=user, name=name)


def state() -> dict:
    """Every row of the app (history included) and every stored file: what a refused import must leave as it was."""
    counts = {m._meta.label: m.objects.count() for m in apps.get_app_config("evidence").get_models() if m._meta.managed}
    return {"counts": counts, "files": stored_names("evidence")}


def test_a_warc_becomes_documents_and_versions_with_the_archived_times(tmp_path, source, user, matter):
    result = run(tmp_path, source, user, two_versions().bytes())
    assert result.written and not result.errors
    assert result.summary() == "2 versions added, 4 records skipped"
    versions = list(SourceVersion.objects.filter(source=source).select_related("document").order_by("pk"))
    assert [(v.captured_at, v.document.sha256, v.capture_method) for v in versions] == [
        (datetime(2024, 8, 12, 10, 15, tzinfo=UTC), sha256(POLICY_V1), CaptureMethod.WEB_ARCHIVE),
        (datetime(2024, 9, 18, 9, 0, 1, tzinfo=UTC), sha256(POLICY_V2), CaptureMethod.WEB_ARCHIVE),
    ]
    # the day each was first seen, on the matter's clock (Los Angeles: 10:15 UTC is 03:15 the same day)
    assert [v.first_seen_date.display() for v in versions] == ["Aug 12, 2024", "Sept 18, 2024"]
    first = versions[0].document
    assert (first.exhibit_number, first.media_type, first.source_url) == (1, "text/html", URL)
    assert first.captured_at == datetime(2024, 8, 12, 10, 15, tzinfo=UTC)
    assert first.title == "Privacy Policy, archived Aug 12, 2024, 3:15 AM PDT"
    assert "train generative AI models" in versions[1].document.extracted_text
    with default_storage.open(files.storage_name(first.sha256), "rb") as stored:
        assert stored.read() == POLICY_V1
    assert versions[0].history.first().history_user == user
    assert versions[0].history.first().history_change_reason == "Imported from crawl.warc.gz"
    notices = "\n".join(result.notices)
    assert "2 records for other URLs skipped" in notices and "a revisit of 2024-08-30" in notices
    assert "HTTP status 302, not 200" in notices
    assert not list(files.scratch_dir().iterdir())  # no payload left in the scratch folder


def test_a_capture_already_in_the_matter_reuses_its_document(tmp_path, source, user, matter):
    earlier = document_intake(matter=matter, user=user, file=[POLICY_V1], filename="policy.html", reason="test")
    result = run(tmp_path, source, user, two_versions(gzip=False).bytes(), name="crawl.warc")
    assert [label for label, _ in result.reused] == ["record 3 (offset 720)"]
    assert result.summary().startswith("2 versions added (1 from documents already in the matter)")
    assert f"its bytes are already {earlier.document.exhibit_label} (“policy.html”)" in "\n".join(result.notices)
    assert Document.objects.filter(matter=matter).count() == 2
    assert SourceVersion.objects.get(source=source, captured_at__day=12).document == earlier.document


def test_importing_the_same_captures_again_adds_nothing(tmp_path, source, user):
    run(tmp_path, source, user, two_versions().bytes())
    before = state()
    result = run(tmp_path, source, user, two_versions().bytes(), name="again.warc.gz")
    assert result.written and result.added == [] and len(result.duplicates) == 2
    assert result.summary() == "0 versions added, 2 captures already a version, not added again, 4 records skipped"
    assert "already a version of “Privacy Policy”; not added again" in "\n".join(result.notices)
    after = state()
    assert after["files"] == before["files"]
    assert after["counts"]["evidence.SourceVersion"] == before["counts"]["evidence.SourceVersion"]
    assert after["counts"]["evidence.Document"] == before["counts"]["evidence.Document"]


def test_a_wacz_and_non_html_payloads(tmp_path, source, user):
    warc = (
        Warc()
        .response(URL, PDF, "2024-08-12T10:15:00Z", content_type="application/pdf")
        .response(URL, b"Plain policy words.\n", "2024-08-20T10:15:00Z", content_type="text/plain")
        .bytes()
    )
    result = run(tmp_path, source, user, wacz({"data.warc.gz": warc}), name="crawl.wacz")
    documents = [v.document for v in result.added]
    assert [(d.media_type, d.sha256) for d in documents] == [
        ("application/pdf", sha256(PDF)),
        ("text/plain", sha256(b"Plain policy words.\n")),
    ]
    assert documents[0].page_count == 1
    assert documents[0].original_filename == "www.example.com_legal_privacy-policy_20240812T101500Z.pdf"


@pytest.mark.parametrize(
    "damage, message",
    [
        (lambda data: data[:-40], "is cut off"),
        (lambda data: Warc().declaring(URL, 2 * 1024**3).bytes(), "declares 2,147,483,648 bytes"),
        (lambda data: b"not a web archive\r\n\r\n", "cannot be read"),
    ],
    ids=["truncated", "declares-2-GB", "not-a-warc"],
)
def test_a_bad_file_changes_nothing(tmp_path, source, user, damage, message):
    run(tmp_path, source, user, Warc().response(URL, b"<p>Old</p>", "2024-01-01T00:00:00Z").bytes(), name="old.warc")
    before = state()
    with pytest.raises(CaptureFileError, match=message):
        run(tmp_path, source, user, damage(two_versions().bytes()))
    assert state() == before
    assert not list(files.scratch_dir().iterdir())


def test_a_source_without_url_cannot_take_a_web_archive(tmp_path, matter, user):
    bare = source_create(matter=matter, user=user, name="Setting", kind="setting", reason="test")
    with pytest.raises(CaptureFileError, match="“Setting” has no URL"):
        run(tmp_path, bare, user, two_versions().bytes())


MANIFEST = (
    "File,Captured at,First seen,Effective,Capture method,Audiences,Note,SHA-256\n"
    f"v1.html,2024-08-12T10:15:00Z,Aug 12 2024,,web archive,,From the crawl,{sha256(POLICY_V1)}\n"
    f'v2.pdf,2024-09-18 09:00,Sept 2024,"Sept 18, 2024",Screenshot,Members in the UK; Premium members,,\n'
)


def test_a_zip_with_a_manifest(tmp_path, source, user, matter):
    audience_create(matter=matter, user=user, name="Members in the UK", reason="test")
    audience_create(matter=matter, user=user, name="Premium members", reason="test")
    data = zip_of({"manifest.csv": MANIFEST.encode(), "v1.html": POLICY_V1, "v2.pdf": PDF})
    result = run(tmp_path, source, user, data, name="captures.zip")
    assert result.written, result.errors
    assert result.summary() == "2 versions added"
    first, second = result.added
    assert (first.capture_method, first.captured_at, first.note) == (
        CaptureMethod.WEB_ARCHIVE, datetime(2024, 8, 12, 10, 15, tzinfo=UTC), "From the crawl",
    )  # fmt: skip
    assert first.first_seen_date.display() == "Aug 12, 2024"
    # a time without a zone is read on the matter's clock (Los Angeles, PDT in September)
    assert second.captured_at == datetime(2024, 9, 18, 16, 0, tzinfo=UTC)
    assert second.capture_method == CaptureMethod.SCREENSHOT
    assert (second.first_seen_date.display(), second.effective_date.display()) == ("Sept 2024", "Sept 18, 2024")
    assert sorted(a.name for a in second.audiences.all()) == ["Members in the UK", "Premium members"]
    assert second.document.source_url == URL and second.document.media_type == "application/pdf"


@pytest.mark.parametrize(
    "manifest, message",
    [
        (MANIFEST.replace(sha256(POLICY_V1), sha256(POLICY_V2)), "has SHA-256 .* but the manifest gives"),
        (MANIFEST.replace("Screenshot", "Fax"), "“Fax” is not a capture method"),
        (MANIFEST.replace("Premium members", "Gold members"), "“Gold members” is not an audience of the matter"),
        (MANIFEST.replace("Premium members", "Retired members"), "the audience “Retired members” is retired"),
        (MANIFEST.replace("2024-09-18 09:00", "Sept 18 2024"), "is not a time of day"),
        (MANIFEST.replace("Sept 2024", "Smarch 2024"), "Smarch"),
    ],
    ids=["wrong-sha256", "method", "audience", "retired-audience", "captured-at-without-time", "first-seen"],
)
def test_a_bad_manifest_row_changes_nothing(tmp_path, source, user, matter, manifest, message):
    audience_create(matter=matter, user=user, name="Members in the UK", reason="test")
    audience_create(matter=matter, user=user, name="Premium members", reason="test")
    retired = audience_create(matter=matter, user=user, name="Retired members", reason="test")
    audience_retire(audience=retired, user=user, reason="test")
    before = state()
    data = zip_of({"manifest.csv": manifest.encode(), "v1.html": POLICY_V1, "v2.pdf": PDF})
    result = run(tmp_path, source, user, data, name="captures.zip")
    assert not result.written and result.added == []
    assert any(__import__("re").search(message, e.reason) for e in result.errors), result.errors
    assert state() == before


def test_a_failure_while_writing_leaves_no_document_version_or_file(tmp_path, source, user, matter):
    """The second row's exhibit number is taken: the first row's document, version and file are undone."""
    taken = document_intake(
        matter=matter, user=user, file=[b"other"], filename="o.txt", reason="test", exhibit_number=7
    )
    before = state()
    manifest = "File,Exhibit,Captured at\nv1.html,,2024-08-12T10:15:00Z\nv2.pdf,7,2024-09-18T09:00:00Z\n"
    data = zip_of({"manifest.csv": manifest.encode(), "v1.html": POLICY_V1, "v2.pdf": PDF})
    result = run(tmp_path, source, user, data, name="captures.zip")
    assert not result.written
    assert any("already" in e.reason and taken.document.title in e.reason for e in result.errors), result.errors
    assert state() == before
    assert files.storage_name(sha256(POLICY_V1)) not in stored_names("evidence")
