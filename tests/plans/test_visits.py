"""Visits: red-flag re-screen each visit, units by the 8-minute rule, progression, re-assessment."""

import datetime as dt

import pytest
from django.urls import reverse

from tests import factories
from tests.web import matrix_clinical as mc
from unknot.plans import visits as vs
from unknot.plans.models import PlanOfCare
from unknot.records.clinical import selectors as sel
from unknot.records.models import OutcomeScore, Visit

D = vs.Delivered
GOOD_ODI = [1, 1, 1, 1, 1, 1, 1, 0, 1, 1]  # 9 / 50 = 18 %
GOOD_PSFS = [{"activity": "lifting boxes", "score": 6}, {"activity": "sitting an hour", "score": 7},
             {"activity": "tying shoes", "score": 8}]  # fmt: skip


@pytest.fixture
def plan(cast):
    return mc.signed(cast)


@pytest.mark.parametrize(
    ("rows", "units"),
    [
        ([("97110", 7)], [0]),  # under 8 minutes: nothing to bill
        ([("97110", 8)], [1]),
        ([("97110", 22)], [1]),
        ([("97110", 23)], [2]),
        ([("97110", 10), ("97140", 8)], [1, 0]),  # 18 min = 1 unit, to the most minutes
        ([("97140", 20), ("97110", 15), ("97010", 15)], [1, 1, 1]),  # 35 timed = 2; pack 1
        ([("97140", 10), ("97140", 10)], [1, 0]),  # one code, 20 min = 1 unit in all
        ([("97110", 38), ("97112", 7)], [3, 0]),  # 45 min = 3 units
    ],
)
def test_units_follow_the_8_minute_rule(rows, units):
    assert vs.split_units(rows) == units


def test_a_visit_stores_interventions_with_cpt_units_and_the_pain_score(cast, plan):
    visit = mc.visit(cast, plan.episode, delivered=[
        D("soft_tissue_massage", 20), D("stretching", 15), D("superficial_heat", 15)])  # fmt: skip
    rows = {i.intervention: (i.cpt, i.units) for i in visit.interventions.all()}
    assert rows == {"soft_tissue_massage": ("97140", 1), "stretching": ("97110", 1),
                    "superficial_heat": ("97010", 1)}  # fmt: skip
    score = OutcomeScore.objects.get(source="visit")
    assert (score.instrument, score.value, score.loinc) == ("nprs", 6, "72514-3")
    assert visit.number == 1 and visit.triage["tier"] == "NONE"


def test_a_red_flag_first_appearing_at_visit_3_changes_that_visits_triage(cast, plan):
    first, second = mc.visit(cast, plan.episode), mc.visit(cast, plan.episode)
    third = mc.visit(cast, plan.episode, positive_flags={"bladder_dysfunction"},
                     delivered=[D("stretching", 15)])  # fmt: skip
    assert [first.triage["tier"], second.triage["tier"]] == ["NONE", "NONE"]
    assert third.number == 3
    assert third.triage["tier"] == "EMERGENCY_SAME_DAY"
    assert third.triage["changed_from"] == "NONE"
    assert [r["rule_id"] for r in third.triage["fired"]] == ["RF-CES"]
    assert not third.interventions.exists()  # the visit stops: nothing is delivered
    assert third.red_flags["bladder_dysfunction"] is True


def test_an_urgent_flag_at_a_visit_makes_thrust_unsafe_that_day(cast, plan):
    with pytest.raises(vs.VisitError, match="Thrust manipulation: contraindicated"):
        mc.visit(cast, plan.episode, positive_flags={"unexplained_weight_loss"},
                 delivered=[D("thrust_manipulation", 10)])  # fmt: skip
    assert not Visit.objects.exists()


