"""The one rule for text the app keeps, and the one way names and titles are shown.

Every stored string must export in every format: PDF, Word and XLSX are XML inside, and XML 1.0 refuses most
control characters, lone surrogates and U+FFFE/U+FFFF (openpyxl and python-docx raise on them; PostgreSQL refuses
NUL outright). `clean` is applied wherever text comes in (services.base for every single write, the import cell
reader, the e-mail reader, the forms) and again by every exporter, so a row stored before the rule still exports:

* NUL is removed: it is padding or the mark of a UTF-16 file read as UTF-8 ("i\\x00n\\x00v"), and removing it gives
  the words back, where a replacement between every letter would hide them.
* CR LF, CR, VT and FF (Word's manual line and page breaks), NEL, U+2028 and U+2029 become "\\n": one line break.
* Every other C0 control but tab, DEL, the C1 controls (U+0080..U+009F, which no text means; in practice the bytes
  of a wrongly decoded file), lone surrogates (a file name's undecodable bytes) and U+FFFE/U+FFFF become U+FFFD,
  the replacement character: the reader sees that something unreadable was received, and where.
* Bidirectional controls are kept: right-to-left text needs them. `shown` makes them visible where a name or title
  is shown, so that "invoice\\u202eexe.pdf" never reads as "invoicefdp.exe".
"""

import re

# The bidirectional embeddings, overrides and isolates, and the direction marks (Arabic letter mark included).
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")

REPLACEMENT = "\ufffd"
# Everything `clean` changes; most text has none of it, and one search is the whole cost then.
_ANY = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")
_LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
_LINE_BREAKS_BUT_FF = re.compile("\r\n|[\r\x0b\x85\u2028\u2029]")
_REFUSED = re.compile("[\x01-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# What `shown` writes out: the bidi controls, and any control character but tab and line feed (a row stored before
# `clean` may still hold one, and the reader is told which).
_SHOWN = re.compile("[" + "".join(sorted(BIDI_CONTROLS)) + "\x00-\x08\x0b-\x1f\x7f-\x9f]")
_WRITTEN = re.compile(r"\[U\+(061C|200[EF]|202[A-E]|206[6-9])\]", re.IGNORECASE)


def clean(text: str, *, page_breaks: bool = False) -> str:
    """`text` as the app keeps it (see the module docstring); anything that is not a string is returned as it is.
    `page_breaks`: form feeds are kept (they separate the pages of a document's extracted text)."""
    if not isinstance(text, str) or not _ANY.search(text):
        return text
    breaks = _LINE_BREAKS_BUT_FF if page_breaks else _LINE_BREAKS
    return _REFUSED.sub(REPLACEMENT, breaks.sub("\n", text.replace("\x00", "")))


def shown(text: str) -> str:
    """A name or title for a reader: each bidi control (and any control character but tab and line feed) written
    out as "[U+202E]", so that what is shown is what was received, in the order it was received; whatever else XML
    refuses is replaced as `clean` does. Safe in every export format."""
    if not text:
        return text or ""
    return clean(_SHOWN.sub(lambda m: f"[U+{ord(m[0]):04X}]", _LINE_BREAKS.sub("\n", text)))


def from_shown(text: str) -> str:
    """The bidi controls `shown` wrote out ("[U+202E]") read back as the characters, so that a spreadsheet this app
    exported imports back as it was. Only bidi controls: no other control character is ever stored."""
    if "[U+" not in text and "[u+" not in text:
        return text
    return _WRITTEN.sub(lambda m: chr(int(m[1], 16)), text)


def clean_fields(instance) -> None:
    """Apply `clean` to every text field of a model instance, before it is validated and saved."""
    for model_field in instance._meta.concrete_fields:
        if model_field.get_internal_type() in ("CharField", "TextField", "SlugField", "EmailField", "URLField"):
            value = getattr(instance, model_field.attname)
            if isinstance(value, str):
                setattr(instance, model_field.attname, clean_for(model_field, value))


def clean_for(model_field, value: str) -> str:
    """`clean` for a value of this model field: form feeds are kept where the model names the field among its
    PAGED_TEXT_FIELDS (a document's extracted text, whose pages they separate)."""
    return clean(value, page_breaks=model_field.name in getattr(model_field.model, "PAGED_TEXT_FIELDS", ()))


def sentence(text: str) -> str:
    """`text` ended with a full stop, unless it ends with one already (a title ending in "Inc." or "?")."""
    return text if text.rstrip().endswith((".", "!", "?", "…")) else f"{text}."
