"""SCREEN-1 in the record: three states per red-flag domain, and what they refuse.

An unanswered question is unknown, never "no". The intake cannot be marked reviewed, and an
evaluation cannot be completed, while a domain is open; the therapist closes the open domains
by asking in person at the evaluation. Every refusal is shown on the page and changes nothing.
"""

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.audit.test_writes import new_writes, what
from tests.personas import Cast
from tests.records.intake_support import fill, open_intake, signed_in
from tests.web import matrix_clinical as mc
from unknot.audit.models import Action
from unknot.care import labels, vocab
from unknot.records.clinical import evaluation as ev
from unknot.records.clinical import in_person
from unknot.records.intake import services as intake_services
from unknot.records.models import Episode, Evaluation, Intake, IntakeStatus

pytestmark = pytest.mark.django_db

EVERY_NO = dict.fromkeys(vocab.RED_FLAGS, False)
INFLAMMATORY = vocab.DOMAINS["inflammatory"]


def screened(**changes: Any) -> dict[str, Any]:
    """The calm intake of the clinical tests (every domain asked), with changes."""
    return mc.intake_answers(**changes)


def sent(cast: Cast, answers: dict[str, Any]) -> Episode:
    """An episode whose intake, with these answers, was sent to the clinic."""
    made = mc.episode(cast, answers)
    Intake.objects.filter(episode=made).update(status=IntakeStatus.SUBMITTED)
    return made


def one_domain_open() -> dict[str, Any]:
    flags = {k: v for k, v in EVERY_NO.items() if k not in INFLAMMATORY}
    return screened(red_flags=flags)


def mark(client: Client, made: Episode, **data: str) -> Any:
    return client.post(reverse("intake:review_mark", args=[made.pk]), data, follow=True)


def intake_of(made: Episode) -> Intake:
    return Intake.objects.get(episode=made)


def evaluation_data(**changes: Any) -> dict[str, Any]:
    """What the evaluation page posts: the exam of the clinical tests, complete."""
    data = {"performed_on": "2031-03-03", "posture": "flattened lumbar lordosis",
            "hip_ir_left": "38", "hip_ir_right": "34", "slr_left": "80", "slr_right": "85",
            "hypomobile_segment": "yes", "rm_extension": "centralises",
            "irritability": "moderate", "neuro_deficit": "no", "is_final": "on"}  # fmt: skip
    return {k: v for k, v in (data | changes).items() if v is not None}


def asked_in_person(keys: tuple[str, ...], answer: str = "no") -> dict[str, str]:
    return {in_person.flag_field(k): answer for k in keys}


# --- the intake review ------------------------------------------------------------------------


def test_an_empty_intake_is_never_marked_reviewed(cast: Cast) -> None:
    intake = open_intake(cast.patient_p, cast.therapist_a)
    with new_writes() as rows:
        page = mark(signed_in(cast.therapist_a), intake.episode)
    assert page.status_code == 200
    assert "nothing to review" in page.content.decode()
    intake.refresh_from_db()
    assert (intake.reviewed_at, intake.reviewed_by, intake.status) == (None, None, "draft")
    assert rows == []


def test_an_empty_intake_stays_unreviewed_even_when_asked_in_person(cast: Cast) -> None:
    made = mc.episode(cast, {})
    in_person_all = {"red_flags": EVERY_NO, "conditions": [], "medicines": []}
    mc.evaluate(cast, made)
    Evaluation.objects.filter(episode=made).update(in_person=in_person_all)
    with pytest.raises(intake_services.NotReviewable, match="nothing to review"):
        intake_services.mark_reviewed(by=cast.therapist_a, intake=intake_of(made), now=mc.NOW)


def test_an_intake_with_one_domain_open_is_not_marked_reviewed(cast: Cast) -> None:
    made = sent(cast, one_domain_open())
    with new_writes() as rows:
        page = mark(signed_in(cast.therapist_a), made).content.decode()
    assert "The red-flag screen is not complete: inflammatory back pain still open" in page
    assert "ask about these in person in the evaluation" in page
    assert intake_of(made).status == IntakeStatus.SUBMITTED
    assert intake_of(made).reviewed_at is None
    assert rows == []


