"""export_matter -> import_matter into another instance (an empty database and an empty storage) -> export_matter:
the same records and byte-identical files.

What is compared: every records entry of the two archives byte for byte (records/*.jsonl: the caption and settings,
members by username, actors, issues, documents with their metadata, text and every version, events with every version
and its actors and issues, citations, removed ones included; each version's date, type, reason, user and place in the
history chain), so every record, every version and every reference (by exhibit number, username or ref, never by id)
is the same; every files/<sha256> entry byte for byte; and the manifests' lists of entries with their hashes. What
legitimately differs is left out: the ids (in no entry), the manifests' export time and the history chain's hashes,
which hash the rows with their new ids. The restored matter's chain then passes verify_evidence.
"""

import json

from django.core.management import call_command

from evidence.models import Citation, Document, Event, HistoryLink, Matter
from tests.archive.support import build_matter, empty_instance, entries
from tests.commands.support import run_command
from tests.factories import UserFactory


def test_export_import_export_gives_the_same_records_and_files(settings, request, tmp_path, user):
    user.username = "owner"
    user.save()
    matter = build_matter(user)
    old_ids = set(Event.objects.filter(matter=matter).values_list("id", flat=True))
    first = tmp_path / "first.zip"
    code, out, err = run_command("export_matter", "--matter", matter.slug, "--out", str(first), "--user", "owner")
    assert code == 0, err
    assert "Manifest SHA-256:" in out and "History chain head: #" in out

    empty_instance(settings, request, tmp_path)
    assert not Matter.objects.exists()
    for username in ("owner", "paralegal", "reader", "former"):
        UserFactory(username=username)
    code, out, err = run_command("import_matter", str(first), "--user", "owner")
    assert code == 0, err
    assert "Restored first.zip as doe-v-linkedin: 6 events, 3 documents, 4 citations" in out

    restored = Matter.objects.get(slug="doe-v-linkedin")
    assert not old_ids & set(Event.objects.filter(matter=restored).values_list("id", flat=True))  # new ids
    assert sorted(Document.objects.filter(matter=restored).values_list("exhibit_number", flat=True)) == [1, 2, 3]
    assert not Citation.objects.filter(event__matter=restored, pinpoint="§ 1").exists()  # removed, in history only
    call_command("verify_evidence", "--matter", restored.slug)  # raises on any problem

    second = tmp_path / "second.zip"
    code, out, err = run_command("export_matter", "--matter", restored.slug, "--out", str(second), "--user", "owner")
    assert code == 0, err
    before, after = entries(first), entries(second)
    assert sorted(before) == sorted(after)
    for name in before:
        if name.startswith(("records/", "files/")):
            assert before[name] == after[name], name
    manifests = [json.loads(e["manifest.json"]) for e in (before, after)]
    assert manifests[0]["entries"] == manifests[1]["entries"]
    assert manifests[0]["whole_sha256"] == manifests[1]["whole_sha256"]
    assert manifests[0]["counts"] == manifests[1]["counts"]
    assert manifests[0]["history_chain"]["sequence"] == manifests[1]["history_chain"]["sequence"]
    assert HistoryLink.objects.filter(matter=restored).count() == manifests[0]["history_chain"]["sequence"]
