"""parse_case: the schema is enforced; bad input names the field and why."""

from typing import Any

import pytest

from tests.care.care_helpers import BASE, merge
from unknot.care import CaseError, Settings, case_schema, parse_case, parse_settings


def error(extra: dict[str, Any], base: dict[str, Any] | None = None) -> CaseError:
    with pytest.raises(CaseError) as info:
        parse_case(merge(BASE if base is None else base, extra))
    return info.value


@pytest.mark.parametrize(
    ("extra", "field", "words"),
    [
        ({"patient": {"age": -1}}, "patient.age", "at least 0"),
        ({"patient": {"age": "40"}}, "patient.age", "must be integer"),
        ({"patient": {"age": True}}, "patient.age", "must be integer"),
        ({"patient": {"agee": 40}}, "patient.agee", "not a known field"),
        ({"episode": {"causes": ["tripped"]}}, "episode.causes[0]", "one of"),
        ({"red_flags": {"saddle": True}}, "red_flags.saddle", "not a known field"),
        ({"questionnaires": {"odi": [1] * 9}}, "questionnaires.odi", "at least 10"),
        ({"questionnaires": {"odi": [6] + [1] * 9}}, "questionnaires.odi[0]", "at most 5"),
        (
            {"questionnaires": {"start_back": [True] * 8 + ["very"]}},
            "questionnaires.start_back[8]",
            "one of",
        ),
        ({"questionnaires": {"nprs": 11}}, "questionnaires.nprs", "at most 10"),
        ({"questionnaires": {"fabq": [7] + [0] * 15}}, "questionnaires.fabq[0]", "at most 6"),
        ({"blood_pressure": {"systolic": 120}}, "blood_pressure.diastolic", "required"),
        (
            {"blood_pressure": {"systolic": 80, "diastolic": 90}},
            "blood_pressure.diastolic",
            "lower",
        ),
        ({"visit": {"date": "2026-13-01"}}, "visit.date", "YYYY-MM-DD"),
        (
            {"settings": {"odi_max_missing_sections": 1.5}},
            "settings.odi_max_missing_sections",
            "integer",
        ),
        ({"patient": {"pregnancy_weeks": 20}}, "patient.pregnancy_weeks", "pregnant"),
    ],
)
def test_errors_name_the_field(extra: dict[str, Any], field: str, words: str) -> None:
    err = error(extra)
    assert err.field == field
    assert words in err.reason


def test_top_level_must_be_an_object() -> None:
    with pytest.raises(CaseError) as info:
        parse_case([1, 2])
    assert "object" in info.value.reason


def test_age_from_date_of_birth_and_visit_date() -> None:
    base = {"visit": {"date": "2026-03-01"}}
    assert parse_case({**base, "patient": {"date_of_birth": "1976-03-01"}}).patient.age == 50
    assert parse_case({**base, "patient": {"date_of_birth": "1976-03-02"}}).patient.age == 49
    err = error({"patient": {"date_of_birth": "1976-03-01"}}, base={})
    assert err.field == "visit.date"
    err = error({"patient": {"age": 3, "date_of_birth": "2020-01-01"}}, base=base)
    assert "either" in err.reason


def test_duration_from_onset_date() -> None:
    c = parse_case({"visit": {"date": "2026-03-11"}, "episode": {"onset_date": "2026-03-01"}})
    assert c.episode.duration_days == 10
    err = error({"episode": {"onset_date": "2026-04-01"}}, base={"visit": {"date": "2026-03-11"}})
    assert err.field == "episode.onset_date"


def test_odi_two_marked_statements_take_the_higher() -> None:
    c = parse_case({"questionnaires": {"odi": [[1, 3], 2, None, 0, 0, 0, 0, 0, 0, 0]}})
    assert c.questionnaires.odi == (3, 2, None, 0, 0, 0, 0, 0, 0, 0)


def test_settings_override_defaults() -> None:
    data = {"settings": {"odi_max_missing_sections": 2, "odi_mcid_points": 6}}
    assert parse_settings(data) == Settings(odi_max_missing_sections=2, odi_mcid_points=6.0)
    assert parse_settings({}) == Settings()


def test_red_flags_null_means_not_asked() -> None:
    c = parse_case({"red_flags": {"saddle_anaesthesia": False, "collapse": None}})
    assert c.red_flags.answered == {"saddle_anaesthesia"} and not c.red_flags.positive


def test_schema_lists_every_vocabulary_key() -> None:
    from unknot.care import vocab

    props = case_schema()["properties"]
    assert set(props["red_flags"]["properties"]) == set(vocab.RED_FLAGS)
    assert set(props["conditions"]["items"]["enum"]) == set(vocab.CONDITIONS)
    assert set(props["settings"]["properties"]) == set(Settings.names())
