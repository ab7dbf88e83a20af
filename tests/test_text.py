"""The one text rule (evidence/text.py): what XML refuses is removed or replaced, line breaks are one kind, bidi
controls are kept and shown visibly."""

import xml.etree.ElementTree as ET

import pytest

from evidence.models import Actor
from evidence.text import BIDI_CONTROLS, clean, clean_fields, from_shown, shown

RLO = "\u202e"
EVERY_C0 = "".join(chr(c) for c in range(0x20))


def xml_accepts(text: str) -> bool:
    try:
        ET.fromstring(f"<t>{text}</t>".encode("utf-8", "surrogatepass"))
    except ET.ParseError:
        return False
    return True


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("Policy amended", "Policy amended"),
        ("i\x00n\x00v\x00", "inv"),  # UTF-16 read as UTF-8: the words come back
        ("one\r\ntwo\rthree\nfour", "one\ntwo\nthree\nfour"),
        ("line\x0bbreak\x0cpage", "line\nbreak\npage"),  # Word's manual line break and page break
        ("a\x85b\u2028c\u2029d", "a\nb\nc\nd"),
        ("bell\x07escape\x1b", "bell\ufffdescape\ufffd"),
        ("del\x7f c1\x80\x9f", "del\ufffd c1\ufffd\ufffd"),
        ("lone \ud800 surrogate \udcff", "lone \ufffd surrogate \ufffd"),
        ("not \ufffe characters \uffff", "not \ufffd characters \ufffd"),
        ("tab\tkept", "tab\tkept"),
        (f"invoice{RLO}exe.pdf", f"invoice{RLO}exe.pdf"),  # right-to-left text needs its controls
        ("مرحبا\u200fعالم", "مرحبا\u200fعالم"),
        ("emoji 📄 and ß", "emoji 📄 and ß"),
    ],
)
def test_clean(given, kept):
    assert clean(given) == kept


def test_everything_clean_leaves_is_accepted_by_xml():
    nasty = EVERY_C0 + "\x7f\x80\x9f\ud800\udfff\ufffe\uffff" + "".join(BIDI_CONTROLS)
    assert not xml_accepts(nasty)
    assert xml_accepts(clean(nasty)) and xml_accepts(shown(nasty))


def test_clean_is_idempotent_and_leaves_non_text_alone():
    once = clean(EVERY_C0 + "\ud800")
    assert clean(once) == once
    assert clean(None) is None and clean(3) == 3


def test_shown_writes_out_bidi_and_control_characters():
    assert shown(f"invoice{RLO}fdp.exe") == "invoice[U+202E]fdp.exe"
    assert shown("a\u2066b\u2069\u200e\u061c\x07") == "a[U+2066]b[U+2069][U+200E][U+061C][U+0007]"
    assert shown("Änderung\tpolicy") == "Änderung\tpolicy"
    assert shown("a\r\nb") == "a\nb"
    assert shown("lone \udc80 \ufffe") == "lone \ufffd \ufffd"
    assert shown(None) == "" and shown("") == ""


def test_from_shown_reads_back_only_the_bidi_controls_shown_wrote():
    for control in BIDI_CONTROLS:
        assert from_shown(shown(f"a{control}b")) == f"a{control}b"
    assert from_shown("[U+0007] and [U+0041] stay as written") == "[U+0007] and [U+0041] stay as written"
    assert from_shown("invoice[u+202e]exe.pdf") == f"invoice{RLO}exe.pdf"


def test_clean_fields_cleans_every_text_field_of_an_instance():
    actor = Actor(name="Acme\x00 Corp\x01", kind="organisation")
    clean_fields(actor)
    assert actor.name == "Acme Corp\ufffd" and actor.kind == "organisation"
