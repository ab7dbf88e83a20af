"""python manage.py reap_jobs

Marks failed, with the reason, every export or import whose worker stopped without finishing it (no progress for
JOB_STALE_AFTER seconds), and fails its task result. The job pages do the same for the job they show; this command is
for the worker's service unit (deploy/casetimeline-worker.service) or a timer. Safe to run any time, on any host.
"""

from django.core.management.base import BaseCommand

from evidence.services.jobs import jobs_reap_stale


class Command(BaseCommand):
    help = "Mark failed the exports and imports whose worker stopped without finishing them."

    def handle(self, *args, **options):
        self.stdout.write(f"Jobs marked failed because their worker stopped: {jobs_reap_stale()}.")
