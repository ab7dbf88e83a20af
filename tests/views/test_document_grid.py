"""The documents page as a grid, the timeline grid's pieces: one line per document, sortable by any column (exhibit
numbers as numbers, dates by the chronology's order), the columns and density each user chose, and the detailed
list one click away."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evidence.models import GridSettings
from evidence.services.citations import citation_create
from evidence.services.documents import document_update
from evidence.services.grid import grid_settings_update
from tests import factories


def url(name, matter, *args):
    return reverse(name, args=[matter.slug, *args])


def exhibits(page: str) -> list[str]:
    return re.findall(r'<td class="exhibit">([^<]+)</td>', page)


@pytest.fixture
def documents(matter, user):
    """Twelve documents (PX-1..PX-12: PX-10 sorts after PX-9), dated, sized and cited differently."""
    dated = {1: "Sept 18, 2024", 2: "Aug 2024", 3: "Aug 3, 2024", 10: "2023", 11: "c. Sept 2024"}
    made = []
    for n in range(1, 13):
        doc = factories.make_document(matter, title=f"Doc {n:02}", content=b"x" * (n * 7 % 12 + 1) + bytes([n]),
                                      filename=f"d{n}.txt", author="Zed Author" if n == 4 else "")  # fmt: skip
        if n in dated:
            document_update(document=doc, user=user, reason="t", date=dated[n])
        made.append(doc)
    for i in range(3):
        event = factories.make_event(matter, title=f"E{i}")
        citation_create(event=event, document=made[4], user=user, reason="t", pinpoint=f"p. {i}")
    citation_create(event=event, document=made[8], user=user, reason="t")
    return made


def test_the_grid_is_one_line_per_document_with_every_column(client, matter, viewer, documents):
    client.force_login(viewer)
    page = client.get(url("document_list", matter)).content.decode()
    assert 'class="grid documents-grid density-compact" id="grid" role="grid"' in page
    assert exhibits(page) == [f"PX-{n}" for n in range(1, 13)]  # by exhibit number, as numbers
    for heading in ("Exhibit", "Title", "Date", "Author", "Type", "Size", "Pages", "Cited by", "Privileged"):
        assert f">{heading}" in page
    row = page[page.index('<td class="exhibit">PX-5</td>') :]
    row = row[: row.index("</tr>")]
    assert "3 events</a>" in row and "Text or web page" in row
    assert '<td class="exhibit">PX-9</td>' in page and "1 event</a>" in page
    assert "Not cited" in page
    assert "js/grid.js" in page and "Detailed list" in page


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("-exhibit", [f"PX-{n}" for n in range(12, 0, -1)]),
        # A year before its months, a month before its days, "c. Sept 2024" with Sept; undated last either way.
        ("date", ["PX-10", "PX-2", "PX-3", "PX-11", "PX-1"]),
        ("-date", ["PX-1", "PX-11", "PX-3", "PX-2", "PX-10"]),
        ("cited", ["PX-5", "PX-9"]),
        ("author", ["PX-4"]),
    ],
)
def test_every_column_sorts(client, matter, user, documents, sort, expected):
    client.force_login(user)
    page = client.get(url("document_list", matter), {"sort": sort}).content.decode()
    listed = exhibits(page)
    if sort in ("date", "-date"):
        assert listed[:5] == expected and len(listed) == 12
    elif sort == "cited":
        assert listed[-2:] == expected[::-1]  # the most cited last, ascending
        assert exhibits(client.get(url("document_list", matter), {"sort": "-cited"}).content.decode())[:2] == [
            "PX-5", "PX-9"
        ]  # fmt: skip
    elif sort == "author":
        assert listed[0] == "PX-4" or listed[-1] == "PX-4"
    else:
        assert listed == expected
    column = sort.removeprefix("-")
    order = "descending" if sort.startswith("-") else "ascending"
    assert f'data-col="{column}" aria-sort="{order}"' in page


def test_size_sorts_either_way(client, matter, user, documents):
    client.force_login(user)
    sizes = {f"PX-{n}": d.size for n, d in enumerate(documents, start=1)}
    ascending = exhibits(client.get(url("document_list", matter), {"sort": "size"}).content.decode())
    assert [sizes[x] for x in ascending] == sorted(sizes.values())
    descending = exhibits(client.get(url("document_list", matter), {"sort": "-size"}).content.decode())
    assert [sizes[x] for x in descending] == sorted(sizes.values(), reverse=True)


def test_an_unknown_sort_is_named_and_the_list_keeps_its_order(client, matter, user, documents):
    client.force_login(user)
    page = client.get(url("document_list", matter), {"sort": "sha256"}).content.decode()
    assert "Choose one of the orders offered." in page and exhibits(page)[:3] == ["PX-1", "PX-2", "PX-3"]


def test_columns_density_and_layout_are_remembered_per_user_apart_from_the_timelines(
    client, matter, user, viewer, documents
):
    client.force_login(viewer)
    grid_settings_update(user=viewer, matter=matter, columns=["kind"], density="comfortable")
    data = {"page": "documents", "columns_set": "1", "columns": ["size", "cited"], "density": "comfortable"}
    assert client.post(url("grid_settings", matter), data, HTTP_ACCEPT="application/json").status_code == 200
    settings = GridSettings.objects.get(user=viewer, matter=matter)
    assert (settings.document_columns, settings.document_density) == (["size", "cited"], "comfortable")
    assert settings.columns == ["kind"]  # the timeline's, untouched
    page = client.get(url("document_list", matter)).content.decode()
    assert 'data-col="author" aria-sort="none" hidden' in page and 'data-col="size" aria-sort="none"><a' in page
    assert "density-comfortable" in page
    # Another user still has every column.
    client.force_login(user)
    assert 'data-col="author" aria-sort="none"><a' in client.get(url("document_list", matter)).content.decode()
    # The detailed list (the page as it was), chosen and remembered.
    client.force_login(viewer)
    client.post(url("grid_settings", matter), {"page": "documents", "layout": "list"})
    page = client.get(url("document_list", matter)).content.decode()
    assert '<table class="documents">' in page and 'id="grid"' not in page


def test_a_page_gets_only_its_own_columns_and_layouts(client, matter, user):
    client.force_login(user)
    bad = [
        {"page": "documents", "columns_set": "1", "columns": ["kind"]},
        {"page": "documents", "layout": "cards"},
        {"layout": "list"},
        {"page": "events", "layout": "grid"},
    ]
    for data in bad:
        assert client.post(url("grid_settings", matter), data).status_code == 400
    assert not GridSettings.objects.exists()


def test_outsiders_get_404_and_the_query_count_stays_the_same(client, matter, user, outsider, documents):
    client.force_login(outsider)
    assert client.get(url("document_list", matter)).status_code == 404
    client.force_login(user)
    with CaptureQueriesContext(connection) as few:
        client.get(url("document_list", matter), {"sort": "-cited"})
    for n in range(8):
        doc = factories.make_document(matter, title=f"More {n}", content=bytes([n]) * 50, filename=f"m{n}.txt")
        citation_create(event=factories.make_event(matter, title=f"F{n}"), document=doc, user=user, reason="t")
    with CaptureQueriesContext(connection) as more:
        client.get(url("document_list", matter), {"sort": "-cited"})
    assert len(more.captured_queries) == len(few.captured_queries)
