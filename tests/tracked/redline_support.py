"""A tracked source with versions of known text, as the redline tests read them."""

from evidence.models import CaptureMethod, SourceKind
from evidence.services.sources import source_create, version_add
from tests import factories

POLICY_V1 = """<html><head><title>Privacy Policy</title><script>track("<p>never shown</p>")</script></head><body>
<h1>Privacy Policy</h1>
<h2>How we use your data</h2>
<p>We use your data to provide the Services.</p>
<p>We do not use your data to train generative AI models.</p>
<h2>Contact</h2>
<p>Write to our Data Protection Officer.</p>
</body></html>"""

POLICY_V2 = """<html><head><title>Privacy Policy</title></head><body>
<h1>Privacy Policy</h1>
<h2>How we use your data</h2>
<p>We use your data to provide the Services.</p>
<p>We may use your data to develop and train artificial intelligence models.</p>
<ul><li>You can opt out in your settings.</li></ul>
<h2>Contact</h2>
<p>Write to our Data Protection Officer.</p>
</body></html>"""

POLICY_V3 = """Privacy Policy

How we use your data

We use your data to provide and improve the Services.

We may use your data to develop and train artificial intelligence models.
"""


def html_page(body: str) -> bytes:
    """A page libmagic reads as HTML (a bare fragment is "text/plain" to it, and read as such)."""
    return f"<!DOCTYPE html><html><head><title>Page</title></head><body>{body}</body></html>".encode()


def make_source(matter, *, user=None, name="Privacy Policy", illustrative=False, versions=None, privileged=()):
    """A source with versions of `versions`: (content, filename, effective) each, effective dates in order; the
    indexes in `privileged` are privileged documents."""
    user = user or matter.memberships.first().user
    url = "https://www.example.com/legal/privacy-policy"
    source = source_create(matter=matter, user=user, name=name, kind=SourceKind.POLICY, reason="test", url=url,
                           is_illustrative=illustrative)  # fmt: skip
    versions = versions or [
        (POLICY_V1.encode(), "policy-2023.html", "2023"),
        (POLICY_V2.encode(), "policy-2024.html", "Sept 18, 2024"),
    ]
    made = []
    for i, (content, filename, effective) in enumerate(versions):
        document = factories.make_document(matter, user=user, content=content, filename=filename,
                                           title=f"{name} ({effective})", is_privileged=i in privileged)  # fmt: skip
        made.append(version_add(source=source, document=document, user=user, capture_method=CaptureMethod.UPLOAD,
                                effective=effective, reason="test"))  # fmt: skip
    return source, made
