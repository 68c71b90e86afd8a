"""Front-desk tablet mode: same pages, no staff navigation, and a password to hand back."""

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories
from tests.personas import Cast
from tests.records.intake_support import AUTOSAVE, fill, open_intake, section_url, signed_in
from unknot.records.intake.views_tablet import LOCK
from unknot.records.models import IntakeStatus, OutcomeScore

pytestmark = pytest.mark.django_db

MIDDLEWARE_PATH = "unknot.records.intake.middleware.TabletLockMiddleware"


def tablet_url(episode_id: int, name: str = "tablet_overview") -> str:
    return reverse(f"intake:{name}", args=[episode_id])


def test_front_desk_fills_the_same_pages_without_staff_navigation(cast: Cast) -> None:
    intake = open_intake(cast.patient_p, cast.therapist_a)
    desk = signed_in(cast.front_desk_a)
    page = desk.get(tablet_url(intake.episode_id)).content.decode()
    assert "This tablet is for you to fill in" in page
    assert "Staff area" not in page and "/staff/" not in page
    section = desk.get(section_url("story", intake.episode_id)).content.decode()
    assert "Staff area" not in section
    assert f'action="{section_url("story", intake.episode_id)}"' in section
    fill(desk, episode_id=intake.episode_id)
    intake.refresh_from_db()
    assert len(intake.sections_done) == 12


def test_autosave_works_on_the_tablet(cast: Cast) -> None:
    intake = open_intake(cast.patient_p, cast.therapist_a)
    desk = signed_in(cast.front_desk_a)
    response = desk.post(section_url("where", intake.episode_id), {"spasm": "yes"}, **AUTOSAVE)
    assert response.json()["saved"] is True
    intake.refresh_from_db()
    assert intake.answers["episode"] == {"spasm": True}


def test_submit_on_the_tablet_ends_on_the_hand_back_page(cast: Cast) -> None:
    intake = open_intake(cast.patient_p, cast.therapist_a)
    desk = signed_in(cast.front_desk_a)
    fill(desk, episode_id=intake.episode_id)
    response = desk.post(tablet_url(intake.episode_id, "tablet_submit"))
    assert response["Location"] == tablet_url(intake.episode_id, "tablet_done")
    intake.refresh_from_db()
    assert intake.status == IntakeStatus.SUBMITTED
    assert OutcomeScore.objects.filter(episode=intake.episode).count() == 7
    page = desk.get(response["Location"]).content.decode()
    assert "Please give the tablet back" in page


def test_handing_back_needs_the_staff_password(cast: Cast) -> None:
    intake = open_intake(cast.patient_p, cast.therapist_a)
    desk = signed_in(cast.front_desk_a)
    desk.get(tablet_url(intake.episode_id))
    done = tablet_url(intake.episode_id, "tablet_done")
    wrong = desk.post(done, {"password": "guess"})
    assert wrong.status_code == 422
    assert desk.session[LOCK] == intake.episode_id
    right = desk.post(done, {"password": factories.PASSWORD})
    assert right["Location"] == reverse("intake:review_detail", args=[intake.episode_id])
    assert LOCK not in desk.session


def test_a_locked_tablet_cannot_open_staff_pages_of_the_intake(cast: Cast) -> None:
    intake = open_intake(cast.patient_p, cast.therapist_a)
    other = open_intake(factories.patient("Olga", "Other", cast.clinic_a), cast.therapist_a)
    desk = signed_in(cast.front_desk_a)
    desk.get(tablet_url(intake.episode_id))
    hand_back = tablet_url(intake.episode_id, "tablet_done")
    assert desk.get(reverse("intake:review_list"))["Location"] == hand_back
    assert (
        desk.get(reverse("intake:review_detail", args=[other.episode_id]))["Location"] == hand_back
    )
    assert desk.get(tablet_url(other.episode_id))["Location"] == hand_back


def test_the_lock_middleware_keeps_the_tablet_on_its_intake(cast: Cast, settings: object) -> None:
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, MIDDLEWARE_PATH]  # type: ignore[attr-defined]
    intake = open_intake(cast.patient_p, cast.therapist_a)
    desk = signed_in(cast.front_desk_a)
    desk.get(tablet_url(intake.episode_id))
    hand_back = tablet_url(intake.episode_id, "tablet_done")
    assert desk.get(reverse("staffarea:dashboard"))["Location"] == hand_back
    assert desk.get(section_url("where", intake.episode_id)).status_code == 200
    desk.post(hand_back, {"password": factories.PASSWORD})
    assert desk.get(reverse("staffarea:dashboard")).status_code == 200


def test_an_emergency_on_the_tablet_tells_the_patient_to_show_the_staff(cast: Cast) -> None:
    intake = open_intake(cast.patient_p, cast.therapist_a)
    desk = signed_in(cast.front_desk_a)
    response = desk.post(section_url("safety", intake.episode_id), {"collapse": "yes"})
    assert response["Location"] == tablet_url(intake.episode_id, "tablet_emergency")
    page = desk.get(response["Location"]).content.decode()
    assert "show this screen to the staff" in page


@pytest.mark.parametrize(
    ("persona", "status"),
    [("therapist_b", 404), ("auditor", 403), ("patient_p", 403), ("manager", 200)],
)
def test_only_writers_of_the_clinic_may_open_a_tablet(
    cast: Cast, persona: str, status: int
) -> None:
    intake = open_intake(cast.patient_p, cast.therapist_a)
    response = signed_in(cast.users[persona]).get(tablet_url(intake.episode_id))
    assert response.status_code == status


def test_an_episode_without_an_intake_is_404(cast: Cast) -> None:
    intake = open_intake(cast.patient_p, cast.therapist_a)
    episode_id = intake.episode_id
    intake.delete()
    assert signed_in(cast.front_desk_a).get(tablet_url(episode_id)).status_code == 404


def test_anonymous_is_sent_to_sign_in(cast: Cast) -> None:
    intake = open_intake(cast.patient_p, cast.therapist_a)
    response = Client().get(tablet_url(intake.episode_id))
    assert response["Location"].startswith(reverse("accounts:login"))
