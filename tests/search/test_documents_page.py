"""The documents page: the same search as the timeline, filters (type, date, privileged, cited) and sort."""

import io
import re

import PIL.Image
import pytest
from django.urls import reverse

from evidence.services.documents import document_update
from tests import factories


def listed(client, matter, **query) -> list[str]:
    response = client.get(reverse("document_list", args=[matter.slug]), query)
    assert response.status_code == 200
    return re.findall(r'<td class="exhibit">([^<]+)</td>', response.content.decode())


def row(page: str, label: str) -> str:
    start = page.index(f'<td class="exhibit">{label}</td>')
    return page[start : page.index("</tr>", start)]


@pytest.fixture
def docs(case, user):
    """PX-1 memo.txt, PX-2 policy.pdf (cited), PX-3 prod.txt (Bates, cited), PX-4 privileged photo, PX-5 uncited."""
    png = io.BytesIO()
    PIL.Image.new("RGB", (40, 30), "white").save(png, format="PNG")
    image = factories.make_document(case.matter, title="Screenshot of the setting", filename="shot.png",
                                    content=png.getvalue(), is_privileged=True)  # fmt: skip
    document_update(document=case.policy_pdf, user=user, reason="t", date="Sept 18, 2024")
    document_update(document=case.memo, user=user, reason="t", date="March 2023")
    return image


def test_the_documents_page_searches_as_the_timeline_does(client, user, case, docs):
    client.force_login(user)
    assert listed(client, case.matter, q="zeppelin") == ["PX-2"]
    assert listed(client, case.matter, q="PX-2") == ["PX-2"]
    assert listed(client, case.matter, q="LI-000106") == ["PX-3"]
    assert listed(client, case.matter, q="screensh*") == ["PX-4"]
    assert listed(client, case.matter, q="policy NOT zeppelin") == []
    assert sorted(listed(client, case.matter, q='"section two" OR memo')) == ["PX-1", "PX-2"]
    # best match first: the word in the title (PX-2) before the word only in the text (PX-3's "produced pages")
    assert listed(client, case.matter, q="privacy OR produced") == ["PX-2", "PX-3"]
    page = client.get(reverse("document_list", args=[case.matter.slug]), {"q": "zeppelin"}).content.decode()
    assert '<span class="where">page 3 of PX-2:</span>' in row(page, "PX-2")
    assert "<mark>zeppelin</mark>" in row(page, "PX-2")
    page = client.get(reverse("document_list", args=[case.matter.slug]), {"q": "LI-000105"}).content.decode()
    assert '<span class="where">page 2 of PX-3:</span> <mark>LI-000105</mark>' in row(page, "PX-3")
    # the rule a citation's pinpoint opens its page by: separators and case are not part of the prefix
    page = client.get(reverse("document_list", args=[case.matter.slug]), {"q": "li_000106"}).content.decode()
    assert '<span class="where">page 3 of PX-3:</span>' in row(page, "PX-3")
    page = client.get(reverse("document_list", args=[case.matter.slug]), {"q": "LI-000107"}).content.decode()
    assert "PX-3" not in page.split("<tbody>")[-1]  # past the range's end


@pytest.mark.parametrize(
    "query, expected",
    [
        ({"type": "pdf"}, ["PX-2"]),
        ({"type": "image"}, ["PX-4"]),
        ({"type": "text"}, ["PX-1", "PX-3"]),
        ({"type": "other"}, []),
        ({"privileged": "yes"}, ["PX-4"]),
        ({"privileged": "no"}, ["PX-1", "PX-2", "PX-3"]),
        ({"cited": "yes"}, ["PX-2", "PX-3"]),
        ({"cited": "no"}, ["PX-1", "PX-4"]),
        ({"from": "2024", "to": "2024"}, ["PX-2"]),
        ({"to": "2023"}, ["PX-1"]),
        ({"sort": "date"}, ["PX-1", "PX-2", "PX-3", "PX-4"]),  # undated last
        ({"sort": "title"}, ["PX-1", "PX-2", "PX-3", "PX-4"]),
        ({"sort": "-size"}, ["PX-2", "PX-4", "PX-3", "PX-1"]),
        ({"sort": "size"}, ["PX-1", "PX-3", "PX-4", "PX-2"]),
        ({"cited": "yes", "q": "privacy OR memo"}, ["PX-2"]),
    ],
)
def test_the_documents_page_filters_and_sorts(client, user, case, docs, query, expected):
    client.force_login(user)
    assert listed(client, case.matter, **query) == expected


def test_a_bad_date_is_named_and_the_other_filters_still_apply(client, user, case, docs):
    client.force_login(user)
    response = client.get(reverse("document_list", args=[case.matter.slug]), {"from": "Sept 45 2024", "type": "pdf"})
    page = response.content.decode()
    assert "&#x27;Sept 45 2024&#x27;: day 45 does not exist" in page
    assert re.findall(r'<td class="exhibit">([^<]+)</td>', page) == ["PX-2"]


def test_a_viewer_searches_the_documents_and_an_outsider_gets_404(client, case, docs, viewer, outsider):
    client.force_login(viewer)
    assert listed(client, case.matter, q="zeppelin") == ["PX-2"]
    assert listed(client, case.matter, privileged="yes") == ["PX-4"]  # shown to viewers, marked, as before
    client.force_login(outsider)
    assert client.get(reverse("document_list", args=[case.matter.slug]), {"q": "zeppelin"}).status_code == 404
