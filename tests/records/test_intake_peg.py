"""The PEG scale in the intake: its page from the registry, filled, stored, scored, reviewed."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.personas import Cast
from tests.records.intake_support import AUTOSAVE, fill, open_intake, section_url, signed_in
from unknot.records.intake import forms_scored, sections
from unknot.records.models import Instrument, OutcomeScore

SLUG = "pain-last-week"
TODAY = dt.date(2026, 3, 10)


def test_its_page_follows_the_pain_page_and_asks_the_three_items_0_to_10() -> None:
    slugs = [s.slug for s in sections.SECTIONS]
    assert slugs.index(SLUG) == slugs.index("pain-and-activities") + 1
    section = sections.BY_SLUG[SLUG]
    assert section.title == "Your pain over the past week"
    form = section.form(today=TODAY)
    assert isinstance(form, forms_scored.ItemsForm)
    assert list(form.fields) == ["peg_1", "peg_2", "peg_3"] == list(form.needed)
    assert [key for key, _ in form.fields["peg_1"].choices] == list(range(11))
    assert "enjoyment of life" in form.fields["peg_2"].label
    assert form.field_for("questionnaires.peg[2]") == "peg_3"
    assert form.field_for("questionnaires.peg") == "peg_1"
    assert ("peg", "PEG mean (0-10)") in Instrument.choices


def test_answers_are_stored_as_the_list_the_core_scores_and_read_back() -> None:
    form_class = sections.BY_SLUG[SLUG].form
    form = form_class({"peg_1": "6", "peg_2": "7", "peg_3": "4"}, today=TODAY)
    assert form.is_valid() and form.is_done()
    answers: dict[str, object] = {}
    form.apply(answers, {})
    assert answers == {"questionnaires": {"peg": [6, 7, 4]}}
    assert form_class.initial_from(answers, {}) == {"peg_1": 6, "peg_2": 7, "peg_3": 4}
    blank = form_class({}, today=TODAY)
    assert blank.is_valid() and not blank.is_done()
    nothing: dict[str, object] = {}
    blank.apply(nothing, {})
    assert nothing == {}  # left out, so the core says "not given"
    assert not form_class({"peg_1": "11"}, today=TODAY).is_valid()


@pytest.mark.django_db
def test_the_patient_fills_it_and_sending_stores_the_score(cast: Cast) -> None:
    intake = open_intake(cast.patient_p, cast.therapist_a)
    client = signed_in(cast.patient_p.user)
    page = client.get(section_url(SLUG)).content.decode()
    assert "Think about the past week" in page and "get in the way of your general activity" in page
    saved = client.post(section_url(SLUG), {"peg_1": "6", "peg_2": "7"}, **AUTOSAVE).json()
    assert saved["saved"] is True and saved["section_done"] is False
    fill(client)
    intake.refresh_from_db()
    assert intake.answers["questionnaires"]["peg"] == [6, 7, 4]
    assert SLUG in intake.sections_done
    client.post(reverse("intake:submit"))
    row = OutcomeScore.objects.get(episode=intake.episode, instrument="peg")
    assert (row.value, row.loinc, row.source) == (5.67, "91147-9", "intake")
    assert row.details == {"pain": 6, "enjoyment": 7, "activity": 4}
    review = signed_in(cast.therapist_a).get(
        reverse("intake:review_detail", args=[intake.episode_id])
    )
    assert "pain 6, enjoyment of life 7, general activity 4" in review.content.decode()


@pytest.mark.django_db
def test_an_unfinished_peg_is_said_gently_and_not_stored(cast: Cast) -> None:
    intake = open_intake(cast.patient_p, cast.therapist_a)
    client = signed_in(cast.patient_p.user)
    fill(client, ["safety", "more-safety", "pain-and-activities"])
    client.post(section_url(SLUG), {"peg_1": "5"})
    client.post(reverse("intake:submit"))
    assert not OutcomeScore.objects.filter(episode=intake.episode, instrument="peg").exists()
    assert "your pain over the past week" in client.get(reverse("intake:done")).content.decode()
    review = signed_in(cast.therapist_a).get(
        reverse("intake:review_detail", args=[intake.episode_id])
    )
    assert "cannot score PEG: items unanswered: 2, 3" in review.content.decode()
