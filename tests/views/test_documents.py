"""The documents pages and e-mail evidence, through the test client: what a paralegal sees, and who may do what."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from evidence.models import Citation, Document, Event, EventKind
from evidence.services.actors import actor_update
from evidence.services.citations import citation_create
from evidence.services.documents import document_delete, document_update
from tests import factories
from tests.test_email_evidence import make_eml

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4a60000000049454e44ae426082"
)


def url(name, matter, *args):
    return reverse(name, args=[matter.slug, *args])


def upload(client, matter, *files, json=False):
    headers = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"} if json else {}
    return client.post(
        url("document_upload", matter),
        {"files": [SimpleUploadedFile(name, content) for name, content in files]},
        **headers,
    )


def texts(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


# List ----------------------------------------------------------------------------------------------------------------


def test_list_shows_exhibits_with_hash_bates_and_citing_events(client, matter, user, viewer):
    doc = factories.make_document(
        matter, title="Privacy policy <v2>", content=PDF, bates_start="LI_0001", bates_end="LI_0009"
    )
    event = factories.make_event(matter, title="Policy amended", date="Sept 2024")
    citation_create(event=event, document=doc, user=user, reason="t", pinpoint="p. 3")
    client.force_login(viewer)
    client.post(url("grid_settings", matter), {"page": "documents", "layout": "list"})  # the detailed list
    response = client.get(url("document_list", matter))
    html = response.content.decode()
    assert response.status_code == 200
    assert "PX-1" in html and "Privacy policy &lt;v2&gt;" in html
    assert "LI_0001 – LI_0009" in html
    assert doc.sha256[:12] in html
    assert "Sept 2024: Policy amended" in html and "(p. 3)" in html
    assert "Upload documents" not in html  # a viewer does not get the upload button


def test_list_query_count_does_not_grow_with_documents(client, matter, user, django_assert_max_num_queries):
    for n in range(8):
        doc = factories.make_document(matter, content=PDF + bytes([n]), filename=f"d{n}.pdf")
        event = factories.make_event(matter, title=f"E{n}")
        citation_create(event=event, document=doc, user=user, reason="t")
    client.force_login(user)
    with django_assert_max_num_queries(12):
        assert client.get(url("document_list", matter)).status_code == 200


def test_deleted_documents_are_listed_only_when_asked(client, matter, user):
    doc = factories.make_document(matter, title="Wrong file")
    document_delete(document=doc, user=user, reason="t")
    client.force_login(user)
    assert "Wrong file" not in client.get(url("document_list", matter)).content.decode()
    html = client.get(url("document_list", matter) + "?deleted=1").content.decode()
    assert "Wrong file" in html and "Deleted" in html


# Upload --------------------------------------------------------------------------------------------------------------


def test_upload_page_has_a_labelled_multiple_file_input(client, matter, editor):
    client.force_login(editor)
    html = client.get(url("document_upload", matter)).content.decode()
    assert 'type="file"' in html and "multiple" in html
    assert '<label for="id_files">' in html
    assert ">Upload</button>" in html
    assert "js/upload.js" in html


def test_upload_several_files_reports_each(client, matter, editor):
    factories.make_document(matter, content=b"already here", filename="old.txt")
    client.force_login(editor)
    response = upload(
        client,
        matter,
        ("a.pdf", PDF),
        ("empty.txt", b""),
        ("again.txt", b"already here"),
        ("b.png", PNG),
        json=False,
    )
    assert response.status_code == 302 and response.url == url("document_list", matter)
    page = client.get(response.url)
    shown = texts(page)
    assert "PX-2 stored: a.pdf." in shown
    assert any("“empty.txt” is empty (0 bytes)" in t for t in shown)
    assert "again.txt is already PX-1, not stored twice." in shown
    assert "PX-3 stored: b.png." in shown
    assert list(Document.objects.filter(matter=matter).values_list("exhibit_number", "media_type")) == [
        (1, "text/plain"), (2, "application/pdf"), (3, "image/png")
    ]  # fmt: skip


def test_upload_sniffs_the_type_and_ignores_the_browsers(client, matter, editor):
    client.force_login(editor)
    client.post(
        url("document_upload", matter),
        {
            "files": [
                SimpleUploadedFile(
                    "evil.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf"
                )
            ]
        },
    )
    assert Document.objects.get(matter=matter).media_type == "text/html"


def test_upload_over_the_size_limit_is_refused_with_the_reason(client, matter, editor, settings):
    settings.EVIDENCE_MAX_UPLOAD_BYTES = 10
    client.force_login(editor)
    response = upload(client, matter, ("big.pdf", PDF), ("small.txt", b"tiny"), json=True)
    results = response.json()["results"]
    assert results[0] == {
        "status": "error",
        "text": "“big.pdf” is larger than the upload limit of 10 bytes.",
        "url": "",
    }
    assert results[1]["status"] == "stored" and results[1]["text"] == "PX-1 stored: small.txt"
    assert Document.objects.filter(matter=matter).count() == 1


def test_upload_by_xhr_returns_json_results(client, matter, editor):
    client.force_login(editor)
    response = upload(client, matter, ("a.pdf", PDF), json=True)
    body = response.json()
    doc = Document.objects.get(matter=matter)
    assert body["results"] == [
        {"status": "stored", "text": "PX-1 stored: a.pdf", "url": url("document_detail", matter, doc.pk)}
    ]
    assert body["next"] == url("document_list", matter)
    assert upload(client, matter, json=True).status_code == 400  # no file at all


def test_upload_without_files_keeps_the_page_with_an_error(client, matter, editor):
    client.force_login(editor)
    response = client.post(url("document_upload", matter), {})
    assert response.status_code == 200
    assert "Choose at least one file to upload." in response.content.decode()


def test_viewer_cannot_upload_and_outsider_sees_nothing(client, matter, viewer, outsider):
    client.force_login(viewer)
    assert client.get(url("document_upload", matter)).status_code == 403
    assert upload(client, matter, ("a.pdf", PDF)).status_code == 403
    client.force_login(outsider)
    assert client.get(url("document_upload", matter)).status_code == 404
    assert client.get(url("document_list", matter)).status_code == 404
    assert not Document.objects.exists()


def test_login_required(client, matter):
    response = client.get(url("document_list", matter))
    assert response.status_code == 302 and "/accounts/login/" in response.url


# Detail, file ---------------------------------------------------------------------------------------------------------


def test_detail_of_a_pdf_previews_it_inline_through_the_file_view(client, matter, user, viewer):
    doc = factories.make_document(matter, content=PDF, filename="policy.pdf", title="Policy")
    event = factories.make_event(matter, title="Policy amended")
    citation_create(event=event, document=doc, user=user, reason="t", pinpoint="¶ 4")
    client.force_login(viewer)
    html = client.get(url("document_detail", matter, doc.pk)).content.decode()
    assert f'<iframe src="{url("document_file", matter, doc.pk)}?inline=1"' in html
    assert doc.sha256 in html
    assert "Policy amended" in html and "¶ 4" in html
    assert url("document_edit", matter, doc.pk) not in html  # a viewer gets no edit or delete
    assert url("document_delete", matter, doc.pk) not in html


def test_detail_shows_how_many_pages_a_pdf_has(client, matter, user):
    counted = factories.make_document(matter, content=factories.make_pdf(3), filename="px.pdf")
    unreadable = factories.make_document(matter, content=PDF, filename="empty.pdf")
    text = factories.make_document(matter, content=b"notes", filename="notes.txt")
    client.force_login(user)
    pages = {d: client.get(url("document_detail", matter, d.pk)).content.decode() for d in (counted, unreadable, text)}
    assert "<dt>Pages</dt><dd>3</dd>" in pages[counted]
    assert '<dt>Pages</dt><dd class="muted">Not known</dd>' in pages[unreadable]
    assert "<dt>Pages</dt>" not in pages[text]


def test_detail_of_an_image_shows_an_img(client, matter, user):
    doc = factories.make_document(matter, content=PNG, filename="shot.png")
    client.force_login(user)
    html = client.get(url("document_detail", matter, doc.pk)).content.decode()
    assert f'<img src="{url("document_file", matter, doc.pk)}?inline=1"' in html


def test_detail_of_html_shows_its_text_escaped_never_inline(client, matter, user):
    doc = factories.make_document(
        matter,
        content=b"<html><body><p>Members opted in</p><script>alert(1)</script></body></html>",
        filename="faq.html",
    )
    client.force_login(user)
    html = client.get(url("document_detail", matter, doc.pk)).content.decode()
    assert "Members opted in" in html
    assert "<iframe" not in html and "<script>alert" not in html


def test_file_view_is_the_permission_checked_download(client, matter, user, viewer, outsider):
    doc = factories.make_document(matter, content=PDF, filename="Änderung policy.pdf")
    client.force_login(viewer)
    response = client.get(url("document_file", matter, doc.pk))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    inline = client.get(url("document_file", matter, doc.pk) + "?inline=1")
    assert inline["Content-Disposition"].startswith("inline;")
    assert inline["X-Frame-Options"] == "SAMEORIGIN"  # the detail page may frame it; nobody else may
    client.force_login(outsider)
    assert client.get(url("document_file", matter, doc.pk)).status_code == 404
    assert client.get(url("document_detail", matter, doc.pk)).status_code == 404


def test_a_document_of_another_matter_is_not_found_through_this_one(client, matter, user):
    other = factories.make_matter(owner=user)
    doc = factories.make_document(other, content=PDF)
    client.force_login(user)
    assert client.get(url("document_detail", matter, doc.pk)).status_code == 404
    assert client.get(url("document_file", matter, doc.pk)).status_code == 404


# Edit, delete, restore -----------------------------------------------------------------------------------------------


def test_edit_metadata_with_a_reason(client, matter, editor):
    doc = factories.make_document(matter, content=PDF)
    client.force_login(editor)
    form = client.get(url("document_edit", matter, doc.pk))
    assert form.status_code == 200 and 'name="bates_start"' in form.content.decode()
    response = client.post(
        url("document_edit", matter, doc.pk),
        {"title": "Privacy policy (Sept 18 version)", "date": "c. Sept 2024", "author": "LinkedIn",
         "bates_start": "LI_1", "bates_end": "LI_4", "captured_at": "2024-09-18 14:05",
         "reason": "Bates from the production letter"},
    )  # fmt: skip
    assert response.status_code == 302
    doc.refresh_from_db()
    assert doc.title == "Privacy policy (Sept 18 version)"
    assert doc.date_display == "c. Sept 2024"
    assert doc.bates_range == "LI_1 – LI_4"
    assert doc.captured_at.isoformat() == "2024-09-18T21:05:00+00:00"  # typed in the matter's zone (PDT)
    assert doc.history.first().history_change_reason == "Bates from the production letter"
    assert "PX-1 saved." in texts(client.get(response.url))


def test_edit_keeps_the_input_on_error(client, matter, editor):
    doc = factories.make_document(matter, content=PDF, title="Original")
    client.force_login(editor)
    response = client.post(url("document_edit", matter, doc.pk), {"title": "New title", "date": "Febtember 2024"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="New title"' in html and 'value="Febtember 2024"' in html
    assert "could not read" in html
    doc.refresh_from_db()
    assert doc.title == "Original"


def test_delete_and_restore(client, matter, editor, viewer):
    doc = factories.make_document(matter, content=PDF)
    client.force_login(viewer)
    assert client.post(url("document_delete", matter, doc.pk)).status_code == 403
    assert client.get(url("document_delete", matter, doc.pk)).status_code in (403, 405)
    client.force_login(editor)
    response = client.post(url("document_delete", matter, doc.pk), {"reason": "wrong matter"})
    doc.refresh_from_db()
    assert doc.is_deleted and doc.history.first().history_change_reason == "wrong matter"
    assert any("deleted" in t for t in texts(client.get(response.url)))
    assert client.get(url("document_file", matter, doc.pk)).status_code == 404  # a deleted file is not served
    client.post(url("document_restore", matter, doc.pk))
    doc.refresh_from_db()
    assert not doc.is_deleted


def test_delete_asks_for_confirmation_and_a_reason(client, matter, editor):
    doc = factories.make_document(matter, content=PDF, title="Privacy policy")
    client.force_login(editor)
    detail = client.get(url("document_detail", matter, doc.pk)).content.decode()
    assert url("document_delete_confirm", matter, doc.pk) in detail
    page = client.get(url("document_delete_confirm", matter, doc.pk)).content.decode()
    assert "Delete PX-1 “Privacy policy”?" in page and "never destroyed" in page and 'name="reason"' in page
    again = client.post(url("document_delete", matter, doc.pk), {"reason": ""})
    assert again.status_code == 200 and "Give a reason" in again.content.decode()
    doc.refresh_from_db()
    assert not doc.is_deleted
    client.post(url("document_delete", matter, doc.pk), {"reason": "uploaded to the wrong matter"})
    doc.refresh_from_db()
    assert doc.is_deleted and doc.history.first().history_change_reason == "uploaded to the wrong matter"


def test_history_page_shows_who_when_why_and_each_field_changed(client, matter, user, viewer):
    doc = factories.make_document(matter, content=PDF, title="Policy", bates_start="ACME_1")
    document_update(document=doc, user=user, reason="title as printed", title="Privacy policy", date="Sept 2024")
    document_delete(document=doc, user=user, reason="duplicate")
    client.force_login(viewer)
    assert (
        url("document_history", matter, doc.pk) in client.get(url("document_detail", matter, doc.pk)).content.decode()
    )
    page = client.get(url("document_history", matter, doc.pk)).content.decode()
    assert "History of PX-1" in page and "“title as printed”" in page and "“duplicate”" in page
    assert "<del>Policy</del>" in page and "<ins>Privacy policy</ins>" in page and "<ins>Sept 2024</ins>" in page
    assert "Value when received" in page and "ACME_1" in page and user.username in page
    assert "Restore this version" not in page  # a viewer only looks


def test_restoring_a_document_version_is_confirmed_with_a_reason(client, matter, user, editor):
    doc = factories.make_document(matter, content=PDF, title="Policy")
    first = doc.history.get()
    document_update(document=doc, user=user, reason="retitled", title="Wrong title")
    client.force_login(editor)
    confirm_url = url("document_revert_confirm", matter, doc.pk, first.history_id)
    assert confirm_url in client.get(url("document_history", matter, doc.pk)).content.decode()
    page = client.get(confirm_url).content.decode()
    assert "<del>Wrong title</del>" in page and "<ins>Policy</ins>" in page
    refused = client.post(url("document_revert", matter, doc.pk), {"history_id": first.history_id})
    assert refused.status_code == 200 and "Give a reason" in refused.content.decode()
    response = client.post(
        url("document_revert", matter, doc.pk), {"history_id": first.history_id, "reason": "title as printed"}
    )
    assert response.status_code == 302 and response.url == url("document_history", matter, doc.pk)
    doc.refresh_from_db()
    assert doc.title == "Policy" and doc.history.first().history_change_reason == "title as printed"


def test_document_confirmation_pages_are_for_editors_of_the_matter(client, matter, viewer, outsider):
    doc = factories.make_document(matter, content=PDF)
    history_id = doc.history.get().history_id
    pages = [url("document_delete_confirm", matter, doc.pk), url("document_revert_confirm", matter, doc.pk, history_id)]
    client.force_login(viewer)
    assert [client.get(p).status_code for p in pages] == [403, 403]
    assert (
        client.post(url("document_revert", matter, doc.pk), {"history_id": history_id, "reason": "x"}).status_code
        == 403
    )
    client.force_login(outsider)
    assert [client.get(p).status_code for p in [*pages, url("document_history", matter, doc.pk)]] == [404, 404, 404]


# E-mail evidence -------------------------------------------------------------------------------------------------


def test_uploading_an_eml_stores_it_and_its_attachments_and_proposes_an_event(client, matter, editor):
    client.force_login(editor)
    response = upload(client, matter, ("optin.eml", make_eml()))
    message = Document.objects.get(matter=matter, exhibit_number=1)
    attachment = Document.objects.get(matter=matter, exhibit_number=2)
    assert attachment.original_filename == "memo.pdf" and attachment.media_type == "application/pdf"
    assert response.status_code == 302 and response.url == url("email_event", matter, message.pk)

    page = client.get(response.url)
    html = page.content.decode()
    assert "PX-1 stored: optin.eml." in texts(page)
    assert "PX-2 stored: memo.pdf (attachment of PX-1)." in texts(page)
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; Opt-in for AI training" in html
    assert "<script>alert" not in html
    assert 'value="Jan 21, 2025, 9:30 AM UTC-08:00"' in html
    assert "José Müller\nAnn Lee" in html
    assert '<option value="internal_communication" selected>' in html
    assert not Event.objects.exists()  # nothing is saved until the paralegal confirms


def test_confirming_the_proposal_creates_the_event_citing_the_message(client, matter, editor):
    client.force_login(editor)
    upload(client, matter, ("optin.eml", make_eml()))
    message = Document.objects.get(matter=matter, exhibit_number=1)
    response = client.post(
        url("email_event", matter, message.pk),
        {"date": "Jan 21, 2025, 9:30 AM UTC-08:00", "title": "E-mail announcing the opt-in",
         "kind": "internal_communication",
         "actors": "José Müller\nAnn Lee", "description": "d",
         "pinpoint": ""},
    )  # fmt: skip
    event = Event.objects.get(matter=matter)
    assert response.status_code == 302 and response.url == url("event_detail", matter, event.pk)
    assert event.kind == EventKind.INTERNAL_COMMUNICATION and event.date_display == "Jan 21, 2025, 9:30 AM UTC-08:00"
    assert [c.document for c in Citation.objects.filter(event=event)] == [message]
    assert event.actors.count() == 2


def test_an_event_logged_from_an_email_is_one_version_that_cites_it(client, matter, editor):
    client.force_login(editor)
    upload(client, matter, ("optin.eml", make_eml()))
    message = Document.objects.get(matter=matter, exhibit_number=1)
    data = {
        "date": "Jan 21, 2025",
        "title": "E-mail",
        "kind": "internal_communication",
        "actors": "",
        "pinpoint": "¶ 1",
    }
    client.post(url("email_event", matter, message.pk), data)
    event = Event.objects.get(matter=matter)
    assert event.version == 1 and event.history.count() == 1
    assert [(e["exhibit"], e["pinpoint"]) for e in event.history.get().citations_snapshot] == [("PX-1", "¶ 1")]


def test_confirming_the_same_proposal_twice_logs_one_event_and_says_so(client, matter, editor):
    client.force_login(editor)
    upload(client, matter, ("optin.eml", make_eml()))
    message = Document.objects.get(matter=matter, exhibit_number=1)
    page = client.get(url("email_event", matter, message.pk)).content.decode()
    token = re.search(r'name="submission_token" value="([0-9a-f-]{36})"', page).group(1)
    data = {"date": "Jan 21, 2025", "title": "E-mail", "kind": "internal_communication", "actors": "",
            "pinpoint": "", "submission_token": token}  # fmt: skip
    client.post(url("email_event", matter, message.pk), data)
    again = client.post(url("email_event", matter, message.pk), data, follow=True)
    event = Event.objects.get(matter=matter)
    assert again.redirect_chain[-1][0] == url("event_detail", matter, event.pk)
    assert "This event was already saved:" in again.content.decode()
    assert Citation.objects.filter(event=event).count() == 1


def test_confirmation_keeps_the_input_on_error(client, matter, editor):
    client.force_login(editor)
    upload(client, matter, ("m.eml", make_eml(date=None)))
    message = Document.objects.get(matter=matter, exhibit_number=1)
    page = client.get(url("email_event", matter, message.pk)).content.decode()
    assert "no Date header" in page and 'name="date" value=' not in page.replace('value=""', "")
    response = client.post(
        url("email_event", matter, message.pk), {"date": "", "title": "", "kind": "user_communication", "actors": "Zoë"}
    )
    html = response.content.decode()
    assert response.status_code == 200 and "This field is required." in html and "Zoë" in html
    assert not Event.objects.exists()


def test_eml_with_a_markup_subject_is_still_recognised_as_email(client, matter, editor):
    # the content sniffer calls such a file text/html; the page still offers the proposal
    client.force_login(editor)
    upload(client, matter, ("x.eml", make_eml(subject="<b>Re: opt-in</b>", attachments=())))
    message = Document.objects.get(matter=matter)
    html = client.get(url("document_detail", matter, message.pk)).content.decode()
    assert "Log an event from this e-mail" in html
    assert "<iframe" not in html and "&lt;b&gt;Re: opt-in&lt;/b&gt;" in html


def test_email_event_permissions(client, matter, user, viewer, outsider):
    client.force_login(user)
    upload(client, matter, ("m.eml", make_eml()))
    message = Document.objects.get(matter=matter, exhibit_number=1)
    pdf = Document.objects.get(matter=matter, exhibit_number=2)
    assert client.get(url("email_event", matter, pdf.pk)).status_code == 404  # not an e-mail
    client.force_login(viewer)
    assert client.get(url("email_event", matter, message.pk)).status_code == 403
    client.force_login(outsider)
    assert client.get(url("email_event", matter, message.pk)).status_code == 404


def test_several_files_with_an_eml_go_to_the_list_with_a_pointer_to_the_proposal(client, matter, editor):
    client.force_login(editor)
    response = upload(client, matter, ("m.eml", make_eml(attachments=())), ("a.pdf", PDF), json=True)
    body = response.json()
    message = Document.objects.get(matter=matter, exhibit_number=1)
    assert body["next"] == url("document_list", matter)
    assert {"status": "next", "text": "Review and confirm the event proposed by the e-mail PX-1",
            "url": url("email_event", matter, message.pk)} in body["results"]  # fmt: skip


def test_the_upload_says_whom_each_participant_of_an_email_matched(client, matter, user, editor):
    jane = factories.make_event(matter, actors=["Jane Doe"]).actors.get()
    actor_update(actor=jane, emails="jane.doe@example.com", user=user, reason="her address")
    eml = make_eml(attachments=(), sender='"Doe, Jane" <JANE.DOE@example.com>', to="privacy@linkedin.com")
    client.force_login(editor)
    results = upload(client, matter, ("m.eml", eml), ("a.pdf", PDF), json=True).json()["results"]
    assert [r["text"] for r in results if r["status"] == "actor"] == [
        "PX-1 From “Doe, Jane” <JANE.DOE@example.com>: matched to the existing actor “Jane Doe” (by address)",
        "PX-1 To privacy@linkedin.com: new actor “privacy@linkedin.com” once you confirm the event (organisation, "
        "because the address privacy@linkedin.com is a role mailbox (privacy@))",
    ]
    again = upload(client, matter, ("n.eml", make_eml(subject="Again", sender="J. Doe <jane.doe@example.com>")),
                   ("b.pdf", PDF + b" "))  # fmt: skip
    assert "PX-3 From “J. Doe” <jane.doe@example.com>: matched to the existing actor “Jane Doe” (by address)." in (
        texts(client.get(again.url))
    )


def test_the_proposal_names_matched_actors_offers_the_kind_of_new_ones_and_keeps_the_choice(
    client, matter, user, editor
):
    factories.make_event(matter, actors=["Jane Doe"])
    eml = make_eml(attachments=(), sender='"Doe, Jane" <jane@x.example>', to="privacy@linkedin.com")
    client.force_login(editor)
    upload(client, matter, ("m.eml", eml))
    message = Document.objects.get(matter=matter, exhibit_number=1)
    page = client.get(url("email_event", matter, message.pk))
    html = page.content.decode()
    assert "Jane Doe\nprivacy@linkedin.com</textarea>" in html  # the matter's own name, not “Doe, Jane”
    assert "matched to the existing actor “Jane Doe” (by name)" in html.replace("&quot;", '"')
    kind = re.search(r'<select name="new_kind_0"[^>]*>(.*?)</select>', html, re.S).group(1)
    assert '<option value="organisation" selected>' in kind
    assert "Guessed organisation: the address privacy@linkedin.com is a role mailbox (privacy@)." in html
    data = {"date": "Jan 21, 2025", "title": "E-mail", "kind": "user_communication",
            "actors": "Jane Doe\nprivacy@linkedin.com", "pinpoint": "", "new_kind_0": "person"}  # fmt: skip
    response = client.post(url("email_event", matter, message.pk), data, follow=True)
    event = Event.objects.get(matter=matter, title="E-mail")
    assert sorted(a.name for a in event.actors.all()) == ["Jane Doe", "privacy@linkedin.com"]
    created = event.actors.get(name="privacy@linkedin.com")
    assert (created.kind, created.emails) == ("person", "privacy@linkedin.com")
    assert "New actor “privacy@linkedin.com” added: person, of linkedin.com, privacy@linkedin.com." in texts(response)
