"""What the trail records, as people use the site: sign-ins, reads through the access
checks (and refusals), prints and exports; who, which patient, which clinic, from where;
and never any health data or anything typed."""

from typing import Any

import pytest
from django.db import connection, transaction
from django.http import Http404
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories
from tests.audit.support import client_for, events, every_value, last_event
from tests.personas import Cast
from tests.web import matrix_clinical
from tests.web.matrix_care import care_episode
from unknot.audit import context, record
from unknot.audit.models import Action, Outcome
from unknot.audit.services import reads_join_the_write, verify_chain
from unknot.patients.selectors import get_patient_for

pytestmark = pytest.mark.django_db

FORGED_ADDRESS = "203.0.113.99"


def sign_in(client: Client, username: str, password: str = factories.PASSWORD) -> Any:
    return client.post(
        reverse("accounts:login"),
        {"username": username, "password": password},
        REMOTE_ADDR="198.51.100.7",
        HTTP_X_FORWARDED_FOR=FORGED_ADDRESS,
    )


def test_a_sign_in_is_recorded_with_the_real_address(cast: Cast) -> None:
    account = cast.patient_p.user
    sign_in(Client(), account.username)
    event = events(action=Action.SIGN_IN)[-1]
    # A patient is named by id only: their username may be made of their name.
    assert (event.actor_id, event.actor_username, event.actor_role) == (account.pk, "", "patient")
    assert event.outcome == Outcome.ALLOWED
    assert event.remote_addr == "198.51.100.7"  # REMOTE_ADDR; X-Forwarded-For is anyone's
    assert event.path == reverse("accounts:login")
    assert FORGED_ADDRESS not in every_value(event)


def test_a_staff_sign_in_names_the_account_and_role(cast: Cast) -> None:
    sign_in(Client(), "therapist_a")  # the password step; the second factor follows
    event = events(action=Action.SIGN_IN)[-1]
    assert (event.actor_id, event.actor_username, event.actor_role, event.reason) == (
        cast.therapist_a.pk, "therapist_a", "therapist", "password",
    )  # fmt: skip


def test_a_wrong_password_for_a_real_account_names_the_account_only(cast: Cast) -> None:
    typed_password = "Hunter2-my-secret"
    sign_in(Client(), "therapist_a", typed_password)
    [event] = events(action=Action.SIGN_IN_FAILED)
    assert (event.actor_id, event.actor_username, event.outcome, event.reason) == (
        cast.therapist_a.pk, "", Outcome.FAILED, "refused",
    )  # fmt: skip
    assert event.remote_addr == "198.51.100.7"
    assert typed_password not in every_value(event)


def test_an_unknown_username_leaves_nothing_but_the_address(cast: Cast) -> None:
    typed = "maybe-my-password-typed-in-the-wrong-box"
    sign_in(Client(), typed, "whatever")
    [event] = events(action=Action.SIGN_IN_FAILED)
    assert (event.actor_id, event.actor_username, event.object_id) == (None, "", "")
    assert event.reason == "unknown_account"
    assert event.remote_addr == "198.51.100.7"
    assert typed not in every_value(event)


def test_a_sign_out_is_recorded(cast: Cast) -> None:
    account = cast.patient_p.user
    client = Client()
    sign_in(client, account.username)
    client.post(reverse("accounts:logout"))
    event = last_event()
    assert (event.action, event.actor_id) == (Action.SIGN_OUT, account.pk)


def test_reading_a_patient_records_who_which_patient_and_where(cast: Cast) -> None:
    patient = cast.patient_p
    url = reverse("staffarea:patient_detail", args=[patient.pk])
    response = client_for(cast.therapist_a).get(url + "?q=Parker", REMOTE_ADDR="192.0.2.44")
    assert response.status_code == 200
    [event] = events(action=Action.READ, object_type="patient")
    assert (event.actor_id, event.actor_role) == (cast.therapist_a.pk, "therapist")
    assert (event.object_id, event.patient_id, event.clinic_id) == (
        str(patient.pk), patient.pk, cast.clinic_a.pk,
    )  # fmt: skip
    assert (event.remote_addr, event.path) == ("192.0.2.44", url)  # no query string
    assert event.outcome == Outcome.ALLOWED


def test_another_clinics_patient_is_a_recorded_refusal(cast: Cast) -> None:
    patient = cast.patient_p
    response = client_for(cast.therapist_b).get(
        reverse("staffarea:patient_detail", args=[patient.pk])
    )
    assert response.status_code == 404
    [event] = events(object_type="patient")
    assert (event.action, event.outcome, event.reason) == (
        Action.READ, Outcome.DENIED, "not_visible",
    )  # fmt: skip
    assert (event.actor_id, event.object_id) == (cast.therapist_b.pk, str(patient.pk))
    assert event.clinic_id is None  # nothing about the record leaks into the refusal


