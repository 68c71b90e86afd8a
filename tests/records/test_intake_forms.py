"""Intake forms: wording covers the core's keys, answers land in the core's shape, errors land
on the right question."""

import datetime as dt

import pytest

from unknot import care
from unknot.care import vocab
from unknot.care.instruments import fabq, odi, start_back
from unknot.records.intake import forms, forms_scored, sections, wording

TODAY = dt.date(2026, 3, 10)


def bound(form_class: type[forms.SectionForm], data: dict[str, object]) -> forms.SectionForm:
    form = form_class(data, today=TODAY)
    assert form.is_valid(), form.errors
    return form


def applied(form: forms.SectionForm) -> tuple[dict[str, object], dict[str, object]]:
    answers: dict[str, object] = {}
    notes: dict[str, object] = {}
    form.apply(answers, notes)
    return answers, notes


def test_every_red_flag_of_the_core_is_asked_exactly_once() -> None:
    asked = list(wording.URGENT_FLAGS) + list(wording.OTHER_FLAGS)
    assert sorted(asked) == sorted(vocab.RED_FLAGS)
    assert len(asked) == len(set(asked))


def test_wording_matches_the_core_vocabularies() -> None:
    assert set(wording.CAUSES) == set(vocab.CAUSES)
    assert set(wording.PAIN_SIDES) == set(vocab.PAIN_SIDES)
    assert set(wording.WORK_DEMANDS) == set(vocab.WORK_DEMANDS)
    assert set(wording.ACTIVITY_LEVELS) == set(vocab.ACTIVITY_LEVELS)
    assert [k for k, _ in start_back.BOTHER_CHOICES] == list(vocab.SBST_ITEM9)


def test_conditions_and_medicines_come_from_the_core() -> None:
    form = forms.HealthForm(today=TODAY)
    assert [k for k, _ in form.fields["conditions"].choices] == list(vocab.CONDITIONS)
    assert [k for k, _ in form.fields["medicines"].choices] == list(vocab.MEDICINES)


def test_patient_words_for_conditions_are_only_for_conditions_of_the_core() -> None:
    assert set(wording.CONDITIONS) <= set(vocab.CONDITIONS)
    form = forms.HealthForm(today=TODAY)
    shown = dict(form.fields["conditions"].choices)
    for key in ("osteopenia", "prior_fragility_fracture", "diabetes", "hypermobility"):
        assert shown[key] == wording.CONDITIONS[key]
    british = ("tumour", "haem", "oedema", "generalised", "aemia")
    assert not [text for text in shown.values() if any(b in text.lower() for b in british)]


def test_saving_the_health_page_answers_both_lists_even_with_nothing_ticked() -> None:
    assert forms.HealthForm.initial_from({}, {})["conditions"] is None  # never asked
    answers, _ = applied(bound(forms.HealthForm, {"pregnant": "no"}))
    assert answers == {"conditions": [], "medicines": [], "patient": {"pregnant": False}}
    case = care.parse_case(answers)
    assert case.conditions_asked and case.medicines_asked
    assert forms.HealthForm.initial_from(answers, {})["conditions"] == []


def test_weeks_since_giving_birth_is_asked_for_the_last_year() -> None:
    answers, _ = applied(bound(forms.HealthForm, {"pregnant": "no", "postpartum_weeks": "6"}))
    assert answers["patient"] == {"pregnant": False, "postpartum_weeks": 6}
    for bad in ("53", "-1", "six"):
        form = forms.HealthForm({"postpartum_weeks": bad}, today=TODAY)
        assert not form.is_valid() and "postpartum_weeks" in form.errors
    assert forms.HealthForm(today=TODAY).field_for("patient.postpartum_weeks") == "postpartum_weeks"


def test_questionnaires_keep_their_published_length() -> None:
    assert len(start_back.AGREE_ITEMS) == 8  # item 9 is asked apart
    assert len(odi.SECTIONS) == 10
    assert all(len(statements) == 6 for _, statements in odi.SECTIONS)
    assert len(fabq.ITEMS) == 16


def test_story_is_stored_in_the_core_shape_with_free_text_apart() -> None:
    form = bound(forms.StoryForm, {"onset_date": "2026-03-01", "causes": ["fall", "lifting"],
                                   "story": "Slipped on ice."})  # fmt: skip
    answers, notes = applied(form)
    assert answers == {"episode": {"onset_date": "2026-03-01", "causes": ["lifting", "fall"]}}
    assert notes == {"story": "Slipped on ice."}
    assert form.is_done()


