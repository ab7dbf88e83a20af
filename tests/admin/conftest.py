"""Two matters and a user for every role: the admin must show each of them exactly what the pages would."""

from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile

from evidence.admin.groups import ensure_role_groups
from evidence.models import Actor, Issue, Job, Role
from tests.factories import UserFactory, make_document, make_event, make_matter

ROLES = ["superuser", "owner", "editor", "viewer", "outsider", "nonstaff"]


def staff_in(group, **traits):
    user = UserFactory(**{"staff": True, **traits})
    user.groups.add(group)
    return user


@pytest.fixture
def world(db):
    """Matter `a` (owner, editor, viewer, and a non-staff owner) and matter `b` of `outsider`, a staff owner who is
    no member of `a`. Each staff user is in the group of his role."""
    groups = ensure_role_groups()
    users = {
        "superuser": UserFactory(superuser=True),
        "owner": staff_in(groups[Role.OWNER]),
        "editor": staff_in(groups[Role.EDITOR]),
        "viewer": staff_in(groups[Role.VIEWER]),
        "outsider": staff_in(groups[Role.OWNER]),
        "nonstaff": UserFactory(),
    }
    users["nonstaff"].groups.add(groups[Role.OWNER])
    a = make_matter(
        owner=users["owner"],
        short_title="Doe v. LinkedIn",
        members={users["editor"]: Role.EDITOR, users["viewer"]: Role.VIEWER, users["nonstaff"]: Role.OWNER},
    )
    b = make_matter(owner=users["outsider"], short_title="Secret v. Hidden")
    document = make_document(a, content=b"The article", filename="article.txt", title="DMR News article")
    # Created citing the document: one version (a citation added later would be a version of its own).
    event = make_event(
        a, title="Setting introduced", actors=["LinkedIn"], issues=["consent"], citations=[(document, "p. 2", "")]
    )
    citation = event.citations.get()
    other_event = make_event(b, title="Hidden plan", actors=["Hidden Corp"], issues=["hidden issue"])
    other_document = make_document(b, content=b"hidden bytes", filename="hidden.txt", title="Hidden memo")
    job = Job.objects.create(matter=a, user=users["owner"], kind=Job.Kind.EXPORT)
    return SimpleNamespace(
        users=users,
        groups=groups,
        a=a,
        b=b,
        event=event,
        document=document,
        citation=citation,
        actor=Actor.objects.get(matter=a, name="LinkedIn"),
        issue=Issue.objects.get(matter=a, name="consent"),
        membership=a.memberships.get(user=users["viewer"]),
        job=job,
        other_event=other_event,
        other_document=other_document,
        other_actor=Actor.objects.get(matter=b),
        spare=UserFactory(username="newcomer"),
    )


def history_rows() -> int:
    """Every version row of every model, m2m included, plus the admin's own log."""
    models = [m for m in apps.get_app_config("evidence").get_models() if m.__name__.startswith("Historical")]
    return sum(m.objects.count() for m in models) + LogEntry.objects.count()


@pytest.fixture
def rows():
    return history_rows


def upload(name="new.txt", data=b"new evidence"):
    return SimpleUploadedFile(name, data)


def event_data(event, **changes):
    """The event's change form as the admin would post it, unchanged but for `changes`."""
    citations = list(event.citations.all())
    data = {
        "matter": event.matter_id, "date": event.date.display(), "order": event.order, "title": event.title,
        "description": event.description, "kind": event.kind, "status": event.status,
        "actors": [a.pk for a in event.actors.all()], "issues": [i.pk for i in event.issues.all()],
        "source_note": event.source_note, "external_id": event.external_id, "expected_version": event.version,
        "citations-TOTAL_FORMS": len(citations), "citations-INITIAL_FORMS": len(citations),
    }  # fmt: skip
    for i, citation in enumerate(citations):
        data |= {
            f"citations-{i}-id": citation.pk, f"citations-{i}-event": event.pk,
            f"citations-{i}-document": citation.document_id, f"citations-{i}-pinpoint": citation.pinpoint,
            f"citations-{i}-note": citation.note,
        }  # fmt: skip
    return data | changes


def page(response) -> str:
    return response.content.decode()
