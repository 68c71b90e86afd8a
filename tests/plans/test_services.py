"""Plan of care: the proposal, edits with kept reasons, goals, versions and what signing makes."""

import json
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse

from tests.web import matrix_clinical as mc
from unknot import care
from unknot.plans import elements as el
from unknot.plans import services
from unknot.plans.models import EducationAssignment, HomeExercise, PlanOfCare, PlanStatus

CASES = sorted((Path(__file__).resolve().parents[2] / "docs" / "cases").glob("[0-9]*[!t].json"))


def _contraindicated(proposal: dict) -> set[str]:
    return {v["intervention"] for v in proposal["safety"] if v["verdict"] == "contraindicated"}


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_no_proposal_of_the_worked_cases_contains_a_contraindicated_intervention(path):
    assessment = care.assess(care.parse_case(json.loads(path.read_text())))
    proposal = care.to_json(assessment)
    if assessment.plan.status != "planned":
        return  # emergency: nothing is planned at all
    elements = el.from_proposal(assessment, ())
    assert elements, "a planned case proposes something"
    assert {e["intervention"] for e in elements} & _contraindicated(proposal) == set()
    assert all(e["safety"] != "contraindicated" for e in elements)


def test_a_proposal_for_an_episode_with_a_clot_leaves_out_massage_and_heat(cast):
    answers = mc.intake_answers(conditions=["dvt"])
    plan = mc.draft(cast, mc.episode(cast, answers))
    banned = _contraindicated(plan.proposal)
    assert {"soft_tissue_massage", "superficial_heat"} <= banned
    assert not {e.get("intervention") for e in plan.elements} & banned
    assert len(plan.proposal["safety"]) == len(care.vocab.INTERVENTIONS)


def test_each_proposed_element_carries_its_reason_rule_grade_and_verdict(cast):
    plan = mc.draft(cast, mc.episode(cast))
    assert plan.status == PlanStatus.DRAFT and plan.version == 1
    thrust = next(e for e in plan.elements if e["intervention"] == "thrust_manipulation")
    assert thrust["rule_id"] == "CPR-POS" and thrust["safety"] == "ok" and thrust["reason"]
    massage = next(e for e in plan.elements if e["rule_id"] == "CPG-MASSAGE")
    assert massage["grade"] == "B"
    home = [e for e in plan.elements if e.get("exercise_key")]
    assert home and all(e["heuristic"] and e["rule_id"] == "PLAN-HEP" for e in home)
    assert (plan.frequency_per_week, plan.duration_weeks) == (2, 4)  # STarT Back medium


def test_a_contraindicated_intervention_needs_a_written_reason_that_is_kept_for_good(cast):
    plan = mc.draft(cast, mc.episode(cast, mc.intake_answers(conditions=["dvt"])))
    new = services.NewElement(phase="symptom_relief", item="int:soft_tissue_massage",
                              reason="the patient asks for it")  # fmt: skip
    with pytest.raises(services.PlanError, match="written reason"):
        services.element_add(by=cast.therapist_a, plan=plan, new=new, now=mc.NOW)
    why = "DVT treated and cleared by the vascular team on 1 March; light pressure only"
    new = services.NewElement(**(vars(new) | {"override_reason": why}))
    plan = services.element_add(by=cast.therapist_a, plan=plan, new=new, now=mc.NOW)
    added = plan.elements[-1]
    assert added["override"]["verdict"] == "contraindicated"
    assert added["override"]["reason"] == why
    assert added["override"]["by_id"] == cast.therapist_a.staff_member.pk
    assert any("CI-MASSAGE" in finding for finding in added["override"]["findings"])
    plan = services.element_remove(by=cast.therapist_a, plan=plan, key=added["key"], now=mc.NOW)
    mc.sign(cast, plan)
    v2 = services.plan_revise(by=cast.therapist_a, plan=plan)
    kept = next(e for e in v2.elements if e.get("override"))
    assert kept["override"]["reason"] == why and kept["removed"]


def test_overriding_a_precaution_needs_a_reason_and_waives_the_modification(cast):
    plan = mc.draft(cast, mc.episode(cast, mc.intake_answers(medicines=["anticoagulant"])))
    light = next(e for e in plan.elements if e["safety"] == "precaution")
    assert light["modification"]
    with pytest.raises(services.PlanError):
        services.element_override(by=cast.therapist_a, plan=plan, key=light["key"], reason=" ",
                                  now=mc.NOW)  # fmt: skip
    why = "INR stable at 2.1, checked today"
    plan = services.element_override(
        by=cast.therapist_a, plan=plan, key=light["key"], reason=why, now=mc.NOW
    )
    changed = services.find(plan.elements, light["key"])
    assert changed["modification"] is None
    assert changed["override"]["waived"] == light["modification"]
    assert changed["override"]["reason"] == why


