"""Word-level differences between two texts, for the comparison of an edition with now.

Python's difflib (the standard library of the interpreter the project pins, so nothing else to pin) matches word
tokens, whitespace and punctuation kept as tokens of their own so that the text is rebuilt exactly. Left as it is,
a rewritten sentence comes out as a confetti of one-word changes around the spaces they share; as diff-match-patch's
semantic cleanup does, a stretch that is unchanged but for whitespace or a single short word between two changes is
folded into them, and the deletions and insertions of one changed stretch are given as one deletion then one
insertion, which reads as a redline does.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

EQUAL, DELETE, INSERT = "=", "-", "+"
_TOKENS = re.compile(r"\s+|\w+|[^\w\s]")
# An unchanged stretch between two changes shorter than this (in characters, and of at most one word) is folded in.
FOLD_CHARS = 3


@dataclass(frozen=True)
class Segment:
    op: str  # EQUAL, DELETE or INSERT
    text: str

    @property
    def inserted(self) -> bool:
        return self.op == INSERT

    @property
    def deleted(self) -> bool:
        return self.op == DELETE


def tokens(text: str) -> list[str]:
    return _TOKENS.findall(text)


def _small(text: str) -> bool:
    return not text.strip() or (len(text) <= FOLD_CHARS and len(tokens(text.strip())) == 1)


def word_diff(old: str, new: str) -> list[Segment]:
    """`old` turned into `new`, as segments: joining the EQUAL and DELETE ones gives `old`, EQUAL and INSERT `new`."""
    if old == new:
        return [Segment(EQUAL, old)] if old else []
    a, b = tokens(old), tokens(new)
    raw: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            raw.append((EQUAL, "".join(a[i1:i2])))
            continue
        if i2 > i1:
            raw.append((DELETE, "".join(a[i1:i2])))
        if j2 > j1:
            raw.append((INSERT, "".join(b[j1:j2])))
    # Fold small unchanged stretches lying between two changes into them (deleted and inserted alike).
    folded: list[tuple[str, str]] = []
    for i, (op, text) in enumerate(raw):
        between = 0 < i < len(raw) - 1 and raw[i - 1][0] != EQUAL and raw[i + 1][0] != EQUAL
        if op == EQUAL and between and _small(text):
            folded += [(DELETE, text), (INSERT, text)]
        else:
            folded.append((op, text))
    # One deletion then one insertion per changed stretch.
    segments: list[Segment] = []
    i = 0
    while i < len(folded):
        if folded[i][0] == EQUAL:
            segments.append(Segment(EQUAL, folded[i][1]))
            i += 1
            continue
        deleted, inserted = [], []
        while i < len(folded) and folded[i][0] != EQUAL:
            (deleted if folded[i][0] == DELETE else inserted).append(folded[i][1])
            i += 1
        if deleted:
            segments.append(Segment(DELETE, "".join(deleted)))
        if inserted:
            segments.append(Segment(INSERT, "".join(inserted)))
    return _word_aligned(segments)


def _word_aligned(segments: list[Segment]) -> list[Segment]:
    """A lone insertion or deletion that starts with the space the text after it starts with is moved on by that
    space ("was[+ quietly+] amended" reads "was [+quietly +]amended"): the marks then hold whole words."""
    segments = list(segments)
    for i in range(1, len(segments) - 1):
        before, change, after = segments[i - 1], segments[i], segments[i + 1]
        if before.op != EQUAL or after.op != EQUAL or change.op == EQUAL:
            continue
        if change.text[:1].isspace() and after.text[:1] == change.text[:1] and not change.text[-1:].isspace():
            space = change.text[0]
            segments[i - 1] = Segment(EQUAL, before.text + space)
            segments[i] = Segment(change.op, change.text[1:] + space)
            segments[i + 1] = Segment(EQUAL, after.text[1:])
    return [s for s in segments if s.text]


def whole(old: str, new: str) -> list[Segment]:
    """A value that is read as one (a date, a kind): unchanged, or the old one deleted and the new one inserted."""
    if old == new:
        return [Segment(EQUAL, old)] if old else []
    return [Segment(op, text) for op, text in ((DELETE, old), (INSERT, new)) if text]
