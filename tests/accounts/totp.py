"""The person's phone, for tests: TOTP codes computed from a device's secret (RFC 6238).

Written here from the RFC rather than borrowed from django-otp, so the tests check that the
codes an ordinary authenticator app would show are the codes the site accepts.
"""

import base64
import hashlib
import hmac
import struct
import time
from typing import Any

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from unknot.accounts.second_factor import give_app_device, second_factor_required


def totp_at(key: bytes, step_number: int, digits: int = 6) -> str:
    mac = hmac.new(key, struct.pack(">Q", step_number), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    value = (struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF) % 10**digits
    return f"{value:0{digits}d}"


def key_from_secret_text(secret: str) -> bytes:
    """The secret as the set-up page shows it (base32 in groups) back to bytes."""
    compact = "".join(secret.split()).upper()
    return base64.b32decode(compact + "=" * (-len(compact) % 8))


def current_step(step_seconds: int = 30) -> int:
    return int(time.time()) // step_seconds


def code_now(key: bytes) -> str:
    return totp_at(key, current_step())


def next_unused_code(device: TOTPDevice) -> str:
    """A code the device will accept: never one of a time step it already accepted.

    A phone shows the current step's code; the site also takes the next step's (and
    remembers that clock difference as `drift`). If both were used already (several
    sign-ins within one step), wait for the clock to move on, as a person would.
    """
    device.refresh_from_db()
    while True:
        now_step = current_step(device.step)
        lowest = now_step + device.drift - device.tolerance
        highest = now_step + device.drift + device.tolerance
        for candidate in (now_step, now_step + 1):
            if candidate > device.last_t and lowest <= candidate <= highest:
                return totp_at(device.bin_key, candidate, device.digits)
        time.sleep(0.5)


def pass_second_factor_in_session(client: Any, user: Any) -> TOTPDevice | None:
    """What a completed second step leaves in the session, for a force_login'ed client.

    django_otp.login(request, device) writes the device's persistent id under
    DEVICE_ID_SESSION_KEY; OTPMiddleware reads it back on each request and checks that the
    device is confirmed and belongs to the user. This writes the same key, for a real,
    confirmed device, so nothing in the site's checks is skipped.
    """
    if not second_factor_required(user):
        return None
    device = give_app_device(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device
