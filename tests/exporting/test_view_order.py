"""“Export this view” exports the view: the timeline's filters and its sort. A view sorted by another column than the
date gives the chronology in that order (read back from the CSV and the PDF), numbered 1..N as listed, and the cover
says so; the chronology's date order stays the default, and then the cover says nothing of order."""

import csv
import io

import pytest
from django.urls import reverse

from evidence.exporting import ExportOptions, export_chronology
from evidence.models import Job
from evidence.selectors import TimelineFilters
from tests import factories
from tests.exporting.readback import flat, pdftotext


@pytest.fixture
def listed(matter):
    make = factories.make_event
    make(matter, date="Sept 2024", title="Bravo: policy amended", kind="policy_edit")
    make(matter, date="Aug 3, 2024", title="Charlie: setting switched on", kind="setting_introduced")
    make(matter, date="Aug 2024", title="Alpha: FAQ changed", kind="help_page_edit")
    make(matter, date="Jan 2025", title="Delta: complaint filed", kind="court_filing")
    return matter


def _csv_titles(content: bytes) -> list[tuple[str, str]]:
    rows = csv.DictReader(io.StringIO(content.decode("utf-8")))
    return [(row["no"], row["title"]) for row in rows]


def _export(matter, user, **options):
    return export_chronology(matter=matter, user=user, options=ExportOptions(**options)).content


def test_the_csv_follows_the_views_sort(listed, user):
    by_title = _csv_titles(_export(listed, user, format="csv", sort="title"))
    assert by_title == [("1", "Alpha: FAQ changed"), ("2", "Bravo: policy amended"),
                        ("3", "Charlie: setting switched on"), ("4", "Delta: complaint filed")]  # fmt: skip
    reverse_kind = [title for _, title in _csv_titles(_export(listed, user, format="csv", sort="-kind"))]
    # Kinds by their labels, Z to A: Setting introduced, Policy edit, FAQ / help-page edit, Court filing.
    assert reverse_kind == ["Charlie: setting switched on", "Bravo: policy amended", "Alpha: FAQ changed",
                            "Delta: complaint filed"]  # fmt: skip


def test_date_order_stays_the_default(listed, user):
    titles = [title for _, title in _csv_titles(_export(listed, user, format="csv"))]
    assert titles == ["Alpha: FAQ changed", "Charlie: setting switched on", "Bravo: policy amended",
                      "Delta: complaint filed"]  # fmt: skip
    assert _csv_titles(_export(listed, user, format="csv", sort="date")) == _csv_titles(
        _export(listed, user, format="csv")
    )


def test_the_pdf_follows_the_sort_and_its_cover_says_so(listed, user):
    text = flat(pdftotext(_export(listed, user, format="pdf", sort="-title", timeline=False)))
    body = text[text.index("Delta: complaint filed") :]
    assert [body.index(t) for t in ("Delta", "Charlie", "Bravo", "Alpha")] == sorted(
        body.index(t) for t in ("Delta", "Charlie", "Bravo", "Alpha")
    )
    assert "Order: by title, Z to A, then by date (as the timeline view exported)" in text
    plain = flat(pdftotext(_export(listed, user, format="pdf", timeline=False)))
    assert "Order:" not in plain


def test_an_unknown_order_is_refused():
    with pytest.raises(ValueError, match="Unknown order 'size'"):
        ExportOptions(format="csv", sort="size", filters=TimelineFilters())


@pytest.mark.django_db(transaction=True)  # exports are enqueued on commit, as after a request
def test_export_this_view_carries_the_sort_from_the_timeline_to_the_file(client, listed, user):
    client.force_login(user)
    page = client.get(reverse("export", args=[listed.slug]), {"sort": "title", "kind": ["policy_edit", "court_filing"]})
    html = page.content.decode()
    assert 'name="sort" value="title"' in html and "In the order of the timeline view: <strong>by title, A to Z" in html
    form = page.context["form"]
    data = {"format": "csv", "report": "chronology", "version": "standard", "paper": "letter",
            "sort": form["sort"].value(), "kinds": form["kinds"].value()}  # fmt: skip
    response = client.post(reverse("export", args=[listed.slug]), data)
    assert response.status_code == 302
    job = Job.objects.get(kind=Job.Kind.EXPORT)
    assert job.state == Job.State.DONE, job.message
    assert job.options["sort"] == "title"
    content = client.get(reverse("export_download", args=[listed.slug, job.pk]))
    body = b"".join(content.streaming_content) if content.streaming else content.content
    assert _csv_titles(body) == [("1", "Bravo: policy amended"), ("2", "Delta: complaint filed")]
