"""Citations: one per (event, document, pinpoint), within the event's matter."""

import pytest
from django.core.exceptions import ValidationError

from evidence.models import Citation
from evidence.services.citations import citation_create
from tests.factories import make_document, make_event


def test_citation_is_unique_per_pinpoint_and_within_the_matter(matter, user, make_user):
    from tests.factories import MatterFactory

    event = make_event(matter)
    doc = make_document(matter)
    citation_create(event=event, document=doc, pinpoint="p. 3", user=user, reason="cite")
    with pytest.raises(ValidationError):
        citation_create(event=event, document=doc, pinpoint="p. 3", user=user, reason="cite")
    other_doc = make_document(MatterFactory(owner=user), content=b"elsewhere")
    with pytest.raises(ValidationError, match="its own matter"):
        citation_create(event=event, document=other_doc, user=user, reason="cite")
    assert Citation.objects.count() == 1
    assert Citation.objects.get().label == "PX-1 p. 3"
