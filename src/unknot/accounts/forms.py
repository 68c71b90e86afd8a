from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError


def wait_text(seconds: int) -> str:
    if seconds < 60:
        return "a minute"
    minutes = -(-seconds // 60)
    return f"{minutes} minutes"


class SignInForm(AuthenticationForm):
    """Django's sign-in form; when the throttle refused to check, it says so instead.

    The throttle (run by the authentication backend) counts the typed username whether or
    not such an account exists, so this message tells nobody which accounts are real.
    """

    def clean(self) -> dict[str, Any]:
        try:
            return super().clean()
        except ValidationError:
            seconds = getattr(self.request, "sign_in_wait_seconds", None)
            if seconds:
                raise ValidationError(
                    "Too many unsuccessful attempts to sign in. "
                    f"Please wait {wait_text(seconds)} and try again.",
                    code="throttled",
                ) from None
            raise


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=32,
        help_text="The 6-digit code from your authenticator app, or one of your recovery codes.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
    )


class SetupCodeForm(forms.Form):
    code = forms.CharField(
        label="Code from the app",
        max_length=16,
        help_text="After adding the account, type the 6-digit code the app shows.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )
