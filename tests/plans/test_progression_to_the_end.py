"""The plan reaches its last phase: PROG-2 at visits, accepting it, and the home programme.

A desk worker who strained her back lifting (tests/web/matrix_clinical.py) starts in symptom
relief; PROG-1 at the visit-4 re-assessment moves her to active care; two weeks later, with
low pain, Oswestry 18 % and goals that call for loading, PROG-2 suggests the return to full
activity, whose home programme is the loaded weight training with the progressive-loading rule.
"""

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.db.models import Max
from django.test import Client
from django.urls import reverse

from tests.plans.test_home_programme import pdf_text
from tests.plans.test_visits import GOOD_ODI, GOOD_PSFS
from tests.web import matrix_clinical as mc
from unknot.audit.models import Action, AuditEvent
from unknot.care import exercise_library
from unknot.plans import phase as phases
from unknot.plans import progression as prog
from unknot.plans import services as plans
from unknot.plans import visits as vs
from unknot.plans.models import HomeExercise, PlanOfCare
from unknot.records.models import Visit

LIBRARY = {e.id: e for e in exercise_library()}
# What the return-to-activity phase is for (RULES section 3): loads go up by this rule.
RULE = ("top of the repetition range", "two sessions in a row", "no flare lasting over 24 hours")
READY = {"nprs": 2, "symptom_course": "stable", "flare_24h": False, "goals_need_loading": True}


def on(days: int) -> dt.date:
    return mc.DAY + dt.timedelta(days=days)


def in_active_care(cast: Any, **signing: Any) -> tuple[PlanOfCare, Visit]:
    """A signed plan moved to active care by PROG-1, accepted at the visit-4 re-assessment."""
    plan = mc.signed(cast, **signing)
    for _ in range(3):
        mc.visit(cast, plan.episode, nprs=4)
    fourth = mc.visit(cast, plan.episode, nprs=3, symptom_course="centralising", flare_24h=False,
                      reassessment={"odi": GOOD_ODI, "psfs": GOOD_PSFS})  # fmt: skip
    vs.visit_accept_progression(by=cast.therapist_a, visit=fourth, now=mc.NOW)
    plan.refresh_from_db()
    assert plan.current_phase == "active_care"
    return plan, fourth


def visit(cast: Any, plan: PlanOfCare, days: int, **data: Any) -> Visit:
    return mc.visit(cast, plan.episode, performed_on=on(days), **(READY | data))


def programme(plan: PlanOfCare) -> list[str]:
    return list(HomeExercise.objects.filter(plan=plan).values_list("exercise_key", flat=True))


def marks(visit: Visit) -> dict[str, str]:
    """Each criterion's text (up to its first colon) -> met / not met / unknown."""
    out = {}
    for reason in visit.progression["suggestion"]["reasons"]:
        mark, _, text = reason.partition(": ")
        out[text.split(":")[0]] = mark
    return out


def section(html: str) -> str:
    start = html.index('<section aria-labelledby="prog-h">')
    return html[start : html.index("</section>", start)]


@contextmanager
def new_writes() -> Iterator[list[tuple[str, ...]]]:
    """(action, object type, object id, reason) of the audit write rows added in the block."""
    start = AuditEvent.objects.aggregate(last=Max("id"))["last"] or 0
    found: list[tuple[str, ...]] = []
    yield found
    rows = AuditEvent.objects.filter(id__gt=start, action__in=(Action.CREATE, Action.UPDATE))
    found.extend(rows.order_by("id").values_list("action", "object_type", "object_id", "reason"))


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- PROG-2 at visits ---------------------------------------------------------------------------


def test_in_active_care_meeting_prog2_the_note_suggests_the_return_to_full_activity(cast):
    plan, _ = in_active_care(cast)
    fifth = visit(cast, plan, 14)
    suggestion = fifth.progression["suggestion"]
    assert suggestion["rule_id"] == "PROG-2" and suggestion["heuristic"] is True
    assert (suggestion["phase"], suggestion["next_phase"]) == ("active_care", "return_to_activity")
    assert suggestion["ready"] is True and suggestion["ready_for_return_to_activity"] is True
    assert marks(fifth) == {
        "pain with activity": "met",
        "function": "met",
        "loads tolerated for 2 weeks (2 weeks without a flare over 24 h needed)": "met",
        "goals": "met",
        "pain not meaningfully worse (-5)": "met",
    }
    inputs = fifth.progression["inputs"]
    assert inputs["weeks_tolerated"] == 2 and inputs["odi"] == 18.0  # the visit-4 re-assessment
    assert inputs["psfs_scores"] == [6.0, 7.0, 8.0] and inputs["goals_need_loading"] is True
    assert fifth.progression["loads"] == {
        "since": "2031-03-03", "why": "the move to active care accepted at visit 4"}  # fmt: skip


