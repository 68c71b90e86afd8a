"""Progress report and discharge summary: goals met or not, outcome verdicts, programme to
continue, lessons covered; discharge is a confirmed write for therapists and managers only."""

import datetime as dt
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from tests.personas import Cast
from tests.plans.test_home_programme import pdf_text
from tests.web.matrix_care import care_episode
from unknot.plans.home import reports
from unknot.plans.models import EducationAssignment
from unknot.records.models import Episode, EpisodeStatus


def client_for(user: object) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def episode(cast: Cast) -> Episode:
    return care_episode(cast.patient_p, cast.therapist_a)


def test_goals_are_judged_on_the_latest_score(episode: Episode) -> None:
    report = reports.build(episode)
    verdicts = {r.goal.instrument: (r.latest, r.verdict) for r in report.goals}
    # NPRS 4 > 3: not met; ODI 34 <= 40: met; PSFS 6 >= 5: met.
    assert verdicts == {"nprs": (4, "not met"), "odi": (34, "met"), "psfs": (6, "met")}
    changes = {o.measure.key: o.change.verdict for o in report.outcomes if o.change}
    assert changes == {"nprs": "improved", "odi": "unchanged", "psfs": "improved"}


def test_a_goal_without_scores_is_not_measured(cast: Cast) -> None:
    bare = care_episode(cast.patient_p, cast.therapist_a, scores={})
    assert {r.verdict for r in reports.build(bare).goals} == {"not measured"}


def test_report_page_lists_everything(cast: Cast, episode: Episode) -> None:
    EducationAssignment.objects.filter(topic_key="lifting").update(read_at="2026-03-10T10:00Z")
    url = reverse("home_programme:episode_report", args=[episode.pk])
    html = client_for(cast.auditor).get(url).content.decode()
    assert "Pain at most 3 out of 10 on most days" in html and "Not met" in html
    assert html.count('class="goal-met"') == 2 and 'class="goal-not-met"' in html
    assert "2 points" in html and "10 points or 30% of baseline" in html
    assert "Single knee to chest" in html and "Lifting without straining your back" in html
    assert "read Mar 10, 2026" in html and "assigned, not opened yet" in html
    assert html.count('class="mcid-band"') == 3


@pytest.mark.parametrize(
    "name", ["home_programme:episode_report_pdf", "home_programme:episode_discharge_pdf"]
)
def test_staff_pdfs_carry_name_goals_and_outcomes(
    cast: Cast, episode: Episode, tmp_path: Path, name: str
) -> None:
    response = client_for(cast.therapist_a).get(reverse(name, args=[episode.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path)
    assert "Penny Parker" in text
    assert "Pain at most 3 out of 10 on most days" in text and "Not met" in text
    assert "Can lift the grocery bags into the car" in text and "Improved" in text
    assert "Bird dog" in text


def confirm_url(episode: Episode) -> str:
    return reverse("home_programme:episode_discharge_confirm", args=[episode.pk])


def test_therapist_discharges_with_confirmation(cast: Cast, episode: Episode) -> None:
    client = client_for(cast.therapist_a)
    page = client.get(
        reverse("home_programme:episode_discharge", args=[episode.pk])
    ).content.decode()
    assert "Discharge this person" in page
    refused = client.post(confirm_url(episode), {})
    assert refused.status_code == 400 and "Tick the box to confirm" in refused.content.decode()
    episode.refresh_from_db()
    assert episode.status == EpisodeStatus.OPEN and episode.discharged_at is None
    done = client.post(confirm_url(episode), {"confirm": "on"})
    assert done.status_code == 302
    episode.refresh_from_db()
    assert episode.status == EpisodeStatus.DISCHARGED and episode.discharged_at is not None
    page = client.get(
        reverse("home_programme:episode_discharge", args=[episode.pk])
    ).content.decode()
    assert "Discharge this person" not in page and "Discharged on" in page


def test_discharging_twice_changes_nothing(cast: Cast, episode: Episode) -> None:
    client = client_for(cast.manager)
    client.post(confirm_url(episode), {"confirm": "on"})
    episode.refresh_from_db()
    first = episode.discharged_at
    again = client.post(confirm_url(episode), {"confirm": "on"}, follow=True)
    assert "already discharged" in again.content.decode()
    episode.refresh_from_db()
    assert episode.discharged_at == first


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("auditor", 403),
        ("front_desk_a", 403),
        ("therapist_b", 404),
        ("patient_p", 403),
        ("patient_q", 403),
    ],
)
def test_only_clinical_writers_of_the_clinic_discharge(
    cast: Cast, episode: Episode, persona: str, status: int
) -> None:
    response = client_for(cast.users[persona]).post(confirm_url(episode), {"confirm": "on"})
    assert response.status_code == status
    episode.refresh_from_db()
    assert episode.status == EpisodeStatus.OPEN


def test_anonymous_discharge_goes_to_sign_in(episode: Episode) -> None:
    response = Client().post(confirm_url(episode), {"confirm": "on"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_auditor_reads_the_summary_without_the_form(cast: Cast, episode: Episode) -> None:
    url = reverse("home_programme:episode_discharge", args=[episode.pk])
    html = client_for(cast.auditor).get(url).content.decode()
    assert "Discharge summary" in html and "Discharge this person" not in html


def test_person_reads_and_downloads_their_discharge_summary(
    cast: Cast, episode: Episode, tmp_path: Path
) -> None:
    person = client_for(cast.patient_p.user)
    before = person.get(reverse("home_programme:discharge")).content.decode()
    assert "appears here when your course of care ends" in before
    assert person.get(reverse("home_programme:discharge_pdf")).status_code == 404
    client_for(cast.therapist_a).post(confirm_url(episode), {"confirm": "on"})
    after = person.get(reverse("home_programme:discharge")).content.decode()
    assert "Your course of care ended on" in after and "That is a real improvement" in after
    assert "Can lift the grocery bags into the car" in after
    text = pdf_text(person.get(reverse("home_programme:discharge_pdf")).content, tmp_path)
    assert "Discharge summary" in text and "Penny Parker" in text
    assert "To continue at home" in text and "Bridge" in text
    # The other patient has no summary of theirs, and never sees this one.
    care_episode(cast.patient_q, cast.therapist_b)
    assert (
        client_for(cast.patient_q.user).get(reverse("home_programme:discharge_pdf")).status_code
        == 404
    )


def test_adherence_weeks_end_at_discharge(cast: Cast) -> None:
    """Weeks after discharge are not counted as prescribed sessions the person missed."""
    from django.utils import timezone

    from unknot.plans.home import selectors

    signed = timezone.now() - dt.timedelta(days=70)
    episode = care_episode(cast.patient_p, cast.therapist_a, signed_at=signed, discharged=True)
    episode.discharged_at = signed + dt.timedelta(days=21)
    episode.save()
    plan = selectors.signed_plan(episode)
    rows, total = selectors.weeks(episode, plan, selectors.programme(plan))
    last_week = selectors.clinic_today(episode, episode.discharged_at)
    assert rows[0].start <= last_week <= rows[0].end
    assert total is not None and len(rows) in (4, 5)  # three weeks and a bit, not ten
