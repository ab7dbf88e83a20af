"""Bulk import of events from spreadsheets (CSV, XLSX, JSON) and of documents from a ZIP with a manifest.

Events: read_table (reading.py: the file as a table of text) -> build_plan (plan.py, the preview: columns.py which
column is what, cells.py the value of each cell, date_columns.py the dates, matching.py new, updated or unchanged)
-> apply_plan (apply.py: one transaction, bulk writes with history; bulk.py the writes below the ORM).
import_events runs the three; the admin, the command and the background task (tasks.py) call it.

Every reader is bounded (reading.py: the IMPORT_MAX_* settings); the web pages and the workers read an upload in a
child process with memory and time limits (isolation.py).

Documents: documents.py checks the ZIP and its manifest and takes every file in through services.documents.
"""

from evidence.importing.apply import ImportResult, import_events, import_reason
from evidence.importing.isolation import read_table_isolated
from evidence.importing.plan import Plan, RowError, build_plan
from evidence.importing.reading import Table, UnusableInputError, read_table

__all__ = [
    "ImportResult", "Plan", "RowError", "Table", "UnusableInputError", "build_plan", "import_events",
    "import_reason", "read_table", "read_table_isolated",
]  # fmt: skip