def test_the_emergency_page_stops_the_visit_with_guidance(cast, plan, client):
    client.force_login(cast.therapist_a)
    data = {"performed_on": "2031-03-03", "red_flags": ["saddle_anaesthesia"],
            "rescreen_done": "on", "nprs": "8", "iv-TOTAL_FORMS": "1", "iv-INITIAL_FORMS": "0",
            "iv-0-intervention": "stretching", "iv-0-minutes": "10"}  # fmt: skip
    response = client.post(reverse("clinical:visit_new", args=[plan.episode.pk]), data)
    page = client.get(response["Location"]).content.decode()
    assert "Emergency: stop this visit" in page and "emergency department" in page
    assert not Visit.objects.get().interventions.exists()


def test_the_re_screen_must_be_confirmed(cast, plan, client):
    client.force_login(cast.therapist_a)
    data = {"performed_on": "2031-03-03", "nprs": "5", "iv-TOTAL_FORMS": "0",
            "iv-INITIAL_FORMS": "0"}  # fmt: skip
    response = client.post(reverse("clinical:visit_new", args=[plan.episode.pk]), data)
    assert response.status_code == 200 and not Visit.objects.exists()


def test_the_form_is_prefilled_from_the_plan_and_the_last_visit(cast, plan, client):
    mc.visit(cast, plan.episode, plan_text="progress the bridge", delivered=[
        D("soft_tissue_massage", 12)])  # fmt: skip
    client.force_login(cast.therapist_a)
    response = client.get(reverse("clinical:visit_new", args=[plan.episode.pk]))
    assert response.context["form"].initial["plan_text"] == "progress the bridge"
    planned = {row["intervention"]: row["minutes"] for row in response.context["rows"].initial}
    assert planned["soft_tissue_massage"] == 12  # minutes given last time
    assert "thrust_manipulation" in planned  # planned in the current phase (symptom relief)
    assert response.context["again"] is None  # visit 2 is no re-assessment


def test_a_visit_can_start_from_an_appointment_of_that_patient(cast, plan, client):
    booked = factories.booked_appointment(
        cast, patient=cast.patient_p, type="follow_up",
        when=dt.datetime(2031, 3, 4, 14, tzinfo=dt.UTC), now=mc.NOW,
    )  # fmt: skip
    client.force_login(cast.therapist_a)
    url = reverse("clinical:visit_new", args=[plan.episode.pk]) + f"?appointment={booked.pk}"
    assert client.get(url).context["form"].initial["performed_on"] == dt.date(2031, 3, 4)
    data = {"performed_on": "2031-03-04", "rescreen_done": "on", "nprs": "5",
            "iv-TOTAL_FORMS": "0", "iv-INITIAL_FORMS": "0"}  # fmt: skip
    client.post(url, data)
    assert Visit.objects.get().appointment == booked
    other = reverse("clinical:visit_new", args=[plan.episode.pk]) + f"?appointment={booked.pk}"
    assert client.get(other).status_code == 404  # already written up


def test_progression_is_suggested_and_accepting_moves_the_signed_plans_phase(cast, plan):
    assert plan.current_phase == "symptom_relief"
    for _ in range(3):
        mc.visit(cast, plan.episode, nprs=4)
    fourth = mc.visit(cast, plan.episode, nprs=3, symptom_course="centralising", flare_24h=False,
                      reassessment={"odi": GOOD_ODI, "psfs": GOOD_PSFS})  # fmt: skip
    suggestion = fourth.progression["suggestion"]
    assert suggestion["ready_for_active_care"] is True and suggestion["heuristic"] is True
    assert suggestion["rule_id"] == "PROG-1"
    assert any("NPRS 3 is 3 or less" in reason for reason in suggestion["reasons"])
    vs.visit_accept_progression(by=cast.therapist_a, visit=fourth, now=mc.NOW)
    plan.refresh_from_db()
    fourth.refresh_from_db()
    assert plan.current_phase == "active_care" and plan.status == "signed"
    accepted = fourth.progression["accepted"]
    assert (accepted["from"], accepted["to"], accepted["by_id"]) == (
        "symptom_relief",
        "active_care",
        cast.therapist_a.staff_member.pk,
    )
    assert PlanOfCare.objects.count() == 1  # no new version for the phase