def test_the_health_history_is_a_need_of_four_domains(cast: Cast) -> None:
    answers = screened()
    del answers["conditions"], answers["medicines"]  # the health page was never saved
    made = sent(cast, answers)
    page = mark(signed_in(cast.therapist_a), made).content.decode()
    assert "fracture, malignancy, infection, vascular (aneurysm, blood clot) still open" in page
    assert intake_of(made).status == IntakeStatus.SUBMITTED


def test_an_intake_with_every_domain_answered_is_marked_reviewed(cast: Cast) -> None:
    intake = open_intake(cast.patient_p, cast.therapist_a)
    person = signed_in(cast.patient_p.user)
    fill(person)
    person.post(reverse("intake:submit"))
    intake.refresh_from_db()
    assert intake.answers["conditions"] == [] and intake.answers["medicines"] == []
    with new_writes() as rows:
        page = mark(signed_in(cast.therapist_a), intake.episode).content.decode()
    assert "Every red-flag domain was asked." in page
    intake.refresh_from_db()
    assert intake.status == IntakeStatus.REVIEWED
    assert [what(e)[-1] for e in rows] == ["reviewed"]


def test_the_review_page_shows_each_domain_in_words(cast: Cast) -> None:
    flags = {k: v for k, v in EVERY_NO.items() if k not in INFLAMMATORY} | {"smoker": True,
             "tearing_pain": True}  # fmt: skip
    made = sent(cast, screened(red_flags=flags, conditions=None))
    page = signed_in(cast.therapist_a).get(reverse("intake:review_detail", args=[made.pk]))
    text = page.content.decode()
    rows = {row.label: row for row in page.context["screen_rows"]}
    assert list(rows) == list(labels.DOMAIN_LABELS.values())
    assert rows["Cauda equina"].status_label == "Asked and clear"
    assert rows["Inflammatory back pain"].status_label == "Not asked"
    assert rows["Vascular (aneurysm, blood clot)"].status_label == "Flagged"
    assert rows["Vascular (aneurysm, blood clot)"].rules == ("RF-AAA",)
    assert rows["Fracture"].still_open == ("health history",)
    assert "back pain started before age 40" in rows["Inflammatory back pain"].still_open
    assert "Screening incomplete." in text
    for key in ("not_asked", "asas_onset_before_40", "cauda_equina", "history"):
        assert f">{key}<" not in text and f"{key};" not in text


def test_the_review_list_marks_open_screens_in_a_bounded_number_of_queries(cast: Cast) -> None:
    therapist = signed_in(cast.therapist_a)
    url = reverse("intake:review_list")
    mc.episode(cast)  # complete
    therapist.get(url)  # warm the session and the caches
    with CaptureQueriesContext(connection) as one:
        rows = therapist.get(url).context["rows"]
    assert [r.screening_incomplete for r in rows] == [False]
    made = [mc.episode(cast, one_domain_open()) for _ in range(3)]
    mc.evaluate(cast, made[0])  # asked in person: the row reads the episode's evaluation
    asked = {"red_flags": dict.fromkeys(INFLAMMATORY, False)}
    Evaluation.objects.filter(episode=made[0]).update(in_person=asked)
    with CaptureQueriesContext(connection) as four:
        page = therapist.get(url)
    assert sorted(r.screening_incomplete for r in page.context["rows"]) == [
        False,
        False,
        True,
        True,
    ]
    assert page.content.decode().count("Screening incomplete") == 2
    assert len(four) == len(one)


# --- the in-person screen at the evaluation ---------------------------------------------------


