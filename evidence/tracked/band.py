"""A matter's tracked sources as the visual timeline draws them: a lane per source, a mark per version at its
effective date, else its first-seen date, else its capture day (in the matter's zone), linked to the version's page
(evidence.exporting.timeline lays them out)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.urls import reverse

from evidence import dates
from evidence.dates import zones
from evidence.text import shown


@dataclass(frozen=True)
class BandVersion:
    days: tuple[dt.date, dt.date]  # the days its date covers, as drawn (an open "before"/"after" cut at its bound)
    label: str  # "v2"
    tip: str
    href: str


@dataclass(frozen=True)
class SourceBand:
    name: str
    versions: list[BandVersion]


def source_bands(matter) -> list[SourceBand]:
    """Each live source of the matter, by name, with its versions that have a date to be drawn at."""
    from evidence.selectors_sources import source_versions, sources_for_matter

    bands = []
    for source in sources_for_matter(matter):
        name = shown(source.name) + (" (illustrative)" if source.is_illustrative else "")
        marks = []
        for number, version in enumerate(source_versions(source), start=1):
            placed = _placed(version, matter.time_zone)
            if placed is None:
                continue
            words, days = placed
            tip = f"{name} v{number} ({version.document.exhibit_label}): {words}"
            href = reverse("version_detail", args=[matter.slug, source.pk, version.pk])
            marks.append(BandVersion(days=days, label=f"v{number}", tip=tip, href=href))
        bands.append(SourceBand(name=name, versions=marks))
    return bands


def _placed(version, zone: str) -> tuple[str, tuple[dt.date, dt.date]] | None:
    for words, value in (("effective", version.effective_date), ("first seen", version.first_seen_date)):
        if not value.undated:
            first, last = value.span(zone)
            # "before Sept 2024" is drawn on Aug 31, "after Aug 2024" on Sept 1, as an event's date is
            return f"{words} {value.display()}", ((last if first == dt.date.min else first),
                                                   (first if last == dt.date.max else last))  # fmt: skip
    if version.captured_at is not None:
        day = version.captured_at.astimezone(zones.tzinfo(zone)).date()
        return f"captured {dates.display_instant(version.captured_at, zone)}", (day, day)
    return None
