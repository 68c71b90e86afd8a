"""QuestionnaireResponse: answers saved through the intake's own forms and services, checked,
refused with a reason, and never for someone else's intake. Questionnaires are valid and coded."""

import pytest

from tests.fhir import answers
from tests.fhir.conftest import as_user, fhir, ids, outcome, post
from tests.web import matrix_clinical as mc
from unknot.fhir.questionnaires import ALL
from unknot.outbox.models import OutboxEmail
from unknot.records.models import Intake, IntakeStatus, OutcomeScore

URL = "/fhir/QuestionnaireResponse"


@pytest.fixture
def intake(cast):
    """Patient P's open episode with an empty intake, as booking an evaluation leaves it."""
    return mc.episode(cast, answers={}).intake


def test_every_questionnaire_is_valid_with_unique_link_ids_and_loinc_where_known(cast):
    client = as_user(cast.patient_p.user)
    found = fhir(client.get("/fhir/Questionnaire"))
    assert sorted(ids(found)) == sorted(ALL)
    for questionnaire_id in ALL:
        body = fhir(client.get(f"/fhir/Questionnaire/{questionnaire_id}"))
        links = [i["linkId"] for i in body["item"]]
        links += [c["linkId"] for i in body["item"] for c in i.get("item", [])]
        assert len(links) == len(set(links)), questionnaire_id
    coded = fhir(client.get("/fhir/Questionnaire", {"code": "http://loinc.org|91349-1"}))
    assert ids(coded) == ["start-back"]
    assert ids(fhir(client.get("/fhir/Questionnaire", {"code": "97908-8"}))) == ["odi"]
    assert "code" not in fhir(client.get("/fhir/Questionnaire/fabq"))
    outcome(client.get("/fhir/Questionnaire/sf-36"), 404)


def test_an_in_progress_response_is_saved_as_a_draft_and_reads_back(cast, intake):
    sent = fhir(
        post(
            as_user(cast.patient_p.user),
            URL,
            answers.response(cast.patient_p, status="in-progress"),
        ),
        201,
    )
    intake.refresh_from_db()
    assert intake.status == IntakeStatus.DRAFT and sent["status"] == "in-progress"
    assert intake.answers["questionnaires"]["nprs"] == 7
    assert intake.answers["questionnaires"]["start_back"][8] == "very_much"
    assert {"safety", "more-safety", "start-back", "daily-activities", "beliefs"} <= set(
        intake.sections_done
    )
    assert OutcomeScore.objects.count() == 0
    assert fhir(as_user(cast.therapist_a).get(f"{URL}/{intake.pk}"))["item"] == sent["item"]


def test_one_questionnaire_at_a_time_fills_its_part_only(cast, intake):
    client = as_user(cast.patient_p.user)
    nprs = [{"linkId": "nprs.1", "answer": [{"valueInteger": 4}]}]
    fhir(
        post(
            client, URL, answers.response(cast.patient_p, nprs, questionnaire="Questionnaire/nprs")
        ),
        201,
    )
    intake.refresh_from_db()
    assert intake.answers == {"questionnaires": {"nprs": 4}, "visit": intake.answers["visit"]}
    assert intake.status == IntakeStatus.DRAFT


def test_a_completed_intake_is_sent_and_scored_once(cast, intake):
    client = as_user(cast.therapist_a)  # entered by staff for the person
    fhir(post(client, URL, answers.response(cast.patient_p)), 201)
    intake.refresh_from_db()
    assert intake.status == IntakeStatus.SUBMITTED
    assert OutcomeScore.objects.filter(episode=intake.episode).count() == 6
    assert "already sent" in outcome(post(client, URL, answers.response(cast.patient_p)), 409)
    assert OutcomeScore.objects.count() == 6


def test_without_every_safety_answer_it_is_saved_but_not_sent(cast, intake):
    items = [g for g in answers.intake_items() if g["linkId"] != "red-flags"]
    message = outcome(
        post(as_user(cast.patient_p.user), URL, answers.response(cast.patient_p, items)), 422
    )
    assert "safety" in message
    intake.refresh_from_db()
    assert intake.status == IntakeStatus.DRAFT and intake.answers["questionnaires"]["nprs"] == 7
    assert OutcomeScore.objects.count() == 0


def test_an_emergency_answer_alerts_the_clinic_as_on_the_web(cast, intake):
    cast.clinic_a.email = "desk@alder.example"
    cast.clinic_a.save()
    items = answers.intake_items(flags={"saddle_anaesthesia": True})
    post(
        as_user(cast.patient_p.user),
        URL,
        answers.response(cast.patient_p, items, status="in-progress"),
    )
    intake.refresh_from_db()
    assert intake.emergency_at is not None
    assert OutboxEmail.objects.filter(key=f"intake-emergency:{intake.pk}").exists()


@pytest.mark.parametrize(
    ("items", "words"),
    [
        ([{"linkId": "nprs.1", "answer": [{"valueInteger": 11}]}], "nprs.1"),
        ([{"linkId": "nprs.1", "answer": [{"valueString": "7"}]}], "valueInteger"),
        ([{"linkId": "shoe-size", "answer": [{"valueInteger": 9}]}], "shoe-size"),
        ([{"linkId": "odi.1", "answer": answers.choice(6)}], "odi.1"),
        ([{"linkId": "odi.1", "answer": answers.choice(1) + answers.choice(2)}], "one answer"),
        (
            [
                {
                    "linkId": "start-back.1",
                    "answer": [{"valueCoding": {"system": "x", "code": "agree"}}],
                }
            ],
            "urn:unknot:answer",
        ),
        ([{"linkId": "red-flags", "answer": [{"valueBoolean": True}]}], "group"),
        ([{"linkId": "psfs.1.score", "answer": [{"valueInteger": 4}]}], "activity"),
    ],
)
def test_bad_answers_are_refused_and_nothing_is_saved(cast, intake, items, words):
    body = answers.response(cast.patient_p, answers.intake_items()[:2] + items)
    assert words in outcome(post(as_user(cast.patient_p.user), URL, body), 400)
    intake.refresh_from_db()
    assert intake.answers == {} and intake.sections_done == []


def test_the_response_must_name_our_questionnaire_a_status_and_a_patient(cast, intake):
    client = as_user(cast.patient_p.user)
    body = answers.response(cast.patient_p)
    assert "questionnaire" in outcome(
        post(client, URL, body | {"questionnaire": "Questionnaire/sf-36"}), 400
    )
    assert "status" in outcome(post(client, URL, body | {"status": "amended"}), 400)
    assert "subject" in outcome(
        post(client, URL, {k: v for k, v in body.items() if k != "subject"}), 400
    )


def test_no_intake_waiting_is_a_clear_422(cast):
    message = outcome(
        post(as_user(cast.patient_p.user), URL, answers.response(cast.patient_p)), 422
    )
    assert "initial evaluation" in message


def test_outsiders_cannot_answer_or_read_someone_elses_intake(cast, intake):
    for user in (cast.therapist_b, cast.patient_q.user):
        client = as_user(user)
        assert "Parker" not in outcome(post(client, URL, answers.response(cast.patient_p)), 404)
        outcome(client.get(f"{URL}/{intake.pk}"), 404)
    assert Intake.objects.get(pk=intake.pk).answers == {}
    outcome(as_user(cast.therapist_a).get(f"{URL}/abc"), 404)
