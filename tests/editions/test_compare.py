"""Comparing an edition with the chronology now: a changed date, a removed (soft-deleted) event and a new citation,
on the compare page and in the redline PDF read back with pdftotext, as an attorney reads it."""

import re
import subprocess

import pypdf
import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from evidence.models import AccessEvent
from evidence.services.chain import chain_head
from evidence.services.citations import citation_create
from evidence.services.events import event_delete, event_update
from tests.commands.support import run_command
from tests.editions.support import cited_matter, export_edition, sha256
from tests.exporting.readback import flat, need, pdftotext

pytestmark = pytest.mark.django_db


def url(name, matter, *args):
    return reverse(name, args=[matter.slug, *args])


def row(layout: str, anchor: str) -> str:
    """The lines of the redline's table row that holds `anchor` (pdftotext -layout), up to the next row's number."""
    lines = layout.splitlines()
    start = next(i for i, line in enumerate(lines) if anchor in line)
    end = start + 1
    while end < len(lines) and not re.match(r"\s*(\d+|—)\s{2,}", lines[end]) and "Page " not in lines[end]:
        end += 1
    return " ".join(" ".join(lines[start:end]).split())


def change_since(events, user):
    """What happens after the edition: a date learnt exactly, an event withdrawn, a new pinpoint cited."""
    event_update(event=events["setting"], user=user, reason="date confirmed", date="Sept 18, 2024")
    event_delete(event=events["statement"], user=user, reason="withdrawn")
    citation_create(event=events["filed"], document=events["complaint"], pinpoint="¶ 12",
                    note="quoted in the complaint", user=user, reason="new pinpoint")  # fmt: skip


def test_the_redline_pdf_shows_a_changed_date_a_removed_event_and_a_new_citation(matter, user, tmp_path):
    events = cited_matter(matter, user)
    edition, _ = export_edition(matter, user, tmp_path)
    change_since(events, user)

    out = tmp_path / "redline.pdf"
    code, stdout, stderr = run_command("compare_edition", "--matter", matter.slug, "--edition", "1",
                                       "--out", str(out), "--user", user.username)  # fmt: skip
    assert code == 0, stderr
    assert "0 added, 1 removed, 2 changed; 1 unchanged" in stdout
    content = out.read_bytes()
    text = flat(pdftotext(content))
    layout = pdftotext(content, layout=True)

    # The frame: caption, title, the edition's date, SHA-256 and chain head, and the chain head now.
    assert "REDLINE OF THE CHRONOLOGY OF EVENTS" in text and matter.short_title in text
    assert f"Edition SHA-256 {edition.sha256}" in text
    assert f"history chain head {edition.chain_head}" in text
    now = chain_head(matter).head_text
    assert f"Chain head now {now}" in text and edition.chain_head != now
    assert "Compared with Edition 1 (PDF), exported" in text
    reader = pypdf.PdfReader(out)
    assert f"Page 1 of {len(reader.pages)}" in text and f"Page {len(reader.pages)} of {len(reader.pages)}" in text

    # Each row in the order of the chronology now: the changed date, as displayed, deleted and inserted, beside the
    # unchanged title; the removed event where it stood (before the complaint), struck out, and why; the new
    # citation with its pinpoint and note beside the one the edition had.
    setting, removed, filed = row(layout, "[-Aug 2024-]"), row(layout, "Removed"), row(layout, "Changed Sources")
    assert "[+Sept 18, 2024+]" in setting and "Changed Date" in setting and "Setting introduced" in setting
    assert "(was 1)" in setting and "PX-1 ¶ 2" in setting
    assert "deleted since the edition" in removed and "[-Spokesperson denies the claims-]" in removed
    assert "[-Jan 2025-]" in removed and "(was 3)" in removed and "Kind: [-Public statement-]" in removed
    assert "Complaint filed" in filed and "(was 4)" in filed and "PX-1 p. 1" in filed and "[+PX-1 ¶ 12 —" in filed
    assert "quoted in the complaint+]" in text
    assert layout.index("[-Aug 2024-]") < layout.index("Removed") < layout.index("Changed Sources")
    # The unchanged event is counted, not listed.
    assert "Policy amended" not in text

    # Court-ready: fonts embedded, a sound file.
    need("pdffonts")
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True).stdout
    assert all(line.split()[-5] == "yes" for line in fonts.splitlines()[2:]), fonts
    need("qpdf")
    assert subprocess.run(["qpdf", "--check", str(out)], capture_output=True).returncode == 0

    recorded = AccessEvent.objects.filter(matter=matter, kind=AccessEvent.Kind.EXPORT).order_by("-sequence").first()
    assert recorded.detail["report"] == "redline" and recorded.detail["edition"] == 1
    assert recorded.detail["files"][0]["sha256"] == sha256(content)