def test_without_a_recent_odi_progression_says_it_cannot_tell(cast, plan):
    visit = mc.visit(cast, plan.episode, nprs=2, symptom_course="stable", flare_24h=False)
    assert visit.progression["suggestion"]["ready_for_active_care"] is None
    with pytest.raises(vs.VisitError):
        vs.visit_accept_progression(by=cast.therapist_a, visit=visit, now=mc.NOW)


def test_re_assessment_comes_every_4_visits_and_reports_change_against_mcid(cast, plan):
    for number in (1, 2, 3):
        assert not vs.is_reassessment(number)
        mc.visit(cast, plan.episode)
    assert vs.is_reassessment(4)
    fourth = mc.visit(cast, plan.episode, nprs=6, reassessment={"odi": GOOD_ODI, "psfs": GOOD_PSFS})
    stored = OutcomeScore.objects.filter(source="reassessment").order_by("instrument")
    assert [(s.instrument, s.value) for s in stored] == [("odi", 18.0), ("psfs", 7.0)]
    verdicts = {c["measure"]: c["verdict"] for c in fourth.progression["change"]}
    assert verdicts == {"nprs": "unchanged", "odi": "improved", "psfs": "improved"}


def test_the_cadence_is_a_setting(cast, plan, settings, client):
    settings.UNKNOT_REASSESS_EVERY_VISITS = 2
    mc.visit(cast, plan.episode)
    client.force_login(cast.therapist_a)
    response = client.get(reverse("clinical:visit_new", args=[plan.episode.pk]))
    again = response.context["again"]
    assert again is not None and again.initial["psfs_activity_1"] == "lifting boxes"
    assert b"Re-assessment (every 2 visits)" in response.content


def test_a_re_assessment_the_core_refuses_is_shown(cast, plan, settings, client):
    settings.UNKNOT_REASSESS_EVERY_VISITS = 1
    client.force_login(cast.therapist_a)
    data = {"performed_on": "2031-03-03", "rescreen_done": "on", "nprs": "5",
            "iv-TOTAL_FORMS": "0", "iv-INITIAL_FORMS": "0", "re-odi_1": "2",
            "re-psfs_activity_1": "lifting", "re-psfs_score_1": "4"}  # fmt: skip
    response = client.post(reverse("clinical:visit_new", args=[plan.episode.pk]), data)
    assert response.status_code == 200
    assert b"cannot score ODI: 9 of 10 sections unanswered" in response.content
    assert b"cannot score PSFS: needs 3-5 activities, got 1" in response.content
    assert not Visit.objects.exists()


def test_a_signed_note_is_locked(cast, plan, client):
    visit = mc.visit(cast, plan.episode)
    vs.visit_sign(by=cast.therapist_a, visit=visit, now=mc.NOW)
    with pytest.raises(vs.VisitError, match="signed"):
        vs.visit_update_note(by=cast.therapist_a, visit=visit, fields={"subjective": "x"})
    client.force_login(cast.therapist_a)
    response = client.post(reverse("clinical:visit_edit", args=[visit.pk]), {"subjective": "x"})
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.subjective == ""


def test_no_visit_before_a_signed_plan(cast, client):
    made = mc.episode(cast)
    client.force_login(cast.therapist_a)
    response = client.get(reverse("clinical:visit_new", args=[made.pk]))
    assert b"No signed plan of care yet" in response.content
    with pytest.raises(vs.VisitError):
        mc.visit(cast, made)


def test_the_baseline_is_the_pre_treatment_score_never_a_visits(cast, plan):
    mc.visit(cast, plan.episode, nprs=2)
    assert sel.baseline(plan.episode, sel.intake_of(plan.episode)).nprs == 7  # intake, scored
    OutcomeScore.objects.create(episode=plan.episode, instrument="nprs", value=9,
                                measured_on=mc.DAY, source="intake")  # fmt: skip
    assert sel.baseline(plan.episode, sel.intake_of(plan.episode)).nprs == 9
    later = mc.visit(cast, plan.episode, nprs=7)
    change = next(c for c in later.progression["change"] if c["measure"] == "nprs")
    assert (change["baseline"], change["verdict"]) == (9, "improved")
