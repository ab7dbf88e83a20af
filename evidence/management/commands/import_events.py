"""python manage.py import_events FILE --matter SLUG [--dry-run] [--sheet NAME] [--user USERNAME] [--day-first]

A thin wrapper over evidence.importing.import_events, the service the admin's import page and the background task
call too. Exit status: 0 imported (or a clean dry run), 1 some rows are invalid (each printed; nothing written),
2 unusable input (unreadable file, no date or title column, unknown matter or user).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from evidence.importing import UnusableInputError, import_events, read_table
from evidence.importing.plan import Plan
from evidence.management.acting_user import acting_user, add_user_argument, editable_matter

# The exit statuses of both import commands (import_documents uses them too).
INVALID_ROWS = 1
UNUSABLE = 2


class Command(BaseCommand):
    help = (
        "Import events from a CSV, XLSX or JSON chronology into a matter (all rows or none). Exit status: 0 done, "
        "1 invalid rows (nothing written), 2 unusable file, matter or user."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--matter", required=True, help="The matter's slug.")
        parser.add_argument("--dry-run", action="store_true", help="Check and count; write nothing.")
        parser.add_argument("--sheet", help="The XLSX sheet to read (default: the first with a date and a title).")
        add_user_argument(parser)
        order = parser.add_mutually_exclusive_group()
        order.add_argument(
            "--day-first",
            action="store_true",
            help="Read 03/04/2025 as 3 April (default: decided per column; month/day unless the column proves "
            "day/month).",
        )
        order.add_argument("--month-first", action="store_true", help="Read 03/04/2025 as March 4.")

    def handle(self, *args, file, matter, dry_run, sheet, user, day_first, month_first, **options):
        who = acting_user(user, returncode=UNUSABLE)
        target = editable_matter(matter, who, returncode=UNUSABLE)
        order = True if day_first else False if month_first else None
        try:
            table = read_table(file, name=Path(file).name, sheet=sheet)
            plan = import_events(table, matter=target, user=who, day_first=order, dry_run=dry_run).plan
        except UnusableInputError as error:
            raise CommandError(f"Cannot import: {error}", returncode=UNUSABLE) from error
        self.print_notes(plan)
        if not plan.ok:
            label = plan.row_label.capitalize()
            for error in sorted(plan.errors, key=lambda e: e.row):
                self.stderr.write(f"{label} {error.row}, column “{error.column}”: {error.reason}")
            raise CommandError(f"{plan.summary()}. Nothing was written.", returncode=INVALID_ROWS)
        verb = "Would import" if dry_run else "Imported"
        self.stdout.write(f"{verb} {plan.name} into {target.slug}: {plan.summary()}.")

    def print_notes(self, plan: Plan) -> None:
        for notice in plan.notices:
            self.stdout.write(f"Note: {notice}")
        for line in plan.date_orders:
            self.stdout.write(f"Dates: {line}")
        if plan.columns.unrecognised:
            self.stdout.write("Not imported (columns not recognised): " + ", ".join(plan.columns.unrecognised))
