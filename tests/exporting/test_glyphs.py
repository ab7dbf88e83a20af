"""Evidence in every script prints in the PDF with embedded fonts, and a character no font has is named, not boxed.

The scripts beyond Latin, Greek, Cyrillic and Hebrew need the Noto fonts installed (Debian's fonts-noto-core and
fonts-noto-cjk): without them these tests skip, except under CI (env CI set), where that is a failure.
"""

import io
import logging
import os
import shutil
import subprocess

import pytest
from django.core.management import call_command
from django.urls import reverse

from evidence.models import Job
from tests.exporting.readback import flat, need, pdftotext
from tests.factories import make_event

NOTO = ("Noto Serif", "Noto Naskh Arabic", "Noto Serif CJK JP")
SCRIPTS = {
    "Greek": "Προθεσμία",
    "Cyrillic": "Договор",
    "Hebrew": "חוזה",
    "Arabic": "عقد",
    "Chinese": "合同签署",
    "Japanese": "契約書とメール",
    "Korean": "계약서",
}
TITLE = " ".join(SCRIPTS.values())
NO_FONT = "\U000f0000"  # supplementary private use: no font has it (OpenSymbol, with LibreOffice, covers U+E000…)
NO_FONT_2 = "\U000f0001"


def need_or_fail(message: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture
def fc_list():
    """The check reads what fonts cover from fontconfig's fc-list."""
    if shutil.which("fc-list") is None:
        need_or_fail("fc-list is not installed: apt-get install fontconfig")


@pytest.fixture
def noto(fc_list):
    families = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True, check=True).stdout
    lacking = [f for f in NOTO if f not in families]
    if lacking:
        need_or_fail(f"{', '.join(lacking)} not installed: apt-get install fonts-noto-core fonts-noto-cjk")


def pdffonts(path) -> list[dict]:
    need("pdffonts")
    lines = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()
    rows = []
    for line in lines[2:]:
        name, *_, emb, sub, uni, _obj, _gen = line.split()
        rows.append({"name": name, "emb": emb, "sub": sub, "uni": uni})
    return rows


def test_an_event_in_seven_scripts_prints_every_one_with_embedded_subset_fonts(noto, matter, user, tmp_path, caplog):
    make_event(matter, title=TITLE, date="Mar 2024", description="Ελληνικά and Русский in the description.")
    out = tmp_path / "chronology.pdf"
    stdout, stderr = io.StringIO(), io.StringIO()
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        call_command("export_chronology", "--matter", matter.slug, "--out", str(out), "--user", user.username,
                     stdout=stdout, stderr=stderr)  # fmt: skip

    assert "U+" not in stderr.getvalue()
    assert not [r for r in caplog.records if "notdef" in r.getMessage()]  # WeasyPrint's word for an empty box
    fonts = pdffonts(out)
    assert fonts and all(f["emb"] == f["sub"] == f["uni"] == "yes" for f in fonts), fonts
    names = " ".join(f["name"] for f in fonts)
    assert "Noto-Naskh-Arabic" in names and "Noto-Serif-CJK-JP" in names and "Liberation-Serif" in names
    # The table and the visual timeline name the same fonts, so each script is embedded once (a CJK face costs
    # ~100 KB, whatever few glyphs it prints).
    assert all(f["name"].split("+")[1].startswith(("Liberation-", "Noto-Serif", "Noto-Naskh-Arabic")) for f in fonts)

    text = flat(pdftotext(out.read_bytes()))
    for script, word in SCRIPTS.items():
        # pdftotext may give right-to-left words in visual order: either order shows the letters were printed.
        assert word in text or word[::-1] in text, script
    assert "Ελληνικά and Русский" in text


def test_a_character_no_font_has_is_named_by_the_command_and_the_pdf_is_still_written(fc_list, matter, user, tmp_path):
    make_event(matter, title="Kickoff meeting", date="Jan 2024")
    make_event(matter, title=f"Seal {NO_FONT} on the letter", date="Feb 2024")
    out = tmp_path / "chronology.pdf"
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command("export_chronology", "--matter", matter.slug, "--out", str(out), "--user", user.username,
                 stdout=stdout, stderr=stderr)  # fmt: skip

    warning = stderr.getvalue()
    assert f"No font here has “{NO_FONT}” (U+F0000), in event No. 2 “Seal {NO_FONT} on the letter”" in warning
    assert "event No. 1" not in warning
    assert "Wrote" in stdout.getvalue()
    assert "Kickoff meeting" in pdftotext(out.read_bytes())


def test_other_formats_do_not_warn_of_fonts(matter, user, tmp_path):
    make_event(matter, title=f"Seal {NO_FONT}", date="Feb 2024")
    stderr = io.StringIO()
    call_command("export_chronology", "--matter", matter.slug, "--out", str(tmp_path / "c.csv"),
                 "--user", user.username, stdout=io.StringIO(), stderr=stderr)  # fmt: skip
    assert "U+F0000" not in stderr.getvalue()  # the reader's own fonts print a CSV


@pytest.mark.django_db(transaction=True)  # exports are enqueued on commit, as after a request
def test_the_job_page_names_the_character_and_offers_the_pdf(fc_list, client, matter, user):
    make_event(matter, title=f"Seal {NO_FONT} on the letter", date="Feb 2024", description=f"{NO_FONT}{NO_FONT_2}")
    client.force_login(user)
    client.post(reverse("export", args=[matter.slug]), {"format": "pdf", "paper": "letter"})
    job = Job.objects.get(matter=matter)
    assert job.state == Job.State.DONE

    html = client.get(reverse("export_job", args=[matter.slug, job.pk])).content.decode()
    assert f"No font here has “{NO_FONT}” (U+F0000), “{NO_FONT_2}” (U+F0001), in event No. 1" in html
    assert f'href="{reverse("export_download", args=[matter.slug, job.pk])}"' in html
    status = client.get(reverse("export_job", args=[matter.slug, job.pk]) + "?format=json").json()
    assert "U+F0001" in status["message"]
