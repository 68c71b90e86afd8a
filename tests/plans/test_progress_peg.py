"""The PEG scale on the progress pages: charted with its meaningful-change band, in plain words."""

import datetime as dt

from django.test import Client
from django.urls import reverse

from tests.personas import Cast
from tests.web.matrix_care import care_episode
from unknot.plans.home import progress
from unknot.plans.home.selectors import episode_outcomes

DAY = dt.date(2026, 3, 2)
PEG = {"peg": ((DAY, 6.33), (DAY + dt.timedelta(days=28), 4.67))}


def client_for(user: object) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_it_is_charted_after_the_measures_taken_at_every_visit() -> None:
    assert list(progress.MEASURES) == ["nprs", "odi", "psfs", "peg"]
    assert progress.band("peg", 6) == (5, 7)
    outcome = progress.outcome("peg", PEG["peg"])
    assert outcome.change is not None and outcome.change.verdict == "improved"
    assert outcome.sentence.startswith(
        "Your score for pain and how it gets in your way has dropped by 1.7 points since your "
        "first visit (from 6.3 to 4.7 out of 10)."
    )


def test_the_episode_series_holds_it(cast: Cast) -> None:
    episode = care_episode(cast.patient_p, cast.therapist_a, scores=PEG)
    by_key = {o.measure.key: o for o in episode_outcomes(episode)}
    assert by_key["peg"].points == PEG["peg"]
    assert by_key["nprs"].points == ()


def test_patient_and_staff_pages_show_its_chart(cast: Cast) -> None:
    episode = care_episode(cast.patient_p, cast.therapist_a, scores=PEG)
    mine = client_for(cast.patient_p.user).get(reverse("home_programme:progress")).content.decode()
    assert "Score for pain and how it gets in your way" in mine
    assert '<desc id="chart-peg-desc">' in mine and "That is a real improvement" in mine
    staff = client_for(cast.therapist_a).get(
        reverse("home_programme:episode_progress", args=[episode.pk])
    )
    html = staff.content.decode()
    assert "Pain and interference (PEG mean, 0-10): data" in html
    assert html.count('class="mcid-band"') == 1  # only PEG has points here
