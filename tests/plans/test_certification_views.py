"""The certification pages: the therapist sends a signed plan and sees its status; the
physician reads the plan from the emailed link and certifies or declines it; forged, changed,
old, replaced and used links answer a clear page and change nothing; the visit page asks for
a reason past a missing certification."""

import datetime as dt

import pytest
from django.core import signing
from django.test import Client, override_settings
from django.urls import reverse

from tests.clock import stopped_at
from tests.web import matrix_clinical as mc
from unknot.outbox.models import OutboxEmail
from unknot.plans import certification as cert
from unknot.plans import certification_links as links
from unknot.plans.models import Certification, CertificationStatus
from unknot.records.models import Visit

PHYSICIAN = {
    "physician_first_name": "Rosa",
    "physician_last_name": "Quinn",
    "physician_npi": "1234567893",
    "physician_email": "quinn@example.org",
}


@pytest.fixture
def plan(cast, monkeypatch):
    stopped_at(mc.NOW, monkeypatch)
    return mc.signed(cast)


def staff(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def sent(cast, plan) -> Certification:
    physician = cert.Physician(*PHYSICIAN.values())
    return cert.certification_send(by=cast.therapist_a, plan=plan, physician=physician, now=mc.NOW)


def link(made: Certification) -> str:
    return reverse("certify:plan", args=[links.certification_token(made.pk)])


def test_the_therapist_sends_the_plan_and_sees_its_status(cast, plan):
    client = staff(cast.therapist_a)
    url = reverse("clinical:plan_certification_send", args=[plan.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, PHYSICIAN, follow=True)
    page = response.content.decode()
    assert "The plan was sent to Rosa Quinn to certify." in page
    assert "Sent, waiting for the physician" in page and "Certification due" in page
    assert "Apr 2, 2031" in page  # 30 days after the start of care, US style
    [email] = OutboxEmail.objects.filter(kind="plan_certification")
    assert email.to == "quinn@example.org"


def test_a_bad_npi_is_said_on_the_form_and_nothing_is_sent(cast, plan):
    url = reverse("clinical:plan_certification_send", args=[plan.pk])
    response = staff(cast.therapist_a).post(url, PHYSICIAN | {"physician_npi": "1234567890"})
    assert response.status_code == 200 and "check out" in response.content.decode()
    assert not Certification.objects.exists()


def test_the_form_offers_the_physician_asked_before(cast, plan):
    sent(cast, plan)
    url = reverse("clinical:plan_certification_send", args=[plan.pk])
    page = staff(cast.therapist_a).get(url).content.decode()
    assert 'value="Rosa"' in page and 'value="Quinn"' in page and 'value="1234567893"' in page
    assert 'value="quinn@example.org"' in page


def test_sending_again_makes_a_new_link(cast, plan):
    made = sent(cast, plan)
    url = reverse("clinical:certification_resend", args=[made.pk])
    response = staff(cast.therapist_a).post(url, follow=True)
    assert "A new link was sent to Rosa Quinn." in response.content.decode()
    made.refresh_from_db()
    assert made.status == CertificationStatus.EXPIRED
    assert Certification.objects.filter(status=CertificationStatus.SENT).count() == 1


@pytest.mark.parametrize(
    ("persona", "status"), [("therapist_b", 404), ("auditor", 403), ("front_desk_a", 403)]
)
def test_outsiders_and_readers_cannot_send_or_resend(cast, plan, persona, status):
    made = sent(cast, plan)
    client = staff(cast.users[persona])
    send_url = reverse("clinical:plan_certification_send", args=[plan.pk])
    assert client.post(send_url, PHYSICIAN).status_code == status
    resend_url = reverse("clinical:certification_resend", args=[made.pk])
    assert client.post(resend_url).status_code == status
    assert Certification.objects.count() == 1


def test_the_physician_sees_the_plan_and_nothing_else(cast, plan):
    made = sent(cast, plan)
    mc.visit(cast, plan.episode, subjective="told me about the divorce")
    response = Client().get(link(made))
    page = response.content.decode()
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    patient = plan.episode.patient
    assert patient.full_name in page
    assert f"{patient.date_of_birth:%b} {patient.date_of_birth.day}, " in page
    assert "2 visits a week" in page or f"{plan.frequency_per_week} visit" in page
    assert "Certify the plan" in page and "Decline" in page
    assert "divorce" not in page and patient.email not in page
    assert not patient.phone or patient.phone not in page


def test_certifying_from_the_link(cast, plan):
    made = sent(cast, plan)
    client = Client()
    answer = {"action": "certify", "c-typed_name": "Rosa Quinn MD", "c-attests": "on"}
    page = client.post(link(made), answer, follow=True).content.decode()
    assert "the plan of care is certified" in page and "certified already" in page
    made.refresh_from_db()
    assert (made.status, made.typed_name) == ("certified", "Rosa Quinn MD")
    again = client.post(link(made), answer | {"c-typed_name": "Someone Else"})
    assert again.status_code == 200 and "certified already" in again.content.decode()
    made.refresh_from_db()
    assert made.typed_name == "Rosa Quinn MD"


def test_certifying_without_the_attestation_changes_nothing(cast, plan):
    made = sent(cast, plan)
    response = Client().post(link(made), {"action": "certify", "c-typed_name": "Rosa Quinn"})
    assert response.status_code == 400 and "required" in response.content.decode()
    made.refresh_from_db()
    assert made.status == CertificationStatus.SENT


def test_declining_needs_a_comment(cast, plan):
    made = sent(cast, plan)
    client = Client()
    assert client.post(link(made), {"action": "decline", "d-comment": ""}).status_code == 400
    answer = {"action": "decline", "d-comment": "See a surgeon first."}
    page = client.post(link(made), answer, follow=True).content.decode()
    assert "the clinic will read your answer" in page and "declined" in page
    made.refresh_from_db()
    assert (made.status, made.comment) == ("refused", "See a surgeon first.")
    therapist_page = staff(cast.therapist_a).get(reverse("clinical:plan", args=[plan.pk]))
    assert "See a surgeon first." in therapist_page.content.decode()


def test_no_action_asks_for_a_button(cast, plan):
    made = sent(cast, plan)
    response = Client().post(link(made), {"action": "delete"}, follow=True)
    assert "Please choose Certify or Decline." in response.content.decode()
    made.refresh_from_db()
    assert made.status == CertificationStatus.SENT


def test_an_expired_link_answers_a_clear_page(cast, plan, monkeypatch):
    made = sent(cast, plan)
    stopped_at(made.expires_at + dt.timedelta(minutes=1), monkeypatch)
    client = Client()
    response = client.get(link(made))
    assert response.status_code in (200, 410) and "expired" in response.content.decode()
    answer = {"action": "certify", "c-typed_name": "Rosa Quinn", "c-attests": "on"}
    assert "expired" in client.post(link(made), answer).content.decode()
    made.refresh_from_db()
    assert made.status != CertificationStatus.CERTIFIED


@override_settings(UNKNOT_CERTIFICATION_LINK_DAYS=1)
def test_an_old_signature_answers_410(cast, plan, monkeypatch):
    made = sent(cast, plan)
    token = links.certification_token(made.pk)
    monkeypatch.setattr(signing.TimestampSigner, "timestamp", lambda self: "1")  # 1970
    old = links.certification_token(made.pk)
    assert old != token
    response = Client().get(reverse("certify:plan", args=[old]))
    assert response.status_code == 410 and "expired" in response.content.decode()


@pytest.mark.parametrize(
    "token",
    [
        "not-a-valid-token",
        signing.dumps({"c": 1}, salt="another.salt", compress=True),
        signing.dumps({"c": "1"}, salt=links.SALT, compress=True),
        signing.dumps([1], salt=links.SALT),
        "%00",
        "x" * 3000,
    ],
)
def test_forged_or_changed_tokens_answer_404(cast, plan, token):
    sent(cast, plan)
    assert Client().get(reverse("certify:plan", args=[token])).status_code == 404


def test_a_tampered_token_answers_404(cast, plan):
    made = sent(cast, plan)
    token = links.certification_token(made.pk)
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert Client().get(reverse("certify:plan", args=[tampered])).status_code == 404


def test_a_token_for_a_certification_that_does_not_exist_answers_404(cast, plan):
    token = links.certification_token(999999)
    assert Client().get(reverse("certify:plan", args=[token])).status_code == 404


@override_settings(REQUEST_THROTTLE_LIMITS={"pages": 3})
def test_the_link_is_throttled_per_address(cast, plan):
    client = Client()
    answers = [client.get(reverse("certify:plan", args=["guess"])).status_code for _ in range(5)]
    assert answers == [404, 404, 404, 429, 429]


# --- the visit page -----------------------------------------------------------------------


def test_the_visit_page_asks_for_a_reason_past_the_due_date(cast, plan):
    visit = mc.visit(cast, plan.episode, performed_on=mc.DAY + dt.timedelta(days=31))
    client = staff(cast.therapist_a)
    page = client.get(reverse("clinical:visit", args=[visit.pk])).content.decode()
    assert "was due to be certified by Apr 2, 2031" in page and 'name="reason"' in page
    sign_url = reverse("clinical:visit_sign", args=[visit.pk])
    refused = client.post(sign_url, follow=True).content.decode()
    assert "Write why you sign" in refused
    assert Visit.objects.get(pk=visit.pk).signed_at is None
    done = client.post(sign_url, {"reason": "Physician away until Monday."}, follow=True)
    page = done.content.decode()
    assert "The note is signed and locked." in page and "Physician away until Monday." in page
    assert Visit.objects.get(pk=visit.pk).signed_at is not None


def test_a_covered_visit_page_asks_for_no_reason(cast, plan):
    visit = mc.visit(cast, plan.episode)
    page = staff(cast.therapist_a).get(reverse("clinical:visit", args=[visit.pk]))
    assert 'name="reason"' not in page.content.decode()


def test_the_therapists_day_shows_the_overdue_certification(cast, plan, monkeypatch):
    stopped_at(mc.NOW + dt.timedelta(days=31), monkeypatch)
    page = staff(cast.therapist_a).get(reverse("staffarea:dashboard")).content.decode()
    assert "Certification overdue since Apr 2, 2031" in page
    assert reverse("clinical:plan", args=[plan.pk]) in page