def test_an_ok_element_cannot_be_overridden(cast):
    plan = mc.draft(cast, mc.episode(cast))
    ok = next(e for e in plan.elements if e["safety"] == "ok")
    with pytest.raises(services.PlanError):
        services.element_override(by=cast.therapist_a, plan=plan, key=ok["key"], reason="x",
                                  now=mc.NOW)  # fmt: skip


def test_doses_change_and_library_exercises_and_topics_can_be_added(cast):
    plan = mc.draft(cast, mc.episode(cast))
    key = plan.elements[0]["key"]
    plan = services.element_dose(by=cast.therapist_a, plan=plan, key=key, dose="10 minutes")
    assert services.find(plan.elements, key)["dose"] == "10 minutes"
    for item in ("ex:bird_dog", "edu:hydration"):
        new = services.NewElement(phase="active_care", item=item, reason="fits her triggers")
        plan = services.element_add(by=cast.therapist_a, plan=plan, new=new, now=mc.NOW)
    assert plan.elements[-2]["exercise_key"] == "bird_dog"
    assert plan.elements[-1]["topics"] == ["hydration"]


def test_goals_are_prefilled_from_the_baseline_and_the_meaningful_change(cast):
    made = mc.episode(cast)
    goals = {(g.term, g.instrument): g for g in services.suggested_goals(made, 4)}
    assert goals["short", "nprs"].target == 5 and goals["long", "nprs"].target == 3
    assert goals["short", "odi"].target == 36 and goals["long", "odi"].target == 20
    assert goals["short", "psfs"].target == 5 and goals["long", "psfs"].target == 8
    assert goals["short", "odi"].weeks == 2 and goals["long", "odi"].weeks == 4
    assert goals["long", "odi"].describe() == "Oswestry (ODI) at most 20% within 4 weeks"


def test_signing_needs_a_goal(cast):
    plan = mc.draft(cast, mc.episode(cast))
    with pytest.raises(services.PlanError, match="goal"):
        services.plan_sign(by=cast.therapist_a, plan=plan, now=mc.NOW)


def test_signing_creates_the_home_programme_and_prevention_lessons_of_that_version(cast):
    plan = mc.signed(cast)
    home = [e["exercise_key"] for e in el.active(plan.elements) if e.get("exercise_key")]
    assert list(HomeExercise.objects.filter(plan=plan).values_list("exercise_key", flat=True)) == (
        home
    )
    topics = set(EducationAssignment.objects.filter(plan=plan).values_list("topic_key", flat=True))
    assert {"lifting", "sitting", "staying_active", "flare_plan"} <= topics


def test_a_signed_plan_is_never_edited_and_a_change_makes_the_next_version(cast):
    v1 = mc.signed(cast)
    new = services.NewElement(phase="active_care", item="int:cold", reason="preference")
    with pytest.raises(services.PlanError, match="never edited"):
        services.element_add(by=cast.therapist_a, plan=v1, new=new, now=mc.NOW)
    with pytest.raises(services.PlanError):
        services.plan_set_goals(by=cast.therapist_a, plan=v1, frequency=1, weeks=1, goals=[])
    v2 = services.plan_revise(by=cast.therapist_a, plan=v1)
    assert (v2.version, v2.status) == (2, PlanStatus.DRAFT)
    assert v2.elements == v1.elements and v2.goals.count() == v1.goals.count()
    assert services.plan_revise(by=cast.therapist_a, plan=v1) == v2  # one draft at a time
    services.element_add(by=cast.therapist_a, plan=v2, new=new, now=mc.NOW)
    services.plan_sign(by=cast.therapist_a, plan=v2, now=mc.NOW)
    v1.refresh_from_db()
    v2.refresh_from_db()
    assert (v1.status, v2.status) == (PlanStatus.SUPERSEDED, PlanStatus.SIGNED)
    assert len(v1.elements) == len(v2.elements) - 1  # v1 untouched
    assert (
        HomeExercise.objects.filter(plan=v2).count() == HomeExercise.objects.filter(plan=v1).count()
    )


def test_the_database_allows_one_signed_plan_per_episode(cast):
    v1 = mc.signed(cast)
    with pytest.raises(IntegrityError), transaction.atomic():
        PlanOfCare.objects.create(episode=v1.episode, version=2, status=PlanStatus.SIGNED)


def test_proposing_again_keeps_what_the_therapist_added(cast):
    plan = mc.draft(cast, mc.episode(cast))
    new = services.NewElement(phase="active_care", item="edu:sleep_position", reason="asks")
    services.element_add(by=cast.therapist_a, plan=plan, new=new, now=mc.NOW)
    again = services.plan_propose(by=cast.therapist_a, episode=plan.episode)
    assert again.pk == plan.pk
    assert [e["topics"] for e in again.elements if e["origin"] == "therapist"] == [
        ["sleep_position"]
    ]


