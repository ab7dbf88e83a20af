"""The redline between two versions of a tracked source, block by block and word by word.

Two steps, as a reader compares two versions of a policy. First the blocks (text.py: headings, paragraphs, list
items) are aligned with difflib over whole blocks, so an unchanged paragraph is matched however far it moved down
the page. Where a stretch of blocks differs, each old block is paired with the new one most like it (the share of
words they have in common, at least PAIRED), in order; a paired block is "changed" and its words are compared with
evidence.editions.words.word_diff (the comparison of editions uses the same, so one rule makes every redline), an
old block without a partner is "deleted" and a new one "inserted". Unchanged runs are folded on the page, keeping a
block of context on each side of a change and the heading a change falls under.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from evidence.editions.words import DELETE, EQUAL, INSERT, Segment, word_diff
from evidence.tracked.text import HEADING, Block

UNCHANGED, CHANGED, INSERTED, DELETED = "unchanged", "changed", "inserted", "deleted"
PAIRED = 0.5  # the least share of words two blocks have in common to be read as one block changed
# A stretch of blocks that differs is paired by the best order-keeping match (dynamic programming) up to this many
# comparisons, and beyond it (a text rewritten throughout) each old block looks a few blocks ahead only.
_EXHAUSTIVE = 2_500
_AHEAD = 8
_WORD = re.compile(r"\w+")


def words_in(text: str) -> int:
    return len(_WORD.findall(text))


@dataclass(frozen=True)
class BlockChange:
    status: str  # UNCHANGED, CHANGED, INSERTED or DELETED
    kind: str  # the block's kind in the later version (the earlier one's, for a deleted block)
    level: int
    segments: tuple[Segment, ...]
    kind_was: str = ""  # a paragraph that became a heading, or back: what it was

    @property
    def is_heading(self) -> bool:
        return self.kind == HEADING

    @property
    def old_text(self) -> str:
        return "".join(s.text for s in self.segments if s.op != INSERT)

    @property
    def new_text(self) -> str:
        return "".join(s.text for s in self.segments if s.op != DELETE)

    @property
    def words_inserted(self) -> int:
        return sum(words_in(s.text) for s in self.segments if s.op == INSERT)

    @property
    def words_deleted(self) -> int:
        return sum(words_in(s.text) for s in self.segments if s.op == DELETE)

    @property
    def is_change(self) -> bool:
        return self.status != UNCHANGED


@dataclass(frozen=True)
class Fold:
    """A run of unchanged blocks the page folds ("12 unchanged paragraphs")."""

    blocks: tuple[BlockChange, ...]

    @property
    def label(self) -> str:
        """ "12 unchanged paragraphs and 2 headings", "1 unchanged heading" """
        headings = sum(1 for b in self.blocks if b.is_heading)
        paragraphs = len(self.blocks) - headings
        parts = [_n(paragraphs, "unchanged paragraph")] if paragraphs else []
        if headings:
            parts.append(_n(headings, "heading" if parts else "unchanged heading"))
        return " and ".join(parts)


@dataclass
class Redline:
    blocks: list[BlockChange] = field(default_factory=list)

    @property
    def words_inserted(self) -> int:
        return sum(b.words_inserted for b in self.blocks)

    @property
    def words_deleted(self) -> int:
        return sum(b.words_deleted for b in self.blocks)

    def count(self, status: str) -> int:
        return sum(1 for b in self.blocks if b.status == status)

    @property
    def has_changes(self) -> bool:
        return any(b.is_change for b in self.blocks)

    @property
    def summary(self) -> str:
        """ "14 words inserted, 6 deleted; 3 paragraphs changed, 1 added, 1 removed" or "No change in the text" """
        if not self.has_changes:
            return "No change in the text"
        words = f"{_n(self.words_inserted, 'word')} inserted, {self.words_deleted} deleted"
        blocks = [
            f"{_n(self.count(CHANGED), 'paragraph')} changed",
            f"{self.count(INSERTED)} added",
            f"{self.count(DELETED)} removed",
        ]
        return f"{words}; {', '.join(blocks)}"

    def stretches(self, *, context: int = 1, least: int = 2) -> list[BlockChange | Fold]:
        """The blocks with their unchanged runs folded: `context` blocks are kept on each side of a change, and the
        heading of the section a change falls in when it is close above it; a fold holds at least `least` blocks
        (fewer are shown as they are)."""
        out: list[BlockChange | Fold] = []
        run: list[BlockChange] = []

        def close(before_change: bool):
            lead = context if out and not isinstance(out[-1], Fold) and out[-1].is_change else 0
            trail = context if before_change else 0
            if before_change:  # reach back to the heading the change falls under, when it is near
                for back in range(trail + 1, min(len(run) - lead, context + 3) + 1):
                    if run[-back].is_heading:
                        trail = back
                        break
            middle = run[lead : len(run) - trail]
            if len(middle) >= least:
                out.extend(run[:lead])
                out.append(Fold(tuple(middle)))
                out.extend(run[len(run) - trail :])
            else:
                out.extend(run)
            run.clear()

        for block in self.blocks:
            if block.is_change:
                close(before_change=True)
                out.append(block)
            else:
                run.append(block)
        close(before_change=False)
        return out


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'s' if count != 1 else ''}"


def redline(old: list[Block], new: list[Block]) -> Redline:
    """The redline from the blocks of the earlier version, `old`, to those of the later one, `new`."""
    result = Redline()
    keys_old = [(b.kind, b.text) for b in old]
    keys_new = [(b.kind, b.text) for b in new]
    matcher = difflib.SequenceMatcher(None, keys_old, keys_new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            result.blocks.extend(_unchanged(b) for b in new[j1:j2])
        else:
            result.blocks.extend(_stretch(old[i1:i2], new[j1:j2]))
    return result


def _unchanged(block: Block) -> BlockChange:
    return BlockChange(UNCHANGED, block.kind, block.level, (Segment(EQUAL, block.text),))


def _stretch(old: list[Block], new: list[Block]) -> list[BlockChange]:
    """A stretch of blocks that differs: pairs changed, the rest deleted (first) and inserted, in order."""
    pairs = _pairs(old, new)
    out: list[BlockChange] = []
    i = j = 0
    for pi, pj in [*pairs, (len(old), len(new))]:
        out.extend(BlockChange(DELETED, b.kind, b.level, (Segment(DELETE, b.text),)) for b in old[i:pi])
        out.extend(BlockChange(INSERTED, b.kind, b.level, (Segment(INSERT, b.text),)) for b in new[j:pj])
        if pi < len(old):
            a, b = old[pi], new[pj]
            kind_was = a.kind if a.kind != b.kind else ""
            out.append(BlockChange(CHANGED, b.kind, b.level, tuple(word_diff(a.text, b.text)), kind_was=kind_was))
        i, j = pi + 1, pj + 1
    return out


def _similarity(a: Block, b: Block) -> float:
    words_a, words_b = a.text.split(), b.text.split()
    matcher = difflib.SequenceMatcher(None, words_a, words_b, autojunk=False)
    if matcher.real_quick_ratio() < PAIRED or matcher.quick_ratio() < PAIRED:
        return 0.0
    return matcher.ratio()


def _pairs(old: list[Block], new: list[Block]) -> list[tuple[int, int]]:
    """The (old, new) index pairs of blocks read as the same block changed, in order in both."""
    if not old or not new:
        return []
    if len(old) * len(new) > _EXHAUSTIVE:
        return _pairs_ahead(old, new)
    n, m = len(old), len(new)
    # best[i][j]: the best total similarity pairing old[i:] with new[j:]
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    scores = [[_similarity(a, b) for b in new] for a in old]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            score = scores[i][j]
            paired = score + best[i + 1][j + 1] if score >= PAIRED else 0.0
            best[i][j] = max(paired, best[i + 1][j], best[i][j + 1])
    pairs, i, j = [], 0, 0
    while i < n and j < m:
        score = scores[i][j]
        if score >= PAIRED and best[i][j] == score + best[i + 1][j + 1]:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            i += 1
        else:
            j += 1
    return pairs


def _pairs_ahead(old: list[Block], new: list[Block]) -> list[tuple[int, int]]:
    pairs, j = [], 0
    for i, block in enumerate(old):
        window = range(j, min(j + _AHEAD, len(new)))
        scored = [(_similarity(block, new[k]), -k) for k in window]
        if scored:
            score, k = max(scored)
            if score >= PAIRED:
                pairs.append((i, -k))
                j = -k + 1
    return pairs
