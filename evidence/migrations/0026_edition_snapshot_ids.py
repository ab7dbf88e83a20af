"""An edition restored from a matter archive: the ids its snapshot gives events and documents, mapped to theirs here."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("evidence", "0025_actor_and_issue_details"),
    ]

    operations = [
        migrations.AddField(
            model_name="edition",
            name="snapshot_ids",
            field=models.JSONField(blank=True, default=dict, editable=False),
        ),
    ]
