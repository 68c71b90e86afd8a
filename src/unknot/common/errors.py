"""One refusal type for every service, and one way for pages to show it.

A service that will not do what it was asked (a taken time, a plan that is not a draft, a
note already signed) raises `Refused` or one of its subclasses: `message` is written for the
person who asked, `code` names the case for programs. `status` says how the JSON interfaces
answer it: 400 (a rule of the service; FHIR's 422 `business-rule`) unless a subclass says
409 (someone else got there first) or 403 (not this person's to ask).

Each interface maps it once: the REST API (`unknot.api.errors`), FHIR (`unknot.fhir.http`),
the booking JSON API (`unknot.booking.api`), and pages through `attempt` below, which shows
the message on the form or after the redirect. Refusals of who may see or change what stay
Django's own `Http404` and `PermissionDenied`.

This module imports nothing of the apps: any of them may use it.
"""

from collections.abc import Callable

from django.contrib import messages
from django.forms import BaseForm
from django.http import HttpRequest


class Refused(Exception):
    """A service refuses; `message` is written for the person asking, `code` for programs."""

    code = "refused"
    status = 400  # the JSON interfaces' answer: 400 (FHIR 422), 409 or 403

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code


def attempt[T](
    request: HttpRequest,
    action: Callable[[], T],
    done: str = "",
    *,
    form: BaseForm | None = None,
) -> T | None:
    """Runs a page's service call: its result, or None when the service refused.

    The refusal's message is shown where the person will read it: on `form` when the page
    shows the form again, else as a message on the page the view redirects to. `done`, when
    given, is the message shown after a success.
    """
    try:
        result = action()
    except Refused as refused:
        if form is not None:
            form.add_error(None, refused.message)
        else:
            messages.error(request, refused.message)
        return None
    if done:
        messages.success(request, done)
    return result
