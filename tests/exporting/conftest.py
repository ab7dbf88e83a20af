"""Matters the PDF tests export: the demo matter, and a long one that fills several pages."""

import io

import pytest
from django.core.management import call_command

from evidence.models import Matter, Role
from evidence.services.citations import citation_create
from tests.factories import make_document, make_event


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=io.StringIO())
    matter = Matter.objects.get(slug="linkedin-ai-training")
    return matter, matter.memberships.get(role=Role.OWNER).user


@pytest.fixture
def long_matter(matter, user):
    """60 events over three years, each with a long description: several pages."""
    doc = make_document(matter, content=b"exhibit bytes", filename="policy.pdf", title="Privacy policy",
                        bates_start="ACME_000100", bates_end="ACME_000120")  # fmt: skip
    for i in range(60):
        event = make_event(
            matter,
            date=f"{['Mar', 'Jun', 'Oct'][i % 3]} {2022 + i % 3}",
            title=f"Start-{i:02d} event title",
            description=("A long description of what happened. " * 12) + f"End-{i:02d}.",
            is_key=i % 10 == 0,
        )
        citation_create(event=event, document=doc, pinpoint=f"p. {i + 1}", user=user, reason="test")
    return matter
