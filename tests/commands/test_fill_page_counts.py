"""python manage.py fill_page_counts: the page counts of PDFs taken in before intake kept them."""

from django.core.management import call_command

from evidence.models import Document
from tests.factories import make_document, make_pdf


def test_fill_page_counts_reads_what_is_missing_and_names_what_gives_none(matter, capsys):
    counted = make_document(matter, content=make_pdf(3), filename="three.pdf")
    make_document(matter, content=b"%PDF-1.4 truncated", filename="broken.pdf")
    Document.objects.update(page_count=None)

    call_command("fill_page_counts", matter=matter.slug)

    out = capsys.readouterr().out
    assert f"No page count: {matter.slug} PX-2 (broken.pdf): no page count" in out
    assert "Page counts read: 1. PDFs without a page count: 1." in out
    assert Document.objects.get(pk=counted.pk).page_count == 3

    call_command("fill_page_counts")
    assert "Page counts read: 0. PDFs without a page count: 1." in capsys.readouterr().out
