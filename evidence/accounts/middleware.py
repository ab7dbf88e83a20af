"""Middleware: the second factor enforced on every page (the admin's included), and no-store for signed-in pages."""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse

from evidence.accounts.twofactor import has_two_factor

# Whether the signed-in user has an app in force is kept in the session, so that pages cost no extra query; it is
# read again every RECHECK_SECONDS, so a session opened before the user turned two-factor on elsewhere is soon asked
# for a code too.
REQUIRED_KEY = "two_factor_required"
CHECKED_KEY = "two_factor_checked"
RECHECK_SECONDS = 300

# The pages a signed-in user can reach before giving the code. Under REQUIRE_2FA, a user without an app in force may
# also reach the two-factor page, to enrol.
EXEMPT_URL_NAMES = ("login", "login_code", "logout")


@receiver(user_logged_in, dispatch_uid="evidence.accounts.two_factor_flag")
def _remember_two_factor(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[REQUIRED_KEY] = has_two_factor(user)
        request.session[CHECKED_KEY] = time.time()


def two_factor_required(request) -> bool:
    """Whether the signed-in user has an authenticator app in force (from the session, re-read now and then)."""
    session = request.session
    if time.time() - session.get(CHECKED_KEY, 0) > RECHECK_SECONDS:
        session[REQUIRED_KEY] = has_two_factor(request.user)
        session[CHECKED_KEY] = time.time()
    return bool(session.get(REQUIRED_KEY))


def two_factor_forget(request, *, required: bool) -> None:
    """Record a change made in this session (enrolled, or turned off)."""
    request.session[REQUIRED_KEY] = required
    request.session[CHECKED_KEY] = time.time()


class TwoFactorMiddleware:
    """A signed-in user with an app in force who has not given a code in this session (for instance after the
    admin's own password-only login) is sent to the code page; under REQUIRE_2FA, a user without one is sent to
    enrol. Needs django-otp's OTPMiddleware before it."""

    def __init__(self, get_response):
        self.get_response = get_response
        self._exempt = None

    def __call__(self, request):
        return self._redirect(request) or self.get_response(request)

    def _redirect(self, request):
        user = request.user
        if not user.is_authenticated or user.is_verified() or self._is_exempt(request.path_info):
            return None
        back = urlencode({"next": request.get_full_path()})
        if two_factor_required(request):
            return redirect(f"{reverse('login_code')}?{back}")
        if settings.REQUIRE_2FA and request.path_info != reverse("two_factor"):
            return redirect(f"{reverse('two_factor')}?{back}")
        return None

    def _is_exempt(self, path: str) -> bool:
        if self._exempt is None:
            self._exempt = {reverse(name) for name in EXEMPT_URL_NAMES}
        return path in self._exempt or path.startswith("/" + settings.STATIC_URL.lstrip("/"))


class PrivateNoStoreMiddleware:
    """`Cache-Control: private, no-store` on every matter page and file, and on anything sent to a signed-in user:
    a shared or browser cache must not keep case material after the user has gone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if request.path_info.startswith("/m/") or (user is not None and user.is_authenticated):
            response["Cache-Control"] = "private, no-store"
        return response
