import time

import pytest
from django.urls import reverse
from django_otp.oath import TOTP

from evidence.accounts import twofactor
from tests import factories

# The browser fixtures (Debian's chromium, viewport, screenshots) for this folder's browser test.
from tests.browser.conftest import browser_context_args, browser_type_launch_args, screenshot  # noqa: F401


@pytest.fixture
def axes_on(settings):
    """django-axes as deployed (off for the rest of the suite, whose tests never fail a login)."""
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    return settings


def code_for(device, *, steps_ahead: int = 0) -> str:
    """The code the user's app shows now (or `steps_ahead` periods of 30 s later: each code is accepted once)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def enrol(user) -> tuple:
    """Two-factor on for `user`, as the two-factor page does it: (app device, recovery codes)."""
    device = twofactor.enrolment_start(user=user)
    codes = twofactor.enrolment_confirm(user=user, device=device, code=code_for(device))
    device.refresh_from_db()
    return device, codes


def log_in(client, user, password="pw", **extra):
    return client.post(reverse("login"), {"username": user.username, "password": password, **extra})


@pytest.fixture
def enrolled(db):
    user = factories.UserFactory(username="dana", email="dana@firm.example")
    device, codes = enrol(user)
    return user, device, codes
