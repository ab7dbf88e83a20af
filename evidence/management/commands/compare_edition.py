"""python manage.py compare_edition --matter SLUG --edition N [--against M] --out FILE.pdf [--user USERNAME]

The redline of the matter's chronology now (or of its edition M) against its edition N (the numbers the export page
lists), as the compare page's "Download redline PDF" makes it: evidence.editions.reading compares,
evidence.editions.redline prints. The same rules apply: a member of the matter, and for an edition that took
privileged events in, one who may export them. The redline is recorded in the access log. Exit status: 0 written,
1 an edition's snapshot is not what was kept (run verify_evidence), 2 unknown matter, edition or user, or one the
user may not see.
"""

from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from evidence.editions.reading import edition_comparison
from evidence.editions.redline import redline_filename, render_redline
from evidence.integrity import IntegrityFailure
from evidence.management.acting_user import acting_user, add_user_argument
from evidence.models import Edition
from evidence.services.access import access_redline_produced

UNUSABLE = 2


class Command(BaseCommand):
    help = (
        "Write the redline PDF of a matter's chronology now against one of its editions: each event added, removed "
        "or changed since, with insertions and deletions marked. Exit status: 0 written, 1 the edition's snapshot "
        "fails its SHA-256, 2 unknown matter, edition or user."
    )

    def add_arguments(self, parser):
        parser.add_argument("--matter", required=True, help="The matter's slug.")
        parser.add_argument(
            "--edition", required=True, type=int, help="The edition's number, as the export page lists it."
        )
        parser.add_argument(
            "--against", type=int, help="Compare with this later edition instead of the chronology now."
        )
        parser.add_argument("--out", required=True, help="The PDF file to write.")
        add_user_argument(parser)

    def handle(self, *args, matter, edition, against, out, user, **options):
        who = acting_user(user, returncode=UNUSABLE)
        path = Path(out)
        if not path.parent.is_dir():
            raise CommandError(f"Cannot write {out}: no such folder.", returncode=UNUSABLE)
        editions = Edition.objects.select_related("matter").filter(matter__slug=matter)
        kept = editions.filter(number=edition).first()
        other = editions.filter(number=against).first() if against is not None else None
        try:
            if kept is None:
                raise Http404
            if against is not None and (other is None or against == edition):
                raise CommandError(f"No other edition {against} of “{matter}” to compare with.", returncode=UNUSABLE)
            comparison = edition_comparison(edition=kept, user=who, against=other)
        except (Http404, PermissionDenied):
            number = edition if kept is None or against is None else f"{edition} or {against}"
            raise CommandError(
                f"No edition {number} of a matter “{matter}” that {who} may see.", returncode=UNUSABLE
            ) from None
        except IntegrityFailure as failure:
            raise CommandError(str(failure), returncode=1) from None
        content = render_redline(comparison)
        filename = redline_filename(comparison)
        access_redline_produced(
            user=who, edition=kept, filename=filename, content=content, via="compare_edition command"
        )
        path.write_bytes(content)
        self.stdout.write(f"Wrote {path} ({len(content):,} bytes): {comparison.changes.summary}.")
