"""python manage.py verify_evidence [--matter SLUG]

Re-hashes every stored evidence file (evidence.integrity) and every edition's file and snapshot, and records each
document's result with its time, which the document page shows ("SHA-256 verified on …" or the integrity failure) and
which a download obeys. It acts as no one and takes no --user: the records are the system's own observations. Everything
found is printed, problems to stderr; it exits 1 when a file is missing, altered, unreadable or not a file, or when
something that is not a file sits where only files are stored. Unreferenced files are listed but are not problems.

It then walks each matter's history chain (evidence.services.chain): every history row (an event version's actors and
issues rows included) must still hash as it did when it was written, and every link follow the one before; the first
link of a matter that does not is named ("matter X: history chain broken at link N (Event actors history #id):
content changed"), as is a history row no link holds ("matter X: Event history #id is not in the history chain"),
and the command exits 1.
"""

from django.core.management.base import BaseCommand, CommandError

from evidence.integrity import verify_documents, verify_editions
from evidence.services.chain import verify_chains


class Command(BaseCommand):
    help = "Re-hash every stored evidence file, compare it with the SHA-256 recorded at intake, and record the result."

    def add_arguments(self, parser):
        parser.add_argument("--matter", help="Only this matter (slug).")

    def handle(self, *args, matter=None, **options):
        report = verify_documents(matter_slug=matter)
        editions = verify_editions(matter_slug=matter)
        report.checked += editions.checked
        report.problems += editions.problems
        for problem in report.problems:
            self.stderr.write(problem)
        for name in report.unreferenced:
            self.stdout.write(f"Unreferenced stored file (harmless; left from a rolled-back intake): {name}")
        chains = verify_chains(matter_slug=matter)
        for problem in chains.problems:
            self.stderr.write(problem)
        summary = (
            f"{report.checked} files checked, {len(report.problems)} problems. "
            f"{chains.checked} history links checked, {len(chains.problems)} chains broken."
        )
        if report.problems or chains.problems:
            raise CommandError(summary)
        self.stdout.write(self.style.SUCCESS(summary))
