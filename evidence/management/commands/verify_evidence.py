"""python manage.py verify_evidence [--matter SLUG]

Re-hashes every stored evidence file (evidence.integrity) and records each result with its time, which the document
page shows ("SHA-256 verified on …" or the integrity failure) and which a download obeys. It acts as no one and takes
no --user: the records are the system's own observations. Everything found is printed, problems to stderr; it exits 1
when a file is missing, altered, unreadable or not a file, or when something that is not a file sits where only
files are stored. Unreferenced files are listed but are not problems.
"""

from django.core.management.base import BaseCommand, CommandError

from evidence.integrity import verify_documents


class Command(BaseCommand):
    help = "Re-hash every stored evidence file, compare it with the SHA-256 recorded at intake, and record the result."

    def add_arguments(self, parser):
        parser.add_argument("--matter", help="Only this matter (slug).")

    def handle(self, *args, matter=None, **options):
        report = verify_documents(matter_slug=matter)
        for problem in report.problems:
            self.stderr.write(problem)
        for name in report.unreferenced:
            self.stdout.write(f"Unreferenced stored file (harmless; left from a rolled-back intake): {name}")
        summary = f"{report.checked} files checked, {len(report.problems)} problems."
        if report.problems:
            raise CommandError(summary)
        self.stdout.write(self.style.SUCCESS(summary))
