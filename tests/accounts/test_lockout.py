"""Failed logins are throttled by django-axes, per account and per address, on the login page, its code step and the
admin's login; the cool-off passes by itself and `axes_reset_username` lifts a lockout at once."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse

from evidence.accounts.lockout import client_ip
from tests.accounts.conftest import code_for, log_in

pytestmark = pytest.mark.django_db

LOCKED = "Too many failed attempts; try again in 15 minutes or ask an administrator."


def test_deployed_defaults():
    assert django_settings.AXES_FAILURE_LIMIT == 5
    assert django_settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60
    assert django_settings.AXES_LOCKOUT_PARAMETERS == ["username", "ip_address"]
    assert django_settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"


def test_an_account_is_locked_after_the_limit_and_unlocked_by_the_command(client, user, axes_on):
    for _ in range(2):
        response = log_in(client, user, password="wrong")
        assert response.status_code == 200 and "did not match" in response.content.decode()
    response = log_in(client, user, password="wrong")
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    # Even the right password is refused while locked.
    response = log_in(client, user)
    assert response.status_code == 429 and LOCKED in response.content.decode()
    assert client.get(reverse("home")).status_code == 302

    call_command("axes_reset_username", user.username, verbosity=0)
    assert log_in(client, user)["Location"] == "/"


def test_the_account_is_locked_from_other_addresses_too(client, user, axes_on):
    for n in range(3):
        log_in(client, user, password="wrong", REMOTE_ADDR=f"10.0.0.{n}")
    response = client.post(reverse("login"), {"username": user.username, "password": "pw"}, REMOTE_ADDR="192.168.1.9")
    assert response.status_code == 429


def test_an_address_is_locked_whatever_account_it_tries(client, make_user, axes_on):
    for n in range(3):
        client.post(reverse("login"), {"username": f"guess{n}", "password": "x"}, REMOTE_ADDR="10.9.9.9")
    victim = make_user()
    response = client.post(reverse("login"), {"username": victim.username, "password": "pw"}, REMOTE_ADDR="10.9.9.9")
    assert response.status_code == 429
    response = client.post(reverse("login"), {"username": victim.username, "password": "pw"}, REMOTE_ADDR="10.1.1.1")
    assert response.status_code == 302


def test_the_cool_off_passes(client, user, axes_on):
    for _ in range(3):
        log_in(client, user, password="wrong")
    assert log_in(client, user).status_code == 429
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.first().attempt_time - timedelta(minutes=16))
    assert log_in(client, user)["Location"] == "/"


def test_the_admin_login_is_throttled_too(client, make_user, axes_on):
    admin = make_user(superuser=True)
    for _ in range(3):
        client.post(reverse("admin:login"), {"username": admin.username, "password": "wrong"})
    response = client.post(reverse("admin:login"), {"username": admin.username, "password": "pw"})
    assert response.status_code == 429 and LOCKED in response.content.decode()


def test_wrong_codes_count_as_failed_logins(client, enrolled, axes_on):
    user, device, _ = enrolled
    log_in(client, user)
    for _ in range(2):
        device.throttle_reset()
        assert client.post(reverse("login_code"), {"code": "000000"}).status_code == 200
    device.throttle_reset()
    response = client.post(reverse("login_code"), {"code": "000000"})
    assert response.status_code == 429 and LOCKED in response.content.decode()
    device.refresh_from_db()
    device.throttle_reset()
    response = client.post(reverse("login_code"), {"code": code_for(device, steps_ahead=1)})
    assert response.status_code == 429
    assert client.get(reverse("home")).status_code == 302


def test_the_limit_and_cool_off_come_from_the_settings(client, user, axes_on):
    axes_on.AXES_FAILURE_LIMIT = 2
    axes_on.AXES_COOLOFF_TIME = timedelta(minutes=90)
    log_in(client, user, password="wrong")
    response = log_in(client, user, password="wrong")
    assert response.status_code == 429
    assert "try again in 90 minutes" in response.content.decode()


def test_client_address_behind_a_proxy_is_the_one_the_proxy_saw(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7")
    settings.BEHIND_PROXY = False
    assert client_ip(request) == "10.0.0.1"
    settings.BEHIND_PROXY = True
    assert client_ip(request) == "203.0.113.7"  # the left-most entry is whatever the client chose to send
