# Matter archives: a Job kind for the archive built in the background, and an access-log kind for an archive made.

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("evidence", "0013_job_heartbeat"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="accessevent",
            name="access_event_kind_valid",
        ),
        migrations.AlterField(
            model_name="accessevent",
            name="kind",
            field=models.CharField(
                choices=[
                    ("view_document", "Viewed document page"),
                    ("view_file", "Viewed file"),
                    ("download_file", "Downloaded file"),
                    ("download_export", "Downloaded export"),
                    ("export", "Exported chronology"),
                    ("export_archive", "Exported matter archive"),
                ],
                max_length=20,
            ),
        ),
        migrations.AlterField(
            model_name="job",
            name="kind",
            field=models.CharField(
                choices=[
                    ("import_events", "Import events"),
                    ("preview_events", "Preview events import"),
                    ("import_documents", "Import documents"),
                    ("export", "Export chronology"),
                    ("archive", "Matter archive"),
                ],
                max_length=20,
            ),
        ),
        migrations.AddConstraint(
            model_name="accessevent",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "kind__in",
                        ["view_document", "view_file", "download_file", "download_export", "export", "export_archive"],
                    )
                ),
                name="access_event_kind_valid",
            ),
        ),
    ]
