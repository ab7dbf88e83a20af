"""Every admin URL of a record of matter `a`, for every role, GET and POST: the status a user gets, and whether any
history row (or admin log entry) was written.

Roles, in this order: superuser, owner, editor, viewer (of `a`), outsider (staff owner of another matter), non-staff
owner of `a`. "302w" is a redirect after a write; every other code must leave the database as it was.
"""

import pytest
from django.urls import reverse

from tests.admin.conftest import ROLES, upload

#        superuser owner editor viewer outsider nonstaff
EXPECTED = {
    "matter": {
        "changelist GET": "200 200 200 200 200 302",
        "changelist POST": "200 200 200 200 200 302",  # no actions: nothing to do
        "add GET": "200 200 403 403 200 302",
        "add POST": "302w 302w 403 403 302w 302",  # a new matter, owned by whoever opens it
        "change GET": "200 200 200 200 302 302",
        "change POST": "302w 302w 403 403 302 302",
        "delete GET": "403 403 403 403 403 302",
        "delete POST": "403 403 403 403 403 302",
        "history GET": "200 200 200 200 404 302",
        "version GET": "200 200 200 200 404 302",
        "version POST": "403 403 403 403 404 302",
    },
    "membership": {
        "changelist GET": "200 200 403 403 200 302",
        "changelist POST": "302w 302w 403 403 302 302",
        "add GET": "200 200 403 403 200 302",
        "add POST": "302w 302w 403 403 200 302",
        "change GET": "200 200 403 403 302 302",
        "change POST": "302w 302w 403 403 302 302",
        "delete GET": "200 200 403 403 302 302",
        "delete POST": "302w 302w 403 403 302 302",
        "history GET": "200 200 403 403 404 302",
        "version GET": "200 200 403 403 404 302",
        "version POST": "403 403 403 403 404 302",
    },
    **{
        name: {
            "changelist GET": "200 200 200 200 200 302",
            "changelist POST": "302w 302w 302w 200 302 302",  # soft delete / delete citations; none for viewers
            "add GET": "200 200 200 403 200 302",
            "add POST": "302w 302w 302w 403 200 302",
            "change GET": "200 200 200 200 302 302",
            "change POST": "302w 302w 302w 403 302 302",
            "delete GET": "200 200 200 403 302 302" if name == "citation" else "403 403 403 403 403 302",
            "delete POST": "302w 302w 302w 403 302 302" if name == "citation" else "403 403 403 403 403 302",
            "history GET": "200 200 200 200 404 302",
            "version GET": "200 200 200 200 404 302",
            "version POST": "403 403 403 403 404 302",
        }
        for name in ("event", "document", "citation")
    },
    **{
        name: {
            "changelist GET": "200 200 200 200 200 302",
            "changelist POST": "200 200 200 200 200 302",  # no actions: never deleted
            "add GET": "200 200 200 403 200 302",
            "add POST": "302w 302w 302w 403 200 302",
            "change GET": "200 200 200 200 302 302",
            "change POST": "302w 302w 302w 403 302 302",
            "delete GET": "403 403 403 403 403 302",
            "delete POST": "403 403 403 403 403 302",
            "history GET": "200 200 200 200 404 302",
            "version GET": "200 200 200 200 404 302",
            "version POST": "403 403 403 403 404 302",
        }
        for name in ("actor", "issue")
    },
    "job": {
        "changelist GET": "200 200 200 200 200 302",
        "changelist POST": "200 200 200 200 200 302",
        "add GET": "403 403 403 403 403 302",
        "add POST": "403 403 403 403 403 302",
        "change GET": "200 200 200 200 302 302",
        "change POST": "403 403 403 403 302 302",
        "delete GET": "403 403 403 403 403 302",
        "delete POST": "403 403 403 403 403 302",
        "history GET": "200 200 200 200 302 302",  # Django's own history (no versions): the admin log
    },
}

ACTIONS = {"event": "soft_delete", "document": "soft_delete", "citation": "delete_citations"}


def _obj(world, name):
    return {"membership": world.membership, "matter": world.a}.get(name) or getattr(world, name)


