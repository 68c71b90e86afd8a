"""Access matrix rows for the intake URLs (see test_access_matrix.py).

The portal pages always show the signed-in patient's own intake: patient P is given one at
clinic A (so P sees the page, Q without an intake is sent to the overview). Tablet and
review pages take an episode of clinic A: outsiders (therapist_b) get 404, the read-only
auditor 403 on the tablet (it writes), patients 403. POST-only URLs answer GET with 405.
"""

from typing import Any

from tests import factories
from tests.calendar import evaluation_at
from tests.personas import Cast
from tests.web import matrix_support as m
from unknot.records.models import Episode, Intake


def _episode_of_p(cast: Cast) -> Episode:
    """Booking P's initial evaluation opens the episode and its intake."""
    booked = factories.booked_appointment(
        None, patient=cast.patient_p, type=evaluation_at(cast.clinic_a), therapist=cast.therapist_a
    )
    return Intake.objects.get(appointment=booked).episode


def own_section(cast: Cast) -> dict[str, Any]:
    _episode_of_p(cast)
    return {"slug": "story"}


def episode_a(cast: Cast) -> dict[str, Any]:
    return {"episode_id": _episode_of_p(cast).pk}


def episode_a_section(cast: Cast) -> dict[str, Any]:
    return episode_a(cast) | {"slug": "where"}


TABLET = m.staff_page(therapist_b=404, auditor=403)

ROWS: dict[str, tuple[Any, dict[str, Any]]] = {
    "intake:overview": (None, m.portal_page()),
    "intake:section": (own_section, m.portal_page() | {"patient_q": 302}),
    "intake:submit": (None, m.everyone(405)),
    "intake:emergency": (None, m.portal_page()),
    # nothing sent yet: back to the overview
    "intake:done": (None, m.portal_page() | {"patient_p": 302, "patient_q": 302}),
    "intake:start": (lambda cast: {"token": "not-a-valid-token"}, m.everyone(404)),
    "intake:tablet_overview": (episode_a, TABLET),
    "intake:tablet_section": (episode_a_section, TABLET),
    "intake:tablet_submit": (episode_a, m.everyone(405)),
    "intake:tablet_emergency": (episode_a, TABLET),
    "intake:tablet_done": (episode_a, TABLET),
    "intake:review_list": (None, m.staff_page()),
    "intake:review_detail": (episode_a, m.staff_page(therapist_b=404)),
    "intake:review_mark": (episode_a, m.everyone(405)),
}
