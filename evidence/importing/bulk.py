"""Writes without the ORM's per-value overhead (which, on 50,000 rows, costs as much as the events themselves): plain
rows inserted in bulk, and their history derived in the database from the rows an import wrote, found by its one
history date.

* the actors and issues of each event (through rows) and their m2m history: a copy of the through rows linked to
  the event's new historical row, as simple-history's create_historical_record_m2ms writes for a single save, so the
  history of an imported event shows the actors and issues it was imported with;
* citations, and their creation history rows with the same user, reason and date (what bulk_history_create writes).

Call inside the import's transaction, with the matter locked (apply.import_events does).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable

from django.db import connection

from evidence.models import Citation, Event, Matter, m2m_history_models
from evidence.services.chain import returning

M2M_HISTORY = m2m_history_models(Event)


# Rows per INSERT on SQLite: executemany runs the statement once per row, which costs about three times as much as
# a few hundred rows to a statement (on the quarter of a million history links of a 50,000-event import: a second).
ROWS_PER_INSERT = 500


def bulk_insert(model, fields: list[str], rows: Iterable[tuple]) -> None:
    """Plain rows into a table that needs nothing computed per row (through rows, citations): COPY ... FROM STDIN
    on PostgreSQL (psycopg 3 sends the rows as they are written; about twice as fast as INSERT ... SELECT FROM
    unnest(arrays) on 50,000 events' links and citations), INSERTs of ROWS_PER_INSERT rows on SQLite. `rows` may be
    a generator (the history chain's links, made as they are sent), which must not query the database.
    """
    if not rows:
        return
    qn = connection.ops.quote_name
    columns = [model._meta.get_field(f) for f in fields]
    names = ", ".join(qn(c.column) for c in columns)
    table = qn(model._meta.db_table)
    if connection.vendor == "postgresql":
        types = _binary_copy_types(columns)
        binary = " (FORMAT BINARY)" if types else ""
        with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN{binary}") as copy:
            if types:
                copy.set_types(types)
            for row in rows:
                copy.write_row(row)
        return
    # The driver's own cursor and placeholders, as COPY is psycopg's: Django's cursor would rewrite the thousands
    # of placeholders of each statement with a regular expression, at a third of the cost of the INSERT itself.
    connection.ensure_connection()
    per = max(1, min(ROWS_PER_INSERT, connection.features.max_query_params // len(columns)))
    insert = f"INSERT INTO {table} ({names}) VALUES "
    values = "(" + ", ".join(["?"] * len(columns)) + ")"
    full = insert + ", ".join([values] * per)
    driver = connection.connection.cursor()
    try:
        with connection.wrap_database_errors:  # django.db's exceptions, as Django's cursor raises
            for batch in itertools.batched(rows, per):
                sql = full if len(batch) == per else insert + ", ".join([values] * len(batch))
                driver.execute(sql, list(itertools.chain.from_iterable(batch)))
    finally:
        driver.close()


# Column types that COPY can take in binary (the type psycopg writes each as): the server has no text to parse, and
# psycopg none to format (250,000 history links: about 20% less time, half the client's).
_BINARY_COPY = {"bigint": "int8", "integer": "int4", "smallint": "int2", "text": "text"}


def _binary_copy_types(columns) -> list[str] | None:
    """The types of a binary COPY of these columns, or None if one of them is of a type left to text."""
    types = []
    for column in columns:
        db_type = column.db_type(connection)  # a foreign key's: that of the column it refers to
        name = "varchar" if db_type.startswith("varchar(") else _BINARY_COPY.get(db_type)
        if name is None:
            return None
        types.append(name)
    return types


def insert_links(name: str, pairs: list[tuple[int, int]]) -> None:
    """(event id, actor or issue id) pairs into the event's `name` ("actors", "issues") through table."""
    bulk_insert(getattr(Event, name).through, ["event", name[:-1]], pairs)


def _column(model, field: str) -> str:
    return connection.ops.quote_name(model._meta.get_field(field).column)


def copy_new_citations_to_history(*, matter: Matter, stamp, user, reason: str) -> list[tuple]:
    """Creation history for the citations just inserted: the citations of the events this import wrote that have no
    history yet (every citation written through the services has one). The rows are those bulk_history_create would
    write: the tracked fields, this import's date, user and reason, type "+". Returns the rows written (every
    column, chain.returning)."""
    historical = Citation.history.model
    historical_event = Event.history.model
    qn = connection.ops.quote_name
    tracked = [f.name for f in historical.tracked_fields]
    sql = (
        f"INSERT INTO {qn(historical._meta.db_table)} ({', '.join(_column(historical, f) for f in tracked)}, "
        f"{_column(historical, 'history_date')}, {_column(historical, 'history_change_reason')}, "
        f"{_column(historical, 'history_type')}, {_column(historical, 'history_user')}) "
        f"SELECT {', '.join('c.' + _column(Citation, f) for f in tracked)}, %s, %s, '+', %s "
        f"FROM {qn(Citation._meta.db_table)} c "
        f"WHERE c.{_column(Citation, 'event')} IN (SELECT h.{_column(historical_event, 'id')} "
        f"FROM {qn(historical_event._meta.db_table)} h WHERE h.{_column(historical_event, 'matter')} = %s "
        f"AND h.{_column(historical_event, 'history_date')} = %s) "
        f"AND NOT EXISTS (SELECT 1 FROM {qn(historical._meta.db_table)} hc "
        f"WHERE hc.{_column(historical, 'id')} = c.{_column(Citation, 'id')})"
    )
    when = connection.ops.adapt_datetimefield_value(stamp)
    return insert_returning(historical, sql, [when, reason, user.pk if user else None, matter.pk, when])


def copy_links_to_history(name: str, *, matter: Matter, stamp, user, reason: str) -> list[tuple]:
    """The m2m history of every historical event row this import wrote: a copy of the event's through rows as they
    are now, linked to that historical row, exactly what simple-history's create_historical_record_m2ms writes for
    one save. Done in the database with one INSERT ... SELECT; the rows are those with this import's history date,
    matter, user and reason (the matter is locked, so no other import writes such rows meanwhile). Returns the rows
    written (every column, chain.returning)."""
    through = getattr(Event, name).through
    m2m_history = M2M_HISTORY[name]
    historical = Event.history.model
    qn = connection.ops.quote_name
    target = name[:-1]
    same_user = f"h.{_column(historical, 'history_user')} " + ("= %s" if user else "IS NULL")
    sql = (
        f"INSERT INTO {qn(m2m_history._meta.db_table)} "
        f"({_column(m2m_history, 'id')}, {_column(m2m_history, 'event')}, {_column(m2m_history, target)}, "
        f"{_column(m2m_history, 'history')}) "
        f"SELECT t.{_column(through, 'id')}, t.{_column(through, 'event')}, t.{_column(through, target)}, "
        f"h.{_column(historical, 'history_id')} "
        f"FROM {qn(through._meta.db_table)} t JOIN {qn(historical._meta.db_table)} h "
        f"ON h.{_column(historical, 'id')} = t.{_column(through, 'event')} "
        f"WHERE h.{_column(historical, 'matter')} = %s AND h.{_column(historical, 'history_date')} = %s "
        f"AND {same_user} AND h.{_column(historical, 'history_change_reason')} = %s"
    )
    when = connection.ops.adapt_datetimefield_value(stamp)
    params = [matter.pk, when, user.pk, reason] if user else [matter.pk, when, reason]
    return insert_returning(m2m_history, sql, params)


def insert_returning(historical, sql: str, params: list) -> list[tuple]:
    """Run an INSERT of history rows of `historical`, returning the rows written (every column, chain.returning)
    for the history chain (chain.chain_returned), which would otherwise read them back with a second query."""
    columns = ", ".join(_column(historical, name) for name in returning(historical))
    with connection.cursor() as cursor:
        cursor.execute(f"{sql} RETURNING {columns}", params)
        return cursor.fetchall()
