"""Checks that the evidence in storage is still what was taken in: each document's file exists and hashes to the
SHA-256 recorded at intake. The whole store is also searched for files no document points at (left by an intake
that rolled back after placing its file: harmless, reported so they can be cleaned up)."""

from dataclasses import dataclass, field

from django.core.files.storage import default_storage

from evidence import files
from evidence.models import Document


@dataclass
class IntegrityReport:
    checked: int = 0
    problems: list[str] = field(default_factory=list)
    unreferenced: list[str] = field(default_factory=list)


def verify_documents(*, matter_slug: str | None = None) -> IntegrityReport:
    """Re-hash every document's file (of one matter, with `matter_slug`: then other matters' files are not listed as
    unreferenced)."""
    report = IntegrityReport()
    documents = Document.objects.select_related("matter").order_by("matter__slug", "exhibit_number")
    if matter_slug:
        documents = documents.filter(matter__slug=matter_slug)
    for document in documents.iterator(chunk_size=500):
        report.checked += 1
        where = f"{document.matter.slug} {document.exhibit_label} “{document.original_filename}”"
        if not default_storage.exists(document.file.name):
            report.problems.append(f"MISSING {where}: {document.file.name}")
            continue
        actual = files.hash_stored(document.file.name)
        if actual != document.sha256:
            report.problems.append(f"ALTERED {where}: recorded {document.sha256}, now {actual}")
    if not matter_slug:
        referenced = set(Document.objects.values_list("file", flat=True))
        report.unreferenced = sorted(_stored_names() - referenced)
    return report


def _stored_names() -> set[str]:
    """Every file under evidence/ as files.storage_name lays them out: evidence/ab/cd/<sha256>."""
    names: set[str] = set()
    if not default_storage.exists("evidence"):
        return names
    for a in default_storage.listdir("evidence")[0]:
        for b in default_storage.listdir(f"evidence/{a}")[0]:
            names.update(f"evidence/{a}/{b}/{n}" for n in default_storage.listdir(f"evidence/{a}/{b}")[1])
    return names
