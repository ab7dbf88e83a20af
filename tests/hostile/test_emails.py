"""Hostile e-mails through the documents upload page: a clear refusal that stores nothing, or the message and its
attachments stored as inert files, never a server error, within 30 s and 1 GiB each."""

import pytest

from tests.hostile.cases import params
from tests.hostile.email_files import EMAILS


@pytest.mark.parametrize("case, channel", params(EMAILS))
def test_hostile_email(hostile, case, channel):
    outcome = hostile(case, channel)
    outcome.check("evidence.Document")
    assert outcome.after["counts"]["evidence.Event"] == outcome.before["counts"]["evidence.Event"]
