"""A matter with a few cited events, and editions of it made as users make them."""

import hashlib

from evidence.models import Edition
from evidence.services.citations import citation_create
from tests import factories
from tests.commands.support import run_command


def cited_matter(matter, user):
    """Four events, three of them citing the complaint (PX-1) or the policy (PX-2)."""
    complaint = factories.make_document(matter, content=factories.make_pdf(20), filename="complaint.pdf",
                                        title="Complaint")  # fmt: skip
    policy = factories.make_document(matter, content=factories.make_pdf(5), filename="policy.pdf", title="Policy")
    setting = factories.make_event(
        matter, date="Aug 2024", title="Setting introduced", kind="setting_introduced", is_key=True,
        description="A privacy setting opts members in to data sharing.",
    )  # fmt: skip
    amended = factories.make_event(matter, date="c. Sept 2024", title="Policy amended", kind="policy_edit",
                                   description="The policy was amended to mention AI training.")  # fmt: skip
    statement = factories.make_event(matter, date="Jan 2025", title="Spokesperson denies the claims",
                                     kind="public_statement")  # fmt: skip
    filed = factories.make_event(matter, date="Jan 2025", title="Complaint filed", kind="court_filing")
    citation_create(event=setting, document=complaint, pinpoint="¶ 2", user=user, reason="test")
    citation_create(event=amended, document=policy, pinpoint="p. 3", note="the amended clause", user=user,
                    reason="test")  # fmt: skip
    citation_create(event=filed, document=complaint, pinpoint="p. 1", user=user, reason="test")
    return {"setting": setting, "amended": amended, "statement": statement, "filed": filed,
            "complaint": complaint, "policy": policy}  # fmt: skip


def export_edition(matter, user, tmp_path, *args) -> tuple[Edition, bytes]:
    """export_chronology as a user runs it; the edition it kept and the file it wrote."""
    out = tmp_path / f"chronology-{Edition.objects.count() + 1}.pdf"
    code, stdout, stderr = run_command(
        "export_chronology", "--matter", matter.slug, "--out", str(out), "--user", user.username, *args
    )
    assert code == 0, stderr
    edition = Edition.objects.filter(matter=matter).order_by("-number").first()
    assert f"Kept as edition {edition.number}" in stdout
    return edition, out.read_bytes()


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()
