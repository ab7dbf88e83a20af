"""Tracked sources, their versions and audiences in a matter archive: written with every version and its audiences,
restored in another instance as they were (documents by exhibit number, deleted ones deleted, the history chained);
an archive of version 2, made before tracked sources, is still restored; a version naming an exhibit the archive does
not hold is refused with nothing written."""

import json

from evidence.models import Audience, Matter, SourceVersion, TrackedSource
from evidence.selectors_sources import source_versions
from tests.archive.support import empty_instance, entries, reseal
from tests.commands.support import run_command
from tests.factories import UserFactory

USERS = ("owner", "paralegal", "reader", "former")


def _restore(path, settings, request, tmp_path):
    empty_instance(settings, request, tmp_path)
    for username in USERS:
        UserFactory(username=username)
    return run_command("import_matter", str(path), "--user", "owner")


def test_sources_versions_and_audiences_are_archived_and_restored_as_they_were(archived, settings, request, tmp_path):
    _, path, _ = archived
    found = entries(path)
    versions = [json.loads(line) for line in found["records/versions.jsonl"].splitlines()]
    captured = next(v for v in versions if v["current"]["capture_method"] == "web_archive")
    assert captured["current"]["document"] == 2 and captured["current"]["audiences"] == [1]  # exhibit, audience ref
    assert [[item["audience"] for item in h["audiences"]] for h in captured["history"]] == [[1, 2], [1]]
    assert all(item["chain"] for h in captured["history"] for item in h["audiences"])  # each in the chain

    code, out, err = _restore(path, settings, request, tmp_path)
    assert code == 0, err
    matter = Matter.objects.get(slug="doe-v-linkedin")
    policy = TrackedSource.objects.get(matter=matter, name="Privacy Policy")
    faq = TrackedSource.objects.get(matter=matter, name="Generative AI FAQ")
    assert policy.is_illustrative and not policy.is_deleted and faq.is_deleted
    (version,) = source_versions(policy)
    assert version.document.exhibit_number == 2 and version.matter == matter
    assert version.effective_date.display() == "Nov 20, 2024" and version.first_seen_date.display() == "Sept 18, 2024"
    assert version.captured_at.isoformat() == "2024-09-18T20:05:30.123456+00:00"
    assert [a.name for a in version.audiences.all()] == ["Members in the UK"]
    first = version.history.order_by("history_id").first()
    assert sorted(row.audience.name for row in first.audiences.all()) == ["EEA members", "Members in the UK"]
    assert [r.history_user.username for r in version.history.order_by("history_id")] == ["paralegal", "owner"]
    deleted = SourceVersion.objects.get(source=faq)
    assert deleted.is_deleted and deleted.first_seen_date.display() == "Aug – Sept 2024"
    assert Audience.objects.get(matter=matter, name="EEA members").retired_at is not None
    code, _, err = run_command("verify_evidence", "--matter", matter.slug)
    assert code == 0, err


def test_an_archive_of_version_2_without_sources_is_restored(archived, settings, request, tmp_path):
    _, path, _ = archived
    found = entries(path)
    manifest = json.loads(found["manifest.json"])
    counts = {k: v for k, v in manifest["counts"].items() if k not in ("audiences", "sources", "versions")}
    drop = {f"records/{name}.jsonl": None for name in ("audiences", "sources", "versions")}
    old = reseal(path, tmp_path / "v2.zip", drop, manifest={"version": 2, "counts": counts})
    code, out, err = _restore(old, settings, request, tmp_path)
    assert code == 0, err
    matter = Matter.objects.get(slug="doe-v-linkedin")
    assert not TrackedSource.objects.filter(matter=matter).exists() and matter.events.count() == 6


def test_a_version_of_an_exhibit_not_in_the_archive_is_refused_and_nothing_is_restored(
    archived, settings, request, tmp_path
):
    _, path, _ = archived
    found = entries(path)
    lines = []
    for line in found["records/versions.jsonl"].splitlines():
        record = json.loads(line)
        record["current"]["document"] = 99
        lines.append(json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode())
    altered = reseal(path, tmp_path / "altered.zip", {"records/versions.jsonl": b"\n".join(lines) + b"\n"})
    code, out, err = _restore(altered, settings, request, tmp_path)
    assert code == 1 and "exhibit 99 is not in the archive" in err
    assert not Matter.objects.exists() and not SourceVersion.objects.exists()
