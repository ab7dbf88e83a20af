"""The admin of background jobs: read only, scoped to the user's matters."""

from django.contrib import admin

from evidence.models import Job
from evidence.permissions import matters_for


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["kind", "matter", "user", "state", "progress", "total", "created_at", "finished_at"]
    list_filter = ["kind", "state"]
    readonly_fields = [f.name for f in Job._meta.fields]

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs if request.user.is_superuser else qs.filter(matter__in=matters_for(request.user))

    def has_add_permission(self, request):
        return False