def test_the_note_shows_the_suggestion_in_words_with_its_accept_button(cast):
    plan, _ = in_active_care(cast)
    fifth = visit(cast, plan, 14)
    html = client_for(cast.therapist_a).get(reverse("clinical:visit", args=[fifth.pk]))
    shown = section(html.content.decode())
    assert "Progression suggestion (PROG-2, heuristic)" in shown
    assert "Checked from the plan's phase at this visit: Active care." in shown
    assert "Ready for return to full activity: <strong>yes</strong>" in shown
    assert "<strong>Met</strong>: pain with activity: NPRS 2 (at most 2 needed)" in shown
    assert "Current loads tolerated: 2 whole weeks, counted from 2031-03-03" in shown
    assert "Goals call for heavier loading (work, sport, lifting at home): yes." in shown
    assert "Accept: move the plan to return to full activity</button>" in shown
    for value in ("active_care", "return_to_activity", "True", "None", "{'", "ready_for"):
        assert value not in shown, value
    form = client_for(cast.therapist_a).get(reverse("clinical:visit_new", args=[plan.episode.pk]))
    page = form.content.decode()
    assert "current phase: active care" in page and "active_care" not in page


def test_criteria_not_met_or_not_recorded_say_why_and_cannot_be_accepted(cast):
    plan, _ = in_active_care(cast)
    early = visit(cast, plan, 7, nprs=4, goals_need_loading=None)
    assert early.progression["suggestion"]["ready"] is False
    assert marks(early)["pain with activity"] == "not met"
    reasons = early.progression["suggestion"]["reasons"]
    assert "not met: loads tolerated for 1 weeks (2 weeks without a flare over 24 h needed)" in (
        reasons
    )
    assert ("unknown: goals: not recorded whether work, sport or lifting at home call for it"
            in reasons)  # fmt: skip
    unknown = visit(cast, plan, 14, goals_need_loading=None)
    assert unknown.progression["suggestion"]["ready"] is None  # only the goals are unknown
    page = client_for(cast.therapist_a).get(reverse("clinical:visit", args=[unknown.pk]))
    shown = section(page.content.decode())
    assert "Ready for return to full activity: <strong>not enough recorded</strong>" in shown
    assert "<strong>Unknown (not recorded)</strong>: goals: not recorded whether" in shown
    assert "Accept:" not in shown
    for refused in (early, unknown):
        with pytest.raises(vs.VisitError, match="did not say ready for return to full activity"):
            vs.visit_accept_progression(by=cast.therapist_a, visit=refused, now=mc.NOW)
    plan.refresh_from_db()
    assert plan.current_phase == "active_care"


def test_goals_that_call_for_nothing_heavier_point_to_discharge(cast):
    plan, _ = in_active_care(cast)
    done = visit(cast, plan, 14, goals_need_loading=False)
    assert done.progression["suggestion"]["ready"] is False
    assert ("not met: goals: nothing calls for heavier loading; consider discharge instead"
            in done.progression["suggestion"]["reasons"])  # fmt: skip


def test_a_flare_starts_the_weeks_again(cast):
    plan, _ = in_active_care(cast)
    flared = visit(cast, plan, 7, flare_24h=True)
    assert marks(flared)["loads"] == "not met"  # a flare after the last dose
    one_week = visit(cast, plan, 14)
    assert one_week.progression["inputs"]["weeks_tolerated"] == 1
    assert one_week.progression["loads"]["why"] == "a flare over 24 h recorded at visit 5"
    assert one_week.progression["suggestion"]["ready"] is False
    two_weeks = visit(cast, plan, 21)
    assert two_weeks.progression["inputs"]["weeks_tolerated"] == 2
    assert two_weeks.progression["suggestion"]["ready"] is True


