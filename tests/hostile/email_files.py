"""Hostile e-mails, generated, for the documents upload page: each must end in a clear refusal that stores nothing, or
in the message (and its attachments) stored as inert files."""

from __future__ import annotations

import io
import os
import zipfile
from dataclasses import replace
from email.message import EmailMessage

from tests.hostile.cases import MB, Case, zeros_member

HEADERS = (
    b"From: Ann Lee <ann@linkedin.example>\r\nTo: Bo <bo@linkedin.example>\r\nSubject: Hostile\r\n"
    b"Date: Tue, 21 Jan 2025 09:30:59 -0800\r\nMIME-Version: 1.0\r\n"
)


def message(attachments: list[tuple[str, bytes]] = (), body: str = "See attached.") -> bytes:
    mail = EmailMessage()
    mail["From"], mail["To"], mail["Subject"] = "Ann Lee <ann@linkedin.example>", "bo@linkedin.example", "Files"
    mail["Date"] = "Tue, 21 Jan 2025 09:30:59 -0800"
    mail.set_content(body)
    for name, content in attachments:
        mail.add_attachment(content, maintype="application", subtype="octet-stream", filename=name)
    return mail.as_bytes()


def flat_parts(n: int) -> bytes:
    parts = b"".join(b"--b\r\nContent-Type: text/plain\r\n\r\npart %d\r\n" % i for i in range(n))
    return HEADERS + b'Content-Type: multipart/mixed; boundary="b"\r\n\r\n' + parts + b"--b--\r\n"


def nested(depth: int) -> bytes:
    head = b"".join(b'Content-Type: multipart/mixed; boundary="b%d"\r\n\r\n--b%d\r\n' % (i, i) for i in range(depth))
    tail = b"".join(b"\r\n--b%d--\r\n" % i for i in reversed(range(depth)))
    return HEADERS + head + b"Content-Type: text/plain\r\n\r\ninnermost" + tail


def forwarded(depth: int) -> bytes:
    inner = HEADERS + b"Content-Type: text/plain\r\n\r\nthe original\r\n"
    for _ in range(depth):
        inner = HEADERS + b"Content-Type: message/rfc822\r\n\r\n" + inner
    return inner


def raw(headers: bytes, body: bytes = b"Hello.\r\n") -> bytes:
    return headers + b"\r\n" + body


def zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zeros_member(zf, "zeros.bin", 100 * MB)
    return buffer.getvalue()


EMAILS = [
    Case(
        "eml-1000-attachments",
        "many.eml",
        lambda: message([(f"a{i}.bin", b"%d" % i) for i in range(1000)]),
        r"has 1,000 attachments; the limit is 100 \(setting EMAIL_MAX_ATTACHMENTS\)\. Nothing was stored",
    ),
    Case(
        "eml-101-attachments",
        "some.eml",
        lambda: message([(f"a{i}.txt", b"%d" % i) for i in range(101)]),
        r"has 101 attachments; the limit is 100",
    ),
    Case("eml-nested-500-deep", "deep.eml", lambda: nested(500), r"nested at least 33 levels deep.*EMAIL_MAX_DEPTH"),
    Case("eml-nested-5000-deep", "deeper.eml", lambda: nested(5000), r"EMAIL_MAX_(PARTS|DEPTH)"),
    Case("eml-forwarded-40-times", "fwd.eml", lambda: forwarded(40), r"nested at least 33 levels deep"),
    Case("eml-100000-parts", "parts.eml", lambda: flat_parts(100_000), r"more than 2,000 MIME parts.*EMAIL_MAX_PARTS"),
    Case(
        "eml-garbage-headers",
        "garbage.eml",
        lambda: raw(b'From: <<<@@@>>> ,,, "\r\nTo: ;;;@\r\nSubject: =?utf-8?b?!!!?=\r\nDate: 99 Foo 9999 99:99:99\r\n'),
        r"stored: garbage\.eml",
        stored=1,
    ),
    Case(
        "eml-1mb-header-line",
        "long.eml",
        lambda: raw(HEADERS + b"X-Long: " + b"a" * MB + b"\r\n"),
        r"stored: long\.eml",
        stored=1,
    ),
    Case(
        "eml-unknown-charset",
        "charset.eml",
        lambda: raw(HEADERS + b"Content-Type: text/plain; charset=x-no-such-charset\r\n", b"\xff\xfe\x00text"),
        r"stored: charset\.eml",
        stored=1,
    ),
    Case(
        "eml-multipart-without-boundary",
        "noboundary.eml",
        lambda: raw(HEADERS + b"Content-Type: multipart/mixed\r\n", b"--x\r\nno boundary declared\r\n--x--\r\n"),
        r"stored: noboundary\.eml",
        stored=1,
    ),
    Case("eml-binary-body", "binary.eml", lambda: raw(HEADERS, os.urandom(256 * 1024)), r"stored: binary\.eml", 1),
    Case("eml-empty", "empty.eml", lambda: b"", r"empty"),
    Case(
        "eml-that-is-a-pdf",
        "scan.eml",
        lambda: b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
        r"stored: scan\.eml",
        stored=1,
    ),
    Case(
        "eml-hostile-attachment-names",
        "names.eml",
        lambda: message([("../../etc/passwd", b"one"), ("C:\\Windows\\x.exe", b"two"), ("a\x07b\x1b.txt", b"three")]),
        r"stored: passwd \(attachment of",
        stored=4,
    ),
    Case(
        "eml-zip-bomb-attachment",
        "bomb.eml",
        lambda: message([("bomb.zip", zip_bomb())]),
        r"stored: bomb\.zip \(attachment of",
        stored=2,
    ),
]

EMAILS = [replace(c, channels=("upload",)) for c in EMAILS]
