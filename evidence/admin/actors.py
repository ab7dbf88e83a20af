"""The admin of a matter's actors and issues: added and renamed through their services, never deleted (events and
their history refer to them)."""

from django.contrib import admin

from evidence.admin.base import MatterFilter, MatterScopedAdmin
from evidence.forms.admin import ActorAdminForm, IssueAdminForm
from evidence.models import Actor, Issue
from evidence.services.actors import actor_create, actor_update, issue_create, issue_update


@admin.register(Actor)
class ActorAdmin(MatterScopedAdmin):
    form = ActorAdminForm
    list_display = ["name", "kind", "matter"]
    list_filter = [MatterFilter, "kind"]
    search_fields = ["name"]
    list_select_related = ["matter"]
    history_fields = ["matter", "name", "kind"]

    def write(self, request, form, formsets, change):
        values = form.values(["name", "kind"])
        if change:
            return actor_update(actor=form.instance, user=request.user, reason=self.reason(form), **values)
        return actor_create(matter=form.cleaned_data["matter"], user=request.user, reason=self.reason(form), **values)


@admin.register(Issue)
class IssueAdmin(MatterScopedAdmin):
    form = IssueAdminForm
    list_display = ["name", "matter"]
    list_filter = [MatterFilter]
    search_fields = ["name"]
    list_select_related = ["matter"]
    history_fields = ["matter", "name"]

    def write(self, request, form, formsets, change):
        name = form.cleaned_data["name"]
        if change:
            return issue_update(issue=form.instance, user=request.user, reason=self.reason(form), name=name)
        return issue_create(matter=form.cleaned_data["matter"], user=request.user, reason=self.reason(form), name=name)
