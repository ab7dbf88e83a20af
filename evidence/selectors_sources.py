"""Reads of tracked sources, their versions and audiences shared by pages, admin, exports and commands: scoped to a
matter, N+1-free. The order of a source's versions is evidence.services.sources.version_order (one rule, one place)."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from evidence.models import Audience, Document, Matter, SourceVersion, TrackedSource
from evidence.services.sources import ordered_versions


def _versions(*, include_deleted: bool = False) -> QuerySet[SourceVersion]:
    versions = SourceVersion.objects.select_related("matter", "document__matter").prefetch_related("audiences")
    return versions if include_deleted else versions.alive()


def sources_for_matter(matter: Matter, *, include_deleted: bool = False) -> QuerySet[TrackedSource]:
    """The matter's tracked sources by name, each with its live versions prefetched (source_versions reads them)."""
    sources = TrackedSource.objects.filter(matter=matter).select_related("matter")
    if not include_deleted:
        sources = sources.alive()
    return sources.prefetch_related(Prefetch("versions", queryset=_versions())).order_by("name")


def source_versions(source: TrackedSource, *, include_deleted: bool = False) -> list[SourceVersion]:
    """The source's versions in the order the source changed (version_order); those prefetched by
    sources_for_matter when there, else read (with their documents, matter and audiences)."""
    cached = getattr(source, "_prefetched_objects_cache", {}).get("versions")
    if cached is not None and not include_deleted:
        return ordered_versions(cached)
    return ordered_versions(_versions(include_deleted=include_deleted).filter(source=source))


def version_of(matter: Matter, pk: int, *, include_deleted: bool = True) -> SourceVersion:
    """One version of the matter (DoesNotExist otherwise), with its source, document and audiences."""
    return _versions(include_deleted=include_deleted).select_related("source").get(matter=matter, pk=pk)


def audiences_of(matter: Matter, *, offered: bool = False) -> QuerySet[Audience]:
    """The matter's audiences by name; `offered`: only those not retired (the ones a new version may name)."""
    audiences = Audience.objects.filter(matter=matter)
    return audiences.filter(retired_at__isnull=True) if offered else audiences


def versions_added_by(versions) -> dict[int, object]:
    """version id -> the user who added it (its first history row's user; None when unknown), in one query."""
    ids = [v.pk for v in versions]
    first: dict[int, object] = {}
    rows = (
        SourceVersion.history.filter(id__in=ids, history_type="+")
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    for row in rows:
        first.setdefault(row.id, row.history_user)
    return first


def version_added_by(version: SourceVersion):
    return versions_added_by([version]).get(version.pk)


def version_history(version: SourceVersion) -> list:
    """Every historical row of a version, newest first, with its user and audiences (in a fixed number of queries)."""
    return list(
        version.history.select_related("history_user")
        .prefetch_related("historicalsourceversion_audiences_set__audience")
        .order_by("-history_date", "-history_id")
    )


def documents_for_versions(matter: Matter) -> QuerySet[Document]:
    """The matter's live documents a version may be, by exhibit number."""
    return Document.objects.alive().filter(matter=matter).select_related("matter").order_by("exhibit_number")