def test_a_plan_signed_in_active_care_counts_the_weeks_from_its_signing(cast):
    plan = mc.signed(cast)
    PlanOfCare.objects.filter(pk=plan.pk).update(current_phase="active_care")
    plan.refresh_from_db()
    since = prog.loads_since(plan.episode, plan)
    assert since is not None and since.why == "plan v1 signed in active care"
    assert since.day == dt.date(2031, 3, 3)  # 12:00 UTC, a Monday morning in New York
    assert (since.weeks_to(on(13)), since.weeks_to(on(14)), since.weeks_to(on(-3))) == (1, 2, 0)
    # No Oswestry or PSFS stored yet: function is unknown, never guessed.
    first = visit(cast, plan, 14)
    assert marks(first)["function"] == "unknown"
    assert first.progression["suggestion"]["ready"] is None


def test_symptom_relief_has_no_weeks_tolerated(cast):
    plan = mc.signed(cast)
    first = mc.visit(cast, plan.episode, nprs=5, flare_24h=False)
    assert first.progression["inputs"]["weeks_tolerated"] is None
    assert first.progression["loads"] is None
    assert first.progression["suggestion"]["rule_id"] == "PROG-1"


def test_the_goals_answer_starts_from_the_intake_rule_then_the_last_visit(cast):
    desk = mc.signed(cast)
    url = reverse("clinical:visit_new", args=[desk.episode.pk])
    therapist = client_for(cast.therapist_a)
    assert therapist.get(url).context["form"].initial["goals_need_loading"] == ""
    mc.visit(cast, desk.episode, goals_need_loading=False)
    assert therapist.get(url).context["form"].initial["goals_need_loading"] == "no"
    lifestyle = mc.INTAKE["lifestyle"] | {"work": ["manual"]}
    manual = mc.episode(cast, mc.intake_answers(lifestyle=lifestyle), patient=cast.patient_q,
                        clinic=cast.clinic_a)  # fmt: skip
    assert prog.goals_default(manual) is True  # care.assess.goals_need_loading: manual work


def test_the_form_records_the_goals_answer(cast):
    plan, _ = in_active_care(cast)
    data = {"performed_on": on(14).isoformat(), "rescreen_done": "on", "nprs": "2",
            "symptom_course": "stable", "flare_24h": "no", "goals_need_loading": "yes",
            "iv-TOTAL_FORMS": "0", "iv-INITIAL_FORMS": "0"}  # fmt: skip
    client_for(cast.therapist_a).post(reverse("clinical:visit_new", args=[plan.episode.pk]), data)
    fifth = Visit.objects.get(episode=plan.episode, number=5)
    assert fifth.progression["inputs"]["goals_need_loading"] is True
    assert fifth.progression["suggestion"]["ready"] is True


# --- accepting: the plan moves and the home programme switches ----------------------------------


def test_accepting_moves_the_plan_to_return_to_full_activity_with_loaded_home_exercises(
    cast, tmp_path: Path
):
    plan, _ = in_active_care(cast)
    fifth = visit(cast, plan, 14)
    vs.visit_accept_progression(by=cast.therapist_a, visit=fifth, now=mc.NOW)
    plan.refresh_from_db()
    fifth.refresh_from_db()
    assert plan.current_phase == "return_to_activity" and plan.status == "signed"
    assert PlanOfCare.objects.count() == 1  # a phase change makes no new version
    keys = programme(plan)
    core = phases.programme_for(plan.episode, "return_to_activity")
    assert keys == [e.id for e in core.exercises]
    assert all("return_to_activity" in LIBRARY[k].phases for k in keys), keys
    loaded = [k for k in keys if LIBRARY[k].category == "loaded_strength"]
    assert loaded, keys
    for key in loaded:
        assert all(words in LIBRARY[key].progress for words in RULE), LIBRARY[key].progress
    accepted = fifth.progression["accepted"]
    assert (accepted["from"], accepted["to"], accepted["plan_version"]) == (
        "active_care", "return_to_activity", 1)  # fmt: skip
    assert accepted["by_id"] == cast.therapist_a.staff_member.pk
    assert accepted["at"] == mc.NOW.isoformat() and accepted["home_programme"] == keys
    # The person reads each loaded exercise with its progression line, online and on paper.
    person = client_for(cast.patient_p.user)
    home = person.get(reverse("home_programme:home")).content.decode()
    text = pdf_text(person.get(reverse("home_programme:handout_pdf")).content, tmp_path)
    for key in loaded:
        exercise = LIBRARY[key]
        block = home[home.index(f'id="exercise-{key}"') :]
        block = block[: block.index("</li>\n")]
        line = exercise.progress[:1].upper() + exercise.progress[1:]
        assert exercise.name in block and f"<dt>When it feels easy</dt><dd>{line}</dd>" in block
        assert exercise.name in text and " ".join(exercise.progress.split()) in text, text


