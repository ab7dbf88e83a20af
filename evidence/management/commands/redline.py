"""python manage.py redline --matter SLUG --source NAME [--from EXHIBIT] [--to EXHIBIT] --out FILE.pdf [--user USERNAME]

The redline PDF of two versions of a tracked source, as the redline page's "Download redline PDF" makes it
(evidence.tracked.comparison compares, evidence.tracked.redline_pdf prints): by default the last two versions in the
order the source changed; --from and --to name versions by exhibit number ("7") or label ("PX-7"), and two given in
the wrong order are compared from the earlier to the later. The same rules as the page apply: a member of the
matter, and for a privileged document one who may export privileged material. The redline is recorded in the access
log. Exit status: 0 written, 1 a version's file is not what was received (run verify_evidence) or its text cannot be
read, 2 unknown matter, source, exhibit or user, or fewer than two versions.
"""

from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from evidence.integrity import IntegrityFailure
from evidence.management.acting_user import acting_user, add_user_argument
from evidence.models import Matter
from evidence.permissions import require_role
from evidence.selectors_sources import source_versions, sources_for_matter
from evidence.services.access import access_source_redline_produced
from evidence.services.chain import chain_head
from evidence.tracked.comparison import chosen_versions, source_comparison
from evidence.tracked.redline_pdf import render_source_redline
from evidence.tracked.text import TextRefused

UNUSABLE = 2


class Command(BaseCommand):
    help = (
        "Write the redline PDF of two versions of a tracked source (default: the last two), insertions and deletions "
        "marked, both versions' SHA-256 on the first page. Exit status: 0 written, 1 a version's file fails its "
        "SHA-256 or its text cannot be read, 2 unknown matter, source, exhibit or user, or fewer than two versions."
    )

    def add_arguments(self, parser):
        parser.add_argument("--matter", required=True, help="The matter's slug.")
        parser.add_argument("--source", required=True, help="The tracked source's name, as its page shows it.")
        parser.add_argument("--from", dest="first", metavar="EXHIBIT", help="The earlier version's exhibit.")
        parser.add_argument("--to", dest="second", metavar="EXHIBIT", help="The later version's exhibit.")
        parser.add_argument("--out", required=True, help="The PDF file to write.")
        add_user_argument(parser)

    def handle(self, *args, matter, source, first, second, out, user, **options):
        who = acting_user(user, returncode=UNUSABLE)
        path = Path(out)
        if not path.parent.is_dir():
            raise CommandError(f"Cannot write {out}: no such folder.", returncode=UNUSABLE)
        found = Matter.objects.filter(slug=matter).first()
        try:
            if found is None:
                raise Http404
            require_role(who, found)
        except Http404:
            raise CommandError(f"No matter “{matter}” that {who} may see.", returncode=UNUSABLE) from None
        tracked = sources_for_matter(found).filter(name__iexact=source.strip()).first()
        if tracked is None:
            names = ", ".join(f"“{s.name}”" for s in sources_for_matter(found)) or "none"
            raise CommandError(
                f"No tracked source “{source}” in “{matter}” (its sources: {names}).", returncode=UNUSABLE
            )
        versions = source_versions(tracked)
        try:
            older, newer = chosen_versions(versions, first, second)
        except LookupError as error:
            listed = ", ".join(v.document.exhibit_label for v in versions) or "none"
            raise CommandError(f"{error} Versions of “{tracked.name}”: {listed}.", returncode=UNUSABLE) from None
        try:
            comparison = source_comparison(source=tracked, older=older, newer=newer, user=who, export=True)
        except PermissionDenied as error:
            raise CommandError(str(error), returncode=UNUSABLE) from None
        except (IntegrityFailure, TextRefused) as error:
            raise CommandError(str(error), returncode=1) from None
        content = render_source_redline(comparison, user=who, chain_head=chain_head(found).head_text)
        access_source_redline_produced(
            user=who, comparison=comparison, filename=path.name, content=content, via="redline command"
        )
        path.write_bytes(content)
        self.stdout.write(
            f"Wrote {path} ({len(content):,} bytes): {comparison.older.exhibit} to {comparison.newer.exhibit}, "
            f"{comparison.redline.summary}."
        )
