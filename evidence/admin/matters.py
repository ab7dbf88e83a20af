"""The admin of matters and their members."""

from django.contrib import admin

from evidence.admin.base import MatterScopedAdmin, _become
from evidence.models import Matter, Membership, Role
from evidence.permissions import matters_for
from evidence.services.matters import matter_create


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Matter)
class MatterAdmin(MatterScopedAdmin):
    matter_path = "pk"
    edit_role = Role.OWNER
    list_display = ["short_title", "slug", "case_number", "court", "time_zone", "created_at"]
    search_fields = ["short_title", "slug", "case_number", "court", "parties"]
    prepopulated_fields = {"slug": ["short_title"]}
    inlines = [MembershipInline]

    def get_queryset(self, request):
        qs = super(MatterScopedAdmin, self).get_queryset(request)
        return qs if request.user.is_superuser else qs.filter(pk__in=matters_for(request.user))

    def _matter_of(self, obj):
        return obj

    def has_delete_permission(self, request, obj=None):
        return False  # a matter holds evidence; it is archived, not deleted

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        fields = {f: form.cleaned_data[f] for f in form.cleaned_data if f not in {"slug", "short_title"}}
        created = matter_create(
            user=request.user, slug=form.cleaned_data["slug"], short_title=form.cleaned_data["short_title"], **fields
        )
        _become(obj, created)


@admin.register(Membership)
class MembershipAdmin(MatterScopedAdmin):
    edit_role = Role.OWNER
    list_display = ["user", "matter", "role"]
    list_filter = ["matter", "role"]
    search_fields = ["user__username", "user__email", "matter__short_title"]
    autocomplete_fields = ["user"]
