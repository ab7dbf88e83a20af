"""File names that leave the app (downloads, PDF attachments, archive entries) and file names shown on screen.

A name is evidence too: the sender chose it, and a matter's exhibit prefix is typed by its owners. Neither may steer
a `Content-Disposition` header, a path in an archive or the reading order of a page: `exhibit_file_name` builds every
outgoing name of a document from parts cleaned by `safe_part`, and `shown` makes the direction controls of a name
visible instead of obeyed ("invoice‮fdp.exe" is shown as "invoice[U+202E]fdp.exe", not as "invoiceexe.pdf").
"""

import re
import unicodedata

# The bidirectional embeddings, overrides and isolates, and the direction marks (Arabic letter mark included).
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Characters no file system or archive format takes in a name, or that mean a path.
_RESERVED = re.compile(r'[\\/:*?"<>|]')
# White space becomes "_" as well: a name in a header, a command line or an archive needs no quoting.
_RUNS = re.compile(r"[\s_]+")
_BEFORE_DOT = re.compile(r"_+\.")  # "report (final).pdf" -> "report_final.pdf", not "report_final_.pdf"
MAX_NAME = 150


def safe_part(text: str, *, fallback: str = "") -> str:
    """`text` as one part of a file name: no path separators, reserved characters or white space (each run becomes
    one "_"), no control or invisible formatting characters (bidi controls among them), no leading or trailing dots;
    `fallback` if nothing is left. Letters of every script are kept."""
    text = unicodedata.normalize("NFC", text or "")
    kept = "".join("_" if _RESERVED.match(c) else c for c in text if unicodedata.category(c) not in ("Cc", "Cf"))
    return _BEFORE_DOT.sub(".", _RUNS.sub("_", kept)).strip("._") or fallback


def safe_file_name(name: str, *, fallback: str = "file") -> str:
    """A whole file name made safe by `safe_part`, cut to MAX_NAME characters with its extension kept."""
    name = safe_part(name, fallback=fallback)
    if len(name) <= MAX_NAME:
        return name
    stem, dot, extension = name.rpartition(".")
    if not dot or len(extension) > 16:
        return name[:MAX_NAME].rstrip("._")
    return f"{stem[: MAX_NAME - len(extension) - 1].rstrip('._')}.{extension}"


def exhibit_file_name(document) -> str:
    """The name a document's file leaves under: "PX-3_privacy_policy.pdf", from its matter's exhibit prefix, its
    exhibit number and its original name, each made safe. The one rule for downloads, PDF attachments and archive
    entries, so an exhibit is called the same wherever it lands."""
    prefix = safe_part(document.matter.exhibit_prefix, fallback="Exhibit-")
    return safe_file_name(f"{prefix}{document.exhibit_number}_{safe_part(document.original_filename)}")


def shown(text: str) -> str:
    """`text` for display: each bidi control and other control character written out as "[U+202E]", so that what
    is shown is what was received, in the order it was received."""
    if not text:
        return text or ""
    return "".join(
        f"[U+{ord(c):04X}]" if c in BIDI_CONTROLS or (unicodedata.category(c) == "Cc" and c not in "\t\n") else c
        for c in text
    )
