"""Reading WARC and WACZ files into the captures of one URL: what is kept, what is skipped and said, what is
refused (and that a refusal leaves no payload behind)."""

import gzip
import zipfile
from datetime import UTC, datetime

import pytest

from evidence.tracked import warc
from evidence.tracked.warc import CaptureFileError, normalise_url, read_captures, read_captures_isolated
from tests.tracked.warcs import OTHER, PDF, POLICY_V1, POLICY_V2, URL, Warc, sha256, two_versions, wacz


@pytest.fixture
def scratch(tmp_path):
    path = tmp_path / "scratch"
    path.mkdir()
    return path


def read(tmp_path, scratch, data: bytes, name="crawl.warc.gz", url=URL):
    path = tmp_path / name
    path.write_bytes(data)
    return read_captures(path, url=url, name=name, directory=scratch)


@pytest.mark.parametrize(
    "url, normal",
    [
        ("HTTPS://WWW.Example.COM:443/legal/privacy-policy/#section", "https://www.example.com/legal/privacy-policy"),
        ("http://example.com:80", "http://example.com/"),
        ("http://example.com:8080/a/", "http://example.com:8080/a"),
        ("https://example.com/Path/?q=A#f", "https://example.com/Path?q=A"),
        ("<https://example.com/x>", "https://example.com/x"),
    ],
)
def test_normalise_url(url, normal):
    assert normalise_url(url) == normal


@pytest.mark.parametrize("compressed", [True, False], ids=["warc.gz", "warc"])
def test_captures_of_the_url_with_archived_times_and_hashes(tmp_path, scratch, compressed):
    reading = read(tmp_path, scratch, two_versions(gzip=compressed).bytes(),
                   name="crawl.warc.gz" if compressed else "crawl.warc")  # fmt: skip
    assert [(c.archived_at, c.sha256, c.size, c.media_type) for c in reading.captures] == [
        (datetime(2024, 8, 12, 10, 15, tzinfo=UTC), sha256(POLICY_V1), len(POLICY_V1), "text/html"),
        (datetime(2024, 9, 18, 9, 0, 1, tzinfo=UTC), sha256(POLICY_V2), len(POLICY_V2), "text/html"),
    ]
    assert [c.path.read_bytes() for c in reading.captures] == [POLICY_V1, POLICY_V2]
    assert reading.captures[0].content_type == "text/html; charset=utf-8"
    assert reading.captures[0].filename == "www.example.com_legal_privacy-policy_20240812T101500Z.html"
    assert reading.other_urls == 2
    notices = "\n".join(reading.notices())
    assert "2 records for other URLs skipped" in notices
    assert "HTTP status 302, not 200" in notices
    assert "a revisit of 2024-08-30 08:00:00 UTC" in notices and "2024-08-12T10:15:00Z" in notices
    assert len(reading.revisits) == 1
    if not compressed:  # the offset named is where the record starts in the file
        offset = int(reading.captures[1].where.split("offset ")[1].rstrip(")").replace(",", ""))
        record = two_versions(gzip=False).bytes()[offset:]
        assert record.startswith(b"WARC/1.0\r\nWARC-Date: 2024-09-18T09:00:01Z\r\nWARC-Type: response\r\n")
    reading.discard()
    assert not list(scratch.iterdir())


def test_non_html_payloads_are_captures_with_their_media_type(tmp_path, scratch):
    data = (
        Warc()
        .response(URL, PDF, "2024-08-12T10:15:00Z", content_type="application/pdf")
        .response(URL, b"Plain words.\n", "2024-08-13T10:15:00Z", content_type="text/plain")
        .response(URL, b"GIF89a" + b"\0" * 20, "2024-08-14T10:15:00Z", content_type="image/gif")
        .bytes()
    )
    reading = read(tmp_path, scratch, data)
    assert [(c.media_type, c.sha256) for c in reading.captures] == [
        ("application/pdf", sha256(PDF)), ("text/plain", sha256(b"Plain words.\n")),
        ("image/gif", sha256(b"GIF89a" + b"\0" * 20)),
    ]  # fmt: skip
    assert reading.captures[0].filename.endswith("_20240812T101500Z.pdf")


