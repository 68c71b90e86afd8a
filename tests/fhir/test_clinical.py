"""Observation, CarePlan and Goal: coded, searchable, scoped to who may see the episode."""

import datetime as dt

from django.utils import timezone

from tests.fhir.conftest import as_user, fhir, ids, outcome
from tests.web import matrix_clinical as mc
from tests.web.matrix_care import care_episode
from unknot.plans import services as plans
from unknot.plans.models import PlanOfCare


def test_scores_are_observations_searchable_by_patient_code_and_date(
    cast, django_assert_max_num_queries
):
    care_episode(cast.patient_p, cast.therapist_a)
    care_episode(cast.patient_q, cast.therapist_b)
    client = as_user(cast.therapist_a)
    with django_assert_max_num_queries(10):
        everything = fhir(client.get("/fhir/Observation"))
    assert everything["total"] == 7  # patient P's: 3 NPRS, 2 ODI, 2 PSFS
    subjects = {e["resource"]["subject"]["reference"] for e in everything["entry"]}
    assert subjects == {f"Patient/{cast.patient_p.pk}"}
    pain = fhir(client.get("/fhir/Observation", {"code": "72514-3"}))
    assert [e["resource"]["valueInteger"] for e in pain["entry"]] == [7, 5, 4]
    assert (
        fhir(client.get("/fhir/Observation", {"code": "urn:unknot:instrument|psfs"}))["total"] == 2
    )
    assert fhir(client.get("/fhir/Observation", {"code": "odi,psfs"}))["total"] == 4
    march = fhir(client.get("/fhir/Observation", {"date": ["ge2026-03-10", "le2026-03-30"]}))
    assert march["total"] == 4
    assert fhir(client.get("/fhir/Observation", {"date": "2026-03-02"}))["total"] == 3
    assert fhir(client.get("/fhir/Observation", {"patient": str(cast.patient_q.pk)}))["total"] == 0
    assert outcome(
        client.get("/fhir/Observation", {"code": "http://snomed.info/sct|279039007"}), 400
    )


def test_observations_of_others_are_not_found(cast):
    episode = care_episode(cast.patient_p, cast.therapist_a)
    score = episode.scores.first()
    fhir(as_user(cast.patient_p.user).get(f"/fhir/Observation/{score.pk}"))
    for user in (cast.therapist_b, cast.patient_q.user):
        outcome(as_user(user).get(f"/fhir/Observation/{score.pk}"), 404)
        assert fhir(as_user(user).get("/fhir/Observation"))["total"] == 0


def test_only_signed_plans_are_care_plans_and_a_new_version_revokes_the_old(
    cast, django_assert_max_num_queries
):
    v1 = mc.signed(cast)
    client = as_user(cast.patient_p.user)
    with django_assert_max_num_queries(10):
        found = fhir(client.get("/fhir/CarePlan"))
    assert ids(found) == [str(v1.pk)] and found["entry"][0]["resource"]["status"] == "active"
    v2 = plans.plan_revise(by=cast.therapist_a, plan=v1)
    assert ids(fhir(client.get("/fhir/CarePlan"))) == [str(v1.pk)]  # the draft is not shown
    mc.sign(cast, v2)
    statuses = {
        e["resource"]["id"]: e["resource"]["status"]
        for e in fhir(client.get("/fhir/CarePlan"))["entry"]
    }
    assert statuses == {str(v1.pk): "revoked", str(v2.pk): "active"}
    assert ids(fhir(client.get("/fhir/CarePlan", {"status": "revoked"}))) == [str(v1.pk)]
    assert ids(fhir(client.get("/fhir/CarePlan", {"status": "active,completed"}))) == [str(v2.pk)]
    assert outcome(client.get("/fhir/CarePlan", {"status": "draft"}), 400)
    goals = fhir(client.get("/fhir/Goal"))
    lifecycle = {e["resource"]["lifecycleStatus"] for e in goals["entry"]}
    assert lifecycle == {"active", "cancelled"}


def test_a_discharged_episode_has_a_completed_plan(cast):
    care_episode(
        cast.patient_p,
        cast.therapist_a,
        discharged=True,
        signed_at=timezone.now() - dt.timedelta(days=50),
    )
    client = as_user(cast.therapist_a)
    plan = fhir(client.get("/fhir/CarePlan"))["entry"][0]["resource"]
    assert plan["status"] == "completed" and "activity" not in plan
    goal = fhir(client.get(f"/fhir/{plan['goal'][0]['reference']}"))
    assert goal["lifecycleStatus"] == "completed"
    assert goal["target"][0]["detailRange"] == {"high": {"value": 3.0}}


def test_plans_and_goals_of_others_are_not_found(cast):
    plan = PlanOfCare.objects.get(episode=care_episode(cast.patient_p, cast.therapist_a))
    goal = plan.goals.first()
    for user in (cast.therapist_b, cast.patient_q.user):
        client = as_user(user)
        outcome(client.get(f"/fhir/CarePlan/{plan.pk}"), 404)
        outcome(client.get(f"/fhir/Goal/{goal.pk}"), 404)
        assert fhir(client.get("/fhir/Goal"))["total"] == 0
        assert fhir(client.get("/fhir/CarePlan", {"patient": str(cast.patient_p.pk)}))["total"] == 0
    fhir(as_user(cast.auditor).get(f"/fhir/Goal/{goal.pk}"))
