"""The PEG scale over FHIR: served as a Questionnaire, accepted as a QuestionnaireResponse
(alone or in the intake), and its score read back as a LOINC-coded Observation."""

import pytest

from tests.fhir import answers
from tests.fhir.conftest import as_user, fhir, ids, outcome, post
from tests.web import matrix_clinical as mc
from unknot.records.models import IntakeStatus, OutcomeScore

URL = "/fhir/QuestionnaireResponse"
PEG = [{"linkId": f"peg.{n}", "answer": [{"valueInteger": v}]} for n, v in ((1, 6), (2, 7), (3, 4))]


@pytest.fixture
def intake(cast):
    return mc.episode(cast, answers={}).intake


def test_it_is_a_coded_questionnaire_and_a_group_of_the_intake(cast):
    client = as_user(cast.patient_p.user)
    body = fhir(client.get("/fhir/Questionnaire/peg"))
    assert body["title"] == "PEG: Pain, Enjoyment of life and General activity"
    assert [c["code"] for c in body["code"]] == ["91148-7"]
    assert [i["linkId"] for i in body["item"]] == ["peg.1", "peg.2", "peg.3"]
    assert {i["type"] for i in body["item"]} == {"integer"}
    assert [i["code"][0]["code"] for i in body["item"]] == ["75893-8", "91145-3", "91146-1"]
    assert ids(fhir(client.get("/fhir/Questionnaire", {"code": "http://loinc.org|91148-7"}))) == [
        "peg"
    ]
    groups = [g["linkId"] for g in fhir(client.get("/fhir/Questionnaire/intake"))["item"]]
    assert groups.index("peg") == groups.index("psfs") + 1


def test_a_response_to_it_alone_fills_its_page_only(cast, intake):
    body = answers.response(cast.patient_p, PEG, questionnaire="Questionnaire/peg")
    sent = fhir(post(as_user(cast.patient_p.user), URL, body), 201)
    intake.refresh_from_db()
    assert intake.answers["questionnaires"] == {"peg": [6, 7, 4]}
    assert intake.sections_done == ["pain-last-week"]
    assert sent["item"] == [{"linkId": "peg", "item": PEG}]
    assert OutcomeScore.objects.count() == 0


def test_an_answer_off_the_scale_is_refused(cast, intake):
    bad = [{"linkId": "peg.2", "answer": [{"valueInteger": 11}]}]
    body = answers.response(cast.patient_p, bad, questionnaire="Questionnaire/peg")
    assert "peg.2" in outcome(post(as_user(cast.patient_p.user), URL, body), 400)
    intake.refresh_from_db()
    assert intake.answers == {}


def test_a_completed_intake_with_it_stores_its_score_as_an_observation(cast, intake):
    items = [*answers.intake_items(), answers.group("peg", PEG)]
    fhir(post(as_user(cast.therapist_a), URL, answers.response(cast.patient_p, items)), 201)
    intake.refresh_from_db()
    assert intake.status == IntakeStatus.SUBMITTED
    assert OutcomeScore.objects.filter(episode=intake.episode).count() == 7
    client = as_user(cast.patient_p.user)
    found = fhir(client.get("/fhir/Observation", {"code": "http://loinc.org|91147-9"}))
    (entry,) = found["entry"]
    observation = entry["resource"]
    assert observation["code"]["coding"][0] == {
        "system": "http://loinc.org",
        "code": "91147-9",
        "display": "Mean score [PEG]",
    }
    assert observation["valueQuantity"] == {
        "value": 5.67,
        "unit": "{score}",
        "system": "http://unitsofmeasure.org",
        "code": "{score}",
    }
    assert observation["derivedFrom"] == [{"reference": f"QuestionnaireResponse/{intake.pk}"}]
    by_key = fhir(client.get("/fhir/Observation", {"code": "urn:unknot:instrument|peg"}))
    assert ids(by_key) == [observation["id"]]
