"""The admin of matters and their members. A matter's settings and members are its owners' to change; a member is
added, re-roled and removed through the membership services, which keep at least one owner."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse

from evidence.accounts.creators import may_create_matters
from evidence.admin.base import MatterFilter, MatterScopedAdmin, MatterScopedInline, MatterScopeMixin
from evidence.forms.admin import MatterAdminForm, MembershipAdminForm, MembershipInlineForm
from evidence.models import Matter, Membership, Role
from evidence.services.matters import matter_create, matter_update, membership_remove, membership_set

MATTER_FIELDS = MatterAdminForm.Meta.fields


class MembershipInline(MatterScopedInline, admin.TabularInline):
    model = Membership
    form = MembershipInlineForm
    parent_matter_path = "pk"
    view_role = edit_role = Role.OWNER
    extra = 0
    fields = ["user", "role"]


@admin.register(Matter)
class MatterAdmin(MatterScopedAdmin):
    form = MatterAdminForm
    matter_path = "pk"
    edit_role = Role.OWNER
    list_display = ["short_title", "slug", "case_number", "court", "time_zone", "created_at"]
    search_fields = ["short_title", "slug", "case_number", "court", "parties"]
    inlines = [MembershipInline]
    history_fields = MATTER_FIELDS

    def has_add_permission(self, request):
        # Whoever opens a matter becomes its owner: no role in another matter is needed, only the model permission
        # and the rule the pages apply (MATTER_CREATORS).
        return super(MatterScopeMixin, self).has_add_permission(request) and may_create_matters(request.user)

    def get_prepopulated_fields(self, request, obj=None):
        # Not the class attribute: simple-history's read-only version page would look for an editable slug field.
        return {"slug": ["short_title"]} if obj is None else {}

    def get_inlines(self, request, obj):
        return self.inlines if obj else []

    def write(self, request, form, formsets, change):
        reason = self.reason(form)
        values = form.values(MATTER_FIELDS)
        if not change:
            return matter_create(user=request.user, reason=reason, **values)
        matter = Matter.objects.get(pk=form.instance.pk)
        if form.changed_fields():
            matter = matter_update(matter=matter, user=request.user, reason=reason, **values)
        for formset in formsets:
            self._write_members(request, formset, matter, reason)
        return matter

    def _write_members(self, request, formset, matter, reason):
        """New owners first, removals last: a matter handed from one owner to another never has none between."""
        rows = [f for f in formset.forms if f.has_changed() or formset._should_delete_form(f)]
        kept = [f for f in rows if not formset._should_delete_form(f)]
        for row in sorted(kept, key=lambda f: f.cleaned_data["role"] != Role.OWNER):
            member = row.cleaned_data["user"]
            role = Role(row.cleaned_data["role"])
            membership_set(matter=matter, user=request.user, member=member, role=role, reason=reason)
        for row in rows:
            if formset._should_delete_form(row) and row.instance.pk:
                membership_remove(matter=matter, user=request.user, member=row.instance.user, reason=reason)


@admin.register(Membership)
class MembershipAdmin(MatterScopedAdmin):
    form = MembershipAdminForm
    view_role = edit_role = delete_role = Role.OWNER
    actions = ["remove_members"]
    list_display = ["user", "matter", "role"]
    list_filter = [MatterFilter, "role"]
    search_fields = ["user__username", "user__email", "matter__short_title"]
    list_select_related = ["user", "matter"]
    history_fields = ["matter", "user", "role"]

    def write(self, request, form, formsets, change):
        data = form.cleaned_data
        return membership_set(
            matter=data["matter"], user=request.user, member=data["user"], role=Role(data["role"]),
            reason=self.reason(form),
        )  # fmt: skip

    def delete_model(self, request, obj):
        membership_remove(matter=obj.matter, user=request.user, member=obj.user, reason="removed in admin")

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except ValidationError as error:  # the last owner: nothing was removed
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return HttpResponseRedirect(reverse("admin:evidence_membership_change", args=[object_id]))

    @admin.action(description="Remove selected members (kept in history)", permissions=["delete"])
    def remove_members(self, request, queryset):
        self.run_action(
            request,
            queryset.select_related("matter", "user"),
            verb="removed",
            permitted=self.has_delete_permission,
            call=lambda m, reason: membership_remove(matter=m.matter, user=request.user, member=m.user, reason=reason),
        )
