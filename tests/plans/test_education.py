"""Prevention lessons: one for every education rule the care core can put in a plan, written
by us, assigned by the plan and marked read when the person opens them."""

import ast
import json
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from tests.personas import Cast
from tests.web.matrix_care import care_episode
from unknot import care
from unknot.plans import education
from unknot.plans import elements as plan_elements
from unknot.plans.models import EducationAssignment

CARE_DIR = Path(care.__file__).parent
CASES_DIR = Path(__file__).resolve().parents[2] / "docs" / "cases"
CASES = sorted(p for p in CASES_DIR.glob("*.json") if not p.name.endswith(".out.json"))
REQUIRED = {"lifting", "sitting", "sleep_position", "hydration", "core_strength"}


def education_rule_ids_in_core() -> set[str]:
    """Every rule id the core passes to treat(..., "education", ...) or with pillar education."""
    tree = ast.parse((CARE_DIR / "elements.py").read_text("utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "treat":
            args = [a.value if isinstance(a, ast.Constant) else None for a in node.args]
            if "education" in (args[1], args[5] if len(args) > 5 else None):
                found.add(args[4])
    return found


def test_the_core_scan_finds_the_education_rules() -> None:
    assert {"CPG-EDUCATION", "CPG-PNE", "EDU-PREVENT", "CAUSE-HYDRATION"} <= (
        education_rule_ids_in_core()
    )


def test_every_topic_a_signed_plan_can_assign_has_a_lesson() -> None:
    assert set(plan_elements.TOPICS) <= education.topics().keys()
    assert education.topics().keys() >= REQUIRED


@pytest.mark.parametrize("rule_id", sorted(education_rule_ids_in_core()))
def test_every_education_rule_of_the_core_leads_to_lessons(rule_id: str) -> None:
    keys = plan_elements.topics_for({"rule_id": rule_id}, ())
    assert keys, f"{rule_id} assigns no lesson"
    assert set(keys) <= education.topics().keys()


def test_desk_and_driving_work_brings_the_sitting_lesson() -> None:
    assert "sitting" in plan_elements.topics_for({"rule_id": "PLAN-WORK"}, ("desk",))
    assert "sitting" in education.topics()


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_worked_cases_assign_only_lessons_we_have(path: Path) -> None:
    data = json.loads(path.read_text("utf-8"))
    case = care.parse_case(data)
    assessment = care.assess(case, care.parse_settings(data))
    elements = plan_elements.from_proposal(assessment, tuple(case.lifestyle.work))
    assigned = {key for element in elements for key in element["topics"]}
    assert assigned <= education.topics().keys()


@pytest.mark.parametrize("key", sorted(education.topics()))
def test_lesson_is_complete_and_short(key: str) -> None:
    topic = education.topic(key)
    assert topic is not None and topic.key == key
    words = sum(len(p.split()) for s in topic.sections for p in s.paragraphs)
    assert topic.title and topic.summary and topic.sections
    assert 60 <= words <= 450, "a few minutes' read"


def test_lessons_list_shows_only_assigned_and_opening_marks_read(cast: Cast) -> None:
    episode = care_episode(cast.patient_p, cast.therapist_a, topics=("lifting", "sleep_position"))
    client = Client()
    client.force_login(cast.patient_p.user)
    page = client.get(reverse("home_programme:learn")).content.decode()
    assert "Lifting without straining your back" in page
    assert "Sleeping positions" in page and "Drinking enough" not in page
    assert page.count("Not read yet") == 2
    opened = client.get(reverse("home_programme:learn_topic", args=["lifting"]))
    assert opened.status_code == 200 and "Before you lift" in opened.content.decode()
    row = EducationAssignment.objects.get(plan__episode=episode, topic_key="lifting")
    first = row.read_at
    assert first is not None
    client.get(reverse("home_programme:learn_topic", args=["lifting"]))
    row.refresh_from_db()
    assert row.read_at == first, "the first opening is kept"
    assert client.get(reverse("home_programme:learn_topic", args=["hydration"])).status_code == 404
    assert client.get(reverse("home_programme:learn_topic", args=["no_such"])).status_code == 404


def test_staff_reading_the_report_does_not_mark_lessons_read(cast: Cast) -> None:
    episode = care_episode(cast.patient_p, cast.therapist_a)
    client = Client()
    client.force_login(cast.therapist_a)
    client.get(reverse("home_programme:episode_report", args=[episode.pk]))
    assert not EducationAssignment.objects.filter(read_at__isnull=False).exists()


def test_a_high_risk_start_back_case_is_given_the_worry_and_movement_lesson() -> None:
    """Worked case 06 is in STarT Back's high-risk group: its plan assigns the lesson on worry."""
    path = CASES_DIR / "06-high-start-back-risk.json"
    data = json.loads(path.read_text("utf-8"))
    case = care.parse_case(data)
    assessment = care.assess(case, care.parse_settings(data))
    elements = plan_elements.from_proposal(assessment, tuple(case.lifestyle.work))
    assigned = {key for element in elements for key in element["topics"]}
    assert {"pain_science", "worry_and_movement"} <= assigned
