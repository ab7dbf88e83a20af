import pytest
from django.urls import reverse

from evidence.models import (
    Actor,
    Citation,
    Document,
    Event,
    Issue,
    Job,
    Matter,
    Membership,
)
from evidence.services.documents import document_delete
from tests.factories import UserFactory, make_document, make_event, make_matter

MODELS = [Matter, Membership, Event, Document, Citation, Actor, Issue, Job]


@pytest.fixture
def populated(db):
    admin_user = UserFactory(superuser=True)
    matter = make_matter(owner=admin_user)
    doc = make_document(matter)
    make_event(matter, actors=["LinkedIn"], issues=["consent"], citations=[(doc, "¶ 2", "")])  # one version
    Job.objects.create(matter=matter, user=admin_user, kind=Job.Kind.EXPORT)
    return admin_user, matter


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_admin_page_renders(client, populated, model):
    admin_user, _ = populated
    client.force_login(admin_user)
    opts = model._meta
    changelist = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
    assert changelist.status_code == 200
    obj = model.objects.first()
    change = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]))
    assert change.status_code == 200
    if hasattr(model, "history"):
        history = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[obj.pk]))
        assert history.status_code == 200
    if model is not Job:
        assert client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add")).status_code == 200


def test_staff_see_only_their_own_matters_events(client, db):
    from django.contrib.auth.models import Permission

    staff, other = UserFactory(staff=True), UserFactory()
    staff.user_permissions.set(Permission.objects.filter(content_type__app_label="evidence"))
    mine = make_matter(owner=staff)
    theirs = make_matter(owner=other)
    make_event(mine, title="Visible to me")
    hidden = make_event(theirs, title="Someone else's secret")
    client.force_login(staff)
    page = client.get(reverse("admin:evidence_event_changelist")).content.decode()
    assert "Visible to me" in page and "secret" not in page
    assert client.get(reverse("admin:evidence_event_change", args=[hidden.pk])).status_code in (302, 404)


def test_admin_event_edit_parses_the_date_and_records_one_version(client, populated):
    admin_user, matter = populated
    event = Event.objects.get()
    client.force_login(admin_user)
    url = reverse("admin:evidence_event_change", args=[event.pk])
    data = {
        "matter": matter.pk, "date": "after Aug 2024", "order": 0, "title": "Edited", "description": "",
        "kind": "other", "status": "unverified", "actors": [a.pk for a in event.actors.all()], "issues": [],
        "source_note": "", "external_id": "", "expected_version": 1, "reason": "edited in admin",
        "citations-TOTAL_FORMS": 0, "citations-INITIAL_FORMS": 0,
    }  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    event.refresh_from_db()
    assert event.date.display() == "after Aug 2024"
    latest = event.history.first()
    assert latest.history_change_reason == "edited in admin" and latest.history_user == admin_user
    assert [i.issue_id for i in latest.issues.all()] == []
    assert event.history.count() == 2


def test_admin_rejects_a_bad_date_with_the_reason(client, populated):
    admin_user, matter = populated
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:evidence_event_add"), {"matter": matter.pk, "date": "13/45/2024", "title": "x"}
    )
    assert response.status_code == 200
    assert "month 13 does not exist" in response.content.decode() or "does not exist" in response.content.decode()


def test_admin_upload_goes_through_intake(client, populated):
    from django.core.files.uploadedfile import SimpleUploadedFile

    admin_user, matter = populated
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:evidence_document_add"),
        {"matter": matter.pk, "title": "Privacy policy capture", "date": "Sept 2024",
         "upload": SimpleUploadedFile("policy.html", b"<html><body><p>Privacy policy</p></body></html>")},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    doc = Document.objects.get(title="Privacy policy capture")
    assert doc.exhibit_label == "PX-2" and doc.media_type == "text/html"
    assert "Privacy policy" in doc.extracted_text
    assert doc.history.get().history_change_reason == "uploaded in admin"


def test_admin_has_no_hard_delete_for_evidence(client, populated):
    admin_user, _ = populated
    client.force_login(admin_user)
    doc = Document.objects.get()
    assert client.get(reverse("admin:evidence_document_delete", args=[doc.pk])).status_code == 403
    response = client.post(
        reverse("admin:evidence_document_changelist"), {"action": "soft_delete", "_selected_action": [doc.pk]}
    )
    assert response.status_code == 302
    doc.refresh_from_db()
    assert doc.is_deleted and doc.history.first().history_change_reason == "deleted in admin"


def test_admin_lists_filter_deleted_evidence(client, populated):
    admin_user, _ = populated
    doc = Document.objects.get()
    document_delete(document=doc, user=admin_user, reason="wrong file")
    client.force_login(admin_user)
    url = reverse("admin:evidence_document_changelist")
    assert doc.title in client.get(url + "?deleted=yes").content.decode()
    assert doc.title not in client.get(url + "?deleted=no").content.decode()


def test_admin_lists_show_bidi_controls_in_names_and_titles(client, db):
    """The admin is read by the same people as the pages: a title built to read backwards is written out there too."""
    root = UserFactory(superuser=True)
    matter = make_matter(owner=root, short_title="Doe v. \u202eemca")
    make_event(matter, title="invoice\u202eexe.pdf", actors=["Mal\u202elory"], issues=["refund\u2066s"])
    make_document(matter, title="memo\u202etxt.exe")
    client.force_login(root)
    for model, shown in [("event", "invoice[U+202E]exe.pdf"), ("actor", "Mal[U+202E]lory"),
                         ("issue", "refund[U+2066]s"), ("document", "memo[U+202E]txt.exe"),
                         ("matter", "Doe v. [U+202E]emca")]:  # fmt: skip
        page = client.get(reverse(f"admin:evidence_{model}_changelist")).content.decode()
        assert shown in page and "\u202e" not in page and "\u2066" not in page, model
    event_page = client.get(reverse("admin:evidence_event_changelist")).content.decode()
    assert 'class="field-title"><a href="' in event_page  # the title still links to the event
