"""POST /api/v1/patients/search/: a name or a date of birth travels in the JSON body, never in
a URL (server logs, proxies, browser history and Referer headers keep URLs). The list refuses
them in its query with a 400 that says where they belong."""

import datetime as dt
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client

from tests.api.world import World
from tests.factories import patient

SEARCH = "/api/v1/patients/search/"


def find(world: World, body: Any, persona: str = "therapist_a", query: str = "") -> Any:
    client = world.client(persona)
    return client.post(SEARCH + query, body, content_type="application/json")


def names(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["last_name"] for row in response.json()["results"]]


def test_search_by_name_and_date_of_birth(world: World) -> None:
    born = dt.date(1950, 2, 3)  # before 1970: people of every age can be found
    patient("Paula", "Pine", world.cast.clinic_a, date_of_birth=born)
    assert names(find(world, {"name": "pine"})) == ["Pine"]
    assert sorted(names(find(world, {"name": "p"}))) == ["Parker", "Pine"]
    assert names(find(world, {"date_of_birth": "1950-02-03"})) == ["Pine"]
    assert names(find(world, {"name": "parker", "date_of_birth": "1950-02-03"})) == []
    assert sorted(names(find(world, {}))) == ["Parker", "Pine"]  # no terms: the whole list


def test_search_keeps_to_the_persona_scope(world: World) -> None:
    assert names(find(world, {"name": "quill"})) == []  # clinic B's patient
    assert names(find(world, {"name": "quill"}, "therapist_b")) == ["Quill"]
    assert names(find(world, {"name": "parker"}, "patient_q")) == []  # a patient: only self
    assert names(find(world, {}, "patient_q")) == ["Quill"]
    assert names(find(world, {"name": "parker"}, "auditor")) == ["Parker"]  # a read: allowed


def test_pages_link_to_the_same_search_without_the_terms(world: World) -> None:
    for n in range(5):
        patient(f"Pat{n}", "Pinewood", world.cast.clinic_a)
    body = {"name": "pinewood"}
    first = find(world, body, query="?page_size=2&sort=first_name").json()
    assert len(first["results"]) == 2 and first["previous"] is None
    assert "pinewood" not in first["next"].lower()
    nxt = urlsplit(first["next"])
    assert nxt.path == SEARCH
    second = find(world, body, query="?" + nxt.query).json()
    assert [r["first_name"] for r in second["results"]] == ["Pat2", "Pat3"]
    other = find(world, {"name": "parker"}, query="?" + nxt.query)  # another search, other rows
    assert other.status_code == 400 and "cursor" in other.json()["error"]["fields"]


@pytest.mark.parametrize("name", ["q", "date_of_birth", "name"])
def test_identifying_values_in_the_list_query_are_refused_with_a_pointer(
    world: World, name: str
) -> None:
    response = world.client("therapist_a").get("/api/v1/patients/", {name: "1985-05-17"})
    assert response.status_code == 400
    error = response.json()["error"]
    assert "POST /api/v1/patients/search/" in error["fields"][name]
    assert "1985" not in response.content.decode()  # the value is not repeated back


def test_identifying_values_in_the_search_query_are_refused_too(world: World) -> None:
    response = find(world, {}, query="?q=parker")
    assert response.status_code == 400 and "q" in response.json()["error"]["fields"]


@pytest.mark.parametrize(
    ("body", "field"),
    [({"name": ""}, "name"), ({"name": "x" * 101}, "name"), ({"name": "a\x00b"}, "name"),
     ({"date_of_birth": "17/05/1985"}, "date_of_birth"), ({"surname": "parker"}, "surname"),
     ({"name": ["parker"]}, "name")],
)  # fmt: skip
def test_bad_bodies_are_400_naming_the_field(world: World, body: Any, field: str) -> None:
    response = find(world, body)
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]


def test_a_session_search_needs_the_csrf_token(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.cast.therapist_a)
    response = client.post(SEARCH, {"name": "parker"}, content_type="application/json")
    assert response.status_code == 403 and "CSRF" in response.content.decode()


def test_anonymous_callers_get_401_and_get_is_405(world: World) -> None:
    assert Client().post(SEARCH, {}, content_type="application/json").status_code == 401
    assert world.client("therapist_a").get(SEARCH).status_code == 405
