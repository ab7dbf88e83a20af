"""python manage.py load_demo: the demo matter, loaded twice, is the same data, dated as the article dates it."""

from django.core.management import call_command

from evidence.models import Citation, Document, Event, Matter


def snapshot():
    events = Event.objects.order_by("date_sort", "order").values_list(
        "external_id",
        "date_precision",
        "date_start",
        "date_approximate",
        "date_bound",
        "kind",
        "status",
        "is_key",
        "title",
    )
    return (
        list(Matter.objects.values_list("slug", "short_title")),
        list(events),
        list(Document.objects.values_list("exhibit_number", "sha256", "title")),
        sorted(Citation.objects.values_list("event__external_id", "document__exhibit_number", "pinpoint")),
    )


def test_load_demo_twice_gives_the_same_data(db, capsys):
    call_command("load_demo")
    first = snapshot()
    out = capsys.readouterr().out
    assert "Log in at http://127.0.0.1:8000/ as paralegal / demo-password" in out
    call_command("load_demo")
    assert snapshot() == first
    assert Event.objects.count() == 7 and Document.objects.count() == 1


def test_demo_dates_are_no_more_precise_than_the_article(db):
    call_command("load_demo")
    shown = {e.external_id: e.date_display for e in Event.objects.all()}
    assert shown == {
        "demo-setting": "Aug 2024",
        "demo-faq": "Date unknown",
        "demo-policy": "c. Sept 2024",
        "demo-email": "2024",
        "demo-complaint": "Jan 2025",
        "demo-denial": "Date unknown",
        "demo-article": "Jan 24, 2025",
    }
    disputed = set(Event.objects.filter(status="disputed").values_list("external_id", flat=True))
    assert disputed == {"demo-setting", "demo-policy"}
    article = Document.objects.get()
    assert "These are false claims with no merit" in article.extracted_text
    assert Citation.objects.filter(document=article).count() == 7  # the article event cites it whole
