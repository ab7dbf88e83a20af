"""python manage.py import_events FILE --matter SLUG [--dry-run] [--sheet NAME] [--user USERNAME] [--day-first]
    [--map-column "Doc Ref=sources"] [--map-kind "Press=Public statement"] [--map-status "Pending=issue"]
    [--mapping FILE.json]

A thin wrapper over evidence.importing.import_events, the service the admin's import page and the background task
call too. Columns and values are read as the matter's remembered mapping says, then the mapping file, then the
--map-* options (each later one winning); an import that is written remembers what this run was told. Exit status:
0 imported (or a clean dry run), 1 some rows are invalid (each printed; nothing written), 2 unusable input
(unreadable file or mapping, no date or title column, unknown matter or user).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from evidence.importing import UnusableInputError, import_events, read_table
from evidence.importing.mapping import COLUMN_FIELDS, Mapping, MappingError, read_column_field, read_target
from evidence.importing.plan import MissingColumnError, Plan
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
        parser.add_argument("--mapping", metavar="FILE.json",
                            help='A mapping file: {"columns": {"Doc Ref": "sources"}, "kind": {"Press": '
                                 '"Public statement"}, "status": {"Pending": "issue"}}.')  # fmt: skip
        for name, what in (("column", "HEADER=FIELD"), ("kind", "LABEL=KIND"), ("status", "LABEL=STATUS")):
            parser.add_argument(
                f"--map-{name}", action="append", default=[], metavar=what, dest=f"map_{name}",
                help=f"Read the {name} {what.split('=')[0]} as {what.split('=')[1]} (“issue”: keep the label as an "
                     "issue tag; for a column, “ignore”). Repeat for each.",
            )  # fmt: skip

    def handle(self, *args, file, matter, dry_run, sheet, user, day_first, month_first, **options):
        who = acting_user(user, returncode=UNUSABLE)
        target = editable_matter(matter, who, returncode=UNUSABLE)
        order = True if day_first else False if month_first else None
        mapping = self.mapping(options)
        try:
            table = read_table(file, name=Path(file).name, sheet=sheet)
            plan = import_events(table, matter=target, user=who, day_first=order, dry_run=dry_run,
                                 mapping=mapping).plan  # fmt: skip
        except MissingColumnError as error:
            hint = " Map one of its columns with --map-column '<header>=title' (or =date)."
            raise CommandError(f"Cannot import: {error}{hint}", returncode=UNUSABLE) from error
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

    def mapping(self, options) -> Mapping:
        """The mapping file, then the --map-* options over it; a mistake in either stops the command."""
        try:
            mapping = Mapping()
            if options["mapping"]:
                mapping = Mapping.from_file(Path(options["mapping"]).read_text(encoding="utf-8"))
            for name in ("column", "kind", "status"):
                for item in options[f"map_{name}"]:
                    label, sep, target = item.rpartition("=")
                    if not sep or not label.strip():
                        raise MappingError(f"--map-{name} “{item}” must be written NAME=TARGET")
                    if name == "column":
                        mapping.set_column(label.strip(), read_column_field(target))
                    else:
                        mapping.set_value(name, label.strip(), read_target(name, target))
        except (MappingError, OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot import: {error}", returncode=UNUSABLE) from error
        return mapping

    def print_notes(self, plan: Plan) -> None:
        for notice in plan.notices:
            self.stdout.write(f"Note: {notice}")
        for line in plan.date_orders:
            self.stdout.write(f"Dates: {line}")
        for warning in plan.warnings:
            self.stdout.write(f"Warning: {plan.row_label} {warning.row}: {warning.reason}")
        for header, fld in plan.columns.mapped.items():
            self.stdout.write(f"Column “{header}” read as {COLUMN_FIELDS[fld] if fld else 'nothing (not imported)'}")
        for unknown in plan.unknown_values.values():
            if unknown.defaulted:
                option = f"--map-{unknown.field} '{unknown.label}=<{unknown.field}>'"
                self.stdout.write(f"Default applied: {unknown.describe()}; to choose, add {option}")
            else:
                self.stdout.write(f"Mapped: {unknown.describe()}")
        if plan.columns.unrecognised:
            self.stdout.write(
                "Not imported (columns not recognised): " + ", ".join(plan.columns.unrecognised)
                + "; to import one, add --map-column '<header>=<field>'"
            )  # fmt: skip
