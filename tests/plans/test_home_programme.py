"""The home programme in the portal and as a printable handout."""

import base64
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.personas import Cast
from tests.web.matrix_care import care_episode
from unknot.documents import pdf
from unknot.plans.models import PlanOfCare


def client_for(user: object) -> Client:
    client = Client()
    client.force_login(user)
    return client


def pdf_text(content: bytes, tmp_path: Path) -> str:
    """The PDF's text, through poppler's pdftotext when it is installed."""
    assert content.startswith(b"%PDF")
    tool = shutil.which("pdftotext")
    if tool is None:
        if os.environ.get("UNKNOT_REQUIRE_BROWSER") == "1":  # .ci/run installs it
            pytest.fail("pdftotext (poppler-utils) is required but not installed.")
        pytest.skip("pdftotext (poppler-utils) is not installed; the %PDF check passed")
    path = tmp_path / "doc.pdf"
    path.write_bytes(content)
    done = subprocess.run([tool, str(path), "-"], capture_output=True, check=True)
    return " ".join(done.stdout.decode("utf-8").split())


def test_portal_shows_only_my_own_programme(cast: Cast) -> None:
    care_episode(cast.patient_p, cast.therapist_a, exercises=("knee_to_chest", "bridge"))
    care_episode(cast.patient_q, cast.therapist_b, exercises=("walking",))
    mine = client_for(cast.patient_p.user).get(reverse("home_programme:home")).content.decode()
    assert "Single knee to chest" in mine and "Bridge" in mine
    assert "Walking programme" not in mine
    assert "plans/diagrams/knee_to_chest.svg" in mine
    assert 'alt="Diagram: Start: lying on the back' in mine
    theirs = client_for(cast.patient_q.user).get(reverse("home_programme:home")).content.decode()
    assert "Walking programme" in theirs and "Single knee to chest" not in theirs


def test_unsigned_plan_is_not_shown(cast: Cast) -> None:
    episode = care_episode(cast.patient_p, cast.therapist_a)
    PlanOfCare.objects.filter(episode=episode).update(status="draft")
    page = client_for(cast.patient_p.user).get(reverse("home_programme:home")).content.decode()
    assert "has not set your home exercises yet" in page and "Bridge" not in page
    assert (
        client_for(cast.patient_p.user).get(reverse("home_programme:handout_pdf")).status_code
        == 404
    )


def test_programme_shows_dose_and_instructions_from_the_library(cast: Cast) -> None:
    care_episode(cast.patient_p, cast.therapist_a, exercises=("bridge",))
    page = client_for(cast.patient_p.user).get(reverse("home_programme:home")).content.decode()
    assert "Squeeze your buttocks and lift your hips" in page
    assert "Log a session" in page and "Printable handout" in page


def test_patient_handout_pdf_has_name_and_exercises(cast: Cast, tmp_path: Path) -> None:
    care_episode(cast.patient_p, cast.therapist_a)
    response = client_for(cast.patient_p.user).get(reverse("home_programme:handout_pdf"))
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    text = pdf_text(response.content, tmp_path)
    assert "Penny Parker" in text
    for name in ("Single knee to chest", "Bridge", "Bird dog"):
        assert name in text


def test_handout_embeds_one_diagram_per_exercise(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    care_episode(cast.patient_p, cast.therapist_a)
    seen: list[str] = []
    original = pdf.render_to_string

    def spy(template: str, context: dict[str, Any]) -> str:
        seen.append(original(template, context))
        return seen[-1]

    monkeypatch.setattr(pdf, "render_to_string", spy)
    content = client_for(cast.patient_p.user).get(reverse("home_programme:handout_pdf")).content
    assert content.startswith(b"%PDF")
    # Diagrams travel inside the document as data: URIs; WeasyPrint fetches nothing.
    assert seen[0].count('src="data:image/svg+xml;base64,') == 3


def test_handout_shows_the_same_figures_as_the_page(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    care_episode(cast.patient_p, cast.therapist_a)
    seen: list[str] = []
    original = pdf.render_to_string
    monkeypatch.setattr(pdf, "render_to_string", lambda *a: seen.append(original(*a)) or seen[-1])
    client = client_for(cast.patient_p.user)
    page = client.get(reverse("home_programme:home")).content.decode()
    client.get(reverse("home_programme:handout_pdf"))
    on_page = re.findall(r'src="/static/(plans/diagrams/[a-z_]+\.svg)"', page)
    in_pdf = [
        base64.b64decode(uri).decode("utf-8")
        for uri in re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', seen[0])
    ]
    assert len(on_page) == len(in_pdf) == 3
    # The very file the page shows, byte for byte, with the same caption under it.
    assert in_pdf == [pdf.static_text(path) for path in on_page]
    for caption in re.findall(r"<figcaption>([^<]+)</figcaption>", page):
        assert f"<figcaption>{caption}</figcaption>" in seen[0]


def test_staff_report_shows_each_exercise_with_its_figure(cast: Cast) -> None:
    episode = care_episode(cast.patient_p, cast.therapist_a, exercises=("bridge", "bird_dog"))
    url = reverse("home_programme:episode_report", args=[episode.pk])
    page = client_for(cast.therapist_a).get(url).content.decode()
    assert "plans/diagrams/bridge.svg" in page and "plans/diagrams/bird_dog.svg" in page
    assert "Squeeze your buttocks and lift your hips until shoulders" in page  # the caption
    assert client_for(cast.therapist_b).get(url).status_code == 404


def test_staff_print_the_handout_for_a_person(cast: Cast, tmp_path: Path) -> None:
    episode = care_episode(cast.patient_p, cast.therapist_a)
    url = reverse("home_programme:episode_handout_pdf", args=[episode.pk])
    response = client_for(cast.front_desk_a).get(url)
    assert "Penny Parker" in pdf_text(response.content, tmp_path)
    assert client_for(cast.therapist_b).get(url).status_code == 404
