"""An edition compared with now, or with a later edition, as the compare page, the redline PDF and compare_edition
read it."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from evidence import dates, selectors
from evidence.downloads import open_edition_file
from evidence.editions.compare import ADDED, REMOVED, Changes, compare
from evidence.editions.snapshot import chronology_snapshot, decode
from evidence.exporting import Chronology, ExportOptions, chronology_for, frame_chronology, require_export_access
from evidence.models import Edition
from evidence.permissions import require_edition


@dataclass
class Comparison:
    edition: Edition
    then: dict  # the edition's snapshot
    # The later side's frame: the chronology as the edition's options select it today (its rows), or, against a
    # later edition, the matter's caption with that edition's chain head (no rows: its snapshot holds them).
    now: Chronology
    changes: Changes
    against: Edition | None = None  # the later edition, when the comparison is not with now

    @property
    def edition_prepared(self) -> str:
        return prepared(self.edition)

    @property
    def edition_format(self) -> str:
        return self.edition.get_format_display()

    @property
    def against_prepared(self) -> str:
        return prepared(self.against) if self.against else ""

    @property
    def later(self) -> str:
        """ "now", or "edition 3" """
        return f"edition {self.against.number}" if self.against else "now"

    @property
    def filters_differ(self) -> bool:
        return bool(self.against) and self.against.filters_described != self.edition.filters_described


def prepared(edition: Edition) -> str:
    return dates.display_instant(edition.created_at, edition.matter.time_zone)


def _snapshot(edition: Edition) -> dict:
    with open_edition_file(edition, snapshot=True) as handle:
        snapshot = decode(handle.read())
    ids = edition.snapshot_ids
    if ids:  # restored from an archive: its snapshot names events and documents by the first instance's ids
        for event in snapshot["events"]:
            event["event"] = ids["events"].get(str(event["event"]), event["event"])
            for citation in event["citations"]:
                citation["document"] = ids["documents"].get(str(citation["document"]), citation["document"])
    return snapshot


def edition_comparison(
    *, edition: Edition, user, against: Edition | None = None, now: dt.datetime | None = None
) -> Comparison:
    """The edition's stored snapshot (checked against its SHA-256 first) against the chronology as the same export
    would print it now, or against the snapshot of a later edition `against` of the same matter; for a user who may
    see both editions and export with the edition's options."""
    require_edition(user, edition)
    options = dataclasses.replace(ExportOptions.from_json(edition.options), format="pdf", embed_exhibits=False)
    require_export_access(user, edition.matter, options)
    if against is not None:
        require_edition(user, against)
        if against.matter_id != edition.matter_id:
            raise ValueError("Editions of two matters are not compared.")
    then = _snapshot(edition)
    if against is None:
        chronology = chronology_for(matter=edition.matter, user=user, options=options, now=now)
        later = chronology_snapshot(chronology)
    else:
        later = _snapshot(against)
        chronology = frame_chronology(
            matter=edition.matter, user=user, chain_head=against.chain_head, options=options, now=now
        )
    changes = compare(then, later)
    _explain(changes, edition=edition, until=against.created_at if against else None)
    return Comparison(edition=edition, then=then, now=chronology, changes=changes, against=against)


def _explain(changes: Changes, *, edition: Edition, until: dt.datetime | None) -> None:
    """Why an event is added (new since the edition, or within its filters since an edit or a restore) or removed
    (deleted since, or no longer within its filters), as of `until` (the later edition's time) or now."""
    ids = [e.event for e in changes.entries if e.status in (ADDED, REMOVED)]
    state = selectors.events_state(matter=edition.matter, ids=ids)
    for entry in changes.entries:
        event = state.get(entry.event)
        if entry.status == ADDED:
            new = event is not None and event.created_at > edition.created_at
            entry.note = "new since the edition" if new else "now within the edition's filters (edited or restored)"
        elif entry.status == REMOVED:
            if event is None:
                entry.note = "no longer in the matter"
            elif event.deleted_at is not None and (until is None or event.deleted_at <= until):
                entry.note = "deleted since the edition"
            else:
                entry.note = "no longer within the edition's filters (edited since)"
