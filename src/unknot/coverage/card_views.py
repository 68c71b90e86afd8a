"""Serving a card's image: only after the coverage access check, audited, inline, with the
content type of what was stored and nosniff (a browser never guesses it into a page)."""

from django.http import Http404, HttpResponse

from unknot import audit
from unknot.accounts.models import AnyUser
from unknot.audit.models import Action
from unknot.coverage import cards
from unknot.coverage.models import Coverage

SIDES = ("front", "back")


def card_response(user: AnyUser, coverage: Coverage, side: str) -> HttpResponse:
    """The image of one side of the card of a coverage the user may see; 404 when none."""
    image = cards.read(getattr(coverage, f"card_{side}")) if side in SIDES else None
    if image is None:
        raise Http404("No card image.")
    audit.record(
        Action.READ, by=user, object_type="coverage_card", object_id=coverage.pk,
        patient_id=coverage.patient_id, clinic_id=coverage.patient.preferred_clinic_id,
        reason=side,
    )  # fmt: skip
    response = HttpResponse(image.data, content_type=image.kind.content_type)
    name = f"insurance-card-{side}.{image.kind.extension}"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'"
    return response
