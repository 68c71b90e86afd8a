"""SCREEN-2 in the record: a referral puts the episode on hold until a medical clearance.

The finding: after an emergency or urgent referral the next visit carried on as usual, with no
request for medical clearance and a full plan again.
"""

import datetime as dt

import pytest
from django.urls import reverse

from tests.web import matrix_clinical as mc
from unknot.audit.models import AuditEvent
from unknot.plans import visits as vs
from unknot.records.clinical import holds
from unknot.records.models import MedicalHold

D = vs.Delivered


@pytest.fixture
def plan(cast):
    return mc.signed(cast)


def urgent_visit(cast, episode):
    """A visit where the person reports weight loss: RF-CANCER, an urgent referral."""
    return mc.visit(cast, episode, positive_flags={"unexplained_weight_loss"},
                    delivered=[D("education", 10)])  # fmt: skip


def clear(cast, hold, restrictions=(), when=mc.DAY):
    data = holds.ClearanceInput("Dr. Ana Patel, primary care", when, tuple(restrictions), "ok")
    return holds.hold_clear(by=cast.therapist_a, hold=hold, data=data, now=mc.NOW, today=mc.DAY)


def test_an_urgent_referral_at_a_visit_puts_the_episode_on_hold(cast, plan):
    visit = urgent_visit(cast, plan.episode)
    hold = MedicalHold.objects.get(episode=plan.episode)
    assert hold.is_open and (hold.source, hold.visit) == ("visit", visit)
    assert hold.rules == ["RF-CANCER"] and "unexplained_weight_loss" in hold.findings
    assert AuditEvent.objects.filter(object_type="medical_hold", reason="opened_visit").exists()


def test_the_next_visit_records_findings_and_education_only(cast, plan):
    urgent_visit(cast, plan.episode)
    with pytest.raises(vs.VisitError, match="not until cleared"):
        mc.visit(cast, plan.episode, delivered=[D("stretching", 15)])  # flags all "no" now
    later = mc.visit(cast, plan.episode, delivered=[D("education", 10)],
                     subjective="Saw her doctor yesterday; bloods pending.")  # fmt: skip
    assert list(later.triage["on_hold"]) == ["RF-CANCER"]
    assert [i.intervention for i in later.interventions.all()] == ["education"]


def test_a_clearance_lifts_the_hold_and_its_restrictions_feed_later_visits(cast, plan):
    urgent_visit(cast, plan.episode)
    clear(cast, MedicalHold.objects.get(), restrictions=["no_thrust", "light_pressure_only"])
    after = mc.visit(cast, plan.episode, delivered=[D("stretching", 15)])
    assert not after.triage["on_hold"]
    with pytest.raises(vs.VisitError, match="Thrust manipulation: contraindicated"):
        mc.visit(cast, plan.episode, delivered=[D("thrust_manipulation", 10)])


def test_cleared_findings_carried_from_the_intake_do_not_refer_again(cast):
    episode = mc.episode(cast, mc.intake_answers(conditions=["cancer_history"]))
    mc.draft(cast, episode)
    clear(cast, MedicalHold.objects.get())
    plan = mc.draft(cast, episode)
    assert plan.proposal["plan"]["status"] == "planned"
    assert plan.proposal["triage"]["tier"] == "MONITOR"  # cleared: watched, not referred
    mc.sign(cast, plan)
    after = mc.visit(cast, episode, delivered=[D("stretching", 15)])
    assert after.triage["tier"] == "MONITOR" and MedicalHold.objects.count() == 1


def test_a_finding_reported_again_after_clearance_refers_again(cast, plan):
    urgent_visit(cast, plan.episode)
    clear(cast, MedicalHold.objects.get())
    again = urgent_visit(cast, plan.episode)
    assert again.triage["tier"] == "URGENT_REFERRAL"
    assert MedicalHold.objects.filter(cleared_at__isnull=True).count() == 1


def test_an_emergency_at_a_visit_opens_a_hold_too(cast, plan):
    mc.visit(cast, plan.episode, positive_flags={"saddle_anaesthesia"})
    assert MedicalHold.objects.get().tier == "EMERGENCY_SAME_DAY"