def test_an_emergency_record_gets_no_plan(cast):
    answers = mc.intake_answers()
    answers["red_flags"]["saddle_anaesthesia"] = True
    made = mc.episode(cast, answers)
    mc.evaluate(cast, made)
    with pytest.raises(services.PlanError, match="emergency"):
        services.plan_propose(by=cast.therapist_a, episode=made)
    assert not PlanOfCare.objects.exists()


def test_front_desk_and_auditor_cannot_change_plans(cast):
    made = mc.episode(cast)
    mc.evaluate(cast, made)
    for user in (cast.front_desk_a, cast.auditor, cast.therapist_b):
        with pytest.raises(PermissionDenied):
            services.plan_propose(by=user, episode=made)


def test_the_plan_page_shows_reasons_verdicts_for_all_and_overrides(cast, client):
    plan = mc.draft(cast, mc.episode(cast, mc.intake_answers(conditions=["dvt"])))
    new = services.NewElement(phase="symptom_relief", item="int:superficial_heat", reason="r",
                              override_reason="clot excluded by ultrasound today")  # fmt: skip
    services.element_add(by=cast.therapist_a, plan=plan, new=new, now=mc.NOW)
    client.force_login(cast.auditor)
    page = client.get(reverse("clinical:plan", args=[plan.pk])).content.decode()
    assert "clot excluded by ultrasound today" in page
    assert "Safety verdict for every intervention" in page
    for name in care.vocab.INTERVENTIONS:  # every intervention, by its label
        assert f'<th scope="row">{care.labels.INTERVENTION_LABELS[name]}</th>' in page
    assert "heuristic" in page and "Rule CPR-POS" in page
    assert "Remove" not in page  # the auditor only reads


def test_the_page_flow_adds_overrides_and_sets_goals(cast, client):
    plan = mc.draft(cast, mc.episode(cast))
    client.force_login(cast.therapist_a)
    url = reverse("clinical:plan_element_add", args=[plan.pk])
    client.post(url, {"phase": "active_care", "item": "ex:bird_dog", "reason": "core"})
    plan.refresh_from_db()
    assert plan.elements[-1]["exercise_key"] == "bird_dog"
    goals = client.get(reverse("clinical:plan_goals", args=[plan.pk]))
    assert goals.context["goals"].initial[0]["instrument"] == "nprs"
    data = {"frequency_per_week": "2", "duration_weeks": "6", "goal-TOTAL_FORMS": "3",
            "goal-INITIAL_FORMS": "0", "goal-0-term": "long", "goal-0-instrument": "odi",
            "goal-0-comparison": "<=", "goal-0-target": "20", "goal-0-weeks": "6",
            "goal-1-comparison": "<=", "goal-2-comparison": "<="}  # fmt: skip
    response = client.post(reverse("clinical:plan_goals", args=[plan.pk]), data)
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.duration_weeks == 6
    assert [g.description for g in plan.goals.all()] == [
        "Oswestry (ODI) at most 20% within 6 weeks"
    ]


def test_a_stored_proposal_reads_back_as_the_plan_the_core_made(cast):
    plan = mc.draft(cast, mc.episode(cast, mc.intake_answers(conditions=["dvt"])))
    plan.refresh_from_db()
    _, assessment = services.assessment_for(plan.episode)
    assert plan.core_plan() == assessment.plan
    assert plan.proposal == json.loads(json.dumps(care.to_json(assessment)))  # stored as before
    assert plan.diagnosis_codes == plan.proposal["plan"]["diagnosis_codes"]


def test_a_version_made_without_a_proposal_has_no_core_plan_and_its_page_shows(cast, client):
    plan = PlanOfCare.objects.create(episode=mc.episode(cast), version=1)
    assert plan.core_plan() is None
    client.force_login(cast.therapist_a)
    page = client.get(reverse("clinical:plan", args=[plan.pk]))
    assert page.status_code == 200 and "Nothing planned in this phase." in page.content.decode()


def test_a_hold_stored_before_verdicts_had_levels_shows_as_contraindicated(cast, client):
    plan = mc.draft(cast, mc.episode(cast, mc.intake_answers(conditions=["dvt"])))
    for held in plan.proposal["plan"]["held"]:
        assert held.pop("verdict") == "contraindicated"
    plan.save(update_fields=["proposal"])
    client.force_login(cast.therapist_a)
    page = client.get(reverse("clinical:plan", args=[plan.pk])).content.decode()
    massage = care.labels.INTERVENTION_LABELS["soft_tissue_massage"]
    verdict = care.labels.VERDICT_LABELS["contraindicated"].lower()
    assert f"<li>{massage}: {verdict}: " in page
