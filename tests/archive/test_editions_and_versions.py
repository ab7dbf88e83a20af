"""The archive's newer records, filing settings and editions of the chronology, through a round trip into another
instance, where an edition still compares with the restored chronology as it did with the first; and archives of
format version 1 (before events were numbered), restored with their events numbered as migration 0018 numbered the
events of that time."""

import hashlib
import json

from django.core.files.storage import default_storage

from evidence.archive.layout import TRACKED_SOURCE_KINDS, V1_EVENT_NUMBER_ORDER
from evidence.editions.reading import edition_comparison
from evidence.models import Actor, Edition, Event, FilingSettings, Issue, Matter
from evidence.services.citations import citation_create
from evidence.services.events import event_delete, event_update
from evidence.services.matters import filing_settings_update
from tests.archive.support import build_matter, empty_instance, entries, reseal
from tests.commands.support import run_command
from tests.editions.support import export_edition
from tests.factories import UserFactory, make_event


def changes_of(comparison) -> list[tuple]:
    """What a comparison shows, event by event, without ids: status, numbers then and now, title, what changed."""
    return [
        (e.status, e.then_no, e.now_no, "".join(s.text for s in e.title.segments), e.changed_labels, e.note)
        for e in comparison.changes.entries
    ]


def redline_summary(slug: str, tmp_path, name: str) -> str:
    out = tmp_path / name
    code, stdout, stderr = run_command("compare_edition", "--matter", slug, "--edition", "1", "--out", str(out),
                                       "--user", "owner")  # fmt: skip
    assert code == 0, stderr
    return stdout.split(": ", 1)[1]


def test_filing_settings_and_editions_round_trip_and_an_edition_compares_on_the_restored_matter(
    settings, request, tmp_path, owner
):
    matter = build_matter(owner)
    filing_settings_update(matter=matter, user=owner, reason="court's rules", citation_form="label",
                           file_limit_mb=25)  # fmt: skip
    filing_settings_update(matter=matter, user=owner, reason="signed", signature_block="/s/ Jane Doe\nJane Doe")
    edition, pdf = export_edition(matter, owner, tmp_path)
    introduced = Event.objects.get(matter=matter, title="Setting introduced")
    event_update(event=introduced, user=owner, reason="date confirmed", date="Sept 18, 2024")
    event_delete(event=Event.objects.get(matter=matter, title="Complaint filed"), user=owner, reason="withdrawn")
    citation_create(event=Event.objects.get(matter=matter, title="FAQ changed (help page)"),
                    document=introduced.citations.first().document, pinpoint="¶ 12", user=owner,
                    reason="new pinpoint")  # fmt: skip
    make_event(matter, date="Feb 2025", title="Motion to dismiss")
    before = changes_of(edition_comparison(edition=edition, user=owner))
    assert {status for status, *_ in before} >= {"added", "removed", "changed"}
    summary = redline_summary(matter.slug, tmp_path, "first-redline.pdf")

    first = tmp_path / "first.zip"
    code, out, err = run_command("export_matter", "--matter", matter.slug, "--out", str(first), "--user", "owner")
    assert code == 0, err
    archived = entries(first)
    assert archived[f"files/{edition.sha256}"] == pdf
    assert hashlib.sha256(archived[f"files/{edition.snapshot_sha256}"]).hexdigest() == edition.snapshot_sha256
    [line] = archived["records/editions.jsonl"].splitlines()
    record = json.loads(line)["current"]
    assert record["user"] == "owner" and record["number"] == 1 and record["sha256"] == edition.sha256
    assert len(archived["records/filing.jsonl"].splitlines()) == 1

    empty_instance(settings, request, tmp_path)
    for username in ("owner", "paralegal", "reader", "former"):
        UserFactory(username=username)
    code, out, err = run_command("import_matter", str(first), "--user", "owner")
    assert code == 0, err
    restored = Matter.objects.get(slug="doe-v-linkedin")

    filing = FilingSettings.objects.get(matter=restored)
    assert (filing.citation_form, filing.file_limit_mb) == ("label", 25)
    assert filing.signature_block == "/s/ Jane Doe\nJane Doe"
    assert [h.history_change_reason for h in filing.history.order_by("history_id")] == ["court's rules", "signed"]
    kept = Edition.objects.get(matter=restored)
    assert (kept.number, kept.user.username, kept.username, kept.sha256) == (1, "owner", "owner", edition.sha256)
    assert kept.job is None and kept.created_at == edition.created_at and kept.chain_head == edition.chain_head
    with default_storage.open(kept.file.name, "rb") as stored:
        assert stored.read() == pdf
    restored_events = set(Event.objects.filter(matter=restored).values_list("id", flat=True))
    assert len(kept.snapshot_ids["events"]) == edition.events_count
    assert set(kept.snapshot_ids["events"].values()) <= restored_events

    # The same comparison, event by event, on the page's rule and in the redline an attorney sends.
    assert changes_of(edition_comparison(edition=kept, user=kept.user)) == before
    assert redline_summary(restored.slug, tmp_path, "second-redline.pdf") == summary

    second = tmp_path / "second.zip"
    code, out, err = run_command("export_matter", "--matter", restored.slug, "--out", str(second), "--user", "owner")
    assert code == 0, err
    again = entries(second)
    assert sorted(archived) == sorted(again)
    for name in archived:
        if name.startswith(("records/", "files/")):
            assert archived[name] == again[name], name


