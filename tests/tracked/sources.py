"""Tracked sources for the in-force, certificate and timeline tests, made through the services as users make them:
a privacy policy (illustrative text) changed on Aug 15, 2024, captured on Sept 3 and changed again by Sept 18, 2024
(captured then, no effective date), and an FAQ whose
second version was shown to premium members only."""

import datetime as dt
from dataclasses import dataclass

from evidence.dates import parse
from evidence.services.sources import audience_create, source_create, version_add
from tests.factories import make_document

SEPT_3 = dt.datetime(2024, 9, 3, 16, 0, tzinfo=dt.UTC)  # 9:00 AM PDT
SEPT_18_CAPTURE = dt.datetime(2024, 9, 18, 17, 2, tzinfo=dt.UTC)  # 10:02 AM PDT
POLICY_URL = "https://www.example.com/legal/privacy-policy?v=2&lang=en"


@dataclass
class Sources:
    policy: object
    p1: object
    p2: object
    p3: object
    faq: object
    f1: object
    f2: object
    premium: object


def make_sources(matter, user) -> Sources:
    premium = audience_create(matter=matter, user=user, name="Premium members", reason="scoping the FAQ")
    policy = source_create(
        matter=matter, user=user, name="Privacy Policy", kind="policy", url=POLICY_URL, is_illustrative=True,
        reason="tracking the policy",
    )  # fmt: skip
    faq = source_create(matter=matter, user=user, name="Generative AI FAQ", kind="faq", reason="tracking the FAQ")

    def add(source, text, **fields):
        document = make_document(matter, user=user, content=text.encode(), filename=f"{source.kind}.txt")
        return version_add(source=source, document=document, user=user, reason="captured", **fields)

    p1 = add(policy, "Policy one.", capture_method="upload", effective=parse("Jan 1, 2024"))
    p2 = add(policy, "Policy two.", capture_method="upload", effective=parse("Aug 15, 2024"), captured_at=SEPT_3)
    p3 = add(policy, "Policy three.", capture_method="web_archive", captured_at=SEPT_18_CAPTURE)
    f1 = add(faq, "FAQ one.", capture_method="screenshot", effective=parse("Jan 2024"))
    f2 = add(faq, "FAQ two.", capture_method="screenshot", effective=parse("Aug 15, 2024"), audiences=[premium])
    return Sources(policy, p1, p2, p3, faq, f1, f2, premium)
