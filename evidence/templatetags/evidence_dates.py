"""{% load evidence_dates %}: a moment of the record (a version saved, a document received, an invitation's expiry)
written as every date of the chronology is written (evidence.dates):
`{{ record.history_date|instant:matter.time_zone }}` gives "Sept 18, 2024, 9:30 AM PDT", `|day:matter.time_zone`
"Sept 18, 2024". Django's own `date` filter writes "Sep" and the server's idea of a zone name; a chronology must
write one instant one way everywhere."""

from django import template

from evidence import dates
from evidence.dates import zones

register = template.Library()


@register.filter
def instant(moment, zone: str = "UTC") -> str:
    return dates.display_instant(moment, zone or "UTC") if moment else ""


@register.filter
def day(moment, zone: str = "UTC") -> str:
    if not moment:
        return ""
    return dates.display_day(moment.astimezone(zones.tzinfo(zone or "UTC")).date())