def without_tracked_sources(found: dict) -> dict:
    """An archive's entries of tracked sources taken out: an archive of version 1 or 2 has none."""
    return {f"records/{name}.jsonl": None for name in TRACKED_SOURCE_KINDS}


def version_1(path, out):
    """The archive as version 1 wrote it: no filing settings, no editions, no event numbers, no event counter, and
    actors and issues without the details (description, e-mails, organisation, retirement) they have since."""
    found = entries(path)

    def without(entry: str, *keys: str, history: bool = False) -> bytes:
        lines = []
        for line in found[entry].splitlines():
            record = json.loads(line)
            rows = [record["current"]] + ([h["fields"] for h in record["history"]] if history else [])
            for row in filter(None, rows):
                for key in keys:
                    del row[key]
            lines.append(json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode())
        return b"\n".join(lines) + b"\n"

    changes = {
        "records/events.jsonl": without("records/events.jsonl", "number"),
        "records/matter.jsonl": without("records/matter.jsonl", "last_event_number"),
        "records/actors.jsonl": without(
            "records/actors.jsonl", "description", "emails", "organisation", "retired_at", history=True
        ),  # fmt: skip
        "records/issues.jsonl": without("records/issues.jsonl", "description", "retired_at", history=True),
        "records/filing.jsonl": None,
        "records/editions.jsonl": None,
        **without_tracked_sources(found),
    }
    manifest = json.loads(found["manifest.json"])
    counts = {k: v for k, v in manifest["counts"].items() if k not in ("filing", "editions", *TRACKED_SOURCE_KINDS)}
    return reseal(path, out, changes, manifest={"version": 1, "counts": counts})


def test_a_version_1_archive_is_restored_with_its_events_numbered_in_date_order(archived, settings, request, tmp_path):
    matter, path, _ = archived
    assert json.loads(entries(path)["manifest.json"])["version"] == 3
    # numbered as they were created, which is not their date order
    created = list(Event.objects.filter(matter=matter).order_by("number").values_list("title", flat=True))
    old = version_1(path, tmp_path / "v1.zip")
    lines = entries(old)["records/events.jsonl"].splitlines()
    assert not any("number" in (json.loads(line)["current"] or {}) for line in lines)

    empty_instance(settings, request, tmp_path)
    for username in ("owner", "paralegal", "reader", "former"):
        UserFactory(username=username)
    code, out, err = run_command("import_matter", str(old), "--user", "owner")
    assert code == 0, err
    restored = Matter.objects.get(slug="doe-v-linkedin")
    in_date_order = list(Event.objects.filter(matter=restored).order_by(*V1_EVENT_NUMBER_ORDER))
    assert [e.number for e in in_date_order] == [1, 2, 3, 4, 5, 6]
    assert [e.title for e in in_date_order] != created
    assert restored.last_event_number == 6
    assert not FilingSettings.objects.filter(matter=restored).exists()
    assert not Edition.objects.filter(matter=restored).exists()
    assert make_event(restored, date="Feb 2025", title="Motion to dismiss").number == 7
    assert Actor.objects.filter(matter=restored).count() == 2
    assert not Actor.objects.filter(matter=restored).exclude(emails="", description="", organisation="").exists()
    assert Issue.objects.filter(matter=restored).exists()
    assert not Issue.objects.filter(matter=restored).exclude(description="", retired_at=None).exists()


def test_an_archive_of_a_version_this_app_does_not_read_is_refused_by_its_version(archived, tmp_path):
    matter, path, _ = archived
    newer = reseal(path, tmp_path / "v4.zip", {}, manifest={"version": 4})
    code, out, err = run_command("import_matter", str(newer), "--slug", "other", "--user", "owner")
    assert code == 2 and "format version 4; this version of the app reads versions 1, 2 and 3" in err
    assert not Matter.objects.filter(slug="other").exists()
