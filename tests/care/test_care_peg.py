"""PEG-SCORE and MCID-PEG: the PEG scale (Krebs et al. 2009) through the registry alone."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from unknot import care
from unknot.care import instruments
from unknot.care.instruments.base import NotScored
from unknot.care.instruments.peg import INSTRUMENT, PegScore, peg_change, score_peg


def peg(items: list[int | None]) -> PegScore:
    result = score_peg(items)
    assert isinstance(result, PegScore)
    return result


def test_worked_example_is_the_mean_of_the_three_items() -> None:
    result = peg([6, 7, 4])
    assert (result.mean, result.pain, result.enjoyment, result.activity) == (5.67, 6, 7, 4)
    assert {c.code for c in result.loinc} == {"91148-7", "91147-9"}
    assert result.rule_ids == ("PEG-SCORE",)


@given(st.lists(st.integers(0, 10), min_size=3, max_size=3))
def test_the_mean_stays_on_the_scale(items: list[int]) -> None:
    result = peg(list(items))
    assert 0 <= result.mean <= 10
    assert result.mean == round(sum(items) / 3, 2)


@pytest.mark.parametrize(
    ("items", "words"),
    [([6, None, 4], "items unanswered: 2"), ([None] * 3, "1, 2, 3"), ([5, 5], "exactly 3")],
)
def test_an_unanswered_item_is_never_guessed(items: list[int | None], words: str) -> None:
    result = score_peg(items)
    assert isinstance(result, NotScored) and result.rule_id == "PEG-SCORE"
    assert words in result.reason


@pytest.mark.parametrize(
    ("before", "after", "verdict"),
    [(6, 5, "improved"), (6, 5.33, "unchanged"), (6, 6.67, "unchanged"), (5, 6, "worse")],
)
def test_a_change_of_one_point_is_meaningful_and_lower_is_better(
    before: float, after: float, verdict: str
) -> None:
    change = peg_change(before, after)
    assert change.verdict == verdict and change.rule_id == "MCID-PEG"
    measure = instruments.measure("peg")
    assert measure.mcid is not None and measure.mcid.lower_is_better
    assert measure.mcid.band(6, care.DEFAULT_SETTINGS) == (5, 7)


def test_the_registry_describes_it_whole() -> None:
    assert instruments.by_key("peg") is INSTRUMENT
    assert [item.field for item in INSTRUMENT.items] == ["peg_1", "peg_2", "peg_3"]
    assert [item.codes[0].code for item in INSTRUMENT.items] == ["75893-8", "91145-3", "91146-1"]
    assert all(item.scale == (0, 10) for item in INSTRUMENT.items)
    assert [c.code for c in INSTRUMENT.codes] == ["91148-7"]
    (measure,) = INSTRUMENT.measures
    assert measure.code is not None and measure.code.code == "91147-9"
    assert (measure.low, measure.high, measure.unit) == (0, 10, "{score}")
    assert INSTRUMENT.remeasured == "reassessment" and "public domain" in INSTRUMENT.licence
    rows = INSTRUMENT.rows(peg([6, 7, 4]))
    assert [(r.measure, r.value, r.loinc) for r in rows] == [("peg", 5.67, "91147-9")]
    assert measure.summary(rows[0].details) == "pain 6, enjoyment of life 7, general activity 4"


def test_a_case_carries_it_and_assess_scores_it_only_when_given() -> None:
    case = care.parse_case({"questionnaires": {"peg": [6, 7, 4], "nprs": 6}})
    assert case.questionnaires.get("peg") == (6, 7, 4)
    output = care.to_json(care.assess(case))
    assert output["scores"]["peg"]["mean"] == 5.67
    assert "peg" not in care.to_json(care.assess(care.parse_case({})))["scores"]
    half = care.assess(care.parse_case({"questionnaires": {"peg": [6, None, None]}}))
    assert "cannot score PEG: items unanswered: 2, 3" in half.not_computed


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ([11, 0, 0], "questionnaires.peg[0]"),
        ([1, 2], "questionnaires.peg"),
        ("7", "questionnaires.peg"),
    ],
)
def test_the_case_schema_refuses_what_is_not_a_peg(answers: object, field: str) -> None:
    with pytest.raises(care.CaseError) as error:
        care.parse_case({"questionnaires": {"peg": answers}})
    assert error.value.field == field
