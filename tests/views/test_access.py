"""The access log page (/m/<slug>/access/), for owners only, and what lands in it: document pages and files viewed,
files and exports downloaded, exports made (with their filters and the SHA-256 of each file produced)."""

import hashlib

import pytest
from django.urls import reverse

from evidence.models import AccessEvent, Job, Role
from evidence.services.access import access_record
from tests import factories

pytestmark = pytest.mark.django_db


def url(name, matter, *args):
    return reverse(name, args=[matter.slug, *args])


# Who may see the log ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [("owner", 200), ("editor", 403), ("viewer", 403), ("outsider", 404), ("anonymous", 302)],
)
def test_only_owners_see_the_log(client, matter, user, editor, viewer, outsider, who, status):
    account = {"owner": user, "editor": editor, "viewer": viewer, "outsider": outsider}.get(who)
    if account is not None:
        client.force_login(account)
    response = client.get(url("access_log", matter))
    assert response.status_code == status
    if status == 302:
        assert response.url.startswith(reverse("login"))


def test_the_matter_navigation_links_the_log_for_owners_only(client, matter, user, editor):
    client.force_login(user)
    assert f'href="{url("access_log", matter)}"' in client.get(url("timeline", matter)).content.decode()
    client.force_login(editor)
    assert f'href="{url("access_log", matter)}"' not in client.get(url("timeline", matter)).content.decode()


# What is recorded ---------------------------------------------------------------------------------------------------


def test_viewing_a_document_and_its_file_is_recorded(client, matter, viewer):
    document = factories.make_document(matter, content=b"%PDF-1.4 policy", filename="policy.pdf")
    client.force_login(viewer)
    client.get(url("document_detail", matter, document.pk), REMOTE_ADDR="198.51.100.7")
    client.get(url("document_file", matter, document.pk) + "?inline=1")
    client.get(url("document_file", matter, document.pk))
    events = list(AccessEvent.objects.order_by("sequence"))
    assert [(e.sequence, e.kind, e.user, e.document) for e in events] == [
        (1, "view_document", viewer, document),
        (2, "view_file", viewer, document),
        (3, "download_file", viewer, document),
    ]
    assert events[0].address == "198.51.100.7"
    assert events[2].detail["filename"] == "PX-1_policy.pdf" and events[2].detail["sha256"] == document.sha256


def test_an_outsiders_attempt_is_not_an_access(client, matter, outsider):
    document = factories.make_document(matter)
    client.force_login(outsider)
    assert client.get(url("document_file", matter, document.pk)).status_code == 404
    assert not AccessEvent.objects.exists()


@pytest.mark.django_db(transaction=True)  # exports are enqueued on commit
def test_an_export_records_its_filters_and_the_sha256_of_the_file_it_produced(client, matter, user, viewer):
    factories.make_event(matter, title="Policy amended", date="Sept 2024", kind="policy_edit")
    client.force_login(viewer)
    client.post(url("export", matter), {"format": "csv", "paper": "letter", "date_from": "Aug 2024", "key_only": "on"})
    job = Job.objects.get(matter=matter)
    download = client.get(url("export_download", matter, job.pk))
    content = b"".join(download.streaming_content)

    made, sent = AccessEvent.objects.order_by("sequence")
    assert (made.kind, made.user, made.job) == ("export", viewer, job)
    assert made.detail["files"] == [
        {"name": job.result_name, "sha256": hashlib.sha256(content).hexdigest(), "size": len(content)}
    ]
    assert made.detail["format"] == "csv" and made.detail["via"] == "export page"
    assert made.detail["filters"]["key_only"] is True and made.detail["filters"]["date_from"] == "2024-08-01"
    assert "Key facts only" in made.detail["filters_described"]
    assert (sent.kind, sent.user, sent.job, sent.detail["sha256"]) == (
        "download_export",
        viewer,
        job,
        hashlib.sha256(content).hexdigest(),
    )


@pytest.mark.django_db(transaction=True)
def test_the_command_line_export_is_recorded_too(matter, user, tmp_path):
    from django.core.management import call_command

    out = tmp_path / "chronology.csv"
    call_command("export_chronology", "--matter", matter.slug, "--out", str(out), "--user", user.username)
    made = AccessEvent.objects.get()
    assert (made.kind, made.user, made.job, made.detail["via"]) == ("export", user, None, "export_chronology command")
    assert made.detail["files"][0]["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()


# The page -----------------------------------------------------------------------------------------------------------


def test_the_log_lists_newest_first_and_filters_by_kind_and_user(client, matter, user, viewer):
    document = factories.make_document(matter, title="Privacy policy", filename="policy.pdf")
    client.force_login(viewer)
    client.get(url("document_detail", matter, document.pk))
    client.get(url("document_file", matter, document.pk))
    client.force_login(user)
    client.get(url("document_detail", matter, document.pk))

    html = client.get(url("access_log", matter)).content.decode()
    assert html.index(">3</td>") < html.index(">2</td>") < html.index(">1</td>")
    assert "Downloaded file" in html and "PX-1_policy.pdf" in html and document.sha256 in html

    page = client.get(url("access_log", matter), {"kind": "view_document"}).context["page"]
    assert [e.sequence for e in page] == [3, 1]
    page = client.get(url("access_log", matter), {"user": viewer.pk}).context["page"]
    assert [e.sequence for e in page] == [2, 1]
    page = client.get(url("access_log", matter), {"kind": "view_document", "user": viewer.pk}).context["page"]
    assert [e.sequence for e in page] == [1]
    html = client.get(url("access_log", matter), {"kind": "export"}).content.decode()
    assert "No access matches these filters." in html


def test_the_log_is_paginated_in_a_fixed_number_of_queries(client, matter, user, django_assert_max_num_queries):
    documents = [factories.make_document(matter, content=bytes([n]), filename=f"{n}.txt") for n in range(5)]
    for n in range(60):
        access_record(matter=matter, kind=AccessEvent.Kind.VIEW_DOCUMENT, user=user, document=documents[n % 5])
    client.force_login(user)
    with django_assert_max_num_queries(12):
        first = client.get(url("access_log", matter))
    assert [e.sequence for e in first.context["page"]] == list(range(60, 10, -1))
    assert "Page 1 of 2" in first.content.decode()
    second = client.get(url("access_log", matter), {"page": 2})
    assert [e.sequence for e in second.context["page"]] == list(range(10, 0, -1))


def test_the_log_page_itself_needs_the_owner_role_even_for_a_former_owner(client, matter, user, editor):
    from evidence.services.matters import membership_set

    membership_set(matter=matter, user=user, member=editor, role=Role.OWNER, reason="test")
    membership_set(matter=matter, user=editor, member=user, role=Role.VIEWER, reason="test")
    client.force_login(user)
    assert client.get(url("access_log", matter)).status_code == 403
