"""The "In force on" page, `manage.py in_force` and the timeline's lanes, on tracked sources made through the
services: what a member sees, what the command prints, bad input refused with a clear message."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evidence.dates import parse
from evidence.services.sources import source_create, version_add
from tests.factories import make_document, make_event, make_matter
from tests.tracked.sources import make_sources

pytestmark = pytest.mark.django_db

GAP = (
    "v2 was last seen Sept 3, 2024, 9:00 AM PDT and v3 was first seen Sept 18, 2024, 10:02 AM PDT: a change between "
    "them may fall on the date."
)


@pytest.fixture
def sources(matter, user):
    return make_sources(matter, user)


def page(client, member, matter, **params):
    client.force_login(member)
    return client.get(reverse("source_in_force", args=[matter.slug]), params)


def sections(response) -> dict[str, str]:
    """Each source's section of the page, by source name."""
    html = response.content.decode()
    parts = html.split('<section class="in-force-source"')[1:]
    return {name: part for part in parts for name in ("Privacy Policy", "Generative AI FAQ") if f">{name}</a>" in part}


def test_a_viewer_asks_what_was_in_force_and_gets_each_source_with_its_versions_and_why(
    client, viewer, matter, sources
):
    response = page(client, viewer, matter, date="Aug 2024")
    assert response.status_code == 200
    found = sections(response)
    policy, faq = found["Privacy Policy"], found["Generative AI FAQ"]
    assert "Either v1 or v2 may apply" in policy
    assert "The date covers Aug 1 – Aug 31, 2024; v2 took effect Aug 15, 2024: either version may apply." in policy
    assert "Illustrative text, not the real wording" in policy and "Illustrative" not in faq
    for version in (sources.p1, sources.p2):
        assert reverse("version_detail", args=[matter.slug, version.source_id, version.pk]) in policy
    # after: v3, with its capture
    assert (
        "After:" in policy and reverse("version_detail", args=[matter.slug, sources.policy.pk, sources.p3.pk]) in policy
    )
    # the FAQ's answer depends on the audience
    assert "The answer depends on the audience" in faq
    assert "Everyone not in “Premium members”" in faq and "v2 applies only to Premium members." in faq


def test_a_capture_gap_is_told_on_the_page(client, viewer, matter, sources):
    policy = sections(page(client, viewer, matter, date="Sept 10, 2024"))["Privacy Policy"]
    assert "Either v2 or v3 may apply" in policy
    assert GAP in policy


def test_an_audience_narrows_the_answer_and_the_question_is_a_link(client, viewer, matter, sources):
    response = page(client, viewer, matter, date="Sept 2024", audience=sources.premium.pk)
    faq = sections(response)["Generative AI FAQ"]
    assert "The answer depends on the audience" not in faq
    assert "<h3>Premium members</h3>" in faq and '<p class="summary">v2</p>' in faq
    assert "In force on Sept 2024" in response.content.decode()


@pytest.mark.parametrize(
    ("date", "message"),
    [("unknown", "Give the date to ask about"), ("the 5th of never", "could not read"), ("", "This field is required")],
)
def test_a_bad_date_is_refused_with_the_reason_and_nothing_answered(client, viewer, matter, sources, date, message):
    response = page(client, viewer, matter, date=date)
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert 'class="in-force-source"' not in html


def test_an_audience_of_another_matter_is_refused(client, viewer, matter, sources, user):
    other = make_matter(owner=user)
    stranger = make_sources(other, user).premium
    html = page(client, viewer, matter, date="Aug 2024", audience=stranger.pk).content.decode()
    assert "Select a valid choice" in html and 'class="in-force-source"' not in html


def test_only_members_may_ask(client, outsider, matter, sources):
    assert page(client, outsider, matter, date="Aug 2024").status_code == 404
    client.logout()
    response = client.get(reverse("source_in_force", args=[matter.slug]), {"date": "Aug 2024"})
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_page_reads_a_fixed_number_of_queries(client, viewer, matter, sources, user):
    client.force_login(viewer)
    url = reverse("source_in_force", args=[matter.slug])
    with CaptureQueriesContext(connection) as two:
        client.get(url, {"date": "Aug 2024"})
    make_sources_named(matter, user)
    with CaptureQueriesContext(connection) as four:
        client.get(url, {"date": "Aug 2024"})
    assert len(four) == len(two)


def make_sources_named(matter, user):
    """Two more sources with versions, so that a query per source or per version would show."""
    for name in ("Terms of Service", "Data setting"):
        source = source_create(matter=matter, user=user, name=name, kind="terms", reason="more")
        for i in range(2):
            document = make_document(matter, user=user, content=f"{name} {i}".encode(), filename="t.txt")
            version_add(source=source, document=document, user=user, capture_method="upload",
                        effective=parse(f"Mar {i + 1}, 2024"), reason="more")  # fmt: skip


# The visual timeline's lanes ---------------------------------------------------------------------------------------


def test_the_visual_timeline_shows_each_sources_versions_when_asked(client, viewer, matter, sources, user):
    make_event(matter, user=user, date="Aug 15, 2024", title="Setting introduced")
    client.force_login(viewer)
    url = reverse("visual_timeline", args=[matter.slug])
    plain = client.get(url).content.decode()
    assert "source-lane" not in plain
    shown = client.get(url, {"sources": "1"}).content.decode()
    assert shown.count('class="source-lane"') == 2
    for version in (sources.p1, sources.p2, sources.p3, sources.f1, sources.f2):
        assert f'href="{reverse("version_detail", args=[matter.slug, version.source_id, version.pk])}"' in shown
    assert "Privacy Policy (illustrative)" in shown
    assert (
        f"Privacy Policy (illustrative) v3 ({sources.p3.document.exhibit_label}): captured Sept 18, 2024, 10:02 AM PDT"
        in shown
    )


def test_the_sources_pages_link_to_the_question_and_to_each_versions_certificate(client, viewer, matter, sources):
    client.force_login(viewer)
    listing = client.get(reverse("source_list", args=[matter.slug])).content.decode()
    assert f'href="{reverse("source_in_force", args=[matter.slug])}"' in listing
    version = sources.p2
    page_html = client.get(reverse("version_detail", args=[matter.slug, version.source_id, version.pk])).content
    certificate = reverse("version_certificate", args=[matter.slug, version.source_id, version.pk])
    assert f'href="{certificate}"' in page_html.decode()
    # under another source's address, the version has no certificate
    wrong = reverse("version_certificate", args=[matter.slug, sources.faq.pk, version.pk])
    assert client.get(wrong).status_code == 404
