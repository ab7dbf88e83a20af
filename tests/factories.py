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
from evidence.services.sources import source_create, version_add


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


def make_text_pdf(pages: list[str]) -> bytes:
    """A real PDF with one line of text on each page, set in Helvetica (not embedded, so a viewer draws it with its
    standard fonts), each page readable back by pypdf and pdftotext."""
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", None, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    kids = []
    for text in pages:
        escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        stream = f"BT /F1 14 Tf 72 700 Td ({escaped}) Tj ET"
        objects.append(f"<< /Length {len(stream.encode('latin-1'))} >>\nstream\n{stream}\nendstream")
        content = len(objects)
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {content} 0 R "
            "/Resources << /Font << /F1 3 0 R >> >> >>"
        )
        kids.append(f"{len(objects)} 0 R")
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(pages)} >>"
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1"))
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def make_source(matter, *, user=None, name="Privacy Policy", kind="policy", reason="test", **fields):
    user = user or matter.memberships.first().user
    return source_create(matter=matter, user=user, name=name, kind=kind, reason=reason, **fields)


def make_version(source, *, user=None, content=None, document=None, capture_method="upload", reason="test", **fields):
    """A version of `source`: `document`, or a new text document of `content` (distinct bytes per call by default)."""
    user = user or source.matter.memberships.first().user
    if document is None:
        content = content if content is not None else f"Version {next(_pdf_serial)} of {source.name}".encode()
        document = make_document(source.matter, user=user, content=content, filename="version.txt")
    return version_add(
        source=source, document=document, user=user, capture_method=capture_method, reason=reason, **fields
    )
