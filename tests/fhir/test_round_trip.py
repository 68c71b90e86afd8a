"""The issue's round trip, over FHIR with bearer tokens: a new patient is booked from a Slot,
sends their intake as a QuestionnaireResponse, reads back the scored Observations and, once
the therapist signs the plan, the CarePlan and its Goals. Every answer is validated."""

import datetime as dt

from django.test import Client

from tests import factories
from tests.calendar import working_day
from tests.fhir import answers
from tests.fhir.conftest import fhir, ids, post, search
from tests.web import matrix_clinical as mc
from unknot.api.tokens import token_create
from unknot.patients.models import Patient
from unknot.patients.services import patient_create
from unknot.records.models import Episode, OutcomeScore


def bearer(user):
    _, token = token_create(user=user, name="round trip")
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_patient_booking_intake_scores_and_signed_plan_round_trip(practice):
    cast = practice.cast
    staff, client = bearer(cast.therapist_a), Client()
    rosa = patient_create(by=cast.front_desk_a, patient=Patient(
        first_name="Rosa", last_name="Reyes", date_of_birth=dt.date(1979, 8, 30),
        email="rosa@test.example", preferred_clinic=cast.clinic_a,
        user=factories.user("rosa.reyes"),
    ))  # fmt: skip
    me = bearer(rosa.user)
    assert ids(fhir(search(client, "Patient", {"name": "reyes"}, **staff))) == [str(rosa.pk)]

    # Book the first free initial evaluation on a working day.
    day = working_day().isoformat()
    query = {"schedule": practice.schedule_a(), "start": [f"ge{day}", f"le{day}"],
             "service-type": str(practice.evaluation_a.pk), "status": "free"}  # fmt: skip
    slot = fhir(client.get("/fhir/Slot", query, **staff))["entry"][0]["resource"]
    rosa_takes_part = {"actor": {"reference": f"Patient/{rosa.pk}"}, "status": "accepted"}
    chosen = [{"reference": f"Slot/{slot['id']}"}]
    body = {"resourceType": "Appointment", "status": "booked", "slot": chosen,
            "participant": [rosa_takes_part]}  # fmt: skip
    appointment = fhir(post(client, "/fhir/Appointment", body, **staff), 201)
    assert appointment["start"] == slot["start"]
    mine = fhir(client.get("/fhir/Appointment", **me))
    assert ids(mine) == [appointment["id"]]

    # The intake arrives over FHIR and is scored by the care core.
    sent = fhir(post(client, "/fhir/QuestionnaireResponse", answers.response(rosa), **me), 201)
    assert sent["status"] == "completed" and sent["subject"]["reference"] == f"Patient/{rosa.pk}"
    read_back = fhir(client.get(f"/fhir/QuestionnaireResponse/{sent['id']}", **me))
    assert read_back["item"] == sent["item"]
    assert [g["linkId"] for g in sent["item"]] == [
        "start-back",
        "odi",
        "nprs",
        "psfs",
        "fabq",
        "red-flags",
    ]

    scores = fhir(client.get("/fhir/Observation", {"patient": f"Patient/{rosa.pk}"}, **me))
    by_code = {e["resource"]["code"]["coding"][-1]["code"]: e["resource"] for e in scores["entry"]}
    assert set(by_code) == {"nprs", "odi", "psfs", "start_back", "fabq_pa", "fabq_work"}
    assert by_code["nprs"]["code"]["coding"][0] == {
        "system": "http://loinc.org", "code": "72514-3",
        "display": "Pain severity - 0-10 verbal numeric rating [Score] - Reported"}  # fmt: skip
    assert by_code["nprs"]["valueInteger"] == 7
    assert (
        by_code["odi"]["valueQuantity"]["value"] == 46
        and by_code["odi"]["code"]["coding"][0]["code"] == "97909-6"
    )
    start_back = by_code["start_back"]
    assert start_back["valueInteger"] == 4 and start_back["code"]["coding"][0]["code"] == "91351-7"
    risk = start_back["component"][1]["valueCodeableConcept"]["coding"][0]
    assert (risk["code"], start_back["component"][0]["valueInteger"]) == ("LA8982-6", 2)
    psfs = by_code["psfs"]
    assert psfs["valueQuantity"]["value"] == 3
    assert [c["system"] for c in psfs["code"]["coding"]] == ["urn:unknot:instrument"]  # no LOINC
    assert (by_code["fabq_pa"]["valueInteger"], by_code["fabq_work"]["valueInteger"]) == (12, 12)
    assert start_back["derivedFrom"] == [{"reference": f"QuestionnaireResponse/{sent['id']}"}]
    odi = fhir(client.get("/fhir/Observation", {"code": "http://loinc.org|97909-6"}, **staff))
    assert ids(odi) == [by_code["odi"]["id"]]

    # The therapist evaluates and signs the plan; the CarePlan and its Goals read back.
    episode = Episode.objects.get(patient=rosa)
    assert OutcomeScore.objects.filter(episode=episode, source="intake").count() == 6
    evaluation = mc.evaluate(cast, episode)
    # The FHIR intake has no health-history items: the therapist goes through them in person,
    # which completes the red-flag screen (SCREEN-1) so the plan can be signed.
    evaluation.in_person = {"conditions": [], "medicines": []}
    evaluation.save(update_fields=["in_person"])
    mc.sign(cast, mc.draft(cast, episode))
    plans = fhir(client.get("/fhir/CarePlan", {"patient": str(rosa.pk)}, **me))
    plan = plans["entry"][0]["resource"]
    assert plans["total"] == 1 and plan["status"] == "active" and plan["intent"] == "plan"
    assert plan["author"]["reference"] == f"Practitioner/{cast.therapist_a.staff_member.pk}"
    assert any(a["detail"]["status"] == "in-progress" for a in plan["activity"])
    goal_ids = [g["reference"].removeprefix("Goal/") for g in plan["goal"]]
    goals = fhir(client.get("/fhir/Goal", {"patient": f"Patient/{rosa.pk}"}, **me))
    assert sorted(ids(goals)) == sorted(goal_ids) and goal_ids
    for goal_id in goal_ids:
        goal = fhir(client.get(f"/fhir/Goal/{goal_id}", **me))
        assert goal["lifecycleStatus"] == "active" and goal["target"][0]["dueDate"]
    measures = {e["resource"]["target"][0]["measure"]["coding"][0]["code"]: e["resource"]
                for e in goals["entry"]}  # fmt: skip
    odi_goal = measures["97909-6"]
    assert odi_goal["target"][0]["detailRange"]["high"]["unit"] == "%"
    fhir(client.get(f"/fhir/CarePlan/{plan['id']}", **staff))