def test_chunked_and_gzip_encoded_bodies_are_stored_decoded(tmp_path, scratch):
    body = gzip.compress(POLICY_V1)
    chunked = b"".join(b"%x\r\n%s\r\n" % (len(body[i : i + 10]), body[i : i + 10]) for i in range(0, len(body), 10))
    data = (
        Warc()
        .response(URL, chunked + b"0\r\n\r\n", "2024-08-12T10:15:00Z",
                  headers=(("Transfer-Encoding", "chunked"), ("Content-Encoding", "gzip")))
        .bytes()
    )  # fmt: skip
    [capture] = read(tmp_path, scratch, data).captures
    assert capture.path.read_bytes() == POLICY_V1
    assert capture.sha256 == sha256(POLICY_V1)


def test_a_wacz_is_read_and_checked_against_its_datapackage(tmp_path, scratch):
    first = Warc().response(URL, POLICY_V1, "2024-08-12T10:15:00Z").bytes()
    second = Warc().response(OTHER, b"x", "2024-09-01T00:00:00Z").response(URL, POLICY_V2, "2024-09-18T09:00:00Z")
    reading = read(tmp_path, scratch, wacz({"a.warc.gz": first, "b.warc.gz": second.bytes()}), name="crawl.wacz")
    assert [c.sha256 for c in reading.captures] == [sha256(POLICY_V1), sha256(POLICY_V2)]
    assert reading.captures[1].where.startswith("archive/b.warc.gz, record 3")
    assert reading.other_urls == 1
    reading.discard()

    altered = wacz({"a.warc.gz": first}, hashes={"a.warc.gz": "0" * 64})
    with pytest.raises(CaptureFileError, match=r"archive/a.warc.gz has SHA-256 .* datapackage.json gives 0{64}"):
        read(tmp_path, scratch, altered, name="altered.wacz")
    assert not list(scratch.iterdir())


def test_a_wacz_member_outside_the_zip_is_refused(tmp_path, scratch):
    data = wacz({"a.warc.gz": Warc().response(URL, POLICY_V1, "2024-08-12T10:15:00Z").bytes()},
                extra={"../../evil.txt": b"x"})  # fmt: skip
    with pytest.raises(CaptureFileError, match="a path outside the ZIP"):
        read(tmp_path, scratch, data, name="evil.wacz")


def test_a_zip_without_datapackage_is_not_a_wacz(tmp_path, scratch):
    path = tmp_path / "files.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("policy.html", POLICY_V1)
    with pytest.raises(CaptureFileError, match="without a datapackage.json: not a WACZ"):
        read_captures(path, url=URL, name="files.zip", directory=scratch)


@pytest.mark.parametrize("compressed", [True, False], ids=["warc.gz", "warc"])
def test_a_truncated_warc_is_refused_naming_the_record(tmp_path, scratch, compressed):
    data = two_versions(gzip=compressed).bytes()
    with pytest.raises(
        CaptureFileError, match=r"record 9 \(offset [\d,]+\) \(https://WWW.Example.com:443/.*is cut off"
    ):
        read(tmp_path, scratch, data[:-40])
    assert not list(scratch.iterdir())  # the captures read before it are removed too


@pytest.mark.parametrize("compressed", [True, False], ids=["warc.gz", "warc"])
def test_a_record_declaring_2_gb_is_refused_before_it_is_read(tmp_path, scratch, compressed):
    data = Warc(gzip=compressed).response(URL, POLICY_V1, "2024-08-12T10:15:00Z").declaring(URL, 2 * 1024**3)
    with pytest.raises(CaptureFileError) as refused:
        read(tmp_path, scratch, data.bytes())
    message = str(refused.value)
    assert "record 3 (offset " in message and URL in message
    assert "declares 2,147,483,648 bytes" in message and "CAPTURES_MAX_RECORD_BYTES" in message
    assert not list(scratch.iterdir())


def test_bounds_on_the_file_the_records_and_the_payload(tmp_path, scratch, settings):
    data = two_versions().bytes()
    settings.CAPTURES_MAX_FILE_BYTES = len(data) - 1
    with pytest.raises(CaptureFileError, match="CAPTURES_MAX_FILE_BYTES"):
        read(tmp_path, scratch, data)
    settings.CAPTURES_MAX_FILE_BYTES = 10**9
    settings.CAPTURES_MAX_RECORDS = 5
    with pytest.raises(CaptureFileError, match="more than 5 records .setting CAPTURES_MAX_RECORDS"):
        read(tmp_path, scratch, data)
    settings.CAPTURES_MAX_RECORDS = 100
    settings.EVIDENCE_MAX_UPLOAD_BYTES = len(POLICY_V1) - 1
    with pytest.raises(CaptureFileError, match="a payload of more than .* EVIDENCE_MAX_UPLOAD_BYTES"):
        read(tmp_path, scratch, data)
    settings.EVIDENCE_MAX_UPLOAD_BYTES = 10**9
    settings.CAPTURES_READ_TIMEOUT = -1
    with pytest.raises(CaptureFileError, match="longer than -1 s .setting CAPTURES_READ_TIMEOUT"):
        read(tmp_path, scratch, data)
    assert not list(scratch.iterdir())


