"""A person's email address: what we accept, and the login name made from one.

Every form that takes a person's email (online booking, the question form, the portal's
contact details, the staff's patient forms) uses `EmailAddressField`, and `Patient.email`
carries `validate_email_address`, so an address is either refused with a plain message or
stored, sent to and used to sign in:

- at most 254 characters, the length of every email column here (and the longest address
  SMTP can carry); Django's own form field would let 320 through;
- nothing but ASCII before the @: without SMTPUTF8 (which we do not ask mail servers for) a
  non-ASCII local part cannot be sent at all. Django's validator lets a few through because
  its check ignores case ("K", the Kelvin sign, matches "k");
- an internationalised domain (bücher.example) is kept as typed: Django's mailer sends it in
  its ASCII form (punycode), so that form must exist and fit in 254 characters as well.
"""

import hashlib
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils.encoding import punycode

MAX_LENGTH = 254
USERNAME_MAX_LENGTH = 150  # Django's User.username

INVALID = "Please enter an email address like name@example.com."
TOO_LONG = f"Please use an email address of at most {MAX_LENGTH} characters."
NOT_LATIN = (
    "Please use an email address with only Latin letters, digits and . _ % + - before the @."
)

_django_rules = EmailValidator(message=INVALID)


def validate_email_address(value: str) -> None:
    """Refuses an address our mail cannot be delivered to. The length of the address as typed
    is the field's max_length check (one message, not two); this checks everything else."""
    if len(value) > MAX_LENGTH:
        return
    local, _, domain = value.rpartition("@")
    if not local.isascii():
        raise ValidationError(NOT_LATIN, code="not_ascii")
    _django_rules(value)
    try:
        sent_as = f"{local}@{punycode(domain)}"
    except UnicodeError:  # a label too long once encoded, an empty label...
        raise ValidationError(INVALID, code="invalid") from None
    if len(sent_as) > MAX_LENGTH:
        raise ValidationError(TOO_LONG, code="too_long")


class EmailAddressField(forms.EmailField):
    """The form field for a person's email address (see the module's rules)."""

    default_validators = [validate_email_address]

    def __init__(self, **kwargs: Any) -> None:
        kwargs["max_length"] = MAX_LENGTH
        kwargs["error_messages"] = {"max_length": TOO_LONG} | kwargs.get("error_messages", {})
        super().__init__(**kwargs)


def username_for(email: str, suffix: str = "") -> str:
    """A login name for a portal account: the email itself (and `suffix`) when it fits in a
    username, else its start and a short hash of the whole address, so the same address
    always gives the same name. People sign in with their email either way
    (`backends.UserWithRoleBackend`)."""
    name = email + suffix
    if len(name) <= USERNAME_MAX_LENGTH:
        return name
    tail = "-" + hashlib.sha256(email.encode()).hexdigest()[:12] + suffix
    return email[: USERNAME_MAX_LENGTH - len(tail)] + tail
