"""WARC and WACZ files built in the tests with warcio's own writer (and, for the damaged ones, by hand)."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import zipfile
from dataclasses import dataclass, field

from pypdf import PdfWriter
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

URL = "https://www.example.com/legal/privacy-policy"
OTHER = "https://www.example.com/about"

POLICY_V1 = b"<html><body><h1>Privacy Policy</h1><p>We use your data to provide the service.</p></body></html>"
POLICY_V2 = (
    b"<html><body><h1>Privacy Policy</h1><p>We use your data to provide the service and to train generative AI "
    b"models.</p></body></html>"
)


def _pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=612, height=792)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


PDF = _pdf()  # one blank page


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class Warc:
    """A WARC being written: add records, then take its bytes."""

    gzip: bool = True
    out: io.BytesIO = field(default_factory=io.BytesIO)

    def __post_init__(self):
        self.writer = WARCWriter(self.out, gzip=self.gzip)
        self.writer.write_record(self.writer.create_warcinfo_record("test.warc", {"software": "tests"}))

    def response(self, uri: str, body: bytes, date: str, *, content_type: str = "text/html; charset=utf-8",
                 status: str = "200 OK", headers: tuple = ()) -> Warc:  # fmt: skip
        http = StatusAndHeaders(status, [("Content-Type", content_type), *headers], protocol="HTTP/1.1")
        record = self.writer.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=http,
                                                warc_headers_dict={"WARC-Date": date})  # fmt: skip
        self.writer.write_record(record)
        return self

    def request(self, uri: str, date: str) -> Warc:
        http = StatusAndHeaders("GET / HTTP/1.1", [("Host", "www.example.com")], is_http_request=True)
        record = self.writer.create_warc_record(uri, "request", payload=io.BytesIO(b""), http_headers=http,
                                                warc_headers_dict={"WARC-Date": date})  # fmt: skip
        self.writer.write_record(record)
        return self

    def metadata(self, uri: str, date: str) -> Warc:
        record = self.writer.create_warc_record(uri, "metadata", payload=io.BytesIO(b"outlinks: none\n"),
                                                warc_content_type="application/warc-fields",
                                                warc_headers_dict={"WARC-Date": date})  # fmt: skip
        self.writer.write_record(record)
        return self

    def revisit(self, uri: str, body: bytes, date: str, refers_to_date: str) -> Warc:
        digest = "sha1:" + __import__("base64").b32encode(hashlib.sha1(body).digest()).decode()
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        record = self.writer.create_revisit_record(uri, digest, uri, refers_to_date, http_headers=http,
                                                   warc_headers_dict={"WARC-Date": date})  # fmt: skip
        self.writer.write_record(record)
        return self

    def raw(self, data: bytes) -> Warc:
        """Bytes written as they are (gzipped as one member in a gzipped WARC): a record made by hand."""
        self.out.write(gzip.compress(data) if self.gzip else data)
        return self

    def declaring(self, uri: str, length: int, date: str = "2024-08-20T00:00:00Z") -> Warc:
        """A response record whose header declares `length` bytes, followed by a few: the header only."""
        head = (
            f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-000000000002>\r\n"
            f"WARC-Target-URI: {uri}\r\nWARC-Date: {date}\r\nContent-Type: application/http; msgtype=response\r\n"
            f"Content-Length: {length}\r\n\r\n"
        ).encode()
        return self.raw(head + b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html>")

    def bytes(self) -> bytes:
        return self.out.getvalue()


def two_versions(*, gzip: bool = True) -> Warc:
    """The policy captured twice (its two versions), other pages around it, a redirect, a request, a metadata record,
    and a revisit of the first version."""
    return (
        Warc(gzip=gzip)
        .request(URL, "2024-08-12T10:15:00Z")
        .response(URL, POLICY_V1, "2024-08-12T10:15:00Z")
        .metadata(URL, "2024-08-12T10:15:01Z")
        .response(OTHER, b"<html>About us</html>", "2024-08-12T10:15:02Z")
        .response("https://www.example.com/logo.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "2024-08-12T10:15:03Z",
                  content_type="image/png")
        .revisit(URL, POLICY_V1, "2024-08-30T08:00:00Z", "2024-08-12T10:15:00Z")
        .response(URL, b"", "2024-09-18T09:00:00Z", status="302 Found", headers=(("Location", URL + "?hl=en"),))
        .response("https://WWW.Example.com:443/legal/privacy-policy/#top", POLICY_V2, "2024-09-18T09:00:01Z")
    )  # fmt: skip


def wacz(
    warcs: dict[str, bytes], *, hashes: dict[str, str] | None = None, extra: dict[str, bytes] | None = None
) -> bytes:
    """A WACZ: the WARCs under archive/, a datapackage.json listing them with their SHA-256 (or `hashes`)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        resources = []
        for name, data in warcs.items():
            path = f"archive/{name}"
            archive.writestr(zipfile.ZipInfo(path), data)  # stored, as WACZ writers store the gzipped WARCs
            digest = (hashes or {}).get(name, sha256(data))
            resources.append({"name": name, "path": path, "hash": f"sha256:{digest}", "bytes": len(data)})
        package = {"profile": "data-package", "wacz_version": "1.1.1", "resources": resources}
        archive.writestr("datapackage.json", json.dumps(package))
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return out.getvalue()
