"""The tracked-source pages as each role gets them: the list, a source with its versions, a version, adding a version
(a document of the matter or an upload), the event a version proposes, audiences, soft delete and restore."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from evidence.models import Audience, Document, Event, HistoryLink, SourceVersion, TrackedSource
from evidence.services.chain import verify_chains
from evidence.services.sources import audience_create
from tests.factories import make_document, make_source, make_version


def url(name, matter, *args):
    return reverse(name, args=[matter.slug, *args])


@pytest.fixture
def policy(matter, user):
    source = make_source(matter, name="Privacy <b>Policy</b>", url="https://example.com/privacy", is_illustrative=True)
    uk = audience_create(matter=matter, user=user, name="Members outside the UK", reason="r")
    make_version(source, content=b"<h1>Policy</h1><p>v1</p>", effective="Nov 2023",
                 captured_at=dt.datetime(2024, 8, 12, 17, tzinfo=dt.UTC))  # fmt: skip
    make_version(source, content=b"<h1>Policy</h1><p>v2</p>", effective="Nov 20, 2024", first_seen="Sept 18, 2024",
                 audiences=[uk], capture_method="web_archive")  # fmt: skip
    return source


def _versions(source):
    return list(SourceVersion.objects.filter(source=source).order_by("pk"))


def test_outsiders_get_404_on_every_page_and_write(client, matter, policy, outsider):
    client.force_login(outsider)
    v1, _ = _versions(policy)
    audience = Audience.objects.get()
    gets = [
        url("source_list", matter), url("source_new", matter), url("source_detail", matter, policy.pk),
        url("source_edit", matter, policy.pk), url("source_delete_confirm", matter, policy.pk),
        url("version_new", matter, policy.pk), url("version_detail", matter, policy.pk, v1.pk),
        url("version_edit", matter, policy.pk, v1.pk), url("version_delete_confirm", matter, policy.pk, v1.pk),
        url("audience_list", matter),
    ]  # fmt: skip
    for address in gets:
        assert client.get(address).status_code == 404, address
    posts = [
        url("source_delete", matter, policy.pk), url("source_restore", matter, policy.pk),
        url("version_delete", matter, policy.pk, v1.pk), url("version_restore", matter, policy.pk, v1.pk),
        url("audience_new", matter), url("audience_retire", matter, audience.pk),
    ]  # fmt: skip
    for address in posts:
        assert client.post(address, {"reason": "r", "name": "x"}).status_code == 404, address
    assert client.get(url("event_new", matter) + f"?version={v1.pk}").status_code == 404


def test_viewers_read_every_page_and_write_nothing(client, matter, policy, viewer):
    client.force_login(viewer)
    v1, v2 = _versions(policy)
    listing = client.get(url("source_list", matter)).content.decode()
    assert "Privacy &lt;b&gt;Policy&lt;/b&gt;" in listing and "<b>Policy</b>" not in listing  # escaped
    assert "Add a tracked source" not in listing
    detail = client.get(url("source_detail", matter, policy.pk)).content.decode()
    assert "Add a version" not in detail and "Delete source" not in detail
    version = client.get(url("version_detail", matter, policy.pk, v2.pk)).content.decode()
    assert "Review and log this event" not in version and v2.document.sha256 in version
    for address in (url("source_new", matter), url("version_new", matter, policy.pk),
                    url("version_edit", matter, policy.pk, v1.pk), url("source_edit", matter, policy.pk)):  # fmt: skip
        assert client.get(address).status_code == 403, address
    assert client.post(url("source_delete", matter, policy.pk), {"reason": "r"}).status_code == 403
    assert client.post(url("version_delete", matter, policy.pk, v1.pk), {"reason": "r"}).status_code == 403
    assert client.post(url("audience_new", matter), {"name": "EU", "reason": "r"}).status_code == 403
    assert not TrackedSource.objects.deleted().exists() and Audience.objects.count() == 1


def test_the_list_links_each_source_and_its_latest_version(client, matter, policy, user):
    make_source(matter, name="Generative AI FAQ", kind="faq")
    client.force_login(user)
    page = client.get(url("source_list", matter)).content.decode()
    _, v2 = _versions(policy)
    assert url("version_detail", matter, policy.pk, v2.pk) in page and "Effective</span> Nov 20, 2024" in page
    assert "Generative AI FAQ" in page and "None yet" in page
    assert f'href="{url("source_list", matter)}"' in client.get(url("timeline", matter)).content.decode()  # nav


def test_a_source_shows_its_versions_in_order_with_dates_audiences_and_the_illustrative_banner(
    client, matter, policy, user
):
    client.force_login(user)
    page = client.get(url("source_detail", matter, policy.pk)).content.decode()
    v1, v2 = _versions(policy)
    assert page.index(f"version-{v1.pk}") < page.index(f"version-{v2.pk}")
    assert "Version 1 · PX-1" in page and "Version 2 · PX-2" in page
    assert "Members outside the UK" in page and "Applies to everyone" in page
    assert "Illustrative text, not the real wording." in page


def test_every_page_of_an_illustrative_source_says_so_and_others_do_not(client, matter, policy, user):
    client.force_login(user)
    v1, _ = _versions(policy)
    pages = [
        url("source_detail", matter, policy.pk), url("source_edit", matter, policy.pk),
        url("version_new", matter, policy.pk), url("version_detail", matter, policy.pk, v1.pk),
        url("version_edit", matter, policy.pk, v1.pk), url("version_delete_confirm", matter, policy.pk, v1.pk),
        url("source_delete_confirm", matter, policy.pk),
    ]  # fmt: skip
    for address in pages:
        assert "Illustrative text, not the real wording" in client.get(address).content.decode(), address
    plain = make_source(matter, name="Terms", kind="terms")
    assert "Illustrative text" not in client.get(url("source_detail", matter, plain.pk)).content.decode()


def test_a_version_page_shows_its_document_capture_hash_and_who_added_it(client, matter, policy, user):
    client.force_login(user)
    v1, v2 = _versions(policy)
    page = client.get(url("version_detail", matter, policy.pk, v2.pk)).content.decode()
    assert url("document_file", matter, v2.document.pk) in page  # the checked download
    assert v2.document.sha256 in page and "PX-2" in page and "Sept 18, 2024" in page and "Nov 20, 2024" in page
    assert "Web archive (WARC/WACZ)" in page and f"{user.username}, " in page
    assert "version 2 of 2" in page and url("version_detail", matter, policy.pk, v1.pk) in page
    redline = url("source_redline", matter, policy.pk) + "?from=1&amp;to=2"
    assert redline in page and client.get(redline.replace("&amp;", "&")).status_code == 200
    first = client.get(url("version_detail", matter, policy.pk, v1.pk)).content.decode()
    assert "Aug 12, 2024, 10:00 AM PDT" in first  # the capture time in the matter's zone


def test_a_version_of_another_source_is_not_found_under_this_one(client, matter, policy, user):
    client.force_login(user)
    other = make_source(matter, name="FAQ", kind="faq")
    v1, _ = _versions(policy)
    assert client.get(url("version_detail", matter, other.pk, v1.pk)).status_code == 404


def test_an_editor_adds_a_version_from_a_document_of_the_matter(client, matter, policy, editor):
    client.force_login(editor)
    document = make_document(matter, content=b"<h1>Policy</h1><p>v3</p>", filename="v3.html")
    page = client.get(url("version_new", matter, policy.pk)).content.decode()
    assert f'<option value="{document.pk}"' in page
    assert f'<option value="{_versions(policy)[0].document.pk}"' not in page  # a version of this source already
    response = client.post(url("version_new", matter, policy.pk), {
        "document": document.pk, "capture_method": "upload", "captured_at": "2025-01-10 09:30",
        "first_seen": "Jan 10, 2025", "effective": "", "audiences": [Audience.objects.get().pk], "note": "n",
    })  # fmt: skip
    version = SourceVersion.objects.get(document=document)
    assert response.status_code == 302 and response["Location"] == url("version_detail", matter, policy.pk, version.pk)
    assert version.captured_at == dt.datetime(2025, 1, 10, 17, 30, tzinfo=dt.UTC)  # read in the matter's zone
    assert version.first_seen_date.display() == "Jan 10, 2025" and version.effective_date.undated
    assert version.history.get().history_user == editor
    assert not verify_chains().problems


def test_an_editor_adds_a_version_by_upload_through_the_document_intake(client, matter, policy, editor):
    client.force_login(editor)
    upload = SimpleUploadedFile("policy-2025.html", b"<h1>Policy</h1><p>v3 uploaded</p>", content_type="text/html")
    response = client.post(url("version_new", matter, policy.pk), {
        "upload": upload, "capture_method": "screenshot", "effective": "c. Jan 2025", "reason": "from the client",
    })  # fmt: skip
    assert response.status_code == 302
    document = Document.objects.get(original_filename="policy-2025.html")
    assert document.exhibit_number == 3 and document.source_url == "https://example.com/privacy"
    version = SourceVersion.objects.get(document=document)
    assert version.effective_date.display() == "c. Jan 2025"
    assert document.history.get().history_change_reason == "from the client"


def test_bad_version_input_is_refused_with_a_clear_error_and_nothing_written(client, matter, policy, editor):
    client.force_login(editor)
    document = make_document(matter, content=b"v3")
    before = (Document.objects.count(), SourceVersion.objects.count(), HistoryLink.objects.count())
    cases = [
        ({"capture_method": "upload"}, "Choose a document of the matter or upload a file"),
        ({"document": document.pk, "capture_method": "upload", "effective": "Sept 31, 2024"}, "September has 30 days"),
        ({"document": document.pk, "capture_method": "fax"}, "Select a valid choice"),
        ({"document": document.pk, "upload": SimpleUploadedFile("x.html", b"x"), "capture_method": "upload"},
         "one of them"),
        ({"document": document.pk, "capture_method": "upload", "captured_at": "yesterday"}, "Enter a valid date/time"),
    ]  # fmt: skip
    for data, message in cases:
        response = client.post(url("version_new", matter, policy.pk), data)
        assert response.status_code == 200 and message in response.content.decode(), message
    assert (Document.objects.count(), SourceVersion.objects.count(), HistoryLink.objects.count()) == before


def test_an_uploaded_file_that_is_already_a_version_is_refused_and_no_document_is_left(client, matter, policy, editor):
    client.force_login(editor)
    v1, _ = _versions(policy)
    before = Document.objects.count()
    again = SimpleUploadedFile("again.html", b"<h1>Policy</h1><p>v1</p>")
    response = client.post(url("version_new", matter, policy.pk), {"upload": again, "capture_method": "upload"})
    assert response.status_code == 200 and "already a version of" in response.content.decode()
    assert Document.objects.count() == before


def test_a_version_proposes_an_event_that_opens_the_event_form_filled_in(client, matter, policy, editor):
    client.force_login(editor)
    v1, v2 = _versions(policy)
    page = client.get(url("version_detail", matter, policy.pk, v2.pk)).content.decode()
    assert "Privacy &lt;b&gt;Policy&lt;/b&gt; amended" in page
    link = url("event_new", matter) + f"?version={v2.pk}"
    assert link in page
    form = client.get(link).content.decode()
    assert 'value="Nov 20, 2024"' in form and "Privacy &lt;b&gt;Policy&lt;/b&gt; amended" in form
    assert 'value="policy_edit" selected' in form
    assert f'<option value="{v1.document.pk}" selected' in form and f'<option value="{v2.document.pk}" selected' in form
    data = {
        "date": "Nov 20, 2024", "title": "Privacy Policy amended", "kind": "policy_edit", "status": "unverified",
        "order": "0", "cite-TOTAL_FORMS": "2", "cite-INITIAL_FORMS": "0",
        "cite-0-document": v1.document.pk, "cite-0-pinpoint": "", "cite-0-note": "version before",
        "cite-1-document": v2.document.pk, "cite-1-pinpoint": "", "cite-1-note": "new version",
        "reason": "proposed by the new version",
    }  # fmt: skip
    assert client.post(url("event_new", matter), data).status_code == 302
    event = Event.objects.get(title="Privacy Policy amended")
    assert {c.document for c in event.citations.all()} == {v1.document, v2.document}


def test_an_editor_edits_a_version_and_its_audiences(client, matter, policy, editor):
    client.force_login(editor)
    v1, _ = _versions(policy)
    eu = audience_create(matter=matter, user=editor, name="EU", reason="r")
    response = client.post(url("version_edit", matter, policy.pk, v1.pk), {
        "capture_method": "web_archive", "effective": "Nov 2, 2023", "audiences": [eu.pk], "reason": "date read",
    })  # fmt: skip
    assert response.status_code == 302
    v1.refresh_from_db()
    assert v1.effective_date.display() == "Nov 2, 2023" and list(v1.audiences.all()) == [eu]
    assert v1.history.order_by("history_id").last().history_change_reason == "date read"
    missing = client.post(url("version_edit", matter, policy.pk, v1.pk), {"capture_method": "upload"})
    assert missing.status_code == 200 and "Say why" in missing.content.decode()


def test_sources_are_created_edited_deleted_and_restored_with_reasons(client, matter, editor):
    client.force_login(editor)
    response = client.post(url("source_new", matter), {"name": "Terms", "kind": "terms", "url": "example.com/terms"})
    source = TrackedSource.objects.get(name="Terms")
    assert response["Location"] == url("source_detail", matter, source.pk) and source.url == "https://example.com/terms"
    clash = client.post(url("source_new", matter), {"name": "terms", "kind": "faq"})
    assert clash.status_code == 200 and "already in this matter" in clash.content.decode()
    edit = client.post(url("source_edit", matter, source.pk), {"name": "Terms of Service", "kind": "terms"})
    assert "Say why" in edit.content.decode()
    client.post(url("source_edit", matter, source.pk), {"name": "Terms of Service", "kind": "terms", "reason": "r"})
    page = client.post(url("source_delete", matter, source.pk), {"reason": ""})
    assert page.status_code == 200 and "Give a reason" in page.content.decode()
    client.post(url("source_delete", matter, source.pk), {"reason": "entered by mistake"})
    source.refresh_from_db()
    assert source.is_deleted and source.name == "Terms of Service"
    link = f'href="{url("source_detail", matter, source.pk)}"'
    assert link not in client.get(url("source_list", matter)).content.decode()
    assert link in client.get(url("source_list", matter) + "?deleted=1").content.decode()
    client.post(url("source_restore", matter, source.pk), {"reason": "needed"})
    source.refresh_from_db()
    assert not source.is_deleted
    reasons = [r.history_change_reason for r in source.history.order_by("history_id")]
    assert reasons == ["source added", "r", "entered by mistake", "needed"]


def test_versions_are_deleted_and_restored_with_confirmation(client, matter, policy, editor):
    client.force_login(editor)
    v1, v2 = _versions(policy)
    confirm = client.get(url("version_delete_confirm", matter, policy.pk, v1.pk)).content.decode()
    assert "Delete version PX-1" in confirm
    client.post(url("version_delete", matter, policy.pk, v1.pk), {"reason": "duplicate"})
    v1.refresh_from_db()
    assert v1.is_deleted
    page = client.get(url("source_detail", matter, policy.pk)).content.decode()
    assert "Deleted versions (1)" in page and "Version 1 · PX-2" in page
    client.post(url("version_restore", matter, policy.pk, v1.pk), {"reason": "not a duplicate"})
    v1.refresh_from_db()
    assert not v1.is_deleted and list(v2.audiences.all())


def test_audiences_are_added_and_retired_with_reasons(client, matter, editor):
    client.force_login(editor)
    assert client.post(url("audience_new", matter), {"name": "Premium members", "reason": "r"}).status_code == 302
    clash = client.post(url("audience_new", matter), {"name": "premium members", "reason": "r"})
    assert clash.status_code == 400 and "already in this matter" in clash.content.decode()
    audience = Audience.objects.get()
    client.post(url("audience_retire", matter, audience.pk), {f"r{audience.pk}-reason": "merged"})
    audience.refresh_from_db()
    assert audience.retired_at is not None
    page = client.get(url("version_new", matter, make_source(matter).pk)).content.decode()
    assert f'name="audiences" value="{audience.pk}"' not in page  # retired: not offered for new versions


def test_the_source_pages_read_in_a_fixed_number_of_queries(client, matter, user, django_assert_max_num_queries):
    for n in range(4):
        source = make_source(matter, name=f"Source {n}")
        for _ in range(3):
            make_version(source, content=io.BytesIO(f"{n}-{_}".encode()).getvalue())
    client.force_login(user)
    with django_assert_max_num_queries(12):
        assert client.get(url("source_list", matter)).status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(url("source_detail", matter, source.pk)).status_code == 200
