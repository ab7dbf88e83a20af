"""The timeline's rows cut long titles as the truncatechars filter does (evidence.views.rows._truncated)."""

import pytest
from django.utils.text import Truncator

from evidence.views.rows import _truncated

TITLES = [
    "",
    "Short",
    "x" * 40,
    "x" * 41,
    "LinkedIn adds the “Data for Generative AI Improvement” setting, on by default for US members",
    "Cafe\u0301 policy: decomposed accents are composed, and do not count" + " e\u0301" * 30,
    "Combining marks past the cut: " + "a\u0308" * 50,
    "Emoji 🧑‍⚖️ and CJK 訴訟の記録 in a title long enough to be cut somewhere in the middle of it",
    "Ends in an ellipsis already…" + "." * 40,
]


@pytest.mark.parametrize("length", [1, 2, 40, 60])
@pytest.mark.parametrize("title", TITLES)
def test_a_title_is_cut_as_the_truncatechars_filter_cuts_it(title, length):
    assert _truncated(title, length) == Truncator(title).chars(length)