def test_the_compare_page_shows_the_same_changes_word_by_word(client, matter, user, tmp_path):
    events = cited_matter(matter, user)
    export_edition(matter, user, tmp_path)
    change_since(events, user)
    event_update(event=events["amended"], user=user, reason="wording",
                 description="The policy was quietly amended to mention generative AI training.")  # fmt: skip
    client.force_login(user)
    response = client.get(url("edition_compare", matter, 1))
    html = response.content.decode()
    assert response.status_code == 200
    assert "0 added, 1 removed, 3 changed; 0 unchanged" in html
    assert '<del><span class="mark">[-</span>Aug 2024<span class="mark">-]</span></del>' in html
    assert '<ins><span class="mark">[+</span>Sept 18, 2024<span class="mark">+]</span></ins>' in html
    # Only the words that changed are marked.
    assert (
        'The policy was <ins><span class="mark">[+</span>quietly <span class="mark">+]</span></ins>amended to '
        'mention <ins><span class="mark">[+</span>generative <span class="mark">+]</span></ins>AI training.'
    ) in html
    assert "deleted since the edition" in html
    assert "quoted in the complaint" in html
    assert f'href="{url("edition_redline", matter, 1)}"' in html

    redline = client.get(url("edition_redline", matter, 1))
    assert redline.status_code == 200 and redline["Content-Type"] == "application/pdf"
    assert redline["Content-Disposition"].startswith("attachment;")
    assert "[+quietly +]amended" in flat(pdftotext(b"".join(redline.streaming_content)))


def test_an_event_that_left_the_filters_is_removed_for_that_reason_and_user_text_is_escaped(
    client, matter, user, tmp_path
):
    events = cited_matter(matter, user)
    export_edition(matter, user, tmp_path)  # privileged events excluded, as by default
    event_update(event=events["amended"], user=user, reason="work product", is_privileged=True)
    event_update(event=events["filed"], user=user, reason="typo", title="Complaint <script>alert(1)</script> filed")
    client.force_login(user)
    html = client.get(url("edition_compare", matter, 1)).content.decode()
    assert "no longer within the edition’s filters" in html or "no longer within the edition&#x27;s filters" in html
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


def test_no_change_says_so(client, matter, user, tmp_path):
    cited_matter(matter, user)
    export_edition(matter, user, tmp_path)
    client.force_login(user)
    html = client.get(url("edition_compare", matter, 1)).content.decode()
    assert "No event differs from edition 1" in html and "0 added, 0 removed, 0 changed; 4 unchanged" in html


def test_an_altered_snapshot_is_refused_not_compared(client, matter, user, tmp_path):
    cited_matter(matter, user)
    edition, _ = export_edition(matter, user, tmp_path)
    if not hasattr(default_storage, "path"):
        pytest.skip("alters the file on the local disk")
    with open(default_storage.path(edition.snapshot.name), "r+b") as fh:
        fh.seek(10)
        fh.write(b"X")
    client.force_login(user)
    response = client.get(url("edition_compare", matter, 1))
    assert response.status_code == 409
    assert "snapshot of edition 1" in response.content.decode()
    code, _, stderr = run_command("compare_edition", "--matter", matter.slug, "--edition", "1",
                                  "--out", str(tmp_path / "r.pdf"), "--user", user.username)  # fmt: skip
    assert code == 1 and "snapshot of edition 1" in stderr and not (tmp_path / "r.pdf").exists()


def test_two_editions_compared_show_what_changed_between_them_and_nothing_after(client, matter, user, tmp_path):
    events = cited_matter(matter, user)
    first, _ = export_edition(matter, user, tmp_path)
    change_since(events, user)
    second, _ = export_edition(matter, user, tmp_path)
    event_update(event=events["amended"], user=user, reason="after the second", title="Policy amended again")

    out = tmp_path / "between.pdf"
    code, stdout, stderr = run_command("compare_edition", "--matter", matter.slug, "--edition", "1", "--against", "2",
                                       "--out", str(out), "--user", user.username)  # fmt: skip
    assert code == 0, stderr
    assert "0 added, 1 removed, 2 changed; 1 unchanged" in stdout
    text = flat(pdftotext(out.read_bytes()))
    layout = pdftotext(out.read_bytes(), layout=True)
    assert f"Edition SHA-256 {first.sha256}" in text and f"Its SHA-256 {second.sha256}" in text
    assert f"Its chain head {second.chain_head}" in text and "Chain head now" not in text
    assert "Against Edition 2 (PDF), exported" in text
    assert "[+Sept 18, 2024+]" in row(layout, "[-Aug 2024-]")
    assert "deleted since the edition" in row(layout, "Removed") and "[-Spokesperson denies the claims-]" in text
    assert "[+PX-1 ¶ 12 —" in row(layout, "Changed Sources")
    assert "Policy amended again" not in text  # made after edition 2

    client.force_login(user)
    html = client.get(url("edition_compare", matter, 1) + "?against=2").content.decode()
    assert "Changes from edition 1 to edition 2" in html and "Policy amended again" not in html
    assert f'href="{url("edition_redline", matter, 1)}?against=2"' in html
    assert client.get(url("edition_compare", matter, 1) + "?against=1").status_code == 404
    assert client.get(url("edition_compare", matter, 1) + "?against=9").status_code == 404
    assert client.get(url("edition_compare", matter, 1) + "?against=x").status_code == 404
