"""Hostile web archives (WARC, WACZ) of captures of a tracked source, generated: each must end in a clear refusal that
changes nothing, or in versions stored as inert evidence."""

from __future__ import annotations

import gzip
import io
import zipfile
import zlib

from tests.hostile.cases import MB, Case, zeros_member
from tests.tracked.warcs import OTHER, POLICY_V1, URL, Warc, two_versions, wacz

CHANNELS = ("command-captures", "page-captures")
SOURCE = "Privacy Policy"


def gzip_bomb_payload(size: int) -> bytes:
    """A response for the URL whose body is `size` zero bytes, sent gzip-encoded (a few kilobytes in the WARC)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    chunk = b"\0" * MB
    body = b"".join(packer.compress(chunk) for _ in range(size // MB)) + packer.flush()
    return Warc().response(URL, body, "2024-08-12T10:15:00Z", headers=(("Content-Encoding", "gzip"),)).bytes()


def endless_header_line(size: int) -> bytes:
    """A WARC record whose first header line never ends: `size` bytes without a line break, gzipped."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    chunk = b"A" * MB
    return b"".join(packer.compress(chunk) for _ in range(size // MB)) + packer.flush()


def many_records(n: int) -> bytes:
    warc = Warc(gzip=False)
    for i in range(n):
        warc.response(f"{OTHER}/{i}", b"x", "2024-08-12T10:15:00Z")
    return warc.bytes()


def wacz_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("datapackage.json", b'{"resources": []}')
        zeros_member(archive, "archive/data.warc", 300 * MB)
    return out.getvalue()


def wacz_escape() -> bytes:
    return wacz({"data.warc.gz": two_versions().bytes()}, extra={"../../../tmp/evil.warc": b"WARC/1.0\r\n"})


def altered_wacz() -> bytes:
    return wacz({"a.warc.gz": two_versions().bytes()}, hashes={"a.warc.gz": "0" * 64})


CAPTURES = [
    Case("warc-two-versions", "crawl.warc.gz", lambda: two_versions().bytes(), r"2 versions added", stored=2,
         channels=CHANNELS),
    Case("warc-truncated", "cut.warc.gz", lambda: two_versions().bytes()[:-40], r"record 9 .* is cut off",
         channels=CHANNELS),
    Case("warc-truncated-plain", "cut.warc", lambda: two_versions(gzip=False).bytes()[:-300], r"inside record 9 .*off",
         channels=CHANNELS),
    Case("warc-declares-2-gb", "big.warc.gz",
         lambda: Warc().response(URL, POLICY_V1, "2024-08-12T10:15:00Z").declaring(URL, 2 * 1024**3).bytes(),
         r"record 3 \(offset [\d,]+\) \(https://www.example.com/legal/privacy-policy\) declares 2,147,483,648 bytes",
         channels=CHANNELS),
    Case("warc-declares-1-tb-plain", "huge.warc", lambda: Warc(gzip=False).declaring(URL, 10**12).bytes(),
         r"declares 1,000,000,000,000 bytes; the limit for one record", channels=CHANNELS),
    Case("warc-gzip-bomb-body", "bomb.warc.gz", lambda: gzip_bomb_payload(64 * MB),
         r"a payload of more than 8,388,608 bytes", settings={"EVIDENCE_MAX_UPLOAD_BYTES": 8 * MB},
         channels=CHANNELS),
    Case("warc-endless-header-line", "line.warc.gz", lambda: endless_header_line(512 * MB),
         r"needed more than 64 MB of memory|took longer than|cannot be read",
         settings={"IMPORT_READ_MAX_MEMORY": 64 * MB}, channels=CHANNELS),
    Case("warc-many-records", "many.warc", lambda: many_records(60), r"more than 50 records",
         settings={"CAPTURES_MAX_RECORDS": 50}, channels=CHANNELS),
    Case("warc-one-gzip-block", "block.warc.gz", lambda: gzip.compress(two_versions(gzip=False).bytes()),
         r"gzipped as one block", channels=CHANNELS),
    Case("warc-garbage", "noise.warc", lambda: bytes(range(256)) * 64, r"cannot be read", channels=CHANNELS),
    Case("wacz-bomb", "bomb.wacz", wacz_bomb, r"expands [\d,]+ times|unpacks to more than", channels=CHANNELS),
    Case("wacz-escape", "escape.wacz", wacz_escape, r"a path outside the ZIP", channels=CHANNELS),
    Case("wacz-altered", "altered.wacz", altered_wacz,
         r"datapackage.json gives 0{64}", channels=CHANNELS),
]  # fmt: skip
