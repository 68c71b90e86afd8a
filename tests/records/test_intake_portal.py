"""The patient's intake in the portal: pages, autosave, resuming, submitting and scoring."""

import datetime as dt
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.personas import Cast
from tests.records.intake_support import (
    AUTOSAVE,
    FULL,
    fill,
    open_intake,
    section_url,
    signed_in,
)
from unknot import care
from unknot.records.intake import scoring
from unknot.records.models import Intake, IntakeStatus, OutcomeScore

pytestmark = pytest.mark.django_db


def test_a_patient_without_an_intake_is_told_there_is_nothing_to_fill(cast: Cast) -> None:
    response = signed_in(cast.patient_p.user).get(reverse("intake:overview"))
    assert response.status_code == 200
    assert b"Nothing to fill in" in response.content


def test_each_page_is_an_accessible_form_that_works_without_javascript(cast: Cast) -> None:
    open_intake(cast.patient_p, cast.therapist_a)
    client = signed_in(cast.patient_p.user)
    page = client.get(section_url("safety")).content.decode()
    assert "<fieldset" in page and "<legend" in page
    assert "Save and continue" in page
    assert 'src="/static/records/intake.js"' in page
    assert "<script>" not in page  # CSP: no inline scripts
    assert 'aria-label="Intake sections"' in page


def test_save_and_continue_goes_to_the_next_page(cast: Cast) -> None:
    open_intake(cast.patient_p, cast.therapist_a)
    response = signed_in(cast.patient_p.user).post(section_url("story"), FULL["story"])
    assert response.status_code == 302
    assert response["Location"] == section_url("where")


def test_a_bad_answer_changes_nothing_and_says_where(cast: Cast) -> None:
    intake = open_intake(cast.patient_p, cast.therapist_a)
    client = signed_in(cast.patient_p.user)
    fill(client, ["work-and-goals"])
    response = client.post(section_url("work-and-goals"), {"visits_per_week": "9"})
    assert response.status_code == 422
    assert response.context["form"].errors["visits_per_week"]
    assert b'id="id_visits_per_week_error"' in response.content
    intake.refresh_from_db()
    assert intake.answers["lifestyle"]["visits_per_week"] == 2


def test_a_core_refusal_is_shown_on_its_question(cast: Cast) -> None:
    """Weeks of pregnancy without "yes": the core's CaseError lands on the weeks field."""
    intake = open_intake(cast.patient_p, cast.therapist_a)
    client = signed_in(cast.patient_p.user)
    response = client.post(section_url("health"), {"pregnant": "no", "pregnancy_weeks": "20"})
    assert response.status_code == 422
    assert "pregnancy_weeks" in response.context["form"].errors
    intake.refresh_from_db()
    assert intake.answers == {}


def test_autosave_answers_json_and_keeps_a_half_done_page(cast: Cast) -> None:
    intake = open_intake(cast.patient_p, cast.therapist_a)
    client = signed_in(cast.patient_p.user)
    response = client.post(section_url("where"), {"pain_side": "right"}, **AUTOSAVE)
    assert response.status_code == 200
    data = response.json()
    assert data == {
        "saved": True,
        "section_done": False,
        "done_count": 0,
        "total": 12,
        "emergency_url": None,
    }
    intake.refresh_from_db()
    assert intake.answers["episode"] == {"pain_side": "right"}


def test_autosave_reports_errors_as_json_and_saves_nothing(cast: Cast) -> None:
    intake = open_intake(cast.patient_p, cast.therapist_a)
    client = signed_in(cast.patient_p.user)
    response = client.post(section_url("pain-and-activities"), {"activity_1": "Golf"}, **AUTOSAVE)
    assert response.status_code == 422
    assert response.json()["saved"] is False
    assert "score_1" in response.json()["errors"]
    intake.refresh_from_db()
    assert intake.answers == {}


def test_autosave_needs_the_csrf_token(cast: Cast) -> None:
    from django.test import Client

    open_intake(cast.patient_p, cast.therapist_a)
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.patient_p.user)
    response = client.post(section_url("where"), {"pain_side": "right"}, **AUTOSAVE)
    assert response.status_code == 403


def test_resuming_shows_the_answers_already_given(cast: Cast) -> None:
    open_intake(cast.patient_p, cast.therapist_a)
    client = signed_in(cast.patient_p.user)
    fill(client, ["story", "where"])
    client.post(section_url("daily-life"), {"triggers": "Getting out of the car"}, **AUTOSAVE)
    again = signed_in(cast.patient_p.user)  # a new session, as after closing the browser
    page = again.get(section_url("daily-life")).content.decode()
    assert "Getting out of the car" in page
    overview = again.get(reverse("intake:overview")).content.decode()
    assert "3 of 12" in overview
    assert "Carry on: Work, activity and goals" in overview


def test_progress_counts_only_finished_pages(cast: Cast) -> None:
    intake = open_intake(cast.patient_p, cast.therapist_a)
    client = signed_in(cast.patient_p.user)
    fill(client, ["story"])
    client.post(section_url("safety"), {"collapse": "no"})
    intake.refresh_from_db()
    assert intake.sections_done == ["story"]


def test_unknown_page_is_404(cast: Cast) -> None:
    open_intake(cast.patient_p, cast.therapist_a)
    assert signed_in(cast.patient_p.user).get(section_url("nope")).status_code == 404


def test_another_patients_intake_is_never_reached(cast: Cast) -> None:
    intake_p = open_intake(cast.patient_p, cast.therapist_a)
    client = signed_in(cast.patient_q.user)  # Q has no open episode
    client.post(section_url("where"), {"pain_side": "left"})
    intake_p.refresh_from_db()
    assert intake_p.answers == {}
    assert client.get(reverse("intake:overview")).content.count(b"Nothing to fill in") == 1


