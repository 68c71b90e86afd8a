"""Questions from a clinic page: stored, two emails queued, and spam and floods refused."""

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.personas import Cast
from unknot.booking import questions
from unknot.booking.models import ContactQuestion
from unknot.outbox.models import OutboxEmail

ASKER = {
    "name": "Sam Ortiz",
    "email": "sam.ortiz@example.org",
    "phone": "",
    "message": "Do you treat spasms that started after pregnancy?",
    "website": "",
}


@pytest.fixture(autouse=True)
def _clinic_has_a_front_desk_address(cast: Cast) -> None:
    cast.clinic_a.email = "desk@alder.example"
    cast.clinic_a.save()


def stamp(seconds_ago: float = 30) -> str:
    return questions.form_stamp(timezone.now() - dt.timedelta(seconds=seconds_ago))


def ask(cast: Cast, client: Client | None = None, ip: str = "192.0.2.10", **fields: Any) -> Any:
    data = ASKER | {"stamp": stamp()} | fields
    url = reverse("booking:question", args=[cast.clinic_a.slug])
    return (client or Client()).post(url, data, REMOTE_ADDR=ip)


def test_clinic_page_carries_the_question_form(cast: Cast) -> None:
    page = Client().get(reverse("site:clinic_detail", args=[cast.clinic_a.slug])).content.decode()
    assert 'action="/booking/clinics/clinic-a/question/"' in page
    assert 'name="stamp"' in page and 'name="website"' in page
    assert 'aria-hidden="true"' in page  # the honeypot is hidden from screen readers too


def test_a_question_is_stored_and_both_emails_are_queued(cast: Cast) -> None:
    response = ask(cast)
    assert response["Location"] == reverse("booking:question_sent", args=["clinic-a"])
    question = ContactQuestion.objects.get()
    assert question.clinic == cast.clinic_a and question.status == "new"
    assert question.message == ASKER["message"]
    rows = {row.kind: row.to for row in OutboxEmail.objects.all()}
    assert rows == {"question": cast.clinic_a.email, "acknowledgement": ASKER["email"]}
    thanks = Client().get(response["Location"]).content.decode()
    assert "we have your question" in thanks and cast.clinic_a.phone in thanks


def test_the_sender_fingerprint_reveals_neither_address_nor_email(cast: Cast) -> None:
    ask(cast)
    fingerprint = ContactQuestion.objects.get().sender_fingerprint
    assert len(fingerprint) == 64
    assert "192.0.2.10" not in fingerprint and "sam" not in fingerprint
    assert fingerprint == questions.fingerprint("192.0.2.10", "SAM.ORTIZ@example.org ")


def test_bad_input_gets_a_message_per_field(cast: Cast) -> None:
    response = ask(cast, name="", email="sam@", message="   ", phone="ring me")
    text = response.content.decode()
    assert response.status_code == 200
    for message in (
        "Please tell us your name.",
        "Please enter an email address like name@example.com.",
        "Please write your question.",
        "Please enter a phone number with its area code",
    ):
        assert message in text
    assert 'href="#id_email_error"' in text
    assert not ContactQuestion.objects.exists() and not OutboxEmail.objects.exists()


def test_a_filled_honeypot_is_refused(cast: Cast) -> None:
    response = ask(cast, website="http://spam.example")
    assert response.status_code == 200
    assert "we could not send your question" in response.content.decode()
    assert not ContactQuestion.objects.exists() and not OutboxEmail.objects.exists()


def test_a_form_sent_too_fast_is_refused(cast: Cast) -> None:
    response = ask(cast, stamp=stamp(seconds_ago=1))
    assert "quicker than we expected" in response.content.decode()
    assert not ContactQuestion.objects.exists()


@pytest.mark.parametrize("forged", ["", "1700000000", "MTcwMDAwMDAwMA:1abc:forged"])
def test_a_missing_or_forged_stamp_is_refused(cast: Cast, forged: str) -> None:
    response = ask(cast, stamp=forged)
    assert response.status_code == 200
    assert not ContactQuestion.objects.exists()


def test_a_form_left_open_too_long_is_signed_afresh(cast: Cast) -> None:
    old = stamp(seconds_ago=questions.MAX_FORM_AGE_SECONDS + 60)
    response = ask(cast, stamp=old)
    text = response.content.decode()
    assert "open for a long time" in text and old not in text
    assert not ContactQuestion.objects.exists()


def test_a_flood_from_one_sender_is_refused(cast: Cast) -> None:
    for _ in range(questions.PER_SENDER_PER_HOUR):
        assert ask(cast).status_code == 302
    refused = ask(cast)
    assert refused.status_code == 200
    assert "several questions in the last hour" in refused.content.decode()
    assert ContactQuestion.objects.count() == questions.PER_SENDER_PER_HOUR
    assert OutboxEmail.objects.count() == 2 * questions.PER_SENDER_PER_HOUR
    assert ask(cast, ip="192.0.2.11").status_code == 302, "another sender is not held back"


def test_a_forwarded_for_header_does_not_change_who_is_sending(cast: Cast) -> None:
    for n in range(questions.PER_SENDER_PER_HOUR):
        client = Client(HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
        assert ask(cast, client=client).status_code == 302
    client = Client(HTTP_X_FORWARDED_FOR="198.51.100.99")
    assert ask(cast, client=client).status_code == 200


def test_a_flood_at_one_clinic_is_refused(cast: Cast, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(questions, "PER_CLINIC_PER_HOUR", 2)
    assert ask(cast, ip="192.0.2.1").status_code == 302
    assert ask(cast, ip="192.0.2.2").status_code == 302
    refused = ask(cast, ip="192.0.2.3")
    assert "a lot of questions right now" in refused.content.decode()
    assert ContactQuestion.objects.count() == 2


def test_questions_older_than_an_hour_do_not_count(cast: Cast) -> None:
    for _ in range(questions.PER_SENDER_PER_HOUR):
        ask(cast)
    ContactQuestion.objects.update(created_at=timezone.now() - dt.timedelta(minutes=61))
    assert ask(cast).status_code == 302


def test_the_question_page_works_on_its_own(cast: Cast) -> None:
    response = Client().get(reverse("booking:question", args=[cast.clinic_a.slug]))
    assert response.status_code == 200
    assert "Send my question" in response.content.decode()
    assert Client().get(reverse("booking:question", args=["no-such-clinic"])).status_code == 404


def test_a_clinic_without_an_email_still_thanks_the_person(cast: Cast) -> None:
    cast.clinic_a.email = ""
    cast.clinic_a.save()
    ask(cast)
    assert list(OutboxEmail.objects.values_list("kind", flat=True)) == ["acknowledgement"]
