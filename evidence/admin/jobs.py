"""The admin of background jobs: read only, scoped to the user's matters."""

from django.contrib import admin

from evidence.admin.filters import MatterFilter
from evidence.admin.scope import MatterScopeMixin
from evidence.models import Job


@admin.register(Job)
class JobAdmin(MatterScopeMixin, admin.ModelAdmin):
    edit_role = None  # written by the imports and exports that run them, never here
    list_display = ["kind", "matter", "user", "state", "progress", "total", "created_at", "finished_at"]
    list_filter = [MatterFilter, "kind", "state"]
    readonly_fields = [f.name for f in Job._meta.fields]
    list_select_related = ["matter", "user"]
