"""Hostile chronologies through the import_events command and the admin's import page: a clear refusal that changes
nothing, or inert text, within 30 s and 1 GiB each."""

import pytest

from tests.hostile.cases import params
from tests.hostile.event_files import EVENT_FILES, FORMULAS


@pytest.mark.parametrize("case, channel", params(EVENT_FILES))
def test_hostile_event_file(hostile, case, channel):
    outcome = hostile(case, channel)
    outcome.check("evidence.Event")
    if "formula" in case.id:  # stored as the text it is; the exports neutralise it
        assert outcome.after["titles"][-len(FORMULAS) :] == FORMULAS