def _change_data(world, name):
    a, reason = world.a, {"reason": "corrected from the complaint"}
    return reason | {
        "matter": {
            "short_title": "Doe v. LinkedIn Corp.", "slug": a.slug, "court": "N.D. Cal.", "case_number": "5:25-cv-1",
            "parties": "", "time_zone": a.time_zone, "confidentiality_legend": "", "exhibit_prefix": "PX-",
            "memberships-TOTAL_FORMS": 0, "memberships-INITIAL_FORMS": 0,
        },
        "membership": {"matter": a.pk, "user": world.users["viewer"].username, "role": "editor"},
        "event": {
            "matter": a.pk, "date": "Sept 2024", "order": 0, "title": "Setting introduced (corrected)",
            "kind": "setting_introduced", "status": "disputed", "actors": [world.actor.pk], "issues": [],
            "expected_version": world.event.version, "citations-TOTAL_FORMS": 0, "citations-INITIAL_FORMS": 0,
        },
        "document": {
            "title": "DMR News article (capture)", "date": "Jan 24, 2025", "author": "", "source_url": "",
            "bates_start": "", "bates_end": "", "citations-TOTAL_FORMS": 0, "citations-INITIAL_FORMS": 0,
        },
        "citation": {"event": world.event.pk, "document": world.document.pk, "pinpoint": "p. 3", "note": ""},
        "actor": {"matter": a.pk, "name": "LinkedIn Corporation", "kind": "organisation"},
        "issue": {"matter": a.pk, "name": "consent (opt-in)"},
        "job": {},
    }[name]  # fmt: skip


def _add_data(world, name):
    a = world.a
    return {
        "matter": {"short_title": "New v. Matter", "slug": "new-matter", "time_zone": "UTC", "exhibit_prefix": "PX-"},
        "membership": {"matter": a.pk, "user": world.spare.username, "role": "viewer"},
        "event": {
            "matter": a.pk, "date": "Oct 2024", "order": 0, "title": "A new fact", "kind": "other",
            "status": "unverified", "citations-TOTAL_FORMS": 0, "citations-INITIAL_FORMS": 0,
        },
        "document": {"matter": a.pk, "title": "New capture", "date": "", "upload": upload()},
        "citation": {"event": world.event.pk, "document": world.document.pk, "pinpoint": "p. 9"},
        "actor": {"matter": a.pk, "name": "A new person", "kind": "person"},
        "issue": {"matter": a.pk, "name": "a new issue"},
        "job": {},
    }[name]  # fmt: skip


def _request(client, world, name, what):
    obj = _obj(world, name)
    view, method = what.split()
    url = {
        "changelist": lambda: reverse(f"admin:evidence_{name}_changelist"),
        "add": lambda: reverse(f"admin:evidence_{name}_add"),
        "change": lambda: reverse(f"admin:evidence_{name}_change", args=[obj.pk]),
        "delete": lambda: reverse(f"admin:evidence_{name}_delete", args=[obj.pk]),
        "history": lambda: reverse(f"admin:evidence_{name}_history", args=[obj.pk]),
        "version": lambda: reverse(
            f"admin:evidence_{name}_simple_history", args=[obj.pk, obj.history.earliest().history_id]
        ),
    }[view]()
    if method == "GET":
        return client.get(url)
    data = {
        "changelist": {"action": ACTIONS.get(name, "delete_selected"), "_selected_action": [obj.pk]},
        "add": _add_data(world, name),
        "delete": {"post": "yes"},
    }.get(view) or _change_data(world, name)
    if name == "membership" and view == "changelist":
        data["action"] = "remove_members"
    return client.post(url, data)


def _cases():
    """One case per role that writes (each needs the world as it was); the roles that must not write share one."""
    for name, table in EXPECTED.items():
        for what, codes in table.items():
            codes = codes.split()
            writers = [role for role, code in zip(ROLES, codes, strict=True) if code.endswith("w")]
            yield pytest.param(name, what, [r for r in ROLES if r not in writers], id=f"{name}-{what}")
            for role in writers:
                yield pytest.param(name, what, [role], id=f"{name}-{what}-{role}")


@pytest.mark.parametrize(("name", "what", "roles"), list(_cases()))
def test_admin_url_for_role(client, world, rows, name, what, roles):
    for role in roles:
        expected = EXPECTED[name][what].split()[ROLES.index(role)]
        client.force_login(world.users[role])
        before = rows()
        response = _request(client, world, name, what)
        detail = response.content.decode()[:2000] if response.status_code == 200 and "POST" in what else ""
        assert response.status_code == int(expected[:3]), f"{role}: {response.status_code} {detail}"
        if expected.endswith("w"):
            assert rows() > before, f"{role}: the write was not recorded"
        else:
            assert rows() == before, f"{role}: something was written"
        if role == "nonstaff":
            assert "/admin/login/" in response["Location"]
