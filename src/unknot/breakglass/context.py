"""The banner on every page read through break-glass: what it is and when it ends.

It is shown with the page's messages (base.html's message area), so every page of the
record carries it without each template having to remember. The key `messages` is taken
over only on such pages, and lazily: the messages themselves are read only if the page
shows them, exactly as Django's own context processor does.
"""

from collections.abc import Iterator
from typing import Any

from django.contrib.messages import get_messages
from django.http import HttpRequest

from unknot.breakglass import enforce
from unknot.breakglass.models import BreakGlassAccess
from unknot.clinics import times


class Banner:
    tags = "emergency warning"  # base.html renders class="message message-<tags>"

    def __init__(self, opening: BreakGlassAccess) -> None:
        self.opening = opening

    def __str__(self) -> str:
        clinic = self.opening.patient.preferred_clinic
        ends = times.moment_label(self.opening.expires_at, clinic)
        return (
            f"Emergency access: you are reading this record of {clinic.name} by break-glass, "
            f"read-only. Your access ends at {ends} ({clinic.time_zone}). "
            "Every page you open is recorded and the clinic's managers have been told."
        )


class BannerThenMessages:
    def __init__(self, banners: list[Banner], request: HttpRequest) -> None:
        self.banners, self.request = banners, request

    def __iter__(self) -> Iterator[Any]:
        yield from self.banners
        yield from get_messages(self.request)

    def __bool__(self) -> bool:
        return True

    def __len__(self) -> int:
        return len(self.banners) + len(get_messages(self.request))


def emergency_access(request: HttpRequest) -> dict[str, Any]:
    openings = enforce.openings_on_this_page(getattr(request, "user", None))
    if not openings:
        return {}
    banners = [Banner(opening) for opening in openings]
    return {"emergency_access": openings, "messages": BannerThenMessages(banners, request)}