def test_a_patient_reading_their_own_portal_is_recorded(cast: Cast) -> None:
    assert client_for(cast.patient_p.user).get(reverse("portal:home")).status_code == 200
    event = events(object_type="patient")[-1]
    assert (event.actor_id, event.patient_id) == (cast.patient_p.user.pk, cast.patient_p.pk)


def test_a_printed_handout_is_a_read_and_a_print(cast: Cast) -> None:
    episode = care_episode(cast.patient_p, cast.therapist_a)
    url = reverse("home_programme:episode_handout_pdf", args=[episode.pk])
    assert client_for(cast.front_desk_a).get(url).status_code == 200
    read, printed = events(object_type="episode")
    assert (read.action, printed.action, printed.reason) == (Action.READ, Action.PRINT, "handout")
    assert (printed.object_id, printed.patient_id, printed.clinic_id) == (
        str(episode.pk), cast.patient_p.pk, cast.clinic_a.pk,
    )  # fmt: skip
    assert printed.actor_id == cast.front_desk_a.pk


def test_a_report_pdf_is_an_export(cast: Cast) -> None:
    episode = care_episode(cast.patient_p, cast.therapist_a)
    url = reverse("home_programme:episode_report_pdf", args=[episode.pk])
    assert client_for(cast.therapist_a).get(url).status_code == 200
    event = last_event()
    assert (event.action, event.reason, event.patient_id) == (
        Action.EXPORT, "progress_report", cast.patient_p.pk,
    )  # fmt: skip


def test_one_request_records_a_read_once(cast: Cast) -> None:
    request = RequestFactory().get("/somewhere/")
    request.user = cast.therapist_a
    token = context.enter(context.from_request(request))
    try:
        for _ in range(3):
            get_patient_for(cast.therapist_a, cast.patient_p.pk)
        with pytest.raises(Http404):  # another clinic's patient: a different event
            get_patient_for(cast.therapist_a, cast.patient_q.pk)
    finally:
        context.leave(token)
    seen = [(e.object_id, e.outcome) for e in events(object_type="patient")]
    assert seen == [(str(cast.patient_p.pk), "allowed"), (str(cast.patient_q.pk), "denied")]
    get_patient_for(cast.therapist_a, cast.patient_p.pk)  # outside that request: recorded again
    assert len(events(object_type="patient")) == 3


def test_the_trail_holds_no_health_data(cast: Cast) -> None:
    patient = cast.patient_p
    episode = care_episode(patient, cast.therapist_a)
    staff = client_for(cast.therapist_a)
    staff.get(reverse("staffarea:patient_detail", args=[patient.pk]))
    staff.get(reverse("home_programme:episode_progress", args=[episode.pk]))
    staff.get(reverse("home_programme:episode_report_pdf", args=[episode.pk]))
    client_for(patient.user).get(reverse("home_programme:home"))
    words = {patient.first_name, patient.last_name, patient.email, "1985-05-17", "Pain"}
    rows = events()
    assert len(rows) >= 5
    for row in rows:
        assert not [w for w in words if w.lower() in every_value(row).lower()], row
    assert verify_chain().intact


class Boom(Exception):
    pass


def _record_then_fail() -> None:
    with transaction.atomic():
        record(Action.UPDATE, object_type="episode", object_id=1)
        raise Boom


def test_a_record_rolls_back_with_the_work_it_describes() -> None:
    with pytest.raises(Boom):
        _record_then_fail()
    assert events() == []
    with transaction.atomic():
        record(Action.UPDATE, object_type="episode", object_id=1)
    assert len(events()) == 1


@pytest.mark.parametrize(
    "wrong",
    [
        {"action": "peek"},
        {"action": Action.READ, "outcome": "maybe"},
        {"action": Action.READ, "reason": "Patient said her back hurts"},
        {"action": Action.READ, "object_type": "Penny Parker"},
        {"action": Action.READ, "object_id": "Penny Parker"},
    ],
)
def test_free_text_cannot_get_into_the_trail(wrong: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="audit"):
        record(wrong.pop("action"), **wrong)
    assert events() == []


@pytest.mark.parametrize(
    ("meta", "expected"),
    [
        ({"REMOTE_ADDR": "192.0.2.1", "HTTP_X_FORWARDED_FOR": FORGED_ADDRESS}, "192.0.2.1"),
        ({"REMOTE_ADDR": "2001:0db8:0000::0001"}, "2001:db8::1"),
        ({"REMOTE_ADDR": "not an address"}, ""),
        ({"REMOTE_ADDR": ""}, ""),
    ],
)
def test_the_address_is_remote_addr_only(meta: dict[str, str], expected: str) -> None:
    request = RequestFactory().get("/x/", **meta)
    assert context.client_address(request) == expected


