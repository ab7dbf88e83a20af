"""Hostile web archives through import_captures: a clear refusal that changes nothing and leaves no file behind, or
versions stored as inert evidence, within 30 s and 1 GiB each."""

import pytest

from evidence.services.sources import source_create
from tests.hostile.capture_files import CAPTURES, SOURCE
from tests.hostile.cases import params
from tests.tracked.warcs import URL


@pytest.mark.parametrize("case, channel", params(CAPTURES))
def test_hostile_capture_file(hostile, matter, user, case, channel):
    source_create(matter=matter, user=user, name=SOURCE, kind="policy", url=URL, reason="test")
    hostile(case, channel).check("evidence.SourceVersion")
