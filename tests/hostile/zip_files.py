"""Hostile ZIPs of documents, generated: each must end in a clear refusal, or in files stored as inert evidence."""

from __future__ import annotations

import io
import os
import stat
import zipfile
from dataclasses import replace

from tests.hostile.cases import MB, Case, zeros_member, zip_of

CHANNELS = ("command-documents", "admin-documents")
MANIFEST = b"File,Title\nnote.txt,A note\n"


def with_manifest(members: dict[str, bytes], manifest: bytes = MANIFEST) -> bytes:
    return zip_of({"manifest.csv": manifest, **members})


def tiny_members(n: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("manifest.csv", MANIFEST)
        for i in range(n):
            zf.writestr(f"f/{i}.txt", b"x")
    return buffer.getvalue()


def symlink() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("manifest.csv", b"File\nlink\n")
        info = zipfile.ZipInfo("link")
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(info, "/etc/passwd")
    return buffer.getvalue()


def zeros(members: dict[str, int], manifest: bytes = MANIFEST) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.csv", manifest)
        for name, size in members.items():
            zeros_member(zf, name, size)
    return buffer.getvalue()


def nested_bomb() -> bytes:
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w", zipfile.ZIP_DEFLATED) as zf:
        zeros_member(zf, "zeros.bin", 100 * MB)
    return zip_of(
        {"manifest.csv": b"File,Title\ninner.zip,A ZIP inside the ZIP\n", "inner.zip": inner.getvalue()}, stored=True
    )


def encrypted_flag() -> bytes:
    """note.txt marked encrypted in the central directory (zipfile itself will not write the flag)."""
    data = bytearray(with_manifest({"note.txt": b"looks encrypted"}))
    entry = data.rfind(b"PK\x01\x02")  # the last entry: note.txt
    data[entry + 8] |= 0x1
    return bytes(data)


def lying_end_record() -> bytes:
    """A valid ZIP whose end record declares 65,535 members (all the 16-bit fields hold)."""
    data = bytearray(with_manifest({"note.txt": b"hello"}))
    end = data.rfind(b"PK\x05\x06")
    data[end + 8 : end + 12] = (65_535).to_bytes(2, "little") * 2
    return bytes(data)


def wide_manifest() -> bytes:
    header = "File,Title," + ",".join(f"c{i}" for i in range(9_998))
    return with_manifest({"note.txt": b"hello"}, f"{header}\nnote.txt,A note\n".encode())


ZIPS = [
    Case(
        "zip-10000-tiny-members",
        "tiny.zip",
        lambda: tiny_members(10_000),
        r"has 10,001 members.*IMPORT_ZIP_MAX_MEMBERS",
    ),
    Case("zip-end-record-declares-65535", "lies.zip", lying_end_record, r"has 65,535 members"),
    Case("zip-dotdot-path", "evil.zip", lambda: with_manifest({"../evil.txt": b"x"}), "a path outside the ZIP"),
    Case("zip-nested-dotdot-path", "evil.zip", lambda: with_manifest({"a/../../evil.txt": b"x"}), "outside the ZIP"),
    Case("zip-absolute-path", "evil.zip", lambda: with_manifest({"/etc/evil.txt": b"x"}), "a path outside the ZIP"),
    Case("zip-drive-letter", "evil.zip", lambda: with_manifest({"C:/evil.txt": b"x"}), "a path outside the ZIP"),
    Case("zip-symlink", "link.zip", symlink, "symbolic link"),
    Case("zip-bomb-member", "bomb.zip", lambda: zeros({"note.txt": 50 * MB}), r"“note.txt” expands [\d,]+ times"),
    Case(
        "zip-small-members-over-budget",
        "many.zip",
        lambda: zeros({f"z/{i}.bin": 100_000 for i in range(200)}),
        r"unpacks to more than 10,485,760 bytes.*IMPORT_ZIP_MAX_RATIO",
    ),
    Case("zip-nested-zip-bomb", "nested.zip", nested_bomb, r"1 documents added", stored=1),
    Case("zip-manifest-10000-columns", "wide.zip", wide_manifest, r"row 1 has 10,000 columns.*IMPORT_MAX_COLUMNS"),
    Case(
        "zip-manifest-long-cell",
        "cell.zip",
        lambda: with_manifest({"note.txt": b"x"}, b"File,Title\nnote.txt," + b"x" * 500_000 + b"\n"),
        r"a cell of row 2 holds more than 100,000",
    ),
    Case(
        "zip-manifest-nul", "nul.zip", lambda: with_manifest({"note.txt": b"x"}, b"File\x00,Title\n"), "NUL character"
    ),
    Case(
        "zip-manifest-over-import-limit",
        "big.zip",
        lambda: with_manifest({"note.txt": b"x"}, MANIFEST + os.urandom(3000).hex().encode()),
        r"manifest “manifest.csv” is [\d,]+ bytes.*IMPORT_MAX_BYTES",
        settings={"IMPORT_MAX_BYTES": 4000},
    ),
    Case("zip-without-manifest", "none.zip", lambda: zip_of({"note.txt": b"x"}), "no manifest.csv"),
    Case("zip-not-a-zip", "garbage.zip", lambda: b"PK\x03\x04" + os.urandom(4000), "not a readable ZIP file"),
    Case("zip-empty-file", "empty.zip", lambda: b"", r"empty|not a readable ZIP file"),
    Case("zip-encrypted-member", "secret.zip", encrypted_flag, "is encrypted"),
    Case(
        "zip-member-over-upload-limit",
        "large.zip",
        lambda: with_manifest({"note.txt": os.urandom(5000)}),
        r"larger than the upload limit.*EVIDENCE_MAX_UPLOAD_BYTES",
        settings={"EVIDENCE_MAX_UPLOAD_BYTES": 4000},
    ),
    Case(
        "zip-failing-intake-rolls-back-files",
        "half.zip",
        lambda: with_manifest(
            {"note.txt": b"stored first", "empty.txt": b""},
            b"File,Title,Exhibit\nnote.txt,A note,5\nempty.txt,Empty,\n",
        ),
        r"is empty \(0 bytes\)",
    ),
]

ZIPS = [replace(c, channels=CHANNELS) for c in ZIPS]