def test_an_intake_pointing_to_a_referral_opens_the_hold(cast):
    answers = mc.intake_answers(conditions=["cancer_history"])
    episode = mc.episode(cast, answers)
    plan = mc.draft(cast, episode)  # the evaluation's proposal sees RF-CANCER
    hold = MedicalHold.objects.get(episode=episode)
    assert hold.source == "evaluation" and hold.rules == ["RF-CANCER"]
    assert plan.proposal["plan"]["status"] == "planned"  # the referral visit: what is safe
    again = mc.draft(cast, episode)
    assert again.proposal["plan"]["status"] == "on_hold"


def test_a_hold_is_cleared_once(cast, plan):
    urgent_visit(cast, plan.episode)
    hold = MedicalHold.objects.get()
    clear(cast, hold)
    with pytest.raises(holds.ClearanceError, match="already cleared"):
        clear(cast, hold)


@pytest.mark.parametrize(
    ("physician", "when", "restrictions", "words"),
    [
        ("  ", mc.DAY, (), "who cleared"),
        ("Dr. Patel", mc.DAY + dt.timedelta(days=1), (), "in the future"),
        ("Dr. Patel", None, (), "before the referral"),
        ("Dr. Patel", mc.DAY, ("no_swimming",), "from the list"),
    ],
)
def test_a_clearance_with_bad_input_changes_nothing(cast, plan, physician, when, restrictions,
                                                     words):  # fmt: skip
    urgent_visit(cast, plan.episode)
    hold = MedicalHold.objects.get()
    when = when or hold.opened_at.date() - dt.timedelta(days=30)
    data = holds.ClearanceInput(physician, when, restrictions)
    with pytest.raises(holds.ClearanceError, match=words):
        holds.hold_clear(by=cast.therapist_a, hold=hold, data=data, now=mc.NOW, today=mc.DAY)
    hold.refresh_from_db()
    assert hold.is_open


def test_the_clearance_page_records_it_and_the_chart_shows_it(cast, plan, client):
    urgent_visit(cast, plan.episode)
    hold = MedicalHold.objects.get()
    client.force_login(cast.therapist_a)
    chart = client.get(reverse("clinical:episode", args=[plan.episode.pk])).content.decode()
    assert "On hold: awaiting medical clearance" in chart and "possible spinal malignancy" in chart
    url = reverse("clinical:hold_clear", args=[hold.pk])
    page = client.get(url)
    assert page.status_code == 200 and "No thrust manipulation" in page.content.decode()
    today = page.context["form"].initial["cleared_on"]
    response = client.post(url, {"physician": "Dr. Ana Patel", "cleared_on": today.isoformat(),
                                 "restrictions": ["no_heat"], "note": "imaging clear"})  # fmt: skip
    assert response.status_code == 302
    hold.refresh_from_db()
    assert not hold.is_open and hold.restrictions == ["no_heat"]
    chart = client.get(reverse("clinical:episode", args=[plan.episode.pk])).content.decode()
    assert "cleared by Dr. Ana Patel" in chart and "No heat" in chart
    assert "RF-CANCER" not in chart and "no_heat" not in chart  # labels, never keys


@pytest.mark.parametrize(
    "post",
    [
        {"physician": "", "cleared_on": "2031-03-03"},
        {"physician": "Dr. X", "cleared_on": "9999-99-99"},
        {"physician": "Dr.\x00X", "cleared_on": "2031-03-03"},
        {"physician": "x" * 5000, "cleared_on": "2031-03-03"},
        {"physician": "Dr. X", "cleared_on": "2031-03-03", "restrictions": ["drop table"]},
    ],
)
def test_the_clearance_page_answers_bad_input_with_a_message(cast, plan, client, post):
    urgent_visit(cast, plan.episode)
    hold = MedicalHold.objects.get()
    client.force_login(cast.therapist_a)
    response = client.post(reverse("clinical:hold_clear", args=[hold.pk]), post)
    assert response.status_code == 400
    hold.refresh_from_db()
    assert hold.is_open


def test_the_patients_home_exercises_are_paused_while_a_referral_waits(cast, plan, client):
    client.force_login(cast.patient_p.user)
    before = client.get(reverse("home_programme:home")).content.decode()
    assert "Log a session" in before and "paused" not in before
    urgent_visit(cast, plan.episode)
    paused = client.get(reverse("home_programme:home")).content.decode()
    assert "Your home exercises are paused for now" in paused and "Log a session" not in paused
    assert client.get(reverse("home_programme:handout_pdf")).status_code == 404
    clear(cast, MedicalHold.objects.get())
    after = client.get(reverse("home_programme:home")).content.decode()
    assert "Log a session" in after and "paused for now" not in after