def test_an_onset_in_the_future_is_refused() -> None:
    form = forms.StoryForm({"onset_date": "2026-03-11"}, today=TODAY)
    assert not form.is_valid()
    assert "future" in form.errors["onset_date"][0]


def test_unsure_is_kept_as_an_answer_without_a_value() -> None:
    answers, _ = applied(bound(forms.WhereForm, {"below_knee": "unsure", "spasm": "yes"}))
    assert answers == {"episode": {"below_knee": None, "spasm": True}}
    assert forms.WhereForm.initial_from(answers, {})["below_knee"] == "unsure"


def test_unanswered_red_flags_stay_out_of_the_answers() -> None:
    answers, _ = applied(bound(forms.UrgentFlagsForm, {"bladder_dysfunction": "no"}))
    assert answers == {"red_flags": {"bladder_dysfunction": False}}


def test_a_half_done_page_is_valid_but_not_done() -> None:
    form = bound(forms.UrgentFlagsForm, {"bladder_dysfunction": "no"})
    assert not form.is_done()


def test_start_back_answers_are_in_item_order() -> None:
    data = {f"item_{n}": "agree" for n in range(1, 9)} | {"item_9": "slightly"}
    answers, _ = applied(bound(forms_scored.StartBackForm, data))
    assert answers["questionnaires"] == {"start_back": [True] * 8 + ["slightly"]}


def test_odi_allows_the_sex_life_section_to_be_skipped() -> None:
    data = {f"section_{n}": "2" for n in range(1, 11) if n != 8}
    form = bound(forms_scored.OdiForm, data)
    answers, _ = applied(form)
    assert answers["questionnaires"]["odi"][7] is None
    assert form.is_done()


def test_psfs_needs_both_the_activity_and_its_score() -> None:
    form = forms_scored.PainForm({"activity_1": "Gardening", "score_2": "4"}, today=TODAY)
    assert not form.is_valid()
    assert "score_1" in form.errors
    assert "activity_2" in form.errors


def test_psfs_rows_are_stored_as_the_core_reads_them() -> None:
    data = {"nprs": "7", "activity_1": "Gardening", "score_1": "4"}
    answers, _ = applied(bound(forms_scored.PainForm, data))
    assert answers["questionnaires"] == {"nprs": 7, "psfs": [{"activity": "Gardening", "score": 4}]}


def test_an_untouched_questionnaire_is_left_out() -> None:
    answers, _ = applied(bound(forms_scored.FabqForm, {}))
    assert answers == {}


@pytest.mark.parametrize(
    ("form_class", "path", "field"),
    [
        (forms_scored.OdiForm, "questionnaires.odi[3]", "section_4"),
        (forms_scored.FabqForm, "questionnaires.fabq[15]", "item_16"),
        (forms_scored.PainForm, "questionnaires.psfs[1].score", "activity_2"),
        (forms.HealthForm, "patient.pregnancy_weeks", "pregnancy_weeks"),
        (forms.StoryForm, "visit.date", "onset_date"),
        (forms.UrgentFlagsForm, "red_flags.collapse", "collapse"),
        (forms.StoryForm, "questionnaires.nprs", None),
    ],
)
def test_core_errors_map_back_to_the_question(
    form_class: type[forms.SectionForm], path: str, field: str | None
) -> None:
    assert form_class(today=TODAY).field_for(path) == field


def test_every_page_round_trips_its_own_answers() -> None:
    from tests.records.intake_support import FULL

    for section in sections.SECTIONS:
        form = bound(section.form, FULL[section.slug])
        answers, notes = applied(form)
        again = section.form(section.form.initial_from(answers, notes), today=TODAY)
        assert again.is_valid(), (section.slug, again.errors)
        assert applied(again) == (answers, notes), section.slug


def test_full_answers_are_a_valid_case_for_the_core() -> None:
    from tests.records.intake_support import FULL

    answers: dict[str, object] = {"visit": {"kind": "initial", "number": 1, "date": "2026-03-10"}}
    for section in sections.SECTIONS:
        bound(section.form, FULL[section.slug]).apply(answers, {})
    care.parse_case(answers)
