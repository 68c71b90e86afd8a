"""Pagination, filters and sorting on allow-lists: anything not on the list is a 400 that
names it, values are parsed before the ORM sees them, and nothing ever changes."""

from typing import Any

import pytest

from tests.api.world import World
from tests.factories import patient
from unknot.patients.models import Patient
from unknot.records.models import OutcomeScore, Visit

SQL = ["1 OR 1=1", "'; DROP TABLE patients_patient; --", "last_name; DELETE FROM x",
       "id) UNION SELECT password FROM accounts_user --"]  # fmt: skip


def get(world: World, path: str, persona: str = "therapist_a", **query: Any) -> Any:
    return world.client(persona).get("/api/v1/" + path, query)


def error_fields(response: Any) -> dict[str, str]:
    assert response.status_code == 400, response.content
    assert response.json()["error"]["code"] == "invalid"
    fields: dict[str, str] = response.json()["error"]["fields"]
    return fields


def snapshot() -> tuple[int, int, list[str]]:
    return (
        Patient.objects.count(),
        OutcomeScore.objects.count(),
        sorted(Patient.objects.values_list("last_name", flat=True)),
    )


def test_pages_have_a_default_and_a_maximum_size(world: World) -> None:
    for n in range(60):
        patient(f"Extra{n:02}", "Zed", world.cast.clinic_a)
    first = get(world, "patients/").json()
    assert first["count"] == 61 and len(first["results"]) == 50 and first["next"]
    assert len(get(world, "patients/", page=2).json()["results"]) == 11
    assert len(get(world, "patients/", page_size=200).json()["results"]) == 61
    assert "page_size" in error_fields(get(world, "patients/", page_size=201))
    assert "page" in error_fields(get(world, "patients/", page="0"))
    beyond = get(world, "patients/", page=3)
    assert beyond.status_code == 404 and beyond.json()["error"]["code"] == "not_found"


def test_filters_on_the_allow_list_work(world: World) -> None:
    rows = get(world, "outcomes/", instrument="odi").json()["results"]
    assert rows and {row["instrument"] for row in rows} == {"odi"}
    day = Visit.objects.get(pk=world.p.visit).performed_on.isoformat()  # its NPRS is a score
    assert OutcomeScore.objects.exclude(measured_on=day).exists()  # the intake's, days before
    dated = get(world, "outcomes/", **{"from": day, "to": day}).json()
    assert [row["measured_on"] for row in dated["results"]] == [day]


def test_sorting_on_the_allow_list_works(world: World) -> None:
    values = [r["value"] for r in get(world, "outcomes/", sort="-value").json()["results"]]
    assert values == sorted(values, reverse=True) and len(values) > 3


@pytest.mark.parametrize("name", ["password", "patient__user__password", "id__gt", "raw", "where"])
def test_an_unknown_filter_is_400_and_named(world: World, name: str) -> None:
    fields = error_fields(get(world, "patients/", **{name: "1"}))
    assert name in fields and "Unknown query parameter" in fields[name]


@pytest.mark.parametrize("value", [*SQL, "user__password", "-", "last_name,,"])
def test_an_unknown_sort_is_400(world: World, value: str) -> None:
    before = snapshot()
    assert "sort" in error_fields(get(world, "patients/", sort=value))
    assert snapshot() == before


@pytest.mark.parametrize("value", SQL)
@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("outcomes/", "instrument"),
        ("outcomes/", "patient"),
        ("appointments/", "status"),
        ("home-logs/", "from"),
    ],
)
def test_sql_in_filter_values_is_400_and_changes_nothing(
    world: World, path: str, name: str, value: str
) -> None:
    before = snapshot()
    assert name in error_fields(get(world, path, **{name: value}))
    assert snapshot() == before


@pytest.mark.parametrize("value", SQL)
def test_sql_in_free_text_is_only_text(world: World, value: str) -> None:
    before = snapshot()
    response = world.client("therapist_a").post(
        "/api/v1/patients/search/", {"name": value}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["results"] == []
    response = get(world, "clinics/", city=value)
    assert response.status_code == 200 and response.json()["results"] == []
    assert snapshot() == before


def test_a_filter_cannot_widen_what_the_persona_sees(world: World) -> None:
    rows = get(world, "outcomes/", "therapist_b", patient=world.p.patient).json()["results"]
    assert rows == []
    rows = get(world, "plans/", "patient_q", clinic="clinic-a").json()["results"]
    assert rows == []


def test_a_repeated_filter_is_400(world: World) -> None:
    response = world.client("therapist_a").get("/api/v1/outcomes/?instrument=odi&instrument=nprs")
    assert "instrument" in error_fields(response)


def test_detail_endpoints_take_no_query_parameters(world: World) -> None:
    assert "page" in error_fields(get(world, f"patients/{world.p.patient}/", page=1))
