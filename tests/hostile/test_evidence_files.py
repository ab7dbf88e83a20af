"""Hostile evidence files through the documents upload page: refused by text extraction with the bound named and
nothing stored, or stored as the file it is, within 30 s and 1 GiB each."""

import pytest

from tests.hostile.cases import params
from tests.hostile.evidence_files import EVIDENCE


@pytest.mark.parametrize("case, channel", params(EVIDENCE))
def test_hostile_evidence_file(hostile, case, channel):
    hostile(case, channel).check("evidence.Document")
