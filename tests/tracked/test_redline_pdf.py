"""The redline PDF of two versions and `manage.py redline`: read back with pdftotext, the inserted and deleted words
are marked and both SHA-256 are on the first page; the frame's caption, page numbers and PDF/A; clear errors."""

import io
import subprocess

import pytest
from pypdf import PdfReader

from evidence.models import AccessEvent
from tests.commands.support import run_command
from tests.tracked.redline_support import POLICY_V3, make_source

pytestmark = pytest.mark.django_db


def pdftotext(content: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True).stdout.decode()


def flat(text: str) -> str:
    return " ".join(text.split())


def test_the_command_writes_the_redline_of_the_last_two_versions(matter, user, tmp_path):
    matter.case_number = "3:25-cv-00441"
    matter.save()
    source, (v1, v2) = make_source(matter, illustrative=True)
    out = tmp_path / "redline.pdf"
    code, stdout, stderr = run_command("redline", "--matter", matter.slug, "--source", "privacy policy",
                                       "--out", str(out), "--user", user.username)  # fmt: skip
    assert code == 0, stderr
    assert f"{v1.document.exhibit_label} to {v2.document.exhibit_label}" in stdout
    content = out.read_bytes()
    text = flat(pdftotext(content))
    # both versions, by exhibit and SHA-256
    assert v1.document.sha256 in text and v2.document.sha256 in text
    assert f"Exhibit {v1.document.exhibit_label}: Privacy Policy (2023)" in text
    # deletions and insertions marked in text, not by colour alone
    assert "We [-do not-][+may+] use your data to [+develop and +]train" in text
    assert "[-generative AI-][+artificial intelligence+] models." in text
    assert "[+You can opt out in your settings.+]" in text
    assert "We use your data to provide the Services." in text  # unchanged text printed whole
    assert "never shown" not in text
    assert "Inserted text is underlined and marked [+like this+]" in text
    assert "Illustrative text, not the real wording" in text
    assert "Case No. 3:25-cv-00441" in text
    reader = PdfReader(io.BytesIO(content))
    pages = len(reader.pages)
    assert f"Page {pages} of {pages}" in text
    assert 'pdfaid:part="3"' in reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    event = AccessEvent.objects.filter(matter=matter, kind=AccessEvent.Kind.EXPORT).latest("sequence")
    assert event.detail["via"] == "redline command"


def test_the_command_takes_any_two_exhibits(matter, user, tmp_path):
    source, (v1, v2, v3) = make_source(matter, versions=[
        (b"Privacy Policy\n\nWe never share data.\n", "a.txt", "2022"),
        (b"Privacy Policy\n\nWe rarely share data.\n", "b.txt", "2023"),
        (POLICY_V3.encode(), "c.txt", "2024"),
    ])  # fmt: skip
    out = tmp_path / "r.pdf"
    code, stdout, stderr = run_command("redline", "--matter", matter.slug, "--source", "Privacy Policy",
                                       "--from", v1.document.exhibit_label, "--to", str(v2.document.exhibit_number),
                                       "--out", str(out), "--user", user.username)  # fmt: skip
    assert code == 0, stderr
    text = flat(pdftotext(out.read_bytes()))
    assert "We [-never-][+rarely+] share data." in text
    assert v3.document.sha256 not in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--source", "Cookie Policy"), "No tracked source “Cookie Policy” in"),
        (("--source", "Privacy Policy", "--from", "PX-99"), "Exhibit PX-99 is not a version of this source."),
        (("--source", "Privacy Policy", "--to", "7777"), "Exhibit 7777 is not a version of this source."),
        (("--source", "FAQ"), "This source has fewer than two versions"),
    ],
)
def test_the_command_refuses_clearly_and_writes_nothing(matter, user, tmp_path, args, message):
    make_source(matter)
    make_source(matter, name="FAQ", versions=[(b"FAQ\n\nOne answer.\n", "faq.txt", "2024")])
    out = tmp_path / "r.pdf"
    code, _, stderr = run_command("redline", "--matter", matter.slug, *args, "--out", str(out),
                                  "--user", user.username)  # fmt: skip
    assert code == 2
    assert message in stderr
    assert not out.exists()


def test_the_command_refuses_an_unknown_matter_and_an_outsider(matter, outsider, tmp_path):
    make_source(matter)
    out = tmp_path / "r.pdf"
    for slug, who in (("no-such-matter", matter.memberships.first().user), (matter.slug, outsider)):
        code, _, stderr = run_command("redline", "--matter", slug, "--source", "Privacy Policy", "--out", str(out),
                                      "--user", who.username)  # fmt: skip
        assert code == 2
        assert f"No matter “{slug}” that {who} may see." in stderr
    assert not out.exists()


def test_a_viewer_may_not_export_a_privileged_version_by_command(matter, viewer, tmp_path):
    make_source(matter, privileged=(0,))
    out = tmp_path / "r.pdf"
    code, _, stderr = run_command("redline", "--matter", matter.slug, "--source", "Privacy Policy", "--out", str(out),
                                  "--user", viewer.username)  # fmt: skip
    assert code == 2
    assert "privileged" in stderr
    assert not out.exists()
