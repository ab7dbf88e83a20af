"""Logging in (password, then a code when the user has two-factor on), the two-factor page, accepting an invitation.

Failed passwords are counted by django-axes through authenticate(); a wrong code here is reported to it as a failed
login too (user_login_failed), so the same lockout covers both steps.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from evidence.accounts import twofactor
from evidence.accounts.lockout import lockout_response
from evidence.accounts.middleware import two_factor_forget
from evidence.forms.accounts import CodeForm, EnrolConfirmForm, PasswordConfirmForm
from evidence.services.invitations import InvitationUnusable, invitation_accept, invitation_check, invitation_for_token
from evidence.text import sentence


class LoginView(auth_views.LoginView):
    """Django's login page; a user with an authenticator app in force is asked for a code before being logged in."""

    def form_valid(self, form):
        user = form.get_user()
        if not twofactor.has_two_factor(user):
            return super().form_valid(form)
        twofactor.pending_set(self.request, user, self.get_success_url())
        return redirect("login_code")


@never_cache
@require_http_methods(["GET", "POST"])
def login_code(request):
    user, next_url, pending = _code_subject(request)
    if user is None:
        return redirect("login")
    if pending is None and not twofactor.has_two_factor(user):
        two_factor_forget(request, required=False)  # the app was removed (by an administrator) meanwhile
        return redirect(next_url)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        credentials = {"username": user.get_username()}
        if settings.AXES_ENABLED and not _axes_allows(request, credentials):
            return lockout_response(request, None, credentials)
        device = twofactor.verify_code(user, form.cleaned_data["code"])
        if device is None:
            user_login_failed.send(sender=__name__, credentials=credentials, request=request)
            form.add_error("code", "That code is not right, or was already used. Wait for the next one and try again.")
        else:
            if pending is not None:
                auth_login(request, user, backend=pending["backend"])
                twofactor.pending_clear(request)
            otp_login(request, device)
            two_factor_forget(request, required=True)
            if isinstance(device, StaticDevice):
                left = twofactor.recovery_codes_left(user)
                messages.warning(
                    request, f"You used a recovery code; {left} left. Make new ones on the two-factor page."
                )
            return redirect(next_url)
    context = {"form": form, "username": user.get_username(), "next": next_url, "pending": pending is not None}
    return render(request, "registration/login_code.html", context)


def _code_subject(request):
    """Who the code is for: the user who just gave the right password, or a signed-in user not yet verified."""
    pending = twofactor.pending_get(request)
    if pending is not None:
        user = get_user_model().objects.filter(pk=pending["user"], is_active=True).first()
        return user, pending["next"], pending if user else None
    if request.user.is_authenticated and not request.user.is_verified():
        return request.user, safe_next(request), None
    return None, None, None


def _axes_allows(request, credentials) -> bool:
    from axes.handlers.proxy import AxesProxyHandler

    return AxesProxyHandler.is_allowed(request, credentials)


def safe_next(request, default: str = "/") -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(candidate, {request.get_host()}, require_https=request.is_secure())
    return candidate if candidate and allowed else default


@require_http_methods(["GET", "POST"])
def invitation(request, token):
    """The link of an invitation e-mail. Nothing about the matter is shown until the invited person is logged in."""
    if not request.user.is_authenticated:
        return render(request, "registration/invitation.html", {"login_url": _login_then_back(request)})
    invitation = invitation_for_token(token)
    try:
        invitation_check(invitation, request.user)
    except InvitationUnusable as exc:
        return render(request, "registration/invitation.html", {"problem": exc.message}, status=410)
    if request.method == "POST":
        try:
            invitation = invitation_accept(token=token, user=request.user)
        except InvitationUnusable as exc:
            return render(request, "registration/invitation.html", {"problem": exc.message}, status=410)
        messages.success(
            request, sentence(f"You are now {invitation.get_role_display().lower()} in {invitation.matter}")
        )
        return redirect("timeline", invitation.matter.slug)
    return render(request, "registration/invitation.html", {"invitation": invitation})


def _login_then_back(request) -> str:
    return f"{reverse('login')}?{urlencode({'next': request.path})}"


# The two-factor page ---------------------------------------------------------------------------------------------

FRESH_CODES_KEY = "two_factor_fresh_codes"


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def two_factor(request):
    """Turn two-factor login on (scan, confirm with a code), make new recovery codes, replace the app, turn it off.
    Changes to an app already in force need the password again."""
    user = request.user
    enrolled = twofactor.has_two_factor(user)
    if enrolled and not user.is_verified():
        return redirect(f"{reverse('login_code')}?{urlencode({'next': request.get_full_path()})}")
    forms = {
        "confirm_form": EnrolConfirmForm(),
        "password_form": PasswordConfirmForm(user=user),
    }
    if request.method == "POST":
        response = _two_factor_action(request, user, enrolled, forms)
        if response is not None:
            return response
    pending = twofactor.enrolment_pending(user)
    context = {
        **forms,
        "enrolled": enrolled,
        "pending": pending,
        "recovery_left": twofactor.recovery_codes_left(user) if enrolled else 0,
        "fresh_codes": request.session.pop(FRESH_CODES_KEY, None),
        "require_2fa": settings.REQUIRE_2FA,
        "next": safe_next(request, default=""),
    }
    if pending is not None:
        context.update(
            qr_svg=mark_safe(twofactor.qr_svg(pending.config_url)),
            secret=twofactor.secret_text(pending),
            otpauth_uri=pending.config_url,
        )
    return render(request, "registration/two_factor.html", context)


def _two_factor_action(request, user, enrolled: bool, forms: dict):
    """Carry out one POSTed action; a response when it is done, None to show the page again (with `forms`' errors)."""
    action = request.POST.get("action")
    if action in ("regenerate", "disable", "replace"):
        forms["password_form"] = PasswordConfirmForm(request.POST, user=user)
        if not enrolled or not forms["password_form"].is_valid():
            return None
    if action in ("start", "replace") and (action == "replace" or not enrolled):
        twofactor.enrolment_start(user=user)
    elif action == "cancel":
        twofactor.enrolment_cancel(user=user)
    elif action == "confirm":
        return _confirm(request, user, forms)
    elif action == "regenerate":
        request.session[FRESH_CODES_KEY] = twofactor.recovery_codes_regenerate(user=user)
        messages.success(request, "New recovery codes made; the old ones no longer work.")
    elif action == "disable" and not settings.REQUIRE_2FA:
        twofactor.two_factor_disable(user=user)
        two_factor_forget(request, required=False)
        messages.success(request, "Two-factor login is off. Your password alone now logs you in.")
    elif action == "disable":
        messages.error(
            request, "Your firm requires two-factor login: it cannot be turned off, only moved to a new app."
        )
    return redirect(_two_factor_url(request))


def _confirm(request, user, forms: dict):
    pending = twofactor.enrolment_pending(user)
    form = forms["confirm_form"] = EnrolConfirmForm(request.POST)
    if pending is None or not form.is_valid():
        return None
    try:
        request.session[FRESH_CODES_KEY] = twofactor.enrolment_confirm(
            user=user, device=pending, code=form.cleaned_data["code"]
        )
    except ValidationError as exc:
        form.add_error("code", exc)
        return None
    otp_login(request, pending)
    two_factor_forget(request, required=True)
    messages.success(request, "Two-factor login is on. Save your recovery codes now: they are shown only this once.")
    return redirect(_two_factor_url(request))


def _two_factor_url(request) -> str:
    next_url = safe_next(request, default="")
    return f"{reverse('two_factor')}?{urlencode({'next': next_url})}" if next_url else reverse("two_factor")