# The rows inside an episode: each page's read names the row under the name its writes use,
# with the episode's patient and clinic; another clinic's therapist is refused and recorded.
EPISODE_ROWS = [
    ("clinical:evaluation", matrix_clinical.evaluation_a, "evaluation"),
    ("clinical:plan", matrix_clinical.plan_a, "plan"),
    ("clinical:visit", matrix_clinical.visit_a, "visit"),
    ("clinical:hold_clear", matrix_clinical.hold_a, "medical_hold"),
]


@pytest.mark.parametrize(("url_name", "build", "kind"), EPISODE_ROWS)
def test_opening_a_row_of_an_episode_records_the_read_with_its_patient(
    cast: Cast, url_name: str, build: Any, kind: str
) -> None:
    kwargs = build(cast)
    [row_id] = kwargs.values()
    response = client_for(cast.therapist_a).get(reverse(url_name, kwargs=kwargs))
    assert response.status_code == 200
    [event] = events(action=Action.READ, object_type=kind)
    assert (event.object_id, event.outcome) == (str(row_id), Outcome.ALLOWED)
    assert (event.patient_id, event.clinic_id) == (cast.patient_p.pk, cast.clinic_a.pk)


@pytest.mark.parametrize(("url_name", "build", "kind"), EPISODE_ROWS)
def test_another_clinics_therapist_is_refused_a_row_of_an_episode_and_it_is_recorded(
    cast: Cast, url_name: str, build: Any, kind: str
) -> None:
    kwargs = build(cast)
    [row_id] = kwargs.values()
    response = client_for(cast.therapist_b).get(reverse(url_name, kwargs=kwargs))
    assert response.status_code == 404
    [event] = events(action=Action.READ, object_type=kind)
    assert (event.object_id, event.outcome, event.reason) == (
        str(row_id), Outcome.DENIED, "not_visible",
    )  # fmt: skip
    assert event.patient_id is None  # a refusal says nothing about whose row it was


# --- a read appended with the write it leads to (the booking API) ----------------------------


def _appends(captured: CaptureQueriesContext) -> int:
    sql = [q["sql"] for q in captured.captured_queries]
    return len([s for s in sql if "audit_append(" in s or "INSERT INTO audit_auditevent" in s])


def _read_then_fail(cast: Cast, *, write_first: bool) -> None:
    """The patient read, then a failure: before any write (a refused booking), or inside the
    write's transaction (it rolls back)."""
    with reads_join_the_write():
        get_patient_for(cast.therapist_a, cast.patient_p.pk)
        if not write_first:
            raise Boom
        with transaction.atomic():
            record(Action.UPDATE, object_type="patient", object_id=cast.patient_p.pk)
            raise Boom


def test_a_read_waits_for_the_write_and_both_are_appended_in_one_call(cast: Cast) -> None:
    patient = cast.patient_p
    with CaptureQueriesContext(connection) as captured, reads_join_the_write():
        get_patient_for(cast.therapist_a, patient.pk)
        assert events(object_type="patient") == []  # waiting for the write
        with transaction.atomic():
            record(Action.UPDATE, object_type="patient", object_id=patient.pk)
    read, write = events(object_type="patient")
    assert (read.action, read.object_id, write.action) == (Action.READ, str(patient.pk), "update")
    assert _appends(captured) == (1 if connection.vendor == "postgresql" else 2)
    assert verify_chain().intact


def test_a_read_whose_write_never_comes_is_appended_alone(cast: Cast) -> None:
    with pytest.raises(Boom):
        _read_then_fail(cast, write_first=False)
    assert [e.action for e in events(object_type="patient")] == [Action.READ]
    assert verify_chain().intact


@pytest.mark.django_db(transaction=True)
def test_a_read_whose_write_rolls_back_is_appended_and_the_write_is_not(cast: Cast) -> None:
    with pytest.raises(Boom):
        _read_then_fail(cast, write_first=True)
    assert [e.action for e in events(object_type="patient")] == [Action.READ]
    assert verify_chain().intact


@pytest.mark.django_db(transaction=True)
def test_a_read_committed_with_its_write_is_not_appended_again(cast: Cast) -> None:
    with reads_join_the_write():
        get_patient_for(cast.therapist_a, cast.patient_p.pk)
        with transaction.atomic():
            record(Action.UPDATE, object_type="patient", object_id=cast.patient_p.pk)
    assert [e.action for e in events(object_type="patient")] == [Action.READ, Action.UPDATE]
    assert verify_chain().intact
