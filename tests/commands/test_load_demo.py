"""python manage.py load_demo: the demo matter, loaded twice, is the same data, dated as the article dates it."""

from django.core.management import call_command

from evidence.models import Citation, Document, Event, Matter, SourceVersion, TrackedSource
from evidence.selectors_sources import source_versions
from evidence.services.chain import verify_chains


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
    assert Event.objects.count() == 7 and Document.objects.count() == 5  # the article and four source versions
    assert SourceVersion.objects.count() == 4


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
    article = Document.objects.get(exhibit_number=1)
    assert "These are false claims with no merit" in article.extracted_text
    assert Citation.objects.filter(document=article).count() == 7  # the article event cites it whole


def test_the_demo_tracks_a_policy_and_an_faq_each_in_two_illustrative_versions(db):
    call_command("load_demo")
    sources = {s.name: s for s in TrackedSource.objects.all()}
    assert {(s.name, s.kind, s.is_illustrative) for s in sources.values()} == {
        ("Privacy Policy", "policy", True), ("Generative AI FAQ", "faq", True),
    }  # fmt: skip
    policy = [(v.effective_display, v.first_seen_display) for v in source_versions(sources["Privacy Policy"])]
    assert policy == [("Nov 2023", "Aug 12, 2024"), ("Nov 20, 2024", "Sept 18, 2024")]
    faq = source_versions(sources["Generative AI FAQ"])
    assert [v.first_seen_display for v in faq] == ["Aug 2024", "Sept 18, 2024"]
    assert [[a.name for a in v.audiences.all()] for v in faq] == [[], ["Members outside the UK, EEA and Switzerland"]]
    for version in (*faq, *source_versions(sources["Privacy Policy"])):
        text = version.document.extracted_text
        assert "Illustrative text written for the Case Timeline demo. It is not LinkedIn's wording." in text
        assert version.document.source_url == version.source.url and version.captured_at is not None
    assert not verify_chains().problems
