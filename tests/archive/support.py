"""What the archive tests share: a matter with every kind of record and history, an archive's entries read back,
archives altered behind the app's back, and a fresh instance (an empty database and an empty storage) to restore into.
"""

import datetime as dt
import io
import zipfile
from pathlib import Path

from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.db import connection

from evidence.models import Role
from evidence.services.actors import actor_update
from evidence.services.citations import citation_create, citation_delete
from evidence.services.documents import document_delete, document_update
from evidence.services.events import event_delete, event_revert, event_update
from evidence.services.matters import matter_update, membership_remove, membership_set
from evidence.services.sources import (
    audience_create,
    audience_retire,
    source_create,
    source_delete,
    version_add,
    version_delete,
    version_update,
)
from tests.conftest import S3, s3_storage
from tests.factories import UserFactory, make_document, make_event, make_matter, make_pdf


def build_matter(owner, *, slug="doe-v-linkedin"):
    """A matter with members (one removed, one re-roled), actors (one renamed), issues, documents (a PDF, an HTML
    capture, an e-mail; one edited, one soft-deleted), events with several versions (edited, deleted, reverted, with
    ranges, times and undated), citations (one removed, so it exists only in the history), audiences (one retired),
    and tracked sources (one deleted) with versions (one with audiences changed, one deleted)."""
    matter = make_matter(
        owner=owner, slug=slug, short_title="Doe v. LinkedIn", court="N.D. Cal.", case_number="5:25-cv-00708",
        parties="Jane Doe\nv.\nLinkedIn Corporation", confidentiality_legend="CONFIDENTIAL", exhibit_prefix="PX-",
    )  # fmt: skip
    matter_update(matter=matter, user=owner, reason="fiscal year", fiscal_year_start_month=7)
    editor, viewer = UserFactory(username="paralegal"), UserFactory(username="reader")
    leaver = UserFactory(username="former")
    for member, role in ((editor, Role.VIEWER), (viewer, Role.VIEWER), (leaver, Role.EDITOR)):
        membership_set(matter=matter, user=owner, member=member, role=role, reason="staffed")
    membership_set(matter=matter, user=owner, member=editor, role=Role.EDITOR, reason="promoted")
    membership_remove(matter=matter, user=owner, member=leaver, reason="left the team")

    pdf = make_document(matter, user=editor, content=make_pdf(3, title="Complaint"), filename="complaint.pdf",
                        title="Complaint", date="2025-01-22", bates_start="DOE_0001", bates_end="DOE_0040")  # fmt: skip
    html = make_document(matter, user=editor, content=b"<html><body><p>Privacy policy v2</p></body></html>",
                         filename="policy.html", source_url="https://www.linkedin.com/legal/privacy")  # fmt: skip
    mail = make_document(matter, content=b"From: a@b.example\nDate: Wed, 18 Sep 2024\nSubject: Notice\n\nDear member",
                         filename="notice.eml", title="E-mail to members")  # fmt: skip
    document_update(document=html, user=owner, reason="retitled", title="Privacy policy as captured", author="LinkedIn")
    document_delete(document=mail, user=owner, reason="duplicate of PX-5")

    introduced = make_event(matter, user=editor, date="Aug 2024", title="Setting introduced", kind="setting_introduced",
                            actors=["LinkedIn"], issues=["consent"], is_key=True, status="disputed")  # fmt: skip
    faq = make_event(matter, date="c. Sept 2024", title="FAQ changed", kind="help_page_edit", actors=["LinkedIn"])
    amended = make_event(matter, date="Aug – Sept 2024", title="Policy amended", kind="policy_edit",
                         description="Line one\nLine two “quoted”", issues=["consent", "notice"])  # fmt: skip
    filed = make_event(matter, date="Jan 22, 2025 9:30 AM PST", title="Complaint filed", kind="court_filing",
                       source_note="Dkt. 1", external_id="row-7")  # fmt: skip
    make_event(matter, date="unknown", title="Undated, but kept", is_privileged=True)
    statement = make_event(matter, date="after Jan 22, 2025", title="Spokesperson denies", kind="public_statement")

    event_update(event=faq, user=editor, reason="edited in timeline", title="FAQ changed (help page)",
                 actors=["LinkedIn", "Spokesperson"])  # fmt: skip
    first_version = amended.history.order_by("history_id").first().history_id
    event_update(event=amended, user=owner, reason="edited in timeline", date="Sept 2024", issues=["notice"])
    event_revert(event=amended, history_id=first_version, user=owner, reason="reverted")
    event_delete(event=statement, user=owner, reason="not a fact")
    citation_create(event=introduced, document=pdf, user=editor, reason="cited", pinpoint="¶ 2", note="the setting")
    removed = citation_create(event=introduced, document=html, user=editor, reason="cited", pinpoint="§ 1")
    citation_create(event=filed, document=pdf, user=editor, reason="cited", pinpoint="p. 1")
    citation_delete(citation=removed, user=owner, reason="wrong section")
    citation_create(event=amended, document=html, user=editor, reason="cited", pinpoint="§ 3")
    actor = introduced.actors.get(name="LinkedIn")
    actor_update(actor=actor, user=owner, reason="full name", name="LinkedIn Corporation")

    uk = audience_create(matter=matter, user=owner, name="Members in the UK", reason="scoped")
    eea = audience_create(matter=matter, user=owner, name="EEA members", description="EU, Iceland…", reason="scoped")
    audience_retire(audience=eea, user=owner, reason="merged into the UK's")
    policy = source_create(matter=matter, user=editor, name="Privacy Policy", kind="policy", is_illustrative=True,
                           url="https://www.linkedin.com/legal/privacy", reason="tracked")  # fmt: skip
    captured = version_add(source=policy, document=html, user=editor, capture_method="web_archive",
                           captured_at=dt.datetime(2024, 9, 18, 20, 5, 30, 123456, tzinfo=dt.UTC),
                           first_seen="Sept 18, 2024", effective="c. Nov 2023", audiences=[uk, eea],
                           note="From the Wayback Machine", reason="captured")  # fmt: skip
    version_update(version=captured, user=owner, reason="EEA left out", audiences=[uk], effective="Nov 20, 2024")
    faq = source_create(matter=matter, user=editor, name="Generative AI FAQ", kind="faq", reason="tracked")
    produced = version_add(source=faq, document=pdf, user=editor, capture_method="discovery",
                           first_seen="Aug 2024 – Sept 2024", reason="produced")  # fmt: skip
    version_delete(version=produced, user=owner, reason="not the FAQ")
    source_delete(source=faq, user=owner, reason="not tracked after all")
    return matter


