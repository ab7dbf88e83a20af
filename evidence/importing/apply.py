"""The write: a plan without errors, committed in one transaction, in bulk, with history.

Events go through simple-history's bulk_create_with_history / bulk_update_with_history, with the importing user, the
reason "Imported from <file>" and one history date for the whole import; so do the actors and issues the file
introduces. Their links to the events and the citations are written by bulk.py, which derives their history in the
database from the rows this import wrote. Each event's version holds its citations as it does when written through
the services (Event.citations_snapshot, built by services.citations.snapshot_entries): a new event's those of its
row, an updated event's those it has after the import (its own and those the row adds).
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from evidence.actor_matching import Cast
from evidence.importing import bulk
from evidence.importing.mapping import Mapping, remembered_mapping
from evidence.importing.matching import NEW, UPDATED, VALUE_FIELDS
from evidence.importing.plan import Plan, build_plan
from evidence.importing.reading import Table
from evidence.models import Actor, Citation, Document, Event, Issue, Matter
from evidence.models.events import event_numbers_allocate
from evidence.services.chain import BulkChain
from evidence.services.citations import snapshot_entries
from evidence.services.imports import import_mapping_remember

BATCH = 2000


@dataclass
class ImportResult:
    plan: Plan
    written: bool

    @property
    def counts(self) -> dict[str, int]:
        return self.plan.counts


def import_reason(name: str) -> str:
    return f"Imported from {name}"[:100]


def import_events(
    table: Table,
    *,
    matter: Matter,
    user,
    day_first: bool | None = None,
    dry_run: bool = False,
    progress: Callable[[str, int, int], None] | None = None,
    mapping: Mapping | None = None,
) -> ImportResult:
    """Plan the import and, unless `dry_run` or a row is invalid, write it: one transaction, all or nothing.

    Columns and values are read as the matter's remembered mapping says, with `mapping` (what the user said about
    this file) winning over it; a written import remembers `mapping` for the matter. The matter row is locked
    first, so two imports into one matter run one after the other and each plans against what the other wrote.
    """
    on_plan = (lambda done, total: progress("Checking rows", done, total)) if progress else None
    given = mapping or Mapping()
    with _collector_paused():
        if dry_run:
            plan = build_plan(table, matter=matter, day_first=day_first, progress=on_plan,
                              mapping=remembered_mapping(matter).updated(given))  # fmt: skip
            return ImportResult(plan, written=False)
        with transaction.atomic():
            matter = Matter.objects.select_for_update().get(pk=matter.pk)
            plan = build_plan(table, matter=matter, day_first=day_first, progress=on_plan,
                              mapping=remembered_mapping(matter).updated(given))  # fmt: skip
            if not plan.ok:
                return ImportResult(plan, written=False)
            apply_plan(plan, user=user, reason=import_reason(table.name), progress=progress)
            import_mapping_remember(matter=matter, mapping=given, user=user)
        return ImportResult(plan, written=True)


@contextmanager
def _collector_paused():
    """Python's cyclic garbage collector off while the import builds its objects, then one full collection.

    A 50,000-row import allocates a few hundred thousand long-lived objects (planned rows, their values, events,
    historical rows); each time enough of them accumulate, the collector walks every live object to find cycles
    there are none of, which cost about 2 s of a 12 s import (measured on PostgreSQL, bench/bench_import.py). The
    objects are freed by reference counting as usual; the one collection at the end reclaims whatever cycles the
    import (or another thread meanwhile) left, inside the import's own time. Reference counting is unaffected.
    """
    if not gc.isenabled():  # nested, or the process manages the collector itself
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.collect()


def apply_plan(plan: Plan, *, user, reason: str, progress: Callable[[str, int, int], None] | None = None) -> None:
    """Write a plan that has no errors, inside the caller's transaction (import_events checks the plan, locks the
    matter and opens the transaction)."""
    _PlanWriter(plan, user=user, reason=reason, progress=progress).write()


class _PlanWriter:
    def __init__(self, plan: Plan, *, user, reason: str, progress):
        self.matter, self.user, self.reason = plan.matter, user, reason
        self.stamp = timezone.now()
        self.new = [r for r in plan.rows if r.action == NEW]
        self.updated = [r for r in plan.rows if r.action == UPDATED]
        self.total = len(self.new) + len(self.updated)
        self.progress = progress
        self.history = {"default_user": user, "default_change_reason": reason, "default_date": self.stamp}
        self.links: dict[str, list[tuple[int, int]]] = {"actors": [], "issues": []}  # (event id, actor/issue id)
        self.citations: dict[tuple[int, int, str], str] = {}  # (event id, document id, pinpoint) -> note
        # updated event id -> what it cites after the import: (document id, pinpoint, note)
        self.cited_after: dict[int, list[tuple[int, str, str]]] = {}

    def report(self, done: int) -> None:
        if self.progress:
            self.progress("Writing events", done, self.total)

    def write(self) -> None:
        self.report(0)
        rows = self.new + self.updated
        self.ids = {
            "actors": _get_or_create_names(Actor, self.matter, [r.actors for r in rows], self.history),
            "issues": _get_or_create_names(Issue, self.matter, [r.issues for r in rows], self.history),
        }  # fmt: skip
        self.document_rows = {d.pk: d for d in Document.objects.filter(matter=self.matter)}
        for document in self.document_rows.values():
            document.matter = self.matter  # its exhibit label, without a query each
        self.documents = {d.exhibit_number: d.pk for d in self.document_rows.values()}
        self.create_events()
        if self.updated:
            self.add_citations_to_updated()
            self.update_events()
            self.replace_links()
        # Every history row this import writes goes into the matter's chain, the event versions before their actors
        # and issues rows. The versions are handed over first, to be hashed while the database writes the rest.
        with BulkChain(self.matter.pk) as chain:
            for model in (Actor, Issue, Event):
                chain.written(model, stamp=self.stamp, reason=self.reason)
            written = {"matter": self.matter, "stamp": self.stamp, "user": self.user, "reason": self.reason}
            for name in ("actors", "issues"):
                bulk.insert_links(name, self.links[name])
                chain.returned(bulk.M2M_HISTORY[name], bulk.copy_links_to_history(name, **written))
            if self.citations:
                rows = [(e, d, p, note) for (e, d, p), note in self.citations.items()]
                bulk.bulk_insert(Citation, ["event", "document", "pinpoint", "note"], rows)
                chain.returned(Citation.history.model, bulk.copy_new_citations_to_history(**written))
            chain.append()
        self.report(self.total)

    def create_events(self) -> None:
        events = []
        numbers = iter(event_numbers_allocate(self.matter.pk, len(self.new)))
        for r in self.new:
            event = Event(matter=self.matter, number=next(numbers), **r.values)
            event.date = r.date
            event.citations_snapshot = self.snapshot(
                (self.documents[num], pin, r.citation_notes.get((num, pin), "")) for num, pin in r.citations
            )
            events.append(event)
        for start in range(0, len(events), BATCH):
            bulk_create_with_history(events[start : start + BATCH], Event, batch_size=BATCH, **self.history)
            self.report(min(start + BATCH, len(events)))
        for r, event in zip(self.new, events, strict=True):
            self.links["actors"] += [(event.pk, self.ids["actors"][n.casefold()]) for n in r.actors or ()]
            self.links["issues"] += [(event.pk, self.ids["issues"][n.casefold()]) for n in r.issues or ()]
            for num, pin in r.citations:
                self.citations.setdefault((event.pk, self.documents[num], pin), r.citation_notes.get((num, pin), ""))

    def update_events(self) -> None:
        ids = [r.existing_id for r in self.updated]
        current = {}
        for start in range(0, len(ids), BATCH):
            current.update(Event.objects.in_bulk(ids[start : start + BATCH]))
        events = []
        for r in self.updated:
            event = current[r.existing_id]
            for name, value in r.values.items():
                setattr(event, name, value)
            event.date = r.date
            event.citations_snapshot = self.snapshot(self.cited_after.get(event.pk, ()))
            event.version += 1  # an editor's form opened on the previous version is refused (StaleEdit)
            event.updated_at = self.stamp
            events.append(event)
        fields = [*VALUE_FIELDS, *Event.STORED_COLUMNS, *Event.DERIVED_COLUMNS, "version", "updated_at",
                  "citations_snapshot"]  # fmt: skip
        for start in range(0, len(events), BATCH):
            bulk_update_with_history(events[start : start + BATCH], Event, fields, batch_size=BATCH, **self.history)
            self.report(len(self.new) + min(start + BATCH, len(events)))

    def replace_links(self) -> None:
        """An updated event's actors and issues become the file's when it has the column; else they are kept."""
        for name in ("actors", "issues"):
            replace = [r for r in self.updated if getattr(r, name) is not None]
            through = getattr(Event, name).through
            for start in range(0, len(replace), BATCH):
                through.objects.filter(event_id__in=[r.existing_id for r in replace[start : start + BATCH]]).delete()
            for r in replace:
                self.links[name] += [(r.existing_id, self.ids[name][n.casefold()]) for n in getattr(r, name)]

    def add_citations_to_updated(self) -> None:
        """An update adds the citations the row gives that the event does not have yet; it removes none, and leaves
        the note of a citation the event has. Notes what each event cites afterwards (`cited_after`)."""
        ids = [r.existing_id for r in self.updated]
        existing = set()
        for start in range(0, len(ids), BATCH):
            for event_id, document_id, pin, note in Citation.objects.filter(
                event_id__in=ids[start : start + BATCH]
            ).values_list("event_id", "document_id", "pinpoint", "note"):
                existing.add((event_id, document_id, pin))
                self.cited_after.setdefault(event_id, []).append((document_id, pin, note))
        for r in self.updated:
            for num, pin in r.citations:
                key = (r.existing_id, self.documents[num], pin)
                if key not in existing and key not in self.citations:
                    self.citations[key] = note = r.citation_notes.get((num, pin), "")
                    self.cited_after.setdefault(r.existing_id, []).append((self.documents[num], pin, note))

    def snapshot(self, cited) -> list[dict]:
        """Event.citations_snapshot of (document id, pinpoint, note)s."""
        return snapshot_entries((self.document_rows[d], pin, note) for d, pin, note in cited)


def _get_or_create_names(model, matter: Matter, lists, history) -> dict[str, int]:
    """casefolded name -> id, creating (with history) the names the matter does not have yet; a new actor is of the
    kind evidence.actor_kinds guesses from its name, as everywhere an actor is created on the fly."""
    ids = {name.casefold(): pk for pk, name in model.objects.filter(matter=matter).values_list("id", "name")}
    missing: dict[str, str] = {}
    for names in lists:
        for name in names or ():
            if name.casefold() not in ids:
                missing.setdefault(name.casefold(), name)
    if missing:
        guess = Cast(matter).guess if model is Actor else None
        created = bulk_create_with_history(
            [
                model(matter=matter, name=name, **({"kind": guess(name).kind} if guess else {}))
                for name in missing.values()
            ],
            model,
            **history,
        )
        ids.update({obj.name.casefold(): obj.pk for obj in created})
    return ids
