"""python manage.py import_events FILE --matter SLUG [--dry-run] [--sheet NAME] [--user USERNAME] [--day-first]

Exit status: 0 imported (or a clean dry run), 1 some rows are invalid (each printed; nothing written), 2 unusable
input (unreadable file, no date or title column, unknown matter or user).
"""

import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from evidence.importing import UnusableInput, import_events, read_table
from evidence.models import Matter, Role
from evidence.permissions import has_role


class Unusable(Exception):
    pass


def resolve_user(username: str | None):
    """--user, or the only superuser; the history records this user."""
    User = get_user_model()
    if username:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise Unusable(f"No active user “{username}”.")
        return user
    superusers = list(User.objects.filter(is_superuser=True, is_active=True)[:2])
    if len(superusers) != 1:
        raise Unusable("Say who imports with --user USERNAME (the history records that user).")
    return superusers[0]


def resolve_matter(slug: str, user) -> Matter:
    matter = Matter.objects.filter(slug=slug).first()
    if matter is None or not has_role(user, matter, Role.EDITOR):
        raise Unusable(f"No matter “{slug}” that {user} may edit.")
    return matter


class Command(BaseCommand):
    help = "Import events from a CSV, XLSX or JSON chronology into a matter (all rows or none)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--matter", required=True, help="The matter's slug.")
        parser.add_argument("--dry-run", action="store_true", help="Check and count; write nothing.")
        parser.add_argument("--sheet", help="The XLSX sheet to read (default: the first).")
        parser.add_argument("--user", help="Who imports (default: the only superuser).")
        order = parser.add_mutually_exclusive_group()
        order.add_argument(
            "--day-first",
            action="store_true",
            help="Read 03/04/2025 as 3 April (default: decided "
            "per column; month/day unless the column proves day/month).",
        )
        order.add_argument("--month-first", action="store_true", help="Read 03/04/2025 as March 4.")

    def handle(self, *args, file, matter, dry_run, sheet, user, day_first, month_first, **options):
        try:
            who = resolve_user(user)
            target = resolve_matter(matter, who)
            table = read_table(file, name=Path(file).name, sheet=sheet)
            order = True if day_first else False if month_first else None
            result = import_events(table, matter=target, user=who, day_first=order, dry_run=dry_run)
        except (Unusable, UnusableInput) as error:
            self.stderr.write(f"Cannot import: {error}")
            sys.exit(2)
        plan = result.plan
        for notice in plan.notices:
            self.stdout.write(f"Note: {notice}")
        for line in plan.date_orders:
            self.stdout.write(f"Dates: {line}")
        if plan.columns.unrecognised:
            self.stdout.write("Not imported (columns not recognised): " + ", ".join(plan.columns.unrecognised))
        if not plan.ok:
            label = plan.row_label.capitalize()
            for error in sorted(plan.errors, key=lambda e: e.row):
                self.stderr.write(f"{label} {error.row}, column “{error.column}”: {error.reason}")
            self.stderr.write(f"{plan.summary()}. Nothing was written.")
            sys.exit(1)
        verb = "Would import" if dry_run else "Imported"
        self.stdout.write(f"{verb} {plan.name} into {target.slug}: {plan.summary()}.")
