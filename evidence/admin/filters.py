"""List filters that offer only what the user may see: Django's related-field filter lists every matter's title."""

from django.contrib import admin

from evidence.admin.scope import matters_with_role


class MatterFilter(admin.SimpleListFilter):
    """The user's matters. The parameter keeps Django's name, so links such as ?matter__id__exact=3 go on working."""

    title = "matter"
    parameter_name = "matter__id__exact"

    def __init__(self, request, params, model, model_admin):
        self.model_admin = model_admin
        super().__init__(request, params, model, model_admin)

    def lookups(self, request, model_admin):
        matters = matters_with_role(request.user, model_admin.view_role).order_by("short_title")
        return [(str(m.pk), str(m)) for m in matters]  # str(): the title with its bidi controls written out

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        if not value.isdigit():
            return queryset.none()
        # The admin's queryset is already the user's matters: another matter's id finds nothing.
        return queryset.filter(**{f"{self.model_admin.matter_path}__pk": int(value)})


class DeletedFilter(admin.SimpleListFilter):
    title = "deleted"
    parameter_name = "deleted"

    def lookups(self, request, model_admin):
        return [("no", "Not deleted"), ("yes", "Deleted (restorable)")]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(deleted_at__isnull=True)
        if self.value() == "yes":
            return queryset.filter(deleted_at__isnull=False)
        return queryset
