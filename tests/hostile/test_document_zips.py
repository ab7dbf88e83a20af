"""Hostile ZIPs of documents through the import_documents command and the admin's import page: a clear refusal that
changes nothing and leaves no file behind, or files stored as inert evidence, within 30 s and 1 GiB each."""

import pytest

from tests.hostile.cases import params
from tests.hostile.zip_files import ZIPS


@pytest.mark.parametrize("case, channel", params(ZIPS))
def test_hostile_zip(hostile, case, channel):
    hostile(case, channel).check("evidence.Document")
