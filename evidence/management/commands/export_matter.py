"""python manage.py export_matter --matter SLUG --out FILE.zip [--user USERNAME]

The whole matter in one ZIP (see evidence.archive): every record with its history as JSON, every stored file under
its SHA-256, and a manifest of their hashes. Only an owner of the matter may (as on the matter's page); the archive
is recorded in the matter's access log. Exit status: 0 written, 1 not written (a stored file missing or altered:
run verify_evidence), 2 unknown matter or user, or a user who is not its owner.
"""

from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from evidence.archive import ArchiveError, archive_export, counted
from evidence.management.acting_user import acting_user, add_user_argument
from evidence.models import Matter

UNUSABLE = 2


class Command(BaseCommand):
    help = (
        "Write a matter's archive: every record and version as JSON, every stored file under its SHA-256, and a "
        "manifest of their hashes. Exit status: 0 done, 1 not written (a stored file missing or altered), 2 unknown "
        "matter or user, or not the matter's owner."
    )

    def add_arguments(self, parser):
        parser.add_argument("--matter", required=True, help="The matter's slug.")
        parser.add_argument("--out", required=True, help="The ZIP file to write.")
        add_user_argument(parser)

    def handle(self, *args, matter, out, user, **options):
        who = acting_user(user, returncode=UNUSABLE)
        target = Matter.objects.filter(slug=matter).first()
        path = Path(out)
        if not path.parent.is_dir():
            raise CommandError(f"Cannot write {out}: no such folder.", returncode=UNUSABLE)
        verbosity = options.get("verbosity", 1)

        def progress(stage, done, total):
            if verbosity >= 2:
                self.stderr.write(f"{stage}: {done}/{total}")

        try:
            if target is None:
                raise Http404
            made = archive_export(matter=target, user=who, path=path, via="export_matter command", progress=progress)
        except (Http404, PermissionDenied):
            raise CommandError(f"No matter “{matter}” that {who} owns.", returncode=UNUSABLE) from None
        except ArchiveError as error:
            raise CommandError(str(error), returncode=1) from None
        counts = made.written.counts
        self.stdout.write(
            f"Wrote {path} ({made.size:,} bytes): "
            f"{counted(counts, 'events', 'documents', 'citations', 'history_rows', 'files')} "
            f"({counts.get('file_bytes', 0):,} bytes)."
        )
        self.stdout.write(f"History chain head: {made.written.chain_head}")
        self.stdout.write(f"Manifest SHA-256: {made.written.manifest_sha256}")
        self.stdout.write(f"Archive SHA-256:  {made.sha256}")
