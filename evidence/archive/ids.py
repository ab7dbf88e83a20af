"""New ids taken from a table's own sequence before the rows are written, so that a restore can give its objects ids in
the order of the archive's refs (a removed citation included, which gets an id no row will ever take) and write rows
that refer to each other without reading ids back."""

from __future__ import annotations

from django.db import connection


def reserve_ids(model, count: int) -> list[int]:
    """`count` ids of `model`'s table, increasing, that the table will never hand out itself. Call inside the
    restore's transaction (on SQLite it holds the write lock, so no one else numbers rows meanwhile)."""
    if count <= 0:
        return []
    table, column = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)", [table, column, count]
            )
            return sorted(row[0] for row in cursor.fetchall())
        if connection.vendor == "sqlite":
            # AUTOINCREMENT tables (Django's on SQLite) hand out one more than the larger of sqlite_sequence's
            # number and the table's largest id.
            qn = connection.ops.quote_name
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            row = cursor.fetchone()
            cursor.execute(f"SELECT MAX({qn(column)}) FROM {qn(table)}")
            last = max(row[0] if row else 0, cursor.fetchone()[0] or 0)
            if row:
                cursor.execute("UPDATE sqlite_sequence SET seq = %s WHERE name = %s", [last + count, table])
            else:
                cursor.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, last + count])
            return list(range(last + 1, last + count + 1))
    raise NotImplementedError(f"Reserving ids on {connection.vendor} is not supported.")
