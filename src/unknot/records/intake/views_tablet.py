"""The front-desk tablet: staff open a patient's intake and hand the tablet over.

While a tablet is handed over, the staff session is "locked" to that intake (a session key):
the intake pages refuse to show anything else, and leaving needs the staff member's password
again, so the person holding the tablet cannot wander into the staff area from these pages.
`middleware.TabletLockMiddleware` extends the same lock to every other URL.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib.auth import update_session_auth_hash
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from unknot.accounts.access import SignedInRequest, staff_only
from unknot.accounts.models import AnyUser
from unknot.records.intake import flow
from unknot.records.models import Intake
from unknot.records.selectors import get_episode_for_rw

LOCK = "intake_tablet_episode"


def locked_episode(request: HttpRequest) -> int | None:
    value = request.session.get(LOCK)
    return value if isinstance(value, int) else None


def hand_back_url(episode_id: int) -> str:
    return reverse("intake:tablet_done", kwargs={"episode_id": episode_id})


def _tablet_intake(request: HttpRequest, episode_id: int) -> Intake:
    episode = get_episode_for_rw(request.user, episode_id)
    intake = Intake.objects.select_related("appointment__clinic").filter(episode=episode).first()
    if intake is None:
        raise Http404("This episode has no intake.")
    intake.episode = episode
    return intake


View = Callable[..., HttpResponse]


def tablet_view(view: View) -> View:
    """Finds the intake (404/403 by the helpers), keeps the lock on it, and never lets a
    session locked to one intake open another."""

    @wraps(view)
    def wrapped(request: HttpRequest, episode_id: int, **kwargs: Any) -> HttpResponse:
        locked = locked_episode(request)
        if locked is not None and locked != episode_id:
            return redirect(hand_back_url(locked))
        intake = _tablet_intake(request, episode_id)
        request.session[LOCK] = episode_id
        return view(request, intake, flow.Mode(episode_id), **kwargs)

    return wrapped


WRITERS = staff_only(writes=True)


@require_safe
@WRITERS
@tablet_view
def overview(request: HttpRequest, intake: Intake, mode: flow.Mode) -> HttpResponse:
    return flow.overview(request, intake, mode)


@require_http_methods(["GET", "POST"])
@WRITERS
@tablet_view
def section(request: HttpRequest, intake: Intake, mode: flow.Mode, slug: str) -> HttpResponse:
    return flow.section_page(request, intake, mode, slug)


@require_POST
@WRITERS
@tablet_view
def submit(request: HttpRequest, intake: Intake, mode: flow.Mode) -> HttpResponse:
    return flow.submit(request, intake, mode)


@require_safe
@WRITERS
@tablet_view
def emergency(request: HttpRequest, intake: Intake, mode: flow.Mode) -> HttpResponse:
    return flow.emergency(request, intake, mode)


class HandBackForm(forms.Form):
    password = forms.CharField(
        label="Staff password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Please enter your password."},
    )

    def __init__(self, *args: Any, user: AnyUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = str(self.cleaned_data["password"])
        if not self.user.check_password(password):
            raise forms.ValidationError("That password is not right.")
        return password


@require_http_methods(["GET", "POST"])
@WRITERS
@tablet_view
def done(request: SignedInRequest, intake: Intake, mode: flow.Mode) -> HttpResponse:
    """The end page: thanks for the patient, and the staff password to take the tablet back."""
    form = HandBackForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        request.session.pop(LOCK, None)
        # Checking a password may upgrade its hash; keep this session valid when it does.
        update_session_auth_hash(request, request.user)
        return redirect("intake:review_detail", episode_id=intake.episode_id)
    context = flow.base_context(intake, mode) | {"form": form}
    status = 422 if form.errors else 200
    return render(request, "records/intake/hand_back.html", context, status=status)
