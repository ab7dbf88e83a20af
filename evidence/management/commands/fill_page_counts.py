"""python manage.py fill_page_counts [--matter SLUG]

Reads the page count of each PDF taken in before intake kept page counts (evidence.services.documents
.documents_page_count_fill), so that a pinpoint past its last page is warned about for those exhibits too. Each file is
hashed before it is read and parsed in a child process under the import readers' limits. Safe to run again: only PDFs
without a count are read. It acts as no one and takes no --user: a page count is read from the file, not a change
anyone makes, and writes no version. PDFs that give no count are listed; they are not an error.
"""

from django.core.management.base import BaseCommand

from evidence.services.documents import documents_page_count_fill


class Command(BaseCommand):
    help = "Read the page count of every PDF that has none yet (documents taken in before page counts were kept)."

    def add_arguments(self, parser):
        parser.add_argument("--matter", help="Only this matter (slug).")

    def handle(self, *args, matter=None, **options):
        report = documents_page_count_fill(matter_slug=matter)
        for line in report.unknown:
            self.stdout.write(f"No page count: {line}")
        self.stdout.write(
            self.style.SUCCESS(f"Page counts read: {report.counted}. PDFs without a page count: {len(report.unknown)}.")
        )
