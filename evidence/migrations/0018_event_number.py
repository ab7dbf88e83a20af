"""Each event gets its own number in its matter (Event.number), which the filing and internal versions of the
chronology print. Existing events are numbered 1, 2, 3… per matter in their chronological order (deleted events
included, since they keep theirs when restored), and each matter's counter is set to its last number. The column is
made required, and unique per matter, in 0019 (PostgreSQL does not alter a table with updates pending in the same
transaction)."""

from django.db import migrations, models


def number_events(apps, schema_editor):
    Matter = apps.get_model("evidence", "Matter")
    Event = apps.get_model("evidence", "Event")
    for matter_id in Matter.objects.values_list("pk", flat=True):
        events = list(Event.objects.filter(matter_id=matter_id).order_by("date_sort", "order", "id").only("pk"))
        for number, event in enumerate(events, start=1):
            event.number = number
        Event.objects.bulk_update(events, ["number"], batch_size=1000)
        Matter.objects.filter(pk=matter_id).update(last_event_number=len(events))


class Migration(migrations.Migration):
    dependencies = [("evidence", "0017_search")]

    operations = [
        migrations.AddField(
            model_name="matter",
            name="last_event_number",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.AddField(
            model_name="event",
            name="number",
            field=models.PositiveIntegerField(null=True, editable=False),
        ),
        migrations.RunPython(number_events, migrations.RunPython.noop, elidable=False),
    ]
