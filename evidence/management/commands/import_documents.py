"""python manage.py import_documents ZIP --matter SLUG [--user USERNAME] [--dry-run]

A ZIP of evidence files plus manifest.csv (see evidence.importing.documents), taken in through the same service as
the admin's import page. Exit status: 0 imported, 1 invalid manifest rows (each printed; nothing written),
2 unusable input (unreadable or unsafe ZIP, no manifest, unknown matter or user).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from evidence.importing import UnusableInputError
from evidence.importing.documents import import_documents
from evidence.management.acting_user import acting_user, add_user_argument, editable_matter
from evidence.management.commands.import_events import INVALID_ROWS, UNUSABLE


class Command(BaseCommand):
    help = (
        "Import evidence documents from a ZIP with a manifest.csv into a matter (all files or none). Exit status: "
        "0 done, 1 invalid manifest rows (nothing written), 2 unusable ZIP, matter or user."
    )

    def add_arguments(self, parser):
        parser.add_argument("zip")
        parser.add_argument("--matter", required=True, help="The matter's slug.")
        add_user_argument(parser)
        parser.add_argument("--dry-run", action="store_true", help="Check the ZIP and the manifest; write nothing.")

    def handle(self, *args, zip, matter, user, dry_run, **options):
        who = acting_user(user, returncode=UNUSABLE)
        target = editable_matter(matter, who, returncode=UNUSABLE)
        path = Path(zip)
        if not path.is_file():
            raise CommandError(f"Cannot import: Cannot read {zip}: no such file.", returncode=UNUSABLE)
        try:
            result = import_documents(path, matter=target, user=who, name=path.name, dry_run=dry_run)
        except UnusableInputError as error:
            raise CommandError(f"Cannot import: {error}", returncode=UNUSABLE) from error
        for notice in result.notices:
            self.stdout.write(f"Note: {notice}")
        if result.errors:
            for error in sorted(result.errors, key=lambda e: e.row):
                self.stderr.write(f"Manifest row {error.row}, column “{error.column}”: {error.reason}")
            raise CommandError("Nothing was written.", returncode=INVALID_ROWS)
        if dry_run:
            self.stdout.write(f"{path.name} can be imported into {target.slug}.")
            return
        for document in result.created:
            self.stdout.write(f"{document.exhibit_label}  {document.title}")
        for filename, document in result.already:
            self.stdout.write(f"{filename}: already {document.exhibit_label}")
        self.stdout.write(f"Imported {path.name} into {target.slug}: {result.summary()}.")
