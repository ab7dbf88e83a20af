from django.contrib import admin
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path

from evidence.views import accounts, api_tokens, health

admin.site.site_header = "Case Timeline administration"
admin.site.site_title = "Case Timeline"

urlpatterns = [
    # Probes for load balancers, open over plain HTTP (settings.SECURE_REDIRECT_EXEMPT names them).
    path("healthz", health.healthz, name="healthz"),
    path("livez", health.livez, name="livez"),
    # Browsers ask for /favicon.ico wherever a page names no icon (a PDF opened in a tab, the admin's old pages).
    path("favicon.ico", lambda request: redirect(static("favicon.svg"))),
    path("admin/", admin.site.urls),
    # Before django.contrib.auth's own: the login page with its second step, and the two-factor settings.
    path("accounts/login/", accounts.LoginView.as_view(), name="login"),
    path("accounts/login/code", accounts.login_code, name="login_code"),
    path("accounts/two-factor/", accounts.two_factor, name="two_factor"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("accounts/api-tokens/", api_tokens.api_tokens, name="api_tokens"),
    path("invitations/<str:token>", accounts.invitation, name="invitation_accept"),
    path("api/", include("evidence.api.urls")),
    path("", include("evidence.urls")),
]
