"""Two-factor login with django-otp: one authenticator app (TOTP) per user, and ten single-use recovery codes.

Recovery codes are kept as keyed hashes in django-otp's static tokens: they are shown once, when made, and a copy
of the database alone does not give them away. Every check goes through django-otp's devices, so its throttling
(a growing delay after each wrong code) applies to both kinds.
"""

import base64
import secrets
import time
from io import BytesIO

import qrcode
import qrcode.image.svg
from django.contrib.auth import BACKEND_SESSION_KEY
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.crypto import salted_hmac
from django_otp import verify_token
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_CODES = 10
APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"
PENDING_SESSION_KEY = "two_factor_pending"
PENDING_SECONDS = 300  # between the password and the code


def has_two_factor(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def app_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def recovery_codes_left(user) -> int:
    device = StaticDevice.objects.filter(user=user, confirmed=True).first()
    return device.token_set.count() if device else 0


# Enrolment ------------------------------------------------------------------------------------------------------


def enrolment_start(*, user) -> TOTPDevice:
    """A new secret, not yet in force: it counts only once the user proves their app shows the same codes."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)


def enrolment_cancel(*, user) -> None:
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()


def enrolment_pending(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()


@transaction.atomic
def enrolment_confirm(*, user, device: TOTPDevice, code: str) -> list[str]:
    """Put the app in force if `code` is one it shows now; returns the new recovery codes, to be shown once."""
    if device.user_id != user.pk or device.confirmed or not device.verify_token(_digits(code)):
        raise ValidationError("That code does not match. Check the app's clock and type the code it shows now.")
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return recovery_codes_regenerate(user=user)


@transaction.atomic
def recovery_codes_regenerate(*, user) -> list[str]:
    """Ten new codes; the old ones stop working."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODES)]
    device.token_set.bulk_create([device.token_set.model(device=device, token=_code_hash(c)) for c in codes])
    return codes


@transaction.atomic
def two_factor_disable(*, user) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


# Login ----------------------------------------------------------------------------------------------------------


def verify_code(user, code: str):
    """The device that accepts `code` (six digits from the app, or an unused recovery code), or None."""
    digits = _digits(code)
    if digits.isdigit() and len(digits) in (6, 8):
        device = app_device(user)
        token = digits
    else:
        device = StaticDevice.objects.filter(user=user, confirmed=True).first()
        token = _code_hash(_normalise_recovery(code))
    if device is None:
        return None
    return verify_token(user, device.persistent_id, token)


def pending_set(request, user, next_url: str) -> None:
    """Remember, for a few minutes, who gave the right password; they are logged in only after the code."""
    request.session[PENDING_SESSION_KEY] = {
        "user": user.pk,
        "backend": getattr(user, "backend", None) or request.session.get(BACKEND_SESSION_KEY),
        "next": next_url,
        "since": time.time(),
    }


def pending_get(request) -> dict | None:
    pending = request.session.get(PENDING_SESSION_KEY)
    if not pending or time.time() - pending.get("since", 0) > PENDING_SECONDS:
        request.session.pop(PENDING_SESSION_KEY, None)
        return None
    return pending


def pending_clear(request) -> None:
    request.session.pop(PENDING_SESSION_KEY, None)


# Display --------------------------------------------------------------------------------------------------------


def secret_text(device: TOTPDevice) -> str:
    """The secret as authenticator apps take it when typed: base32, in groups of four."""
    raw = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def qr_svg(uri: str) -> str:
    """The otpauth:// address as an inline SVG QR code, made here: nothing is sent to another service."""
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    out = BytesIO()
    image.save(out)
    svg = out.getvalue().decode()
    return svg[svg.index("<svg") :]


# Helpers --------------------------------------------------------------------------------------------------------


def _digits(code: str) -> str:
    return "".join(code.split()).replace("-", "")


def _normalise_recovery(code: str) -> str:
    return "".join(ch for ch in code.lower() if ch.isalnum())


def _new_recovery_code() -> str:
    raw = base64.b32encode(secrets.token_bytes(10)).decode().lower()[:10]
    return f"{raw[:5]}-{raw[5:]}"


def _code_hash(code: str) -> str:
    # django-otp's static tokens hold at most 16 characters: 64 bits of an HMAC keyed by SECRET_KEY.
    digest = salted_hmac("evidence.accounts.recovery-code", _normalise_recovery(code), algorithm="sha256")
    return digest.hexdigest()[:16]
