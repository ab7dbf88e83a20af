"""The redline of two versions' blocks: exact inserted and deleted spans, paragraphs and headings kept in their
places, unchanged stretches folded with context, words counted."""

from evidence.editions.words import DELETE, EQUAL, INSERT
from evidence.tracked.redline import CHANGED, DELETED, INSERTED, UNCHANGED, Fold, redline
from evidence.tracked.text import HEADING, ITEM, PARAGRAPH, Block, blocks_from_text


def marked(change) -> str:
    return "".join(s.text if s.op == EQUAL else f"[{s.op}{s.text}{s.op}]" for s in change.segments)


OLD = """# Privacy Policy

## 1. What we collect

We collect your name and e-mail address when you join.

We do not use your data to train generative AI models.

## 2. Sharing

We share data with our affiliates.

- Service providers
- Law enforcement, when the law requires it

## 3. Contact

Write to privacy@example.com.
"""

NEW = """# Privacy Policy

## 1. What we collect

We collect your name, e-mail address and phone number when you join.

We may use your data to develop and train artificial intelligence (AI) models.

## 2. Sharing

We share data with our affiliates.

- Service providers
- Law enforcement, when the law requires it
- Partners who help us develop AI features

## 3. Contact

Write to privacy@example.com.
"""


def test_exact_spans_inserted_and_deleted_with_paragraphs_and_headings_kept():
    result = redline(blocks_from_text(OLD), blocks_from_text(NEW))
    rows = [(b.status, b.kind, marked(b)) for b in result.blocks]
    assert rows == [
        (UNCHANGED, HEADING, "Privacy Policy"),
        (UNCHANGED, HEADING, "1. What we collect"),
        (
            CHANGED,
            PARAGRAPH,
            "We collect your name[- and-][+,+] e-mail address [+and phone number +]when you join.",
        ),
        (
            CHANGED,
            PARAGRAPH,
            "We [-do not-][+may+] use your data to [+develop and +]train [-generative AI-]"
            "[+artificial intelligence (AI)+] models.",
        ),
        (UNCHANGED, HEADING, "2. Sharing"),
        (UNCHANGED, PARAGRAPH, "We share data with our affiliates."),
        (UNCHANGED, ITEM, "Service providers"),
        (UNCHANGED, ITEM, "Law enforcement, when the law requires it"),
        (INSERTED, ITEM, "[+Partners who help us develop AI features+]"),
        (UNCHANGED, HEADING, "3. Contact"),
        (UNCHANGED, PARAGRAPH, "Write to privacy@example.com."),
    ]
    # each version's text rebuilt exactly, block by block, from the redline
    assert [b.old_text for b in result.blocks if b.status != INSERTED] == [b.text for b in blocks_from_text(OLD)]
    assert [b.new_text for b in result.blocks if b.status != DELETED] == [b.text for b in blocks_from_text(NEW)]
    assert result.words_inserted == 3 + (1 + 2 + 3) + 7
    assert result.words_deleted == 1 + (2 + 2)
    assert result.summary == "16 words inserted, 5 deleted; 2 paragraphs changed, 1 added, 0 removed"


def test_a_removed_paragraph_and_a_new_one_are_deleted_and_inserted_not_paired():
    old = [Block(PARAGRAPH, "Keep."), Block(PARAGRAPH, "Members may opt out in their settings at any time.")]
    new = [Block(PARAGRAPH, "Keep."), Block(PARAGRAPH, "Contact our Data Protection Officer for help.")]
    result = redline(old, new)
    assert [(b.status, marked(b)) for b in result.blocks] == [
        (UNCHANGED, "Keep."),
        (DELETED, "[-Members may opt out in their settings at any time.-]"),
        (INSERTED, "[+Contact our Data Protection Officer for help.+]"),
    ]
    assert (result.words_inserted, result.words_deleted) == (7, 10)


def test_moved_unchanged_paragraphs_stay_matched_and_a_changed_one_is_paired_in_order():
    old = [Block(PARAGRAPH, t) for t in ("Alpha one two three.", "Beta four five six.", "Gamma seven eight nine.")]
    new = [Block(PARAGRAPH, t) for t in ("Alpha one two three.", "Beta four FIVE six.", "Gamma seven eight nine.")]
    result = redline(old, new)
    assert [marked(b) for b in result.blocks] == [
        "Alpha one two three.",
        "Beta four [-five-][+FIVE+] six.",
        "Gamma seven eight nine.",
    ]


def test_a_paragraph_that_became_a_heading_says_so():
    result = redline([Block(PARAGRAPH, "Cookies")], [Block(HEADING, "Cookies", 2)])
    [block] = result.blocks
    assert (block.status, block.kind, block.kind_was, marked(block)) == (CHANGED, HEADING, PARAGRAPH, "Cookies")


def test_unchanged_stretches_fold_keeping_context_and_the_heading_above_a_change():
    old = [Block(HEADING, "Policy", 1)] + [Block(PARAGRAPH, f"Paragraph {n} stays.") for n in range(1, 11)]
    old += [Block(HEADING, "Sharing", 2), Block(PARAGRAPH, "We share with affiliates.")]
    old += [Block(PARAGRAPH, f"Closing {n} stays.") for n in range(1, 6)]
    new = list(old)
    new[12] = Block(PARAGRAPH, "We share with affiliates and partners.")
    shown = redline(old, new).stretches()
    assert [s.label if isinstance(s, Fold) else s.new_text for s in shown] == [
        "10 unchanged paragraphs and 1 heading",  # the title and paragraphs 1-10, folded
        "Sharing",  # the heading the change falls under, kept in view
        "We share with affiliates and partners.",
        "Closing 1 stays.",  # one paragraph of context after the change
        "4 unchanged paragraphs",
    ]
    folded = [s for s in shown if isinstance(s, Fold)]
    assert [b.new_text for b in folded[1].blocks] == [f"Closing {n} stays." for n in range(2, 6)]


def test_a_short_unchanged_run_between_changes_is_not_folded():
    old = [Block(PARAGRAPH, f"Paragraph {n} one two three.") for n in range(5)]
    new = list(old)
    new[0] = Block(PARAGRAPH, "Paragraph 0 one two three four.")
    new[4] = Block(PARAGRAPH, "Paragraph 4 one two three four.")
    shown = redline(old, new).stretches()
    assert not any(isinstance(s, Fold) for s in shown)  # 3 unchanged: one of context each side leaves 1
    assert len(shown) == 5


def test_identical_versions_have_no_change_and_fold_whole():
    blocks = [Block(PARAGRAPH, f"Paragraph {n}.") for n in range(4)]
    result = redline(blocks, list(blocks))
    assert not result.has_changes
    assert result.summary == "No change in the text"
    [fold] = result.stretches()
    assert fold.label == "4 unchanged paragraphs"


def test_a_text_rewritten_throughout_is_paired_by_looking_ahead():
    old = [Block(PARAGRAPH, f"Clause {n} says the member agrees to term {n}.") for n in range(80)]
    new = [Block(PARAGRAPH, f"Clause {n} says the user agrees to term {n}.") for n in range(80)]
    result = redline(old, new)
    assert result.count(CHANGED) == 80
    assert result.words_inserted == result.words_deleted == 80
    assert all(marked(b) == f"Clause {n} says the [-member-][+user+] agrees to term {n}." for n, b in
               enumerate(result.blocks))  # fmt: skip


def test_segment_ops_are_the_word_diffs():
    result = redline([Block(PARAGRAPH, "opted in")], [Block(PARAGRAPH, "opted out")])
    assert [s.op for s in result.blocks[0].segments] == [EQUAL, DELETE, INSERT]
