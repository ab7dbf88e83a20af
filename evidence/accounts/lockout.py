"""Failed-login throttling with django-axes: the address it counts by, and the page a locked-out person sees."""

import math

from axes.helpers import get_cool_off
from django.conf import settings
from django.shortcuts import render


def client_ip(request) -> str | None:
    """The client's address. Behind the one reverse proxy BEHIND_PROXY describes, REMOTE_ADDR is the proxy itself,
    and only the right-most X-Forwarded-For entry (the one the proxy appended) cannot be forged by the client."""
    if getattr(settings, "BEHIND_PROXY", False):
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if forwarded:
            return forwarded[-1]
    return request.META.get("REMOTE_ADDR")


def cool_off_minutes(request=None) -> int:
    cool_off = get_cool_off(request)
    return max(1, math.ceil(cool_off.total_seconds() / 60)) if cool_off else 0


def lockout_response(request, original_response=None, credentials=None):
    """The lockout page (HTTP 429), for the login page, the code step and the admin's login alike."""
    return render(
        request,
        "registration/locked_out.html",
        {"minutes": cool_off_minutes(request), "failure_limit": settings.AXES_FAILURE_LIMIT},
        status=429,
    )
