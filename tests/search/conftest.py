"""A small matter to search: events with tags and actors, a cited three-page PDF, and a cited exhibit with a Bates
range. Real intake (the PDF's text read by evidence.files), real database indexes."""

import pytest

from evidence.services.citations import citation_create
from tests import factories

weasyprint = pytest.importorskip("weasyprint")


def text_pdf(*pages: str) -> bytes:
    """A real PDF with one page per argument."""
    body = "".join(f'<p style="break-after: page">{page}</p>' for page in pages)
    return weasyprint.HTML(string=f"<html><body>{body}</body></html>").write_pdf()


class Case:
    def __init__(self, matter, user):
        self.matter, self.user = matter, user
        make = factories.make_event
        self.setting = make(matter, date="Aug 2024", title="Setting introduced",
                            description="Members were opted in to data sharing for AI training.",
                            issues=["opt-out", "consent"], actors=["LinkedIn"], kind="setting_introduced")  # fmt: skip
        self.memo = factories.make_document(matter, content=b"internal memo", filename="memo.txt", title="Memo")
        self.policy_pdf = factories.make_document(
            matter, title="Privacy policy (Sept 2024)", filename="policy.pdf",
            content=text_pdf("Privacy policy. Effective September 18, 2024.", "Section two: cookies.",
                             "Section three: members' data may train a zeppelin of models."),
        )  # fmt: skip
        self.policy = make(matter, date="c. Sept 2024", title="Privacy policy amended", source_note="Complaint ¶ 12",
                           description="The amended policy mentions generative AI.")  # fmt: skip
        citation_create(event=self.policy, document=self.policy_pdf, pinpoint="p. 1", user=user, reason="t")
        self.bates_doc = factories.make_document(matter, title="Production volume 1", filename="prod.txt",
                                                 content=b"produced pages", bates_start="LI-000104",
                                                 bates_end="LI-000106")  # fmt: skip
        self.denial = make(matter, date="Jan 24, 2025", title="Spokesperson denies the claims", actors=["Spokesperson"],
                           description="A spokesperson said no consent was needed.")  # fmt: skip
        citation_create(event=self.denial, document=self.bates_doc, user=user, reason="t")
        self.complaint = make(matter, date="Jan 2025", title="Complaint filed",
                              description="The privacy setting was on by default.", kind="court_filing")  # fmt: skip
        self.faq = make(matter, date="Sept 2024", title="FAQ changed",
                        description="The setting mentions privacy in the FAQ.", kind="help_page_edit")  # fmt: skip


@pytest.fixture
def case(matter, user):
    return Case(matter, user)
