"""Keeps a handed-over tablet on its intake, whatever URL the person holding it types.

Not installed by default: add "unknot.records.intake.middleware.TabletLockMiddleware" after
the authentication middleware. The intake's own staff pages already honour the lock; this
extends it to the staff area, the admin and everything else.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from unknot.records.intake.views_tablet import hand_back_url, locked_episode


class TabletLockMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        episode_id = locked_episode(request) if hasattr(request, "session") else None
        if episode_id is not None and not self._allowed(request.path, episode_id):
            return redirect(hand_back_url(episode_id))
        return self.get_response(request)

    @staticmethod
    def _allowed(path: str, episode_id: int) -> bool:
        tablet = reverse("intake:tablet_overview", kwargs={"episode_id": episode_id})
        # Signing out ends the staff session, and the lock with it: harmless to allow.
        return path.startswith((tablet, "/static/", reverse("accounts:logout")))
