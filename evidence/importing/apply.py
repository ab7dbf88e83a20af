"""The write: a plan without errors, committed in one transaction, in bulk, with history.

Events go through simple-history's bulk_create_with_history / bulk_update_with_history, with the importing user, the
reason "Imported from <file>" and one history date for the whole import; so do the actors and issues the file
introduces. The rest is written in bulk without the ORM's per-value overhead (which, on 50,000 rows, costs as much as
the events themselves), its history derived in the database from the rows this import wrote, found by that history
date:

* the actors and issues of each event (through rows) and their m2m history: a copy of the through rows linked to
  the event's new historical row, as simple-history's create_historical_record_m2ms writes for a single save, so the
  history of an imported event shows the actors and issues it was imported with;
* citations, and their creation history rows with the same user, reason and date (what bulk_history_create writes).
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from evidence.importing.plan import NEW, UPDATED, VALUE_FIELDS, Plan, build_plan
from evidence.importing.reading import Table
from evidence.models import EVENT_HISTORY, Actor, ActorKind, Citation, Document, Event, Issue, Matter

BATCH = 2000
_M2M_HISTORY = {field.name: model for field, model in EVENT_HISTORY.m2m_models.items()}


class PlanHasErrors(Exception):
    def __init__(self, plan: Plan):
        super().__init__(f"{len(plan.invalid_rows)} invalid rows; nothing was written.")
        self.plan = plan


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
) -> ImportResult:
    """Plan the import and, unless `dry_run` or a row is invalid, write it: one transaction, all or nothing.

    The matter row is locked first, so two imports into one matter run one after the other and each plans against
    what the other wrote.
    """
    on_plan = (lambda done, total: progress("Checking rows", done, total)) if progress else None
    with _collector_paused():
        if dry_run:
            return ImportResult(build_plan(table, matter=matter, day_first=day_first, progress=on_plan), written=False)
        with transaction.atomic():
            matter = Matter.objects.select_for_update().get(pk=matter.pk)
            plan = build_plan(table, matter=matter, day_first=day_first, progress=on_plan)
            if not plan.ok:
                return ImportResult(plan, written=False)
            apply_plan(plan, user=user, reason=import_reason(table.name), progress=progress)
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
    """Write a plan that has no errors. Call inside a transaction (import_events does)."""
    if not plan.ok:
        raise PlanHasErrors(plan)
    matter = plan.matter
    stamp = timezone.now()
    new = [r for r in plan.rows if r.action == NEW]
    updated = [r for r in plan.rows if r.action == UPDATED]
    total = len(new) + len(updated)
    report = (lambda done: progress("Writing events", done, total)) if progress else (lambda done: None)
    report(0)
    history = {"default_user": user, "default_change_reason": reason, "default_date": stamp}

    actors = _get_or_create_names(Actor, matter, [r.actors for r in new + updated], history, kind=ActorKind.PERSON)
    issues = _get_or_create_names(Issue, matter, [r.issues for r in new + updated], history)
    documents = dict(Document.objects.filter(matter=matter).values_list("exhibit_number", "id"))
    links = {"actors": [], "issues": []}  # (event id, actor or issue id) to insert into the through tables
    citations = []

    # New events -------------------------------------------------------------------------------------------------
    events = []
    for r in new:
        event = Event(matter=matter, **r.values)
        event.date = r.date
        events.append(event)
    for start in range(0, len(events), BATCH):
        bulk_create_with_history(events[start : start + BATCH], Event, batch_size=BATCH, **history)
        report(min(start + BATCH, len(events)))
    for r, event in zip(new, events):
        links["actors"] += [(event.pk, actors[n.casefold()]) for n in r.actors or ()]
        links["issues"] += [(event.pk, issues[n.casefold()]) for n in r.issues or ()]
        citations += [(event.pk, documents[num], pin) for num, pin in r.citations]

    # Updated events -----------------------------------------------------------------------------------------------
    if updated:
        ids = [r.existing_id for r in updated]
        current = {}
        for start in range(0, len(ids), BATCH):
            current.update(Event.objects.in_bulk(ids[start : start + BATCH]))
        changed_events = []
        for r in updated:
            event = current[r.existing_id]
            for name, value in r.values.items():
                setattr(event, name, value)
            event.date = r.date
            event.version += 1  # an editor's form opened on the previous version is refused (StaleEdit)
            event.updated_at = stamp
            changed_events.append(event)
        fields = [*VALUE_FIELDS, "date_precision", "date_start", "date_end_precision", "date_end", "date_tz",
                  "date_approximate", "date_bound", "date_sort", "date_first_day", "date_last_day", "version",
                  "updated_at"]  # fmt: skip
        for start in range(0, len(changed_events), BATCH):
            bulk_update_with_history(changed_events[start : start + BATCH], Event, fields, batch_size=BATCH, **history)
            report(len(events) + min(start + BATCH, len(changed_events)))
        # An updated event's actors and issues become the file's when it has the column; else they are kept.
        for name, targets in (("actors", actors), ("issues", issues)):
            replace = [r for r in updated if getattr(r, name) is not None]
            through = getattr(Event, name).through
            for start in range(0, len(replace), BATCH):
                through.objects.filter(event_id__in=[r.existing_id for r in replace[start : start + BATCH]]).delete()
            for r in replace:
                links[name] += [(r.existing_id, targets[n.casefold()]) for n in getattr(r, name)]
        existing_citations = set()
        for start in range(0, len(ids), BATCH):
            existing_citations.update(
                Citation.objects.filter(event_id__in=ids[start : start + BATCH]).values_list(
                    "event_id", "document_id", "pinpoint"
                )
            )
        for r in updated:
            for num, pin in r.citations:
                if (r.existing_id, documents[num], pin) not in existing_citations:
                    citations.append((r.existing_id, documents[num], pin))

    # Actors and issues, and their history ----------------------------------------------------------------------------
    for name in ("actors", "issues"):
        _insert_links(name, links[name])
        _copy_links_to_history(name, matter=matter, stamp=stamp, user=user, reason=reason)

    if citations:
        _bulk_insert(Citation, ["event", "document", "pinpoint", "note"],
                     [(e, d, p, "") for e, d, p in dict.fromkeys(citations)])  # fmt: skip
        _copy_new_citations_to_history(matter=matter, stamp=stamp, user=user, reason=reason)
    report(total)


def _insert_links(name: str, pairs: list[tuple[int, int]]) -> None:
    _bulk_insert(getattr(Event, name).through, ["event", name[:-1]], pairs)


def _bulk_insert(model, fields: list[str], rows: list[tuple]) -> None:
    """Plain rows into a table that needs nothing computed per row (through rows, citations), without the ORM's
    per-value overhead: COPY ... FROM STDIN on PostgreSQL (psycopg 3 sends the rows as they are written; about
    twice as fast as INSERT ... SELECT FROM unnest(arrays) on 50,000 events' links and citations), executemany elsewhere.
    """
    if not rows:
        return
    qn = connection.ops.quote_name
    columns = [model._meta.get_field(f) for f in fields]
    names = ", ".join(qn(c.column) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {qn(model._meta.db_table)} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {qn(model._meta.db_table)} ({names}) VALUES ({placeholders})", rows)


def _copy_new_citations_to_history(*, matter: Matter, stamp, user, reason: str) -> None:
    """Creation history for the citations just inserted: the citations of the events this import wrote that have no
    history yet (every citation written through the services has one). The rows are those bulk_history_create would
    write: the tracked fields, this import's date, user and reason, type "+"."""
    historical = Citation.history.model
    historical_event = Event.history.model
    qn = connection.ops.quote_name
    col = lambda model, field: qn(model._meta.get_field(field).column)  # noqa: E731
    tracked = [f.name for f in historical.tracked_fields]
    sql = (
        f"INSERT INTO {qn(historical._meta.db_table)} ({', '.join(col(historical, f) for f in tracked)}, "
        f"{col(historical, 'history_date')}, {col(historical, 'history_change_reason')}, "
        f"{col(historical, 'history_type')}, {col(historical, 'history_user')}) "
        f"SELECT {', '.join('c.' + col(Citation, f) for f in tracked)}, %s, %s, '+', %s "
        f"FROM {qn(Citation._meta.db_table)} c "
        f"WHERE c.{col(Citation, 'event')} IN (SELECT h.{col(historical_event, 'id')} "
        f"FROM {qn(historical_event._meta.db_table)} h WHERE h.{col(historical_event, 'matter')} = %s "
        f"AND h.{col(historical_event, 'history_date')} = %s) "
        f"AND NOT EXISTS (SELECT 1 FROM {qn(historical._meta.db_table)} hc "
        f"WHERE hc.{col(historical, 'id')} = c.{col(Citation, 'id')})"
    )
    when = connection.ops.adapt_datetimefield_value(stamp)
    with connection.cursor() as cursor:
        cursor.execute(sql, [when, reason, user.pk if user else None, matter.pk, when])


def _copy_links_to_history(name: str, *, matter: Matter, stamp, user, reason: str) -> None:
    """The m2m history of every historical event row this import wrote: a copy of the event's through rows as they
    are now, linked to that historical row, exactly what simple-history's create_historical_record_m2ms writes for
    one save. Done in the database with one INSERT ... SELECT; the rows are those with this import's history date,
    matter, user and reason (the matter is locked, so no other import writes such rows meanwhile)."""
    through = getattr(Event, name).through
    m2m_history = _M2M_HISTORY[name]
    historical = Event.history.model
    qn = connection.ops.quote_name
    hcol = lambda model, field: qn(model._meta.get_field(field).column)  # noqa: E731
    target = name[:-1]
    sql = (
        f"INSERT INTO {qn(m2m_history._meta.db_table)} "
        f"({hcol(m2m_history, 'id')}, {hcol(m2m_history, 'event')}, {hcol(m2m_history, target)}, "
        f"{hcol(m2m_history, 'history')}) "
        f"SELECT t.{hcol(through, 'id')}, t.{hcol(through, 'event')}, t.{hcol(through, target)}, "
        f"h.{hcol(historical, 'history_id')} "
        f"FROM {qn(through._meta.db_table)} t JOIN {qn(historical._meta.db_table)} h "
        f"ON h.{hcol(historical, 'id')} = t.{hcol(through, 'event')} "
        f"WHERE h.{hcol(historical, 'matter')} = %s AND h.{hcol(historical, 'history_date')} = %s "
        f"AND h.{hcol(historical, 'history_user')} = %s AND h.{hcol(historical, 'history_change_reason')} = %s"
    )
    params = [matter.pk, connection.ops.adapt_datetimefield_value(stamp), user.pk if user else None, reason]
    if user is None:
        sql = sql.replace(f"h.{hcol(historical, 'history_user')} = %s", f"h.{hcol(historical, 'history_user')} IS NULL")
        params.pop(2)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _get_or_create_names(model, matter: Matter, lists, history, **defaults) -> dict[str, int]:
    """casefolded name -> id, creating (with history) the names the matter does not have yet."""
    ids = {name.casefold(): pk for pk, name in model.objects.filter(matter=matter).values_list("id", "name")}
    missing: dict[str, str] = {}
    for names in lists:
        for name in names or ():
            if name.casefold() not in ids:
                missing.setdefault(name.casefold(), name)
    if missing:
        created = bulk_create_with_history(
            [model(matter=matter, name=name, **defaults) for name in missing.values()], model, **history
        )
        ids.update({obj.name.casefold(): obj.pk for obj in created})
    return ids
