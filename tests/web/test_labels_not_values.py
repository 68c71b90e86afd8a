"""People see labels, never codes or Python values: every page and PDF of an episode (the
emails: tests/booking/test_email_labels.py).

The finding: `active_care`, `True`, `{'left': 38, 'right': 34}`, `nprs` and rule keys reached
people. An episode is built through the services (intake, evaluation with findings, a signed
plan, visits, a referral and its clearance, a call before the visit, emails), then every staff
and patient page of it, the outbox's emails and the PDFs are read for the keys of the care core.
"""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from tests.plans.test_home_programme import pdf_text
from tests.web import matrix_clinical as mc
from unknot.care import vocab
from unknot.plans import visits as vs
from unknot.records.clinical import holds

D = vs.Delivered
# Keys of the care core that are not also English words people would write.
KEYS = (
    "symptom_relief", "active_care", "return_to_activity", "SCREENING_INCOMPLETE",
    "URGENT_REFERRAL", "EMERGENCY_SAME_DAY", "ROUTINE_REFERRAL", "thrust_manipulation",
    "non_thrust_mobilisation", "soft_tissue_massage", "superficial_heat", "resistance_exercise",
    "motor_control_exercise", "posture_movement_training", "hip_internal_rotation",
    "hypomobile_segment", "not_asked", "unexplained_weight_loss", "cancer_history",
    "no_thrust", "exercise_key", "topic_key", "knee_to_chest", "bird_dog",
)  # fmt: skip
PYTHON = (re.compile(r"\bTrue\b"), re.compile(r"\bFalse\b"), re.compile(r"\bNone\b"),
          re.compile(r"\{'"), re.compile(r"\['"))  # fmt: skip


def problems(text: str) -> list[str]:
    found = [key for key in KEYS if key in text]
    found += [f"{pattern.pattern}: {m.group(0)!r}" for pattern in PYTHON
              for m in pattern.finditer(text)]  # fmt: skip
    return found


def visible(html: str) -> str:
    """The text people read: no tags, no attribute values, no scripts or styles."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


@pytest.fixture
def episode(cast):
    """Intake with a smoker's history, an evaluation with hip and SLR findings, a signed plan,
    a visit, an urgent referral at the next visit and its clearance with restrictions."""
    made = mc.episode(cast)
    plan = mc.signed(cast, made)
    mc.visit(cast, made, delivered=[D("soft_tissue_massage", 15), D("stretching", 10)],
             symptom_course="centralising", flare_24h=False)  # fmt: skip
    mc.visit(cast, made, positive_flags={"unexplained_weight_loss"},
             delivered=[D("education", 10)])  # fmt: skip
    hold = made.holds.get()
    data = holds.ClearanceInput("Dr. Ana Patel", hold.opened_at.date(), ("no_thrust",), "clear")
    holds.hold_clear(by=cast.therapist_a, hold=hold, data=data, now=mc.NOW,
                     today=hold.opened_at.date())  # fmt: skip
    plan.refresh_from_db()
    return made


def staff_pages(made):
    evaluation, plan = made.evaluations.first(), made.plans.first()
    visit = made.visits.order_by("number").first()
    return [
        reverse("clinical:episode", args=[made.pk]),
        reverse("clinical:evaluation", args=[evaluation.pk]),
        reverse("clinical:plan", args=[plan.pk]),
        reverse("clinical:visit", args=[visit.pk]),
        reverse("clinical:visit", args=[made.visits.order_by("number").last().pk]),
        reverse("clinical:visit_new", args=[made.pk]),
        reverse("clinical:caseload"),
        reverse("intake:review_detail", args=[made.pk]),
        reverse("home_programme:episode_progress", args=[made.pk]),
        reverse("home_programme:episode_report", args=[made.pk]),
        reverse("home_programme:episode_discharge", args=[made.pk]),
    ]


def test_staff_pages_show_labels_not_keys(cast, client, episode):
    client.force_login(cast.therapist_a)
    for url in staff_pages(episode):
        response = client.get(url)
        assert response.status_code == 200, url
        assert problems(visible(response.content.decode())) == [], url


def test_patient_pages_show_labels_not_keys(cast, client, episode):
    client.force_login(cast.patient_p.user)
    for name in ("home_programme:home", "home_programme:progress", "portal:home"):
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        assert problems(visible(response.content.decode())) == [], name


def test_pdfs_show_labels_not_keys(cast, client, episode, tmp_path: Path):
    client.force_login(cast.therapist_a)
    for name in ("home_programme:episode_report_pdf", "home_programme:episode_discharge_pdf",
                 "home_programme:episode_handout_pdf"):  # fmt: skip
        response = client.get(reverse(name, args=[episode.pk]))
        assert response.status_code == 200, name
        assert problems(pdf_text(response.content, tmp_path)) == [], name


def test_every_key_the_core_returns_has_a_label():
    from unknot.care import labels

    assert set(labels.INTERVENTION_LABELS) == set(vocab.INTERVENTIONS)
    assert set(labels.DOMAIN_LABELS) == set(vocab.DOMAINS)
    assert set(labels.RESTRICTION_LABELS) == set(vocab.RESTRICTIONS)
    from unknot.care.screen import RULE_DOMAINS

    assert set(RULE_DOMAINS) | {"RF-AGE"} <= set(labels.RULE_LABELS)
    from unknot.care.triage import TIERS

    assert set(TIERS) == set(labels.TIER_LABELS)
