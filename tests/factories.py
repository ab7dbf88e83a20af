"""Factories that go through the services, so test data carries history like real data."""

import io
import itertools

import factory
import pypdf
from django.contrib.auth import get_user_model

from evidence.models import Role
from evidence.services.documents import document_intake
from evidence.services.events import event_create
from evidence.services.matters import matter_create, membership_set


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@firm.example")
    password = factory.django.Password("pw")

    class Params:
        staff = factory.Trait(is_staff=True)
        superuser = factory.Trait(is_staff=True, is_superuser=True)


def make_matter(*, owner=None, slug=None, members=None, **fields):
    """A matter owned by `owner`; `members` maps users to roles."""
    owner = owner or UserFactory()
    make_matter.n = getattr(make_matter, "n", 0) + 1
    fields.setdefault("short_title", f"Doe v. Acme {make_matter.n}")
    fields.setdefault("time_zone", "America/Los_Angeles")
    matter = matter_create(user=owner, slug=slug or f"matter-{make_matter.n}", **fields)
    for member, role in (members or {}).items():
        membership_set(matter=matter, user=owner, member=member, role=Role(role), reason="test")
    return matter


def make_event(matter, *, user=None, date="Aug 2024", title="An event", reason="test", **fields):
    user = user or matter.memberships.first().user
    return event_create(matter=matter, user=user, date=date, title=title, reason=reason, **fields)


def make_document(matter, *, user=None, content=b"%PDF-1.4 not really", filename="doc.pdf", reason="test", **fields):
    user = user or matter.memberships.first().user
    return document_intake(
        matter=matter, user=user, file=io.BytesIO(content), filename=filename, reason=reason, **fields
    ).document


_pdf_serial = itertools.count(1)


def make_pdf(pages: int, *, title: str = "") -> bytes:
    """A real PDF of `pages` blank pages as pypdf writes it; each call's bytes differ (by their title), so two are
    two documents."""
    writer = pypdf.PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=612, height=792)
    writer.add_metadata({"/Title": title or f"Exhibit {next(_pdf_serial)}"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
