"""Word-level differences: only the words that changed are marked, and both texts can be rebuilt from them."""

import pytest

from evidence.editions.words import DELETE, EQUAL, INSERT, whole, word_diff


def marked(segments) -> str:
    return "".join(s.text if s.op == EQUAL else f"[{s.op}{s.text}{s.op}]" for s in segments)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("The policy was amended.", "The policy was quietly amended.", "The policy was [+quietly +]amended."),
        ("opted in by default", "opted out by default", "opted [-in-][+out+] by default"),
        ("one two three four", "five six seven", "[-one two three four-][+five six seven+]"),
        # a word left between two changes is read as part of them, as a reader would redline it
        (
            "sent a notice to members",
            "sent an e-mail to all members",
            "sent [-a notice-][+an e-mail+] to [+all +]members",
        ),
        ("The policy was amended", "The policy was quietly amended", "The policy was [+quietly +]amended"),
        ("a long and winding road", "a long road", "a long [-and winding -]road"),
        ("", "New text", "[+New text+]"),
        ("Old text", "", "[-Old text-]"),
        ("same", "same", "same"),
    ],
)
def test_word_diff(old, new, expected):
    segments = word_diff(old, new)
    assert marked(segments) == expected
    assert "".join(s.text for s in segments if s.op != INSERT) == old
    assert "".join(s.text for s in segments if s.op != DELETE) == new


def test_a_date_is_compared_whole():
    assert marked(whole("Aug 2024", "Sept 2024")) == "[-Aug 2024-][+Sept 2024+]"
    assert marked(whole("Aug 2024", "Aug 2024")) == "Aug 2024"