def test_the_evaluation_page_shows_the_screen_and_the_questions_per_domain(cast, client) -> None:
    made = mc.episode(cast, one_domain_open())
    client.force_login(cast.therapist_a)
    page = client.get(reverse("clinical:evaluation_new", args=[made.pk]))
    text = page.content.decode()
    assert "In-person red-flag screen" in text and "Health history checked in person" in text
    titles = [title for title, _ in page.context["groups"]["in_person"]]
    assert titles == list(labels.DOMAIN_LABELS.values())
    form = page.context["form"]
    assert form["rf_smoker"].value() == "no"  # prefilled from the intake
    assert form["rf_asas_onset_before_40"].value() == ""  # not asked
    rows = {row.label: row.status_label for row in page.context["screen_rows"]}
    assert rows["Inflammatory back pain"] == "Not asked"
    assert "I went through the health history with the person" in text
    assert "STarT Back risk group in that source" in text


def test_asking_in_person_closes_the_domains_then_review_and_completion_work(cast, client):
    answers = one_domain_open()
    del answers["conditions"], answers["medicines"]
    made = sent(cast, answers)
    client.force_login(cast.therapist_a)
    new = reverse("clinical:evaluation_new", args=[made.pk])
    with new_writes() as refused:
        page = client.post(new, evaluation_data())
    assert page.status_code == 200
    assert "cannot be completed while the red-flag screen is open" in page.content.decode()
    assert "inflammatory back pain" in page.content.decode()
    assert not Evaluation.objects.exists() and refused == []

    with new_writes() as drafted:
        assert client.post(new, evaluation_data(is_final=None)).status_code == 302
    evaluation = Evaluation.objects.get()
    assert not evaluation.is_final and evaluation.in_person == {}
    assert "still open" in mark(client, made).content.decode()

    edit = reverse("clinical:evaluation_edit", args=[evaluation.pk])
    data = evaluation_data(history_checked="on", ip_conditions=["diabetes"])
    with new_writes() as completed:
        response = client.post(edit, data | asked_in_person(INFLAMMATORY))
    assert response.status_code == 302, response.context["form"].errors
    evaluation.refresh_from_db()
    assert evaluation.is_final
    assert evaluation.in_person == {"red_flags": dict.fromkeys(INFLAMMATORY, False),
                                    "conditions": ["diabetes"], "medicines": []}  # fmt: skip
    with new_writes() as reviewed:
        mark(client, made)
    assert intake_of(made).status == IntakeStatus.REVIEWED
    review = client.get(reverse("intake:review_detail", args=[made.pk])).content.decode()
    assert "With what was asked in person at the evaluation of Mar 3, 2031." in review
    key = ("evaluation", str(evaluation.pk), cast.patient_p.pk, cast.clinic_a.pk)
    assert [what(e) for e in drafted] == [(Action.CREATE, *key, "")]
    assert [what(e) for e in completed] == [(Action.UPDATE, *key, "completed")]
    assert [what(e)[-1] for e in reviewed] == ["reviewed"]
    detail = client.get(reverse("clinical:evaluation", args=[evaluation.pk])).content.decode()
    assert "Conditions (gone through in person)" in detail and "diabetes" in detail
    assert "Every red-flag domain was asked." in detail


def test_an_intake_yes_stays_yes_in_person(cast, client) -> None:
    made = mc.episode(cast, screened(red_flags=EVERY_NO | {"smoker": True}))
    client.force_login(cast.therapist_a)
    new = reverse("clinical:evaluation_new", args=[made.pk])
    field = client.get(new).context["form"]["rf_smoker"]
    assert field.field.disabled and field.value() == "yes"
    assert in_person.SAID_YES in str(field.help_text)
    assert client.post(new, evaluation_data(rf_smoker="no")).status_code == 302
    saved = Evaluation.objects.get()
    assert "smoker" not in saved.in_person.get("red_flags", {})


def test_the_service_refuses_an_in_person_no_to_an_intake_yes(cast: Cast) -> None:
    made = mc.episode(cast, screened(red_flags=EVERY_NO | {"smoker": True}))
    form = ev.EvaluationForm(evaluation_data(rf_smoker="no"))  # a form without the intake
    assert form.is_valid(), form.errors
    with new_writes() as rows, pytest.raises(ev.EvaluationRefused, match="stays yes"):
        ev.evaluation_save(by=cast.therapist_a, episode=made, data=form.cleaned_data)
    assert not Evaluation.objects.exists() and rows == []


