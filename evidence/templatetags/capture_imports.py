"""The "Import captures" box of a tracked source's page: its upload form and the source's latest capture imports."""

from django import template

from evidence.forms.source_captures import CaptureImportForm
from evidence.models import Job

register = template.Library()

SHOWN = 5


@register.inclusion_tag("evidence/sources/_import_captures.html", takes_context=True)
def capture_imports(context, source):
    """The form, for editors of a source that is not deleted, and the last SHOWN imports into it (any editor's)."""
    jobs = Job.objects.filter(matter=source.matter, kind=Job.Kind.IMPORT_CAPTURES, options__source=source.pk)
    return {
        "matter": source.matter,
        "source": source,
        "form": CaptureImportForm(),
        "jobs": list(jobs.order_by("-created_at", "-pk")[:SHOWN]),
        "csrf_token": context.get("csrf_token"),
    }