def test_sending_needs_the_safety_pages(cast: Cast) -> None:
    intake = open_intake(cast.patient_p, cast.therapist_a)
    client = signed_in(cast.patient_p.user)
    fill(client, ["story", "where"])
    response = client.post(reverse("intake:submit"), follow=True)
    assert b"safety questions before sending" in response.content
    intake.refresh_from_db()
    assert intake.status == IntakeStatus.DRAFT


def test_submit_stores_the_scores_the_core_computes(cast: Cast) -> None:
    intake = open_intake(cast.patient_p, cast.therapist_a)
    client = signed_in(cast.patient_p.user)
    fill(client)
    response = client.post(reverse("intake:submit"))
    assert response["Location"] == reverse("intake:done")
    intake.refresh_from_db()
    assert intake.status == IntakeStatus.SUBMITTED
    today = timezone.localdate(timezone.now(), zoneinfo.ZoneInfo(cast.clinic_a.time_zone))
    case = care.parse_case(scoring.case_data(intake.answers, intake, today))
    scores = care.score_all(case)
    stored = {s.instrument: s for s in OutcomeScore.objects.filter(episode=intake.episode)}
    assert set(stored) == {"nprs", "odi", "psfs", "peg", "start_back", "fabq_pa", "fabq_work"}
    assert stored["nprs"].value == scores.nprs.score == 6
    assert stored["nprs"].loinc == "72514-3"
    assert stored["odi"].value == scores.odi.percent
    assert stored["odi"].details["band"] == scores.odi.band
    assert stored["odi"].loinc == "97909-6"
    assert stored["psfs"].value == scores.psfs.mean == 3.0
    assert stored["start_back"].value == scores.start_back.total
    assert stored["start_back"].details["risk"] == scores.start_back.risk
    assert stored["start_back"].loinc == "91351-7"
    assert stored["fabq_pa"].value == scores.fabq.physical_activity.score
    assert stored["fabq_work"].value == scores.fabq.work.score
    assert stored["peg"].value == scores.get("peg").mean == 5.67  # (6 + 7 + 4) / 3
    assert stored["peg"].loinc == "91147-9"
    assert stored["peg"].details == {"pain": 6, "enjoyment": 7, "activity": 4}
    assert all(s.source == "intake" and s.measured_on == today for s in stored.values())


def test_what_cannot_be_scored_is_said_gently_and_not_stored(cast: Cast) -> None:
    intake = open_intake(cast.patient_p, cast.therapist_a)
    client = signed_in(cast.patient_p.user)
    fill(client, ["safety", "more-safety", "pain-and-activities"])
    client.post(section_url("daily-activities"), {"section_1": "2"})  # ODI: 9 missing
    client.post(reverse("intake:submit"))
    stored = set(
        OutcomeScore.objects.filter(episode=intake.episode).values_list("instrument", flat=True)
    )
    assert stored == {"nprs", "psfs"}
    page = client.get(reverse("intake:done")).content.decode()
    assert "what you can do at the moment" in page
    assert "we will go through this at your visit" in page
    assert "cannot score" not in page  # the core's technical reason is for the therapist
    assert reverse("portal:coverage") in page  # next: their insurance (docs/billing.md)


def test_a_sent_intake_is_no_longer_changed_online(cast: Cast) -> None:
    intake = open_intake(cast.patient_p, cast.therapist_a)
    client = signed_in(cast.patient_p.user)
    fill(client)
    client.post(reverse("intake:submit"))
    response = client.post(section_url("where"), {"pain_side": "right"}, **AUTOSAVE)
    assert response.status_code == 409
    assert client.post(section_url("where"), {"pain_side": "right"}).status_code == 302
    intake.refresh_from_db()
    assert intake.answers["episode"]["pain_side"] == "left"
    assert client.get(reverse("intake:overview"))["Location"] == reverse("intake:done")


def test_sending_twice_stores_scores_once(cast: Cast) -> None:
    intake = open_intake(cast.patient_p, cast.therapist_a)
    client = signed_in(cast.patient_p.user)
    fill(client)
    client.post(reverse("intake:submit"))
    client.post(reverse("intake:submit"))
    assert OutcomeScore.objects.filter(episode=intake.episode, instrument="nprs").count() == 1


def test_the_visit_date_in_the_answers_is_the_appointment_day(cast: Cast) -> None:
    intake = open_intake(cast.patient_p, cast.therapist_a)
    fill(signed_in(cast.patient_p.user), ["story"])
    intake.refresh_from_db()
    # 15:00 UTC on 4 March 2031 is 10:00 in New York, the clinic's zone.
    assert intake.answers["visit"] == {"kind": "initial", "number": 1, "date": "2031-03-04"}
    assert Intake.objects.get().notes["story"] == "Lifted a sofa."


def test_portal_home_links_to_an_open_intake(cast: Cast) -> None:
    client = signed_in(cast.patient_p.user)
    assert b"Start my questions" not in client.get(reverse("portal:home")).content
    open_intake(cast.patient_p, cast.therapist_a)
    assert b"Start my questions" in client.get(reverse("portal:home")).content
    fill(client, ["story"])
    assert b"Carry on with my questions" in client.get(reverse("portal:home")).content


def test_age_comes_from_the_record_not_the_answers(cast: Cast) -> None:
    intake = open_intake(cast.patient_p, cast.therapist_a)
    data = scoring.case_data({}, intake, dt.date(2026, 5, 17))
    assert data["patient"] == {"age": 41}  # born 17 May 1985
    assert "patient" not in intake.answers
