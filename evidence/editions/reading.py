"""An edition compared with now, as the compare page, the redline PDF and compare_edition read it."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from evidence import dates, selectors
from evidence.downloads import open_edition_file
from evidence.editions.compare import ADDED, REMOVED, Changes, compare
from evidence.editions.snapshot import chronology_snapshot, decode
from evidence.exporting import Chronology, ExportOptions, chronology_for, require_export_access
from evidence.models import Edition
from evidence.permissions import require_edition


@dataclass
class Comparison:
    edition: Edition
    then: dict  # the edition's snapshot
    now: Chronology  # the chronology as the edition's options select it today
    changes: Changes

    @property
    def edition_prepared(self) -> str:
        return dates.display_instant(self.edition.created_at, self.edition.matter.time_zone)

    @property
    def edition_format(self) -> str:
        return self.edition.get_format_display()


def edition_comparison(*, edition: Edition, user, now: dt.datetime | None = None) -> Comparison:
    """The edition's stored snapshot (checked against its SHA-256 first) against the chronology as the same export
    would print it now, for a user who may see the edition and export with its options."""
    require_edition(user, edition)
    options = dataclasses.replace(ExportOptions.from_json(edition.options), format="pdf", embed_exhibits=False)
    require_export_access(user, edition.matter, options)
    with open_edition_file(edition, snapshot=True) as handle:
        then = decode(handle.read())
    chronology = chronology_for(matter=edition.matter, user=user, options=options, now=now)
    changes = compare(then, chronology_snapshot(chronology))
    _explain(changes, edition=edition, chronology=chronology)
    return Comparison(edition=edition, then=then, now=chronology, changes=changes)


def _explain(changes: Changes, *, edition: Edition, chronology: Chronology) -> None:
    """Why an event is added (new since the edition, or now within its filters) or removed (deleted since, or no
    longer within its filters)."""
    current = {row.event.pk: row.event for row in chronology.rows}
    removed = [e.event for e in changes.entries if e.status == REMOVED]
    state = selectors.events_state(matter=edition.matter, ids=removed)
    for entry in changes.entries:
        if entry.status == ADDED:
            event = current[entry.event]
            entry.note = (
                "new since the edition"
                if event.created_at > edition.created_at
                else "now within the edition's filters (edited or restored since)"
            )
        elif entry.status == REMOVED:
            event = state.get(entry.event)
            if event is None:
                entry.note = "no longer in the matter"
            elif event.deleted_at is not None:
                entry.note = "deleted since the edition"
            else:
                entry.note = "no longer within the edition's filters (edited since)"