def test_the_note_tells_what_was_accepted_in_words(cast):
    plan, _ = in_active_care(cast)
    fifth = visit(cast, plan, 14)
    therapist = client_for(cast.therapist_a)
    answer = therapist.post(reverse("clinical:visit_accept_progression", args=[fifth.pk]),
                            follow=True)  # fmt: skip
    page = answer.content.decode()
    assert "Accepted: the plan&#x27;s current phase is now return to full activity." in page
    shown = section(page)
    assert re.search(r"plan v1 moved from active care to return to full activity\. The home "
                     r"programme now holds: [^<]*Romanian deadlift", shown), shown  # fmt: skip
    assert "Accept:" not in shown


def test_accepting_twice_or_after_the_plan_moved_is_refused_with_nothing_changed(cast):
    plan, _ = in_active_care(cast)
    fifth, sixth = visit(cast, plan, 14), visit(cast, plan, 15)
    vs.visit_accept_progression(by=cast.therapist_a, visit=fifth, now=mc.NOW)
    plan.refresh_from_db()
    before = (plan.current_phase, programme(plan), list(HomeExercise.objects.values_list("pk")))
    fifth.refresh_from_db()
    accepted = dict(fifth.progression["accepted"])
    with new_writes() as refused:
        with pytest.raises(vs.VisitError, match="already accepted"):
            vs.visit_accept_progression(by=cast.therapist_a, visit=fifth, now=mc.NOW)
        moved = "moved since this suggestion: it is now in return to full activity. Nothing"
        with pytest.raises(vs.VisitError, match=re.escape(moved)):
            vs.visit_accept_progression(by=cast.therapist_a, visit=sixth, now=mc.NOW)
    assert refused == []
    plan.refresh_from_db()
    fifth.refresh_from_db()
    sixth.refresh_from_db()
    after = (plan.current_phase, programme(plan), list(HomeExercise.objects.values_list("pk")))
    assert after == before and fifth.progression["accepted"] == accepted
    assert "accepted" not in sixth.progression
    # Through the page: the refusal is shown, and the plan stays where it is.
    page = client_for(cast.therapist_a).post(
        reverse("clinical:visit_accept_progression", args=[sixth.pk]), follow=True
    )
    assert "The plan has moved since this suggestion" in page.content.decode()
    assert PlanOfCare.objects.get().current_phase == "return_to_activity"


def test_accepting_prog1_switches_the_home_programme_to_active_care(cast):
    made = mc.episode(cast)
    draft = mc.draft(cast, made)
    for key, where in (("walking", "active_care"), ("prone_lying", "symptom_relief")):
        plans.element_add(by=cast.therapist_a, plan=draft, now=mc.NOW, new=plans.NewElement(
            phase=where, item=f"ex:{key}", reason="she likes it", dose=f"{key} dose"))  # fmt: skip
    mc.sign(cast, draft)
    plan = PlanOfCare.objects.get(pk=draft.pk)
    relief = programme(plan)
    assert "prone_lying" in relief and "walking" in relief  # signing keeps every exercise
    for _ in range(3):
        mc.visit(cast, made, nprs=4)
    fourth = mc.visit(cast, made, nprs=3, symptom_course="centralising", flare_24h=False,
                      reassessment={"odi": GOOD_ODI, "psfs": GOOD_PSFS})  # fmt: skip
    with new_writes() as rows:
        vs.visit_accept_progression(by=cast.therapist_a, visit=fourth, now=mc.NOW)
    plan.refresh_from_db()
    core = [e.id for e in phases.programme_for(made, "active_care").exercises]
    keys = programme(plan)
    assert plan.current_phase == "active_care"
    assert keys[: len(core)] == core and "prone_lying" not in keys  # symptom relief's: gone
    assert "walking" in keys  # the therapist's own active-care exercise is kept, with its dose
    assert HomeExercise.objects.get(plan=plan, exercise_key="walking").dose == "walking dose"
    assert all("active_care" in LIBRARY[k].phases for k in keys), keys
    assert rows == [
        (Action.UPDATE, "plan", str(plan.pk), "phase_changed"),
        (Action.UPDATE, "plan", str(plan.pk), "home_programme_switched"),
        (Action.UPDATE, "visit", str(fourth.pk), "progression_accepted"),
    ]


