"""Pagination, filters and sorting on allow-lists: anything not on the list is a 400 that
names it, values are parsed before the ORM sees them, and nothing ever changes."""

from typing import Any
from urllib.parse import parse_qs, urlsplit

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
    assert len(first["results"]) == 50 and first["next"] and first["previous"] is None
    assert "count" not in first  # counting millions would cost more than the page
    second = follow(world, first["next"])
    assert len(second["results"]) == 11 and second["next"] is None and second["previous"]
    assert len(get(world, "patients/", page_size=200).json()["results"]) == 61
    assert "page_size" in error_fields(get(world, "patients/", page_size=201))
    assert "page_size" in error_fields(get(world, "patients/", page_size="0"))
    assert "page" in error_fields(get(world, "patients/", page="2"))  # no page numbers now


def follow(world: World, link: str, persona: str = "therapist_a") -> Any:
    response = world.client(persona).get(link)
    assert response.status_code == 200, response.content
    return response.json()


def ids(page: dict[str, Any]) -> list[int]:
    return [row["id"] for row in page["results"]]


@pytest.mark.parametrize("sort", ["last_name", "-last_name", "-date_of_birth,first_name"])
def test_cursor_pages_walk_every_row_once_both_ways(world: World, sort: str) -> None:
    for n in range(7):  # equal last names: the id breaks the tie, so no row repeats or is lost
        patient(f"Twin{n}", "Same", world.cast.clinic_a)
    everything = ids(get(world, "patients/", sort=sort, page_size=200).json())
    pages = [get(world, "patients/", sort=sort, page_size=3).json()]
    while pages[-1]["next"]:
        pages.append(follow(world, pages[-1]["next"]))
    assert [i for p in pages for i in ids(p)] == everything and len(everything) > 6
    back = [pages[-1]]
    while back[-1]["previous"]:
        back.append(follow(world, back[-1]["previous"]))
    assert [ids(p) for p in reversed(back)] == [ids(p) for p in pages]
    assert "Same" not in pages[0]["next"]  # the cursor carries an id, never a sort value


@pytest.mark.parametrize(
    "cursor", ["garbage", "", "x" * 2000, "eyJ0IjoxfQ:1abc:def", "'; DROP TABLE x; --"]
)
def test_a_cursor_we_did_not_give_is_a_400(world: World, cursor: str) -> None:
    assert "cursor" in error_fields(get(world, "patients/", cursor=cursor))


def test_a_cursor_is_for_its_own_list_order_and_rows(world: World) -> None:
    for n in range(4):
        patient(f"Pat{n}", "Row", world.cast.clinic_a)
    nxt = get(world, "patients/", page_size=1).json()["next"]
    cursor = parse_qs(urlsplit(nxt).query)["cursor"][0]
    assert "cursor" in error_fields(get(world, "patients/", cursor=cursor, sort="-last_name"))
    assert "cursor" in error_fields(get(world, "appointments/", cursor=cursor))
    other = get(world, "patients/", "therapist_b", cursor=cursor)  # not a row they may see
    assert "is gone: start again" in error_fields(other)["cursor"]


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
    assert "cursor" in error_fields(get(world, f"patients/{world.p.patient}/", cursor="x"))


def test_plans_come_ten_a_page_unless_asked(world: World) -> None:
    from unknot.api.views_records import PlanList

    assert PlanList.page_size == 10  # heavy rows: the others keep 50
    schema = world.client("therapist_a").get("/api/v1/schema/?format=json").json()
    sizes = {
        path: next(p for p in op["get"]["parameters"] if p["name"] == "page_size")
        for path, op in schema["paths"].items()
        if path in ("/api/v1/plans/", "/api/v1/patients/")
    }
    assert "default 10," in sizes["/api/v1/plans/"]["description"]
    assert "default 50," in sizes["/api/v1/patients/"]["description"]
    assert get(world, "plans/", page_size="1").json()["next"] is not None


def test_a_plain_serializer_says_what_drf_says(world: World, monkeypatch) -> None:
    """The plan's fast output (serializers.Plain) is DRF's own, field for field."""
    from rest_framework import serializers

    from unknot.api.serializers import Plain, PlanOut
    from unknot.plans.models import PlanOfCare

    plan = PlanOfCare.objects.select_related("episode__clinic").get(pk=world.p.plan)
    fast = PlanOut(plan).data
    monkeypatch.setattr(Plain, "to_representation", serializers.Serializer.to_representation)
    assert PlanOut(plan).data == fast
    assert fast["goals"] and fast["home_exercises"] and fast["signed_at"]
