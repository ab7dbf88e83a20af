from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Case Timeline administration"
admin.site.site_title = "Case Timeline"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("evidence.urls")),
]
