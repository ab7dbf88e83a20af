import django.core.validators
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

CITATION_FORMS = [
    ("ex", "Ex. 3 at 4"),
    ("exhibit", "Exhibit 3 at 4"),
    ("label", "PX-3 at 4 (the matter's exhibit prefix)"),
]
CITATION_FORM_HELP = "How the filing version and the filing package name an exhibit and its pinpoint."
LIMIT_HELP = "The largest PDF the court's e-filing system accepts; larger exhibits are split into parts."
SIGNATURE_HELP = (
    "One line each, as it should print: “/s/ Jane Doe”, “Jane Doe (SBN 123456)”, the firm, its address, "
    "“Attorneys for Plaintiff”."
)


def settings_fields():
    return [
        (
            "citation_form",
            models.CharField(choices=CITATION_FORMS, default="ex", help_text=CITATION_FORM_HELP, max_length=10,
                             verbose_name="citations in the filing version"),
        ),
        (
            "file_limit_mb",
            models.PositiveIntegerField(
                default=35, help_text=LIMIT_HELP, verbose_name="court's file size limit (MB)",
                validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(1000)],
            ),
        ),
        ("signature_block", models.TextField(blank=True, help_text=SIGNATURE_HELP, verbose_name="attorney signature block")),
    ]  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [
        ("evidence", "0018_event_number"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="event",
            name="number",
            field=models.PositiveIntegerField(editable=False),
        ),
        migrations.AddConstraint(
            model_name="event",
            constraint=models.UniqueConstraint(fields=("matter", "number"), name="event_unique_number_per_matter"),
        ),
        migrations.AddConstraint(
            model_name="event",
            constraint=models.CheckConstraint(condition=models.Q(("number__gte", 1)), name="event_number_positive"),
        ),
        migrations.CreateModel(
            name="FilingSettings",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                *settings_fields(),
                (
                    "matter",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="filing_settings",
                        to="evidence.matter",
                    ),
                ),
            ],
            options={"verbose_name": "filing settings", "verbose_name_plural": "filing settings"},
        ),
        migrations.CreateModel(
            name="HistoricalFilingSettings",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                *settings_fields(),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.TextField(null=True)),
                (
                    "history_type",
                    models.CharField(choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "matter",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="evidence.matter",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical filing settings",
                "verbose_name_plural": "historical filing settings",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.AddConstraint(
            model_name="filingsettings",
            constraint=models.CheckConstraint(
                condition=models.Q(("citation_form__in", ["ex", "exhibit", "label"])), name="filing_citation_form_valid"
            ),
        ),
        migrations.AddConstraint(
            model_name="filingsettings",
            constraint=models.CheckConstraint(
                condition=models.Q(("file_limit_mb__gte", 1), ("file_limit_mb__lte", 1000)),
                name="filing_file_limit_range",
            ),
        ),
    ]