def test_the_last_phase_has_no_next_step_to_accept(cast):
    plan, _ = in_active_care(cast)
    fifth = visit(cast, plan, 14)
    vs.visit_accept_progression(by=cast.therapist_a, visit=fifth, now=mc.NOW)
    sixth = visit(cast, plan, 21)
    suggestion = sixth.progression["suggestion"]
    assert (suggestion["rule_id"], suggestion["next_phase"]) == ("PLAN-DISCHARGE", None)
    assert sixth.progression["loads"] is None  # weeks tolerated are asked in active care only
    page = client_for(cast.therapist_a).get(reverse("clinical:visit", args=[sixth.pk]))
    shown = section(page.content.decode())
    assert "Checked from the plan's phase at this visit: Return to full activity." in shown
    assert "This is the plan's last phase: discharge when the goals are met." in shown
    assert "Accept:" not in shown and "None" not in shown
    with pytest.raises(vs.VisitError, match="no next phase"):
        vs.visit_accept_progression(by=cast.therapist_a, visit=sixth, now=mc.NOW)


def test_a_revision_signed_after_the_move_keeps_the_phases_programme(cast):
    plan, _ = in_active_care(cast)
    fifth = visit(cast, plan, 14)
    vs.visit_accept_progression(by=cast.therapist_a, visit=fifth, now=mc.NOW)
    plan.refresh_from_db()
    second = plans.plan_revise(by=cast.therapist_a, plan=plan)
    plans.plan_sign(by=cast.therapist_a, plan=second, now=mc.NOW)
    second.refresh_from_db()
    assert second.current_phase == "return_to_activity"
    assert programme(second) == programme(plan)


def test_the_audit_trail_of_an_accepted_prog2(cast):
    plan, _ = in_active_care(cast)
    fifth = visit(cast, plan, 14)
    with new_writes() as rows:
        vs.visit_accept_progression(by=cast.therapist_a, visit=fifth, now=mc.NOW)
    assert rows == [
        (Action.UPDATE, "plan", str(plan.pk), "phase_changed"),
        (Action.UPDATE, "plan", str(plan.pk), "home_programme_switched"),
        (Action.UPDATE, "visit", str(fifth.pk), "progression_accepted"),
    ]
    switched = AuditEvent.objects.filter(reason="home_programme_switched").order_by("id")
    assert switched.count() == 2  # PROG-1 at visit 4, PROG-2 now: one row each
    assert {(e.patient_id, e.clinic_id, e.actor_id) for e in switched} == {
        (cast.patient_p.pk, cast.clinic_a.pk, cast.therapist_a.pk)}  # fmt: skip


# --- who may accept -------------------------------------------------------------------------------

EXPECTED = {"anonymous": "login", "therapist_b": 404, "auditor": 403, "front_desk_a": 403,
            "patient_p": 403, "patient_q": 403, "therapist_a": 302, "manager": 302}  # fmt: skip


@pytest.mark.parametrize("persona", sorted(EXPECTED))
def test_the_accept_endpoint_by_persona(cast, persona):
    plan, _ = in_active_care(cast)
    fifth = visit(cast, plan, 14)
    before = programme(plan)
    client = Client() if persona == "anonymous" else client_for(cast.users[persona])
    url = reverse("clinical:visit_accept_progression", args=[fifth.pk])
    assert client.get(url).status_code == 405  # a write: POST only, for everyone
    response = client.post(url)
    want = EXPECTED[persona]
    if want == "login":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    else:
        assert response.status_code == want
    plan.refresh_from_db()
    if want == 302:
        assert plan.current_phase == "return_to_activity" and programme(plan) != before
    else:
        assert plan.current_phase == "active_care" and programme(plan) == before
        fifth.refresh_from_db()
        assert "accepted" not in fifth.progression
