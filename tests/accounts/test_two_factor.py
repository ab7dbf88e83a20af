"""Two-factor login: enrolling on the two-factor page, the code step of the login, recovery codes, turning it off,
REQUIRE_2FA, and the admin behind the same second step."""

import re

import pytest
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from evidence.accounts import middleware, twofactor
from tests import factories
from tests.accounts.conftest import code_for, enrol, log_in

pytestmark = pytest.mark.django_db


def _page(response) -> str:
    return response.content.decode()


def test_without_two_factor_the_password_alone_logs_in(client, user):
    response = log_in(client, user)
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get(reverse("home")).status_code == 200


def test_enrol_on_the_two_factor_page(client, user):
    client.force_login(user)
    url = reverse("two_factor")
    assert 'Status: <span class="status-off">off</span>' in _page(client.get(url))

    page = _page(client.post(url, {"action": "start"}, follow=True))
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert "<svg" in page and "<path" in page  # the QR code, drawn on the server
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert "href" not in svg and "src" not in svg  # nothing fetched from elsewhere
    assert twofactor.secret_text(device) in page
    assert "otpauth://totp/Case%20Timeline%3A" in page

    response = client.post(url, {"action": "confirm", "code": "000000"})
    assert "That code does not match" in _page(response)
    assert not twofactor.has_two_factor(user)

    device.throttle_reset()
    response = client.post(url, {"action": "confirm", "code": code_for(device)}, follow=True)
    page = _page(response)
    assert "Two-factor login is on" in page
    codes = re.findall(r"<li>([a-z2-7]{5}-[a-z2-7]{5})</li>", page)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert "Recovery codes left: <strong>10</strong>" in page
    # Shown once; stored only as keyed hashes.
    assert codes[0] not in _page(client.get(url))
    stored = set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert len(stored) == 10 and not stored & {c.replace("-", "") for c in codes} and not stored & set(codes)


def test_login_asks_for_the_code_after_the_password(client, enrolled):
    user, device, _ = enrolled
    response = log_in(client, user, next="/accounts/two-factor/")
    assert response.status_code == 302 and response["Location"] == reverse("login_code")
    # Not logged in yet: the matters list still wants a login.
    assert client.get(reverse("home"))["Location"].startswith(reverse("login"))
    page = _page(client.get(reverse("login_code")))
    assert "Enter your code" in page and "dana" in page

    response = client.post(reverse("login_code"), {"code": "123456"})
    assert "That code is not right" in _page(response)
    assert client.get(reverse("home")).status_code == 302

    device.refresh_from_db()
    device.throttle_reset()
    response = client.post(reverse("login_code"), {"code": code_for(device, steps_ahead=1)})
    assert response.status_code == 302 and response["Location"] == "/accounts/two-factor/"
    assert client.get(reverse("home")).status_code == 200


def test_a_recovery_code_works_once(client, enrolled):
    user, _, codes = enrolled
    log_in(client, user)
    response = client.post(reverse("login_code"), {"code": codes[3].upper().replace("-", " ")}, follow=True)
    assert "You used a recovery code; 9 left." in _page(response)
    client.post(reverse("logout"))
    log_in(client, user)
    TOTPDevice.objects.filter(user=user).update(throttling_failure_count=0)
    response = client.post(reverse("login_code"), {"code": codes[3]})
    assert "That code is not right" in _page(response)


def test_the_code_step_expires(client, enrolled, monkeypatch):
    user, device, _ = enrolled
    log_in(client, user)
    now = twofactor.time.time()
    monkeypatch.setattr(twofactor.time, "time", lambda: now + twofactor.PENDING_SECONDS + 1)
    response = client.post(reverse("login_code"), {"code": code_for(device, steps_ahead=1)})
    assert response.status_code == 302 and response["Location"] == reverse("login")


def test_changes_need_the_password(client, enrolled):
    user, device, codes = enrolled
    log_in(client, user)
    client.post(reverse("login_code"), {"code": code_for(device, steps_ahead=1)})
    url = reverse("two_factor")

    response = client.post(url, {"action": "disable", "password": "wrong"})
    assert "That is not your password." in _page(response)
    assert twofactor.has_two_factor(user)

    page = _page(client.post(url, {"action": "regenerate", "password": "pw"}, follow=True))
    new_codes = re.findall(r"<li>([a-z2-7]{5}-[a-z2-7]{5})</li>", page)
    assert len(new_codes) == 10 and not set(new_codes) & set(codes)
    assert twofactor.verify_code(user, codes[0]) is None

    response = client.post(url, {"action": "disable", "password": "pw"}, follow=True)
    assert "Two-factor login is off" in _page(response)
    assert not TOTPDevice.objects.filter(user=user).exists()
    client.post(reverse("logout"))
    assert log_in(client, user)["Location"] == "/"


def test_a_session_without_the_code_is_sent_to_the_code_page(client, enrolled):
    """The admin's own login asks only for the password; every page then wants the code, the admin's included."""
    user, device, _ = enrolled
    user.is_staff = user.is_superuser = True
    user.save()
    response = client.post(reverse("admin:login"), {"username": "dana", "password": "pw", "next": "/admin/"})
    assert response.status_code == 302
    for url in ("/admin/", reverse("home"), reverse("two_factor")):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login_code") + "?next=")
    response = client.post(reverse("login_code"), {"code": code_for(device, steps_ahead=1), "next": "/admin/"})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_a_session_opened_before_enrolling_elsewhere_is_asked_soon(client, user, monkeypatch):
    client.force_login(user)
    assert client.get(reverse("home")).status_code == 200
    device, _ = enrol(user)
    now = middleware.time.time()
    monkeypatch.setattr(middleware.time, "time", lambda: now + middleware.RECHECK_SECONDS + 1)
    assert client.get(reverse("home"))["Location"].startswith(reverse("login_code"))


def test_require_2fa_sends_everyone_to_enrol_first(client, user, settings):
    settings.REQUIRE_2FA = True
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response["Location"] == f"{reverse('two_factor')}?next=%2F"
    page = _page(client.get(response["Location"]))
    assert "Your firm requires two-factor login" in page
    client.post(reverse("two_factor"), {"action": "start", "next": "/"})
    device = TOTPDevice.objects.get(user=user)
    response = client.post(reverse("two_factor"), {"action": "confirm", "code": code_for(device), "next": "/"})
    page = _page(client.get(response["Location"]))
    assert 'href="/">Continue</a>' in page
    assert client.get(reverse("home")).status_code == 200
    # Under REQUIRE_2FA it can be moved to a new app, not turned off.
    assert 'value="disable"' not in page
    client.post(reverse("two_factor"), {"action": "disable", "password": "pw"})
    assert twofactor.has_two_factor(user)


def test_no_extra_queries_on_pages_for_users_without_two_factor(client, user, django_assert_num_queries):
    factories.make_matter(owner=user)
    client.force_login(user)
    with django_assert_num_queries(3):  # session, user, matters: the middleware reads the session's flag
        client.get(reverse("home"))


def test_the_admin_lists_devices_without_their_secrets(client, enrolled, make_user):
    _, device, _ = enrolled
    client.force_login(make_user(superuser=True))
    page = client.get(reverse("admin:otp_totp_totpdevice_change", args=[device.pk])).content.decode()
    assert "dana" in page and device.key not in page
