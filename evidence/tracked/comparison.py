"""Two versions of a tracked source compared, as the redline page, the redline PDF, `manage.py redline` and the
chronology's appended redlines read them: each version's facts (exhibit, title, capture, dates, SHA-256) written for
a reader once, here, and the redline of their text."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.utils.text import slugify

from evidence import dates
from evidence.models import Role
from evidence.permissions import PRIVILEGED_EXPORT_ROLE, may_export_privileged, require_role
from evidence.text import clean, shown
from evidence.tracked.redline import Redline, redline
from evidence.tracked.text import document_blocks


@dataclass(frozen=True)
class VersionFacts:
    """One version as every redline prints it."""

    exhibit: str  # "PX-3"
    exhibit_number: int
    document_id: int
    title: str
    filename: str
    media_type: str
    capture_method: str  # "Web archive (WARC/WACZ)"
    captured: str  # "Aug 12, 2024, 9:30 AM PDT", or "" when unknown
    effective: str  # "Aug 2024", or "" when undated
    first_seen: str
    audiences: tuple[str, ...]  # () applies to everyone
    sha256: str
    url: str
    privileged: bool = False

    @property
    def audiences_text(self) -> str:
        return ", ".join(self.audiences) if self.audiences else "Everyone"

    @property
    def label(self) -> str:
        """ "PX-3 (effective Aug 2024)", "PX-3 (captured Aug 12, 2024, 9:30 AM PDT)" """
        if self.effective:
            return f"{self.exhibit} (effective {self.effective})"
        if self.first_seen:
            return f"{self.exhibit} (first seen {self.first_seen})"
        if self.captured:
            return f"{self.exhibit} (captured {self.captured})"
        return self.exhibit


@dataclass
class SourceComparison:
    matter: object  # evidence.models.Matter
    source: str  # the source's name
    kind: str  # "Policy"
    url: str
    illustrative: bool
    older: VersionFacts
    newer: VersionFacts
    redline: Redline

    @property
    def title(self) -> str:
        return f"Redline of {self.source}"

    @property
    def filename(self) -> str:
        """ "linkedin-ai-training-privacy-policy-redline-px-3-to-px-7.pdf" """
        name = slugify(self.source) or "source"
        older, newer = slugify(self.older.exhibit), slugify(self.newer.exhibit)
        return f"{self.matter.slug}-{name}-redline-{older}-to-{newer}.pdf"


def version_facts(version, source) -> VersionFacts:
    """A SourceVersion's facts, for a reader: names and titles through `shown`, times in the matter's time zone."""
    document = version.document
    zone = version.matter.time_zone
    captured = version.captured_at or document.captured_at
    effective, first_seen = version.effective_date, version.first_seen_date
    return VersionFacts(
        exhibit=shown(document.exhibit_label),
        exhibit_number=document.exhibit_number,
        document_id=document.pk,
        title=shown(document.title),
        filename=shown(document.original_filename),
        media_type=document.media_type,
        capture_method=version.get_capture_method_display(),
        captured=dates.display_instant(captured, zone) if captured else "",
        effective="" if effective.undated else effective.display(),
        first_seen="" if first_seen.undated else first_seen.display(),
        audiences=tuple(shown(a.name) for a in version.audiences.all()),
        sha256=document.sha256,
        url=clean(document.source_url or source.url),
        privileged=document.is_privileged,
    )


def chosen_versions(versions: list, first: str | int | None, second: str | int | None) -> tuple:
    """The two versions to compare, earlier first: those the exhibits given name ("7", or the label "PX-7"), else
    the last two. LookupError says what is wrong (an unknown exhibit, the same one twice, fewer than two versions)."""
    if len(versions) < 2:
        raise LookupError("This source has fewer than two versions: there is nothing to compare yet.")
    chosen = []
    for given, default in ((first, versions[-2]), (second, versions[-1])):
        given = str(given if given is not None else "").strip()
        if not given:
            chosen.append(default)
            continue
        found = [
            v
            for v in versions
            if (str(v.document.exhibit_number) == given if given.isdigit() else
                v.document.exhibit_label.casefold() == given.casefold())
        ]  # fmt: skip
        if not found:
            raise LookupError(f"Exhibit {given} is not a version of this source.")
        chosen.append(found[0])
    if chosen[0] == chosen[1]:
        raise LookupError("Choose two different versions to compare.")
    return tuple(sorted(chosen, key=versions.index))


def require_redline_access(user, source, versions, *, export: bool = False) -> None:
    """A member of the source's matter (viewer suffices); for a PDF or the command (`export`), one who may take
    privileged material out when either version's document is privileged. PermissionDenied says why."""
    role = require_role(user, source.matter, Role.VIEWER)
    privileged = any(v.document.is_privileged for v in versions)
    if export and privileged and not may_export_privileged(user, source.matter, role=role):
        raise PermissionDenied(
            f"A redline of a privileged document needs the {PRIVILEGED_EXPORT_ROLE.label.lower()} role "
            f"in {source.matter}."
        )


def source_comparison(*, source, older, newer, user, export: bool = False) -> SourceComparison:
    """`older` against `newer` (two versions of `source`), for a user who may see them (or export them: `export`,
    require_redline_access), their text read (text.document_blocks: TextRefused, or IntegrityFailure for an HTML
    file that is not what was received) and redlined."""
    if older.source_id != source.pk or newer.source_id != source.pk:
        raise ValueError("Only two versions of the same source are compared.")
    require_redline_access(user, source, (older, newer), export=export)
    matter = source.matter
    result = redline(document_blocks(older.document), document_blocks(newer.document))
    return SourceComparison(
        matter=matter,
        source=shown(source.name),
        kind=source.get_kind_display(),
        url=clean(source.url),
        illustrative=source.is_illustrative,
        older=version_facts(older, source),
        newer=version_facts(newer, source),
        redline=result,
    )
