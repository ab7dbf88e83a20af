"""python manage.py import_captures FILE.warc|FILE.wacz|FILE.zip --matter SLUG --source NAME [--user/--as USERNAME]

The captures of a tracked source, each a document and a version of the source (see evidence.services.captures), all
or none, through the same service as the source page's upload. Exit status: 0 imported, 1 invalid manifest rows
(each printed; nothing written), 2 unusable input (unreadable, damaged, truncated or oversized file, unknown matter,
source or user).
"""

from datetime import UTC
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from evidence.importing import UnusableInputError
from evidence.management.acting_user import USER_HELP, acting_user, editable_matter
from evidence.management.commands.import_events import INVALID_ROWS, UNUSABLE
from evidence.models import TrackedSource
from evidence.services.captures import captures_import


class Command(BaseCommand):
    help = (
        "Import the captures of a tracked source from a web archive (WARC, WARC.gz, WACZ: the archived responses for "
        "the source's URL) or a ZIP of files with a manifest.csv; each becomes a document and a version (all or "
        "none). Exit status: 0 done, 1 invalid manifest rows (nothing written), 2 unusable file, matter, source or "
        "user."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE")
        parser.add_argument("--matter", required=True, help="The matter's slug.")
        parser.add_argument("--source", required=True, help="The tracked source's name, as on its page.")
        parser.add_argument("--user", "--as", dest="user", metavar="USERNAME", help=USER_HELP)

    def handle(self, *args, file, matter, source, user, **options):
        who = acting_user(user, returncode=UNUSABLE)
        target = editable_matter(matter, who, returncode=UNUSABLE)
        tracked = TrackedSource.objects.alive().filter(matter=target, name=source).first()
        if tracked is None:
            names = ", ".join(f"“{n}”" for n in target.tracked_sources.alive().values_list("name", flat=True))
            raise CommandError(f"No tracked source “{source}” in {target.slug} (its sources: {names or 'none'}).",
                               returncode=UNUSABLE)  # fmt: skip
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Cannot import: Cannot read {file}: no such file.", returncode=UNUSABLE)
        try:
            result = captures_import(source=tracked, path=path, user=who, name=path.name)
        except UnusableInputError as error:
            raise CommandError(f"Cannot import: {error}", returncode=UNUSABLE) from error
        for notice in result.notices:
            self.stdout.write(f"Note: {notice}")
        if result.errors:
            for error in sorted(result.errors, key=lambda e: e.row):
                where = f"Manifest row {error.row}, column “{error.column}”: " if error.row else ""
                self.stderr.write(f"{where}{error.reason}")
            raise CommandError("Nothing was written.", returncode=INVALID_ROWS)
        for version in result.added:
            document = version.document
            when = version.captured_at
            captured = f"  captured {when.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC" if when else ""
            self.stdout.write(f"{document.exhibit_label}  {document.title}{captured}  SHA-256 {document.sha256}")
        self.stdout.write(f"Imported {path.name} into “{tracked.name}” ({target.slug}): {result.summary()}.")
