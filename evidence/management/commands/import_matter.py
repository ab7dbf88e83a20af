"""python manage.py import_matter FILE.zip [--slug NEW] [--user USERNAME] [--manifest-sha256 HEX]

Restores a matter from an archive written by export_matter (see evidence.archive): every entry's SHA-256 and the
manifest's own are checked before anything is written, then everything is restored in one transaction, with new ids,
the same exhibit numbers and the history kept as history, linked into the new matter's history chain. The acting
user must be allowed to create matters; they become an owner unless the archive makes them one already. Exit
status: 0 restored, 1 refused (an entry altered, added or missing, or records that do not hold together), 2 unusable
(unreadable or unsafe ZIP, not an archive, the slug taken, unknown user). Nothing is written unless it exits 0.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from evidence.archive import ArchiveRefused, archive_import, counted
from evidence.importing import UnusableInputError
from evidence.management.acting_user import acting_user, add_user_argument

REFUSED = 1
UNUSABLE = 2


class Command(BaseCommand):
    help = (
        "Restore a matter from an archive written by export_matter (all or nothing, every hash checked first). Exit "
        "status: 0 done, 1 refused (altered or inconsistent archive), 2 unusable archive, slug taken, unknown user."
    )

    def add_arguments(self, parser):
        parser.add_argument("zip")
        parser.add_argument("--slug", help="The restored matter's slug (default: the archived one).")
        parser.add_argument(
            "--manifest-sha256", metavar="HEX",
            help="The manifest SHA-256 export_matter printed: refuse any other archive.",
        )  # fmt: skip
        add_user_argument(parser)

    def handle(self, *args, zip, slug, manifest_sha256, user, **options):
        who = acting_user(user, returncode=UNUSABLE)
        path = Path(zip)
        if not path.is_file():
            raise CommandError(f"Cannot import: Cannot read {zip}: no such file.", returncode=UNUSABLE)
        verbosity = options.get("verbosity", 1)

        def progress(stage, done, total):
            if verbosity >= 2:
                self.stderr.write(f"{stage}: {done}/{total}")

        try:
            restored = archive_import(
                path, name=path.name, slug=slug, user=who, manifest_sha256=manifest_sha256, progress=progress
            )
        except UnusableInputError as error:
            raise CommandError(f"Cannot import: {error}", returncode=UNUSABLE) from None
        except ArchiveRefused as error:
            raise CommandError(f"Refused: {error}", returncode=REFUSED) from None
        for username in restored.missing_members:
            self.stdout.write(f"Note: member “{username}” has no account here and was not restored as a member.")
        for username in restored.missing_users:
            self.stdout.write(
                f"Note: “{username}” has no account here; the history rows they wrote name them in their reasons."
            )
        counts = restored.counts
        self.stdout.write(
            f"Restored {path.name} as {restored.matter.slug}: "
            f"{counted(counts, 'events', 'documents', 'citations', 'history_rows')}; "
            f"{counted({'files': restored.files_stored}, 'files')} stored."
        )
        self.stdout.write(f"History chain: {restored.links_checked:,} links checked, head {restored.chain_head}.")