def test_a_payload_that_does_not_match_its_recorded_digest_is_refused(tmp_path, scratch):
    data = Warc(gzip=False).response(URL, POLICY_V1, "2024-08-12T10:15:00Z").bytes()
    altered = data.replace(b"provide the service", b"provide the servicE")
    with pytest.raises(CaptureFileError, match="does not match the digest the archive recorded"):
        read(tmp_path, scratch, altered)


@pytest.mark.parametrize(
    "data, message",
    [
        (b"This is not a WARC at all\r\n\r\n", "record 1 cannot be read"),
        (gzip.compress(b"\x00" * 100), "record 1 cannot be read"),
        (gzip.compress(two_versions(gzip=False).bytes()), "gzipped as one block"),
    ],
    ids=["text", "gzip-of-zeros", "one-gzip-block"],
)
def test_files_that_are_not_warcs(tmp_path, scratch, data, message):
    with pytest.raises(CaptureFileError, match=message):
        read(tmp_path, scratch, data)


def test_an_empty_file_and_no_captures(tmp_path, scratch):
    with pytest.raises(CaptureFileError, match="is empty"):
        read(tmp_path, scratch, b"")
    reading = read(tmp_path, scratch, Warc().response(OTHER, b"x", "2024-08-12T10:15:00Z").bytes())
    assert reading.captures == [] and reading.other_urls == 1


def test_a_missing_warc_date_is_refused(tmp_path, scratch):
    data = Warc(gzip=False).raw(
        b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: " + URL.encode() + b"\r\n"
        b"Content-Type: application/http; msgtype=response\r\nContent-Length: 38\r\n\r\n"
        b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi\r\n\r\n"
    )  # fmt: skip
    with pytest.raises(CaptureFileError, match="has no readable WARC-Date"):
        read(tmp_path, scratch, data.bytes())


def test_read_in_a_child_process(tmp_path, scratch):
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(two_versions().bytes())
    reading = read_captures_isolated(path, url=URL, name="crawl.warc.gz", directory=scratch)
    assert [c.path.read_bytes() for c in reading.captures] == [POLICY_V1, POLICY_V2]
    path.write_bytes(two_versions().bytes()[:-40])
    with pytest.raises(CaptureFileError, match="is cut off"):
        read_captures_isolated(path, url=URL, name="crawl.warc.gz", directory=scratch)


def test_the_reader_reports_its_progress(tmp_path, scratch, monkeypatch):
    """Records and captures read, and bytes of the file; in a child process, its reports come over to the parent
    (tests/importing/test_isolation.py)."""
    monkeypatch.setattr(warc, "REPORT_EVERY", 0)  # every record
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(two_versions().bytes())
    reports = []
    warc.read_captures(path, url=URL, name="crawl.warc.gz", directory=scratch,
                       progress=lambda *values: reports.append(values))  # fmt: skip
    size = path.stat().st_size
    assert [(records, captures) for records, captures, _, _ in reports] == [
        (0, 0), (1, 0), (2, 0), (3, 1), (4, 1), (5, 1), (6, 1), (7, 1), (8, 1),
    ]  # fmt: skip
    assert all(total == size and 0 <= done < size for _, _, done, total in reports)


@pytest.mark.parametrize("compressed", [True, False], ids=["warc.gz", "warc"])
def test_a_warc_cut_inside_a_records_headers_is_refused(tmp_path, scratch, compressed):
    """warcio itself takes such a file for one that ends after the record before."""
    data = two_versions(gzip=compressed).bytes()
    last = data.rindex(b"WARC/1.0\r\nWARC-Date: 2024-09-18T09:00:01Z") if not compressed else None
    cut = data[: last + 120] if last is not None else data[: data.rindex(b"\x1f\x8b\x08") + 60]
    refused = (
        r"ends inside record 9 \(offset [\d,]+\), whose headers are cut off|record 9 after record 8 .* cannot be read"
    )
    with pytest.raises(CaptureFileError, match=refused):
        read(tmp_path, scratch, cut)
    assert not list(scratch.iterdir())
