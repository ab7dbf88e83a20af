"""The redline page of a tracked source: any two versions (the last two by default), both versions' facts, the
redline with <ins>/<del> and their marks, unchanged paragraphs folded, who may see it."""

import pytest
from django.urls import reverse

from evidence.models import AccessEvent
from tests.tracked.redline_support import POLICY_V3, html_page, make_source

pytestmark = pytest.mark.django_db


def page(client, user, source, **query):
    client.force_login(user)
    return client.get(reverse("source_redline", args=[source.matter.slug, source.pk]), query)


def test_a_viewer_reads_the_redline_of_the_last_two_versions(client, matter, viewer):
    source, (v1, v2) = make_source(matter)
    response = page(client, viewer, source)
    assert response.status_code == 200
    html = response.content.decode()
    # both versions' facts
    for version in (v1, v2):
        assert version.document.sha256 in html
        assert version.document.exhibit_label in html
    assert "effective Sept 18, 2024" in html or "Sept 18, 2024" in html
    # the words changed, marked in text and in <ins>/<del>
    assert '<del><span class="mark">[-</span>do not<span class="mark">-]</span></del>' in html
    assert '<ins><span class="mark">[+</span>may<span class="mark">+]</span></ins>' in html
    assert "[+</span>You can opt out in your settings.<span" in html
    assert "never shown" not in html  # the script of the page
    assert "Download redline PDF" in html
    assert "Illustrative text" not in html


def test_unchanged_paragraphs_are_folded_with_a_count(client, matter, viewer):
    v1 = "\n\n".join(["# Policy"] + [f"Paragraph {n} stays as it was." for n in range(1, 9)] + ["Last one."])
    v2 = v1.replace("Last one.", "Last one, amended.")
    source, _ = make_source(matter, versions=[(v1.encode(), "a.txt", "2023"), (v2.encode(), "b.txt", "2024")])
    html = page(client, viewer, source).content.decode()
    assert "<summary>7 unchanged paragraphs and 1 heading</summary>" in html
    assert "Paragraph 8 stays as it was." in html  # the context kept before the change, outside the fold
    assert html.index("<summary>") < html.index("Paragraph 1 stays") < html.index("</details>")


def test_any_two_versions_by_exhibit_in_either_order(client, matter, viewer):
    source, (v1, v2, v3) = make_source(matter, versions=[
        (html_page("<p>First text of the policy.</p>"), "a.html", "2022"),
        (html_page("<p>Second text of the policy.</p>"), "b.html", "2023"),
        (POLICY_V3.encode(), "c.txt", "2024"),
    ])  # fmt: skip
    html = page(client, viewer, source, **{"from": v3.document.exhibit_number, "to": v1.document.exhibit_number})
    text = html.content.decode()
    assert html.status_code == 200
    # compared from the earlier (v1) to the later (v3), whatever the order asked
    assert text.index(v1.document.sha256) < text.index(v3.document.sha256)
    assert v2.document.sha256 not in text
    assert '<del><span class="mark">[-</span>First text of the policy.<span class="mark">-]</span></del>' in text


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ({"from": "999"}, 404, "Exhibit 999 is not a version of this source."),
        ({"from": "x1"}, 404, "Exhibit x1 is not a version of this source."),
    ],
)
def test_an_unknown_exhibit_is_refused_clearly(client, matter, viewer, query, status, message):
    source, _ = make_source(matter)
    response = page(client, viewer, source, **query)
    assert response.status_code == status
    assert message in response.content.decode()


def test_the_same_version_twice_and_a_single_version_say_why(client, matter, viewer):
    source, (v1, _) = make_source(matter)
    number = v1.document.exhibit_number
    response = page(client, viewer, source, **{"from": number, "to": number})
    assert "Choose two different versions to compare." in response.content.decode()
    single, _ = make_source(matter, name="FAQ", versions=[(html_page("<p>Only one.</p>"), "faq.html", "2024")])
    response = page(client, viewer, single)
    assert response.status_code == 200
    assert "fewer than two versions" in response.content.decode()


def test_an_illustrative_source_says_so(client, matter, viewer):
    source, _ = make_source(matter, illustrative=True)
    assert "Illustrative text, not the real wording." in page(client, viewer, source).content.decode()


def test_hostile_html_is_refused_with_its_reason(client, matter, viewer):
    deep = html_page("<div>" * 300 + "x" + "</div>" * 300)
    source, _ = make_source(matter, versions=[(html_page("<p>fine</p>"), "a.html", "2023"), (deep, "b.html", "2024")])
    response = page(client, viewer, source)
    assert response.status_code == 422
    assert "nests its HTML elements more than 200 deep" in response.content.decode()


def test_an_outsider_gets_404_for_the_page_and_the_pdf(client, matter, outsider):
    source, _ = make_source(matter)
    client.force_login(outsider)
    assert page(client, outsider, source).status_code == 404
    assert client.get(reverse("source_redline_pdf", args=[matter.slug, source.pk])).status_code == 404


def test_a_deleted_source_is_not_found(client, matter, viewer, user):
    from evidence.services.sources import source_delete

    source, _ = make_source(matter)
    source_delete(source=source, user=user, reason="test")
    assert page(client, viewer, source).status_code == 404


def test_a_viewer_downloads_the_pdf_and_it_is_in_the_access_log(client, matter, viewer):
    source, (v1, v2) = make_source(matter)
    client.force_login(viewer)
    response = client.get(reverse("source_redline_pdf", args=[matter.slug, source.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    content = b"".join(response.streaming_content)
    assert content.startswith(b"%PDF")
    event = AccessEvent.objects.filter(matter=matter, kind=AccessEvent.Kind.EXPORT).latest("sequence")
    assert event.user == viewer
    assert event.detail["report"] == "source redline"
    assert [v["sha256"] for v in event.detail["versions"]] == [v1.document.sha256, v2.document.sha256]


def test_a_privileged_version_is_exported_only_by_those_who_may(client, matter, viewer, editor):
    source, _ = make_source(matter, privileged=(1,))
    client.force_login(viewer)
    url = reverse("source_redline_pdf", args=[matter.slug, source.pk])
    assert client.get(url).status_code == 403
    assert page(client, viewer, source).status_code == 200  # read on the page, as its documents are
    client.force_login(editor)
    assert client.get(url).status_code == 200


def test_the_page_reads_a_fixed_number_of_queries_whatever_the_number_of_versions(client, matter, viewer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(viewer)

    def queries(source):
        url = reverse("source_redline", args=[matter.slug, source.pk])
        client.get(url)  # the session's first reads are not the page's
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    few, _ = make_source(matter, name="Two versions")
    texts = [(html_page(f"<p>Version {n} of the policy text.</p>"), f"v{n}.html", str(2015 + n)) for n in range(6)]
    many, _ = make_source(matter, name="Six versions", versions=texts)
    assert queries(many) == queries(few)
