"""Password reset emails leave through the background worker, never from the request.

The request only queues a task, the same single write whether or not the address has an
account, so a slow or absent mail server neither holds the page nor, by the delay, tells a
stranger which addresses are registered. The worker finds the accounts, makes the one-use
links and sends; a failure is logged by Django with the account id, and the person can ask
again (a reset link is not worth retrying for hours: it expires).
"""

from typing import Any

from django.contrib.auth.forms import PasswordResetForm
from django.contrib.sites.shortcuts import get_current_site
from django.db import transaction
from django.tasks import task

# Under accounts/: django.contrib.auth, earlier in INSTALLED_APPS, ships its own
# registration/password_reset_subject.txt, which would win over ours.
SUBJECT_TEMPLATE = "accounts/password_reset_subject.txt"
BODY_TEMPLATE = "accounts/password_reset_email.txt"


class QueuedPasswordResetForm(PasswordResetForm):
    # Takes what PasswordResetView passes, by keyword, and ignores the rest (the email is
    # queued here, not sent through the base class's arguments): a narrower signature.
    def save(self, *, request: Any = None, use_https: bool = False, **_ignored: Any) -> None:  # type: ignore[override]
        email = self.cleaned_data["email"]
        domain = get_current_site(request).domain
        transaction.on_commit(
            lambda: send_password_reset.enqueue(email=email, domain=domain, use_https=use_https)
        )


@task()
def send_password_reset(email: str, domain: str, use_https: bool) -> str:
    """Django's own reset email (same links, same token) to every active account of `email`."""
    form = PasswordResetForm({"email": email})
    if not form.is_valid():
        return "not an address"
    form.save(
        domain_override=domain,
        use_https=use_https,
        subject_template_name=SUBJECT_TEMPLATE,
        email_template_name=BODY_TEMPLATE,
    )
    return "done"
