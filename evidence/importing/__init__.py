"""Bulk import of events from spreadsheets (CSV, XLSX, JSON) and of documents from a ZIP with a manifest.

read_table (reading.py) -> build_plan (plan.py: columns, rows, dates; the preview) -> apply_plan (apply.py: one
transaction, bulk writes with history). import_events runs the three; the admin, the command and the background
task call it.
"""

from evidence.importing.apply import ImportResult, import_events, import_reason
from evidence.importing.plan import Plan, RowError, build_plan, date_with_precision
from evidence.importing.reading import Table, UnusableInput, read_table

__all__ = [
    "ImportResult", "Plan", "RowError", "Table", "UnusableInput", "build_plan", "date_with_precision",
    "import_events", "import_reason", "read_table",
]  # fmt: skip