def entries(path) -> dict[str, bytes]:
    """Every entry of an archive: name -> bytes."""
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def rewrite(path: Path, out: Path, changes: dict[str, bytes | None], *, extra: dict[str, bytes] | None = None) -> Path:
    """A copy of the archive with some entries replaced (None: left out) and others added, as someone editing it
    with a ZIP tool would leave it (each member's CRC right for its new bytes)."""
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = changes.get(info.filename, source.read(info))
            if data is not None:
                target.writestr(info.filename, data)
        for name, data in (extra or {}).items():
            target.writestr(name, data)
    return out


def empty_instance(settings, request, tmp_path) -> None:
    """Another instance: every table emptied (the users' included) and a storage with nothing in it. The test's
    transaction brings the first one back afterwards; ids keep counting, so the restored rows get new ones."""
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    if connection.vendor == "postgresql":  # TRUNCATE refuses tables with foreign-key checks still pending
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    connection.ops.execute_sql_flush(connection.ops.sql_flush(no_style(), tables, allow_cascade=True))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    settings.MEDIA_ROOT = tmp_path / "other-instance-media"
    if S3:
        settings.STORAGES = {**settings.STORAGES, "default": s3_storage(request.getfixturevalue("s3_endpoint"))}
    assert not default_storage.exists("evidence")


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buffer.getvalue()


def reseal(
    path: Path,
    out: Path,
    changes: dict[str, bytes | None],
    *,
    extra: dict[str, bytes] | None = None,
    manifest: dict | None = None,
) -> Path:
    """rewrite, then the manifest's hashes made to match (and its other keys set as `manifest` gives them), as someone
    who knows the format would: only a manifest SHA-256 kept apart (import_matter --manifest-sha256) tells this
    archive from the one exported."""
    changed_keys = manifest or {}
    import hashlib
    import json

    from evidence.archive.layout import canonical, whole_sha256

    with zipfile.ZipFile(path) as source:
        manifest = json.loads(source.read("manifest.json"))
    manifest.update(changed_keys)
    listed = {entry["name"]: entry for entry in manifest["entries"]}
    for name, data in {**changes, **(extra or {})}.items():
        if data is None:
            listed.pop(name, None)
        else:
            listed[name] = {"name": name, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
    manifest["entries"] = sorted(listed.values(), key=lambda e: e["name"])
    manifest["whole_sha256"] = whole_sha256(manifest["entries"])
    data = canonical(manifest) + b"\n"
    digest = hashlib.sha256(data).hexdigest()
    sealed = {"manifest.json": data, "manifest.sha256": f"{digest}  manifest.json\n".encode()}
    return rewrite(path, out, {**changes, **sealed}, extra=extra)


def stored_files() -> set[str]:
    """The evidence files in the storage now."""
    found = set()
    for first in default_storage.listdir("evidence")[0] if default_storage.exists("evidence") or S3 else []:
        for second in default_storage.listdir(f"evidence/{first}")[0]:
            found.update(default_storage.listdir(f"evidence/{first}/{second}")[1])
    return found
