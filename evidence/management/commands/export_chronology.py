"""python manage.py export_chronology --matter SLUG --out FILE [filters] [--user USERNAME]

A thin wrapper over evidence.exporting.export_chronology, which the export page and background jobs call too; the
service checks that the acting user may read the matter.
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from evidence.exporting import FORMATS, PAPERS, ExportOptions, export_chronology
from evidence.management.acting_user import acting_user, add_user_argument
from evidence.models import EventKind, Matter
from evidence.selectors import TimelineFilters, parse_date_bound


class Command(BaseCommand):
    help = "Export a matter's chronology as a court-ready PDF, or as CSV, XLSX or Word."

    def add_arguments(self, parser):
        parser.add_argument("--matter", required=True, help="The matter's slug.")
        parser.add_argument("--out", required=True, help="The file to write.")
        parser.add_argument("--format", choices=FORMATS, help="Default: from the file's extension, else pdf.")
        parser.add_argument("--from", dest="date_from", default="", help="A partial date: 'Aug 2024' means Aug 1.")
        parser.add_argument("--to", dest="date_to", default="", help="A partial date: 'Aug 2024' means Aug 31.")
        parser.add_argument("--kind", action="append", default=[], choices=EventKind.values, help="Repeatable.")
        parser.add_argument("--issue", action="append", default=[], help="An issue tag; repeatable.")
        parser.add_argument("--key-only", action="store_true")
        parser.add_argument("--include-privileged", action="store_true", help="Include privileged events, marked.")
        parser.add_argument("--embed-exhibits", action="store_true", help="Attach each cited exhibit to the PDF.")
        parser.add_argument("--paper", choices=PAPERS, default="letter")
        add_user_argument(parser)

    def handle(self, *args, matter, out, format, date_from, date_to, kind, issue, key_only, include_privileged,
               embed_exhibits, paper, user, **options):  # fmt: skip
        matter_obj = Matter.objects.filter(slug=matter).first()
        if matter_obj is None:
            raise CommandError(f"No matter with the slug {matter!r}.")
        account = acting_user(user)
        out_path = Path(out)
        fmt = format or (
            out_path.suffix.lstrip(".").lower() if out_path.suffix.lstrip(".").lower() in FORMATS else "pdf"
        )
        try:
            filters = TimelineFilters(
                date_from=parse_date_bound(date_from, end=False),
                date_to=parse_date_bound(date_to, end=True),
                kinds=tuple(kind),
                issues=tuple(issue),
                key_only=key_only,
                include_privileged=include_privileged,
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        options_ = ExportOptions(format=fmt, filters=filters, embed_exhibits=embed_exhibits, paper=paper)
        if embed_exhibits and fmt != "pdf":
            self.stderr.write("--embed-exhibits applies to PDF only; ignored.")

        verbosity = options.get("verbosity", 1)

        def progress(done, total):
            if verbosity >= 2:
                self.stderr.write(f"{done}/{total}")

        result = export_chronology(matter=matter_obj, user=account, options=options_, progress=progress)
        out_path.write_bytes(result.content)
        self.stdout.write(self.style.SUCCESS(f"Wrote {out_path} ({len(result.content):,} bytes, {fmt})."))
