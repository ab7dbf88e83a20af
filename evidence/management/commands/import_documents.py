"""python manage.py import_documents ZIP --matter SLUG [--user USERNAME] [--dry-run]

A ZIP of evidence files plus manifest.csv (see evidence.importing.documents). Exit status: 0 imported, 1 invalid
manifest rows (each printed; nothing written), 2 unusable input (unreadable or unsafe ZIP, no manifest).
"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from evidence.importing import UnusableInput
from evidence.importing.documents import import_documents
from evidence.management.commands.import_events import Unusable, resolve_matter, resolve_user


class Command(BaseCommand):
    help = "Import evidence documents from a ZIP with a manifest.csv into a matter (all files or none)."

    def add_arguments(self, parser):
        parser.add_argument("zip")
        parser.add_argument("--matter", required=True, help="The matter's slug.")
        parser.add_argument("--user", help="Who imports (default: the only superuser).")
        parser.add_argument("--dry-run", action="store_true", help="Check the ZIP and the manifest; write nothing.")

    def handle(self, *args, zip, matter, user, dry_run, **options):
        try:
            who = resolve_user(user)
            target = resolve_matter(matter, who)
            path = Path(zip)
            if not path.is_file():
                raise Unusable(f"Cannot read {zip}: no such file.")
            result = import_documents(path, matter=target, user=who, name=path.name, dry_run=dry_run)
        except (Unusable, UnusableInput) as error:
            self.stderr.write(f"Cannot import: {error}")
            sys.exit(2)
        for notice in result.notices:
            self.stdout.write(f"Note: {notice}")
        if result.errors:
            for error in sorted(result.errors, key=lambda e: e.row):
                self.stderr.write(f"Manifest row {error.row}, column “{error.column}”: {error.reason}")
            self.stderr.write("Nothing was written.")
            sys.exit(1)
        if dry_run:
            self.stdout.write(f"{path.name} can be imported into {target.slug}.")
            return
        for document in result.created:
            self.stdout.write(f"{document.exhibit_label}  {document.title}")
        for filename, document in result.already:
            self.stdout.write(f"{filename}: already {document.exhibit_label}")
        self.stdout.write(f"Imported {path.name} into {target.slug}: {result.summary()}.")