def test_the_clinical_inputs_are_stored_in_the_core_shape(cast, client) -> None:
    made = mc.episode(cast)
    client.force_login(cast.therapist_a)
    data = evaluation_data(bone_density_t_score="-2.6", postpartum_weeks="10",
                           distal_to_buttock="yes", care_weeks="3", care_visits="4",
                           reported_source="Referral letter", reported_odi="42",
                           reported_start_back="medium")  # fmt: skip
    response = client.post(reverse("clinical:evaluation_new", args=[made.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    assert Evaluation.objects.get().in_person == {
        "patient": {"bone_density_t_score": -2.6, "postpartum_weeks": 10},
        "episode": {"distal_to_buttock": True, "care_received": {"weeks": 3, "visits": 4}},
        "reported": {"source": "Referral letter", "odi_percent": 42.0,
                     "start_back_risk": "medium"},
    }  # fmt: skip


BAD = [
    ({"bone_density_t_score": "99"}, "bone_density_t_score", "must be at most 5, got 99"),
    ({"postpartum_weeks": "-2"}, "postpartum_weeks", "must be at least 0, got -2"),
    ({"care_weeks": "-1"}, "care_weeks", "must be at least 0, got -1"),
    ({"reported_source": "x" * 5000, "reported_odi": "40"}, "reported_source", "at most 200"),
    ({"reported_odi": "40"}, "reported_source", "Say where these scores were recorded"),
    ({"reported_source": "Letter"}, "reported_source", "Give at least one score"),
    ({"ip_conditions": ["diabetes"]}, "history_checked", "Tick this to record"),
    ({"bone_density_t_score": "nan"}, "bone_density_t_score", "Enter a number"),
]


@pytest.mark.parametrize(("changes", "field", "message"), BAD, ids=[b[1] for b in BAD])
def test_bad_input_in_the_new_fields_is_shown_on_its_field_and_changes_nothing(
    cast, client, changes, field, message
) -> None:
    made = mc.episode(cast)
    draft = mc.evaluate(cast, made)
    Evaluation.objects.filter(pk=draft.pk).update(is_final=False, posture="before")
    client.force_login(cast.therapist_a)
    for url in (reverse("clinical:evaluation_new", args=[made.pk]),
                reverse("clinical:evaluation_edit", args=[draft.pk])):  # fmt: skip
        with new_writes() as rows:
            response = client.post(url, evaluation_data(posture="after") | changes)
        assert response.status_code == 200
        errors = response.context["form"].errors
        assert field in errors and message in " ".join(errors[field])
        assert rows == []
    assert Evaluation.objects.get().posture == "before"


@pytest.mark.parametrize(
    "changes", [{"reported_source": "a\x00b", "reported_odi": "40"}, {"rf_smoker": "yes\x00"}]
)
def test_a_nul_in_a_new_field_is_refused_before_the_form_and_changes_nothing(
    cast, client, changes
) -> None:
    """The bad-input middleware answers 400 before any view runs (docs/security.md)."""
    made = mc.episode(cast)
    client.force_login(cast.therapist_a)
    with new_writes() as rows:
        url = reverse("clinical:evaluation_new", args=[made.pk])
        response = client.post(url, evaluation_data(posture="after") | changes)
    assert response.status_code == 400 and rows == []


def test_a_symptom_past_the_buttock_must_fit_the_intake(cast, client) -> None:
    made = mc.episode(cast, screened(episode={"duration_days": 5, "below_knee": True}))
    client.force_login(cast.therapist_a)
    response = client.post(reverse("clinical:evaluation_new", args=[made.pk]),
                           evaluation_data(distal_to_buttock="no"))  # fmt: skip
    assert response.status_code == 200
    assert "symptoms go below the knee" in response.context["form"].errors["distal_to_buttock"][0]
    assert not Evaluation.objects.exists()


def test_a_ticked_condition_from_the_intake_stays_on_the_record(cast, client) -> None:
    made = mc.episode(cast, screened(conditions=["diabetes"]))
    client.force_login(cast.therapist_a)
    response = client.post(reverse("clinical:evaluation_new", args=[made.pk]),
                           evaluation_data(history_checked="on"))  # fmt: skip
    assert response.status_code == 200
    assert "stay on the record: diabetes" in response.context["form"].errors["ip_conditions"][0]


# --- who may do what --------------------------------------------------------------------------

EXPECTED = {"anonymous": "login", "therapist_b": 404, "auditor": 403, "front_desk_a": 403,
            "patient_p": 403, "patient_q": 403, "therapist_a": 302, "manager": 302}  # fmt: skip


def _client(cast: Cast, persona: str) -> Client:
    client = Client()
    if persona != "anonymous":
        client.force_login(cast.users[persona])
    return client


def _check(response: Any, want: Any) -> None:
    if want == "login":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    else:
        assert response.status_code == want


@pytest.mark.parametrize("persona", sorted(EXPECTED))
def test_acknowledging_an_alert_by_persona(cast: Cast, persona: str) -> None:
    intake = open_intake(cast.patient_p, cast.therapist_a)
    signed_in(cast.patient_p.user).post(reverse("intake:section", args=["safety"]),
                                        {"collapse": "yes"})  # fmt: skip
    url = reverse("intake:review_mark", args=[intake.episode_id])
    client = _client(cast, persona)
    assert client.get(url).status_code == 405
    with new_writes() as rows:
        _check(client.post(url, {"acknowledge": "1"}), EXPECTED[persona])
    intake.refresh_from_db()
    allowed = EXPECTED[persona] == 302
    assert (intake.reviewed_at is not None) == allowed
    assert intake.status == IntakeStatus.DRAFT
    assert [what(e)[-1] for e in rows] == (["alert_acknowledged"] if allowed else [])


def test_an_alert_is_acknowledged_once(cast: Cast) -> None:
    intake = open_intake(cast.patient_p, cast.therapist_a)
    with pytest.raises(intake_services.NotReviewable, match="no alert"):
        intake_services.acknowledge_alert(by=cast.therapist_a, intake=intake, now=mc.NOW)
    Intake.objects.filter(pk=intake.pk).update(emergency_at=mc.NOW)
    intake.refresh_from_db()
    intake_services.acknowledge_alert(by=cast.therapist_a, intake=intake, now=mc.NOW)
    with new_writes() as rows, pytest.raises(intake_services.NotReviewable, match="already"):
        intake_services.acknowledge_alert(by=cast.therapist_a, intake=intake, now=mc.NOW)
    assert rows == []


@pytest.mark.parametrize("persona", sorted(EXPECTED))
def test_completing_on_an_open_screen_is_refused_for_everyone(cast: Cast, persona: str) -> None:
    made = mc.episode(cast, one_domain_open())
    response = _client(cast, persona).post(
        reverse("clinical:evaluation_new", args=[made.pk]), evaluation_data()
    )
    _check(response, 200 if EXPECTED[persona] == 302 else EXPECTED[persona])
    assert not Evaluation.objects.exists()


def test_a_plan_cannot_be_signed_with_no_intake_and_no_screen(cast):
    """The finding: a plan could be signed with no intake and no screen."""
    from unknot.plans import services as plans
    from unknot.records.models import Episode, Evaluation

    episode = Episode.objects.create(patient=cast.patient_p, clinic=cast.clinic_a,
                                     therapist=cast.therapist_a.staff_member)  # fmt: skip
    Evaluation.objects.create(episode=episode, therapist=cast.therapist_a.staff_member,
                              performed_on=mc.DAY, exam=mc.EXAM, is_final=True)  # fmt: skip
    draft = plans.plan_propose(by=cast.therapist_a, episode=episode)
    assert draft.proposal["plan"]["status"] == "provisional"
    assert draft.proposal["triage"]["tier"] == "SCREENING_INCOMPLETE"
    with pytest.raises(plans.PlanError, match="red-flag screen is not complete"):
        mc.sign(cast, draft)
    draft.refresh_from_db()
    assert draft.status == "draft"
