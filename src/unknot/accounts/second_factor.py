"""Two-factor sign-in with django-otp: an authenticator app (TOTP) plus recovery codes.

Staff (anyone with a StaffMember row, and anyone who can open the admin site) must use it;
patients may turn it on. The codes are checked by django-otp's own devices: a TOTP device
remembers the last time step it accepted, so a code cannot be used twice, and every device
waits 1, 2, 4 ... seconds after each wrong code.
"""

import base64
from dataclasses import dataclass
from typing import Any

import segno
from django.db import transaction
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY, verify_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from unknot.accounts.models import User

RECOVERY_CODE_COUNT = 10
APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"


def is_staff_like(user: User) -> bool:
    """Staff, or anyone the admin site lets in: both must use a second factor."""
    return bool(hasattr(user, "staff_member") or user.is_staff or user.is_superuser)


def app_device(user: User, *, confirmed: bool = True) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).order_by("-pk").first()


def second_factor_required(user: User) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return is_staff_like(user) or app_device(user) is not None


def is_verified(request: Any) -> bool:
    """Whether this session passed the second factor (set by django-otp's OTPMiddleware)."""
    verified = getattr(request.user, "is_verified", None)
    return bool(verified and verified())


def may_turn_off(user: User) -> bool:
    return not is_staff_like(user)


def pending_app_device(user: User) -> TOTPDevice:
    """The not-yet-confirmed device whose secret the set-up page shows (one per person)."""
    device = app_device(user, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


def secret_text(device: TOTPDevice) -> str:
    """The secret as authenticator apps expect it when typed in: base32, in groups of four."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// link as an inline SVG QR code: no image is fetched from anywhere."""
    code = segno.make(device.config_url, error="m")
    return str(code.svg_inline(scale=5, light="#fff", title="QR code for your authenticator app"))


def new_recovery_codes(user: User) -> list[str]:
    """Replaces the person's recovery codes with ten new ones; the old ones stop working."""
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def confirm_app_device(device: TOTPDevice, code: str) -> list[str] | None:
    """Confirms the device when `code` is right; returns fresh recovery codes, or None."""
    with transaction.atomic():
        locked = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        if locked.confirmed or not locked.verify_token(_digits(code)):
            return None
        TOTPDevice.objects.filter(user=locked.user).exclude(pk=locked.pk).delete()
        locked.confirmed = True
        locked.save(update_fields=["confirmed"])
        return new_recovery_codes(locked.user)


@dataclass(frozen=True)
class CodeCheck:
    device: Any = None  # the device that accepted the code
    wait_seconds: int = 0  # > 0 when the device refuses to check codes for now


def check_code(user: User, code: str) -> CodeCheck:
    """Six digits are checked against the app; anything else is taken as a recovery code."""
    digits = _digits(code)
    if digits.isdigit() and len(digits) == 6:
        device: Any = app_device(user)
        token = digits
    else:
        device = StaticDevice.objects.filter(user=user, confirmed=True).first()
        token = "".join(code.split()).replace("-", "").lower()
    if device is None:
        return CodeCheck()
    allowed, details = device.verify_is_allowed()
    if not allowed:
        locked_until = (details or {}).get("locked_until", timezone.now())
        return CodeCheck(wait_seconds=max(1, int((locked_until - timezone.now()).total_seconds())))
    return CodeCheck(device=verify_token(user, device.persistent_id, token))


def forget_devices(user: User, session: Any) -> None:
    """Turns two-factor sign-in off (patients only: views check may_turn_off first)."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
    session.pop(DEVICE_ID_SESSION_KEY, None)


def give_app_device(user: User, key_hex: str | None = None) -> TOTPDevice:
    """A confirmed authenticator device for `user` (the demo and tests; never a web page).

    With `key_hex` the secret is fixed, so a documented demo secret can be typed into an app.
    """
    device = app_device(user)
    if device is not None and (key_hex is None or device.key == key_hex):
        return device
    fields = {"key": key_hex} if key_hex else {}
    TOTPDevice.objects.filter(user=user).delete()
    return TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=True, **fields)


def _digits(code: str) -> str:
    return "".join(ch for ch in code if not ch.isspace() and ch != "-")
