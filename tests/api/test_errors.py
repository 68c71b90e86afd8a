"""One error format for every 4xx: {"error": {"code", "message", "fields"}}."""

from typing import Any

import pytest

from tests.api.world import World


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    found: dict[str, Any] = response.json()["error"]
    assert set(found) == {"code", "message", "fields"}
    assert found["code"] == code and found["message"]
    return found


@pytest.mark.parametrize(
    ("method", "path"),
    [("put", "patients/"), ("delete", "appointments/{id}/"), ("get", "appointments/{id}/cancel/"),
     ("post", "clinics/"), ("patch", "visits/{id}/")],
)  # fmt: skip
def test_a_wrong_method_is_405(world: World, method: str, path: str) -> None:
    # OPTIONS is not wrong: it answers 200 with Allow (tests/web/test_options_and_headers.py).
    url = "/api/v1/" + path.format(id=world.p.appointment)
    response = getattr(world.client("therapist_a"), method)(url)
    assert_error(response, 405, "method_not_allowed")


def test_401_403_404_share_the_format(world: World) -> None:
    assert_error(world.client("anonymous").get("/api/v1/patients/"), 401, "not_authenticated")
    assert_error(world.client("patient_p").get("/api/v1/visits/"), 403, "forbidden")
    assert_error(world.client("therapist_b").get(f"/api/v1/patients/{world.p.patient}/"), 404,
                 "not_found")  # fmt: skip


def test_field_errors_are_sentences_by_field(world: World) -> None:
    response = world.client("front_desk_a").post(
        "/api/v1/appointments/", {"clinic": "clinic-a"}, content_type="application/json"
    )
    found = assert_error(response, 400, "invalid")
    assert set(found["fields"]) == {"type", "therapist", "patient", "start"}
    assert all(isinstance(text, str) and text for text in found["fields"].values())


def test_availability_names_the_missing_parameters(world: World) -> None:
    found = assert_error(world.client("anonymous").get("/api/v1/availability/"), 400, "invalid")
    assert set(found["fields"]) == {"clinic", "type", "from", "to"}


def test_a_slot_lost_to_someone_else_is_409_in_the_format(world: World) -> None:
    # the full booking race is in test_appointments.py; here only the shape of the answer
    from tests.api.test_appointments import body

    client = world.client("front_desk_a")
    assert client.post("/api/v1/appointments/", body(world), content_type="application/json")
    taken = client.post("/api/v1/appointments/", body(world), content_type="application/json")
    assert_error(taken, 409, "slot_taken")
