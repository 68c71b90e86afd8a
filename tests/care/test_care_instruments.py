"""The instrument registry: one home per questionnaire, consistent with itself and the core."""

import itertools

import pytest

from unknot import care
from unknot.care import instruments
from unknot.care.instruments.base import EVERY_VISIT, REASSESSMENT, NotScored
from unknot.care.validate import check

REGISTRY = instruments.REGISTRY


def test_keys_fields_and_links_are_unique() -> None:
    keys = [i.key for i in REGISTRY]
    assert len(keys) == len(set(keys))
    measures = [m.key for m in instruments.MEASURES]
    assert len(measures) == len(set(measures))
    for page in instruments.PAGES:
        fields = [item.field for i in instruments.on_page(page.slug) for item in i.items]
        assert len(fields) == len(set(fields)), page.slug
    for instrument in REGISTRY:
        links = [item.link for item in instrument.items]
        assert len(links) == len(set(links)), instrument.key


def test_lookups() -> None:
    assert instruments.by_key("odi").name == "Oswestry Disability Index"
    assert instruments.measure("fabq_work").label == "FABQ work"
    assert instruments.instrument_of("fabq_pa").key == "fabq"
    with pytest.raises(KeyError):
        instruments.by_key("sf-36")


def test_pages_follow_the_registry_and_group_their_questionnaires() -> None:
    order = [i.page.slug for i in REGISTRY]
    assert [p.slug for p in instruments.PAGES] == list(dict.fromkeys(order))
    for slug, run in itertools.groupby(order):
        assert order.count(slug) == len(list(run)), f"{slug} is split by another page"


def test_every_item_is_answerable() -> None:
    for instrument in REGISTRY:
        for item in instrument.items:
            assert item.kind in ("choice", "integer", "string"), item
            assert (item.kind == "choice") == bool(item.options), item
            assert (item.kind == "integer") == (item.scale is not None), item


def test_the_case_schema_takes_each_questionnaire_from_its_instrument() -> None:
    schema = care.case_schema()["properties"]["questionnaires"]
    assert list(schema["properties"]) == [i.key for i in REGISTRY]
    for instrument in REGISTRY:
        assert schema["properties"][instrument.key] is instrument.answers_schema


@pytest.mark.parametrize(
    ("key", "answers", "rows"),
    [
        ("start_back", [True, False, True, False, True, False, False, False, "very_much"],
         {"start_back": 4}),
        ("odi", [3, 2, 3, 2, 3, 2, 2, 1, 2, 3], {"odi": 46.0}),
        ("nprs", 7, {"nprs": 7}),
        ("psfs", [{"activity": "a", "score": 2}, {"activity": "b", "score": 4},
                  {"activity": "c", "score": 3}], {"psfs": 3.0}),
        ("fabq", [3, 4, 3, 2, 3, 2, 2, 1, 2, 1, 2, 1, 1, 0, 2, 1],
         {"fabq_pa": 12, "fabq_work": 12}),
    ],
)  # fmt: skip
def test_answers_are_checked_parsed_scored_and_stored_by_their_instrument(
    key: str, answers: object, rows: dict[str, float]
) -> None:
    instrument = instruments.by_key(key)
    check(answers, instrument.answers_schema)
    score = instrument.score(instrument.parse(answers), care.DEFAULT_SETTINGS)
    stored = instrument.rows(score)
    assert {r.measure: r.value for r in stored} == rows
    assert instrument.is_scored(score)
    for row in stored:
        code = instruments.measure(row.measure).code
        assert row.loinc == (code.code if code else "")
    case = care.parse_case({"questionnaires": {key: answers}})
    assert care.score_all(case).get(key) == score


def test_what_is_not_scored_stores_nothing() -> None:
    for instrument in REGISTRY:
        assert instrument.rows(None) == ()
        assert instrument.rows(NotScored(instrument.key, "X", "no")) == ()
        assert not instrument.is_scored(None)
    fabq = instruments.by_key("fabq")
    work_only = fabq.score([None] * 5 + [3] * 11, care.DEFAULT_SETTINGS)
    assert [r.measure for r in fabq.rows(work_only)] == ["fabq_work"]
    assert not fabq.is_scored(work_only)  # the physical activity part is the required one


def test_meaningful_change_has_a_direction_and_a_band() -> None:
    for measure in instruments.MEASURES:
        if measure.mcid is None:
            continue
        low, high = measure.mcid.band(5, care.DEFAULT_SETTINGS)
        assert low < 5 < high
        better = low if measure.mcid.lower_is_better else high
        assert measure.change(5, better, care.DEFAULT_SETTINGS).verdict == "improved"
        assert measure.change(5, 5, care.DEFAULT_SETTINGS).verdict == "unchanged"


def test_remeasured_is_known() -> None:
    for instrument in REGISTRY:
        assert instrument.remeasured in (EVERY_VISIT, REASSESSMENT, "")
    assert instruments.by_key("nprs").remeasured == EVERY_VISIT
