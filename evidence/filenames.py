"""File names that leave the app (downloads, PDF attachments, archive entries) and file names shown on screen.

A name is evidence too: the sender chose it, and a matter's exhibit prefix is typed by its owners. Neither may steer
a `Content-Disposition` header, a path in an archive or the reading order of a page: `exhibit_file_name` builds every
outgoing name of a document from parts cleaned by `safe_part`; on screen, `evidence.text.shown` makes the direction
controls of a name visible instead of obeyed ("invoice[U+202E]fdp.exe", never read as "invoiceexe.pdf").
"""

import re
import unicodedata

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


def readable_stem(name: str, *, fallback: str = "file") -> str:
    """A file name without its extension, for names people read, as the filing package names its files
    ("Ex. 1 – Privacy policy"): cleaned like `safe_part`, but white space becomes one space rather than "_", and cut
    to leave room for " (part 10 of 12).pdf" within MAX_NAME."""
    name = unicodedata.normalize("NFC", name or "")
    kept = "".join("_" if _RESERVED.match(c) else c for c in name if unicodedata.category(c) not in ("Cc", "Cf"))
    kept = " ".join(kept.split()).strip(". ")[: MAX_NAME - 24].rstrip(". ")
    return kept or fallback
