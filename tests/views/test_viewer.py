"""The document viewer through the test client: who may open it and cite from it, where a citation opens it, what
it shows of texts, web pages and e-mails (never their markup), and the event form it hands a citation to."""

import io
import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evidence.models import AccessEvent, Citation
from evidence.services.citations import citation_create
from evidence.services.documents import document_delete
from evidence.services.email import email_intake
from evidence.services.events import event_delete
from tests import factories
from tests.test_email_evidence import make_eml

pytestmark = pytest.mark.django_db

COMPLAINT = "COMPLAINT\n\n1. Plaintiff is a LinkedIn Premium user.\n\n2. LinkedIn added a setting.\n\n3. It was on."
FAQ = (
    b"<html><head><title>FAQ</title><script>alert('head')</script><style>p{color:red}</style></head>"
    b"<body><h1>Generative AI FAQ</h1><p onclick=\"alert('p')\">Does LinkedIn use my data? <b>Yes</b>.</p>"
    b"<img src=x onerror=alert(1)><p>You can opt out &lt;here&gt;.</p></body></html>"
)


def viewer_url(matter, document, **query):
    url = reverse("document_viewer", args=[matter.slug, document.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


@pytest.fixture
def policy(matter):
    pdf = factories.make_text_pdf([f"Privacy policy page {n}" for n in range(1, 4)])
    return factories.make_document(matter, content=pdf, filename="policy.pdf", title="Privacy policy",
                                   bates_start="LI-000104", bates_end="LI-000106")  # fmt: skip


def start_page(response) -> str:
    return re.search(r'data-start-page="(\d*)"', response.content.decode()).group(1)


# Who may open it ---------------------------------------------------------------------------------------------------


def test_an_outsider_gets_a_404_for_the_viewer_its_file_and_its_cite_form(client, matter, policy, outsider):
    client.force_login(outsider)
    assert client.get(viewer_url(matter, policy)).status_code == 404
    assert client.get(reverse("document_file", args=[matter.slug, policy.pk]) + "?inline=1").status_code == 404
    assert client.get(reverse("document_cite", args=[matter.slug, policy.pk])).status_code == 404
    assert not AccessEvent.objects.filter(user=outsider).exists()


def test_a_document_of_another_matter_is_not_found_through_this_one(client, matter, user, policy):
    other = factories.make_matter(owner=user)
    client.force_login(user)
    assert client.get(reverse("document_viewer", args=[other.slug, policy.pk])).status_code == 404


def test_a_viewer_reads_but_is_offered_no_citing(client, matter, policy, viewer):
    factories.make_event(matter, title="Policy amended")
    client.force_login(viewer)
    response = client.get(viewer_url(matter, policy))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-mode="pdf"' in html
    assert f'data-file="{reverse("document_file", args=[matter.slug, policy.pk])}?inline=1"' in html
    assert 'id="cite-form"' not in html and "Policy amended" not in html
    assert client.get(reverse("document_cite", args=[matter.slug, policy.pk])).status_code == 403
    # The viewing is in the access log, as the document page's is.
    assert AccessEvent.objects.filter(user=viewer, kind=AccessEvent.Kind.VIEW_DOCUMENT, document=policy).exists()


@pytest.mark.parametrize("role", ["editor", "user"])  # `user` owns the matter
def test_editors_and_owners_are_offered_the_cite_form_with_the_matters_live_events(client, matter, policy, role,
                                                                                   request):  # fmt: skip
    later = factories.make_event(matter, title="Policy amended", date="Sept 2024")
    earlier = factories.make_event(matter, title="Setting introduced <b>", date="Aug 2024")
    gone = factories.make_event(matter, title="Withdrawn event")
    event_delete(event=gone, user=matter.memberships.first().user, reason="test")
    client.force_login(request.getfixturevalue(role))
    html = client.get(viewer_url(matter, policy)).content.decode()
    assert 'id="cite-form"' in html
    chooser = html[html.index('<select id="cite-event"') : html.index("</select>", html.index('id="cite-event"'))]
    options = re.findall(r'<option value="(\d+)">([^<]*)</option>', chooser)
    assert [(int(pk), unescape(text)) for pk, text in options] == [
        (earlier.pk, "Aug 2024 — Setting introduced <b>"),
        (later.pk, "Sept 2024 — Policy amended"),
    ]


def test_a_privileged_document_is_shown_to_the_roles_the_documents_page_shows_it_to(client, matter, viewer):
    """The viewer lists and opens exactly the documents the documents page does (selectors.documents_of)."""
    secret = factories.make_document(matter, content=b"work product", filename="memo.txt", is_privileged=True)
    client.force_login(viewer)
    listed = client.get(reverse("document_list", args=[matter.slug])).content.decode()
    shown = client.get(viewer_url(matter, secret))
    assert ("memo.txt" in listed) == (shown.status_code == 200)
    assert 'class="badge privileged"' in shown.content.decode()


def test_a_deleted_document_is_withheld(client, matter, user, policy):
    document_delete(document=policy, user=user, reason="test")
    client.force_login(user)
    html = client.get(viewer_url(matter, policy)).content.decode()
    assert "This document is deleted" in html
    assert 'data-mode="withheld"' in html and "viewer.mjs" not in html and 'id="cite-form"' not in html
    assert client.get(reverse("document_file", args=[matter.slug, policy.pk]) + "?inline=1").status_code == 404


# Where a pinpoint opens it -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "pin, page, note",
    [
        ("p. 3", "3", "Opened at page 3 for the pinpoint “p. 3”."),
        ("pp. 2-3", "2", "Opened at page 2 for the pinpoint “pp. 2-3”."),
        ("LI-000105", "2", "Opened at page 2 for the pinpoint “LI-000105”."),
        ("p. 9", "", "p. 9 is past the last page: this document has 3 pages. Opened at the start."),
        ("LI-000200", "", "LI-000200 is outside this exhibit&#x27;s Bates range (LI-000104 – LI-000106)."),
        ("00:01:32", "", "The pinpoint “00:01:32” names no page or paragraph; opened at the start."),
    ],
)
def test_a_pinpoint_opens_the_pdf_at_its_page(client, matter, user, policy, pin, page, note):
    client.force_login(user)
    response = client.get(viewer_url(matter, policy), {"pin": pin})
    assert start_page(response) == page
    assert note in " ".join(response.content.decode().split())


def test_a_pinpoint_opens_a_text_at_its_paragraph(client, matter, user):
    complaint = factories.make_document(matter, content=COMPLAINT.encode(), filename="complaint.txt")
    client.force_login(user)
    html = client.get(viewer_url(matter, complaint), {"pin": "¶ 2"}).content.decode()
    assert 'data-start-paragraph="2"' in html and "Opened at ¶ 2" in html
    assert '<p class="para" id="para-2" data-number="2">' in html
    assert '<input type="text" id="cite-pinpoint" name="pinpoint" maxlength="100" value="¶ 2">' in html


def test_citations_link_to_the_viewer_at_their_pinpoint(client, matter, user, policy):
    event = factories.make_event(matter, title="Policy amended")
    citation_create(event=event, document=policy, user=user, reason="t", pinpoint="LI-000105")
    client.force_login(user)
    link = f'{viewer_url(matter, policy)}?pin=LI-000105"'
    for page in (
        reverse("event_detail", args=[matter.slug, event.pk]),
        reverse("timeline", args=[matter.slug]),
        reverse("document_detail", args=[matter.slug, policy.pk]),
    ):
        assert link in client.get(page).content.decode(), page
    with_space = factories.make_event(matter, title="Second")
    citation_create(event=with_space, document=policy, user=user, reason="t", pinpoint="pp. 2-3")
    assert (
        f"{viewer_url(matter, policy)}?pin=pp.%202-3"
        in client.get(reverse("timeline", args=[matter.slug])).content.decode()
    )


# What it shows -----------------------------------------------------------------------------------------------------


def test_a_web_page_is_shown_as_its_text_never_its_markup(client, matter, user):
    faq = factories.make_document(matter, content=FAQ, filename="faq.html")
    client.force_login(user)
    response = client.get(viewer_url(matter, faq))
    html = response.content.decode()
    assert faq.media_type == "text/html" and 'data-mode="text"' in html
    assert "Does LinkedIn use my data? Yes." in html
    assert "You can opt out &lt;here&gt;." in html  # the page's own text, escaped again
    assert "alert" not in html and "onerror" not in html and "onclick" not in html and "<b>Yes" not in html
    assert "scripts, styles, images and links are not run or loaded" in html


def test_an_email_shows_its_headers_body_and_attachments(client, matter, user):
    raw = make_eml(subject="Updates to our Privacy Policy", body="Hi <Member>,\n\nWe are updating our policy.",
                   attachments=[("notice.txt", b"The notice.", "text", "plain")])  # fmt: skip
    outcome = email_intake(matter=matter, user=user, file=io.BytesIO(raw), filename="update.eml", reason="t")
    client.force_login(user)
    html = client.get(viewer_url(matter, outcome.message.document), {"pin": "¶ 2"}).content.decode()
    assert 'data-mode="email"' in html
    assert "<dt>Subject</dt><dd>Updates to our Privacy Policy</dd>" in html
    assert "Hi &lt;Member&gt;," in html and "Opened at ¶ 2" in html
    attachment = outcome.attachments[0].result.document
    assert f'href="{viewer_url(matter, attachment)}">{attachment.exhibit_label} notice.txt</a>' in html


def test_a_file_with_nothing_to_show_offers_the_download(client, matter, user):
    blob = factories.make_document(matter, content=b"\x00\x01binary", filename="data.bin")
    client.force_login(user)
    html = client.get(viewer_url(matter, blob)).content.decode()
    assert "cannot be shown here" in html and "viewer.mjs" not in html


def test_the_viewer_page_keeps_the_strict_policy(client, matter, user, policy):
    client.force_login(user)
    response = client.get(viewer_url(matter, policy))
    policy_header = response["Content-Security-Policy"]
    assert "script-src 'self';" in policy_header + ";" and "worker-src 'self'" in policy_header
    assert "unsafe-eval" not in policy_header and "wasm-unsafe-eval" not in policy_header
    assert "blob:" not in policy_header and "unsafe-inline" not in policy_header
    # pdf.js, its worker and its data are this app's static files, named by the page.
    html = response.content.decode()
    for name in ("pdf.min.mjs", "pdf_viewer.mjs", "pdf.worker.min.mjs", "cmaps/", "standard_fonts/"):
        assert re.search(rf'data-pdfjs[-a-z]*="/static/vendor/pdfjs/[^"]*{re.escape(name)}"', html), name


# The event form it hands a citation to -----------------------------------------------------------------------------


def test_cite_on_a_new_event_prefills_the_form_with_the_selection_and_pinpoint(client, matter, editor, policy):
    client.force_login(editor)
    response = client.get(
        reverse("document_cite", args=[matter.slug, policy.pk]),
        {"event": "new", "pinpoint": "p. 2", "description": "Members are opted in by default."},
    )
    assert response.status_code == 302
    target = urlsplit(response["Location"])
    assert target.path == reverse("event_new", args=[matter.slug])
    assert parse_qs(target.query) == {
        "cite": [str(policy.pk)],
        "pinpoint": ["p. 2"],
        "description": ["Members are opted in by default."],
    }
    form = client.get(response["Location"])
    assert form.context["form"]["description"].value() == "Members are opted in by default."
    assert form.context["form"]["reason"].value() == "from PX-1 p. 2 in the viewer"
    row = form.context["formset"].forms[0]
    assert row["document"].value() == policy.pk and row["pinpoint"].value() == "p. 2"
    assert Citation.objects.count() == 0  # nothing saved until the form is


def test_cite_on_an_existing_event_adds_a_row_to_its_edit_form(client, matter, user, editor, policy):
    event = factories.make_event(matter, title="Policy amended")
    citation_create(event=event, document=policy, user=user, reason="t", pinpoint="p. 1")
    client.force_login(editor)
    response = client.get(reverse("document_cite", args=[matter.slug, policy.pk]), {"event": event.pk,
                                                                                     "pinpoint": "p. 3"})  # fmt: skip
    assert urlsplit(response["Location"]).path == reverse("event_edit", args=[matter.slug, event.pk])
    form = client.get(response["Location"])
    rows = [(f["document"].value(), f["pinpoint"].value()) for f in form.context["formset"].forms]
    assert rows[:2] == [(policy.pk, "p. 1"), (policy.pk, "p. 3")]
    assert form.context["form"]["reason"].value() == "cited PX-1 p. 3 from the viewer"

    # Saving goes through the event's own form and service, with the reason, as any edit does.
    data = {
        "date": "Aug 2024", "title": "Policy amended", "kind": "other", "status": "unverified",
        "version": event.version, "reason": "cited PX-1 p. 3 from the viewer", "order": "0",
        "cite-TOTAL_FORMS": "3", "cite-INITIAL_FORMS": "1", "cite-MIN_NUM_FORMS": "0", "cite-MAX_NUM_FORMS": "1000",
        "cite-0-id": event.citations.get().pk, "cite-0-document": policy.pk, "cite-0-pinpoint": "p. 1",
        "cite-1-document": policy.pk, "cite-1-pinpoint": "p. 3",
    }  # fmt: skip
    saved = client.post(reverse("event_edit", args=[matter.slug, event.pk]), data)
    assert saved.status_code == 302, saved.context["form"].errors if saved.context else ""
    assert sorted(event.citations.values_list("pinpoint", flat=True)) == ["p. 1", "p. 3"]
    assert event.history.first().history_change_reason == "cited PX-1 p. 3 from the viewer"


def test_a_pinpoint_the_event_cites_already_is_not_added_twice(client, matter, user, policy):
    event = factories.make_event(matter, title="Policy amended")
    citation_create(event=event, document=policy, user=user, reason="t", pinpoint="p. 3")
    client.force_login(user)
    form = client.get(reverse("event_edit", args=[matter.slug, event.pk]),
                      {"cite": policy.pk, "pinpoint": "p. 3"}, follow=True)  # fmt: skip
    assert [f["pinpoint"].value() for f in form.context["formset"].forms if f["document"].value()] == ["p. 3"]
    assert "This event cites PX-1 p. 3 already." in [str(m) for m in form.context["messages"]]


def test_citing_an_event_of_another_matter_or_a_deleted_document_is_refused(client, matter, user, policy):
    other = factories.make_matter(owner=user)
    foreign = factories.make_event(other, title="Elsewhere")
    client.force_login(user)
    response = client.get(reverse("document_cite", args=[matter.slug, policy.pk]), {"event": foreign.pk})
    assert urlsplit(response["Location"]).path == reverse("event_new", args=[matter.slug])
    # A document the form may not cite (another matter's) leaves the form as it would be without the viewer.
    elsewhere = factories.make_document(other, content=b"other", filename="o.txt")
    form = client.get(reverse("event_new", args=[matter.slug]), {"cite": elsewhere.pk, "pinpoint": "p. 1"})
    assert form.context["formset"].forms[0]["document"].value() is None
    assert form.context["form"]["reason"].value() in (None, "")


def test_a_long_selection_is_cut_to_what_the_form_takes(client, matter, user, policy):
    client.force_login(user)
    response = client.get(reverse("document_cite", args=[matter.slug, policy.pk]),
                          {"event": "new", "pinpoint": "p. 1", "description": "x" * 50_000})  # fmt: skip
    description = parse_qs(urlsplit(response["Location"]).query)["description"][0]
    assert len(description) == 10_000
    form = client.get(response["Location"])
    assert form.context["form"]["description"].value() == "x" * 10_000


def test_a_web_page_file_is_never_served_inline(client, matter, user):
    """The viewer shows a web page's text; its file, asked for inline, still leaves only as a sandboxed attachment."""
    faq = factories.make_document(matter, content=FAQ, filename="faq.html")
    client.force_login(user)
    response = client.get(reverse("document_file", args=[matter.slug, faq.pk]) + "?inline=1")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff" and "sandbox" in response["Content-Security-Policy"]


def test_the_viewer_costs_the_same_queries_however_many_events_it_offers(client, matter, user, policy):
    client.force_login(user)
    factories.make_event(matter, title="One")
    client.get(viewer_url(matter, policy))
    with CaptureQueriesContext(connection) as one:
        client.get(viewer_url(matter, policy))
    for n in range(20):
        event = factories.make_event(matter, title=f"Event {n}", date="Sept 2024")
        citation_create(event=event, document=policy, user=user, reason="t", pinpoint=f"p. {n % 3 + 1}")
    with CaptureQueriesContext(connection) as many:
        html = client.get(viewer_url(matter, policy)).content.decode()
    assert "Event 19" in html
    assert len(many.captured_queries) == len(one.captured_queries)
