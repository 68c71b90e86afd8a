"""Every API endpoint as every persona, with bearer tokens: staff see their clinics, a
patient only themself, other clinics' and other patients' objects answer 404, no credentials
401, a revoked token 401, and the read-only auditor may not write (403)."""

from typing import Any

import pytest

from tests.api.world import World
from unknot.api.models import ApiToken
from unknot.api.tokens import token_revoke

PERSONAS = ("anonymous", "therapist_a", "front_desk_a", "therapist_b", "manager", "auditor",
            "patient_p", "patient_q")  # fmt: skip
STAFF_A = ("therapist_a", "front_desk_a", "manager", "auditor")


def expect(**overrides: int) -> dict[str, int]:
    """200 for clinic A's staff and both patients; 401 without credentials."""
    base = dict.fromkeys(PERSONAS, 200) | {"anonymous": 401}
    return base | overrides


OF_P = expect(therapist_b=404, patient_q=404)
VISITS = expect(patient_p=403, patient_q=403)

# path (with {p.<key>} filled from patient P's records) -> status per persona
DETAILS: dict[str, dict[str, int]] = {
    "appointments/{p.appointment}/": OF_P,
    "patients/{p.patient}/": OF_P,
    "intakes/{p.intake}/": OF_P,
    "plans/{p.plan}/": OF_P,
    "plans/{p.draft_plan}/": OF_P | {"patient_p": 404},  # a draft is not yet the person's plan
    "visits/{p.visit}/": VISITS | {"therapist_b": 404},
    "outcomes/{p.outcome}/": OF_P,
    "home-logs/{p.log}/": OF_P,
}
LISTS = {
    "appointments/": expect(),
    "patients/": expect(),
    "intakes/": expect(),
    "plans/": expect(),
    "visits/": VISITS,
    "outcomes/": expect(),
    "home-logs/": expect(),
}
PUBLIC = ("clinics/", "clinics/clinic-a/", "therapists/", "appointment-types/")


def get(world: World, persona: str, path: str, **query: Any) -> Any:
    return world.client(persona).get("/api/v1/" + path.format(p=world.p, q=world.q), query)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("path", sorted(DETAILS))
def test_details(world: World, persona: str, path: str) -> None:
    response = get(world, persona, path)
    assert response.status_code == DETAILS[path][persona], response.content
    if response.status_code == 200:
        assert response.json()["id"] == int(path.format(p=world.p).split("/")[1])
    else:
        assert set(response.json()["error"]) == {"code", "message", "fields"}


def _patients_in(rows: list[dict[str, Any]]) -> set[int]:
    return {row["patient"] if "patient" in row else row["id"] for row in rows}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("path", sorted(LISTS))
def test_lists_hold_only_what_the_persona_may_see(world: World, persona: str, path: str) -> None:
    response = get(world, persona, path)
    assert response.status_code == LISTS[path][persona]
    if response.status_code != 200:
        return
    mine = {
        "therapist_b": {world.q.patient},
        "patient_q": {world.q.patient},
    }.get(persona, {world.p.patient})
    assert _patients_in(response.json()["results"]) == mine


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("path", PUBLIC)
def test_the_directory_is_public(world: World, persona: str, path: str) -> None:
    assert get(world, persona, path).status_code == 200


def test_other_clinics_staff_only_types_are_not_listed(world: World) -> None:
    staff_only = world.follow_up_a  # clinic A's follow-up is not booked online by new patients
    assert get(world, "therapist_a", f"appointment-types/{staff_only.pk}/").status_code == 200
    assert get(world, "therapist_b", f"appointment-types/{staff_only.pk}/").status_code == 404
    assert get(world, "anonymous", f"appointment-types/{staff_only.pk}/").status_code == 404


@pytest.mark.parametrize("raw", ["abc", "0", "-1", "99999999999999999999", "1.5"])
def test_ids_that_are_not_ids_are_a_json_404(world: World, raw: str) -> None:
    response = get(world, "therapist_a", f"patients/{raw}/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_a_revoked_token_is_401(world: World) -> None:
    row = ApiToken.objects.get(user=world.cast.therapist_a)
    assert get(world, "therapist_a", "patients/").status_code == 200
    token_revoke(user=world.cast.therapist_a, token_id=row.pk)
    response = get(world, "therapist_a", "patients/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["error"]["code"] == "not_authenticated"


def test_a_wrong_token_is_401_even_on_public_endpoints(world: World) -> None:
    from django.test import Client

    client = Client(HTTP_AUTHORIZATION="Bearer unk_not-a-real-token")
    assert client.get("/api/v1/clinics/").status_code == 401


def test_without_credentials_the_answer_is_401_not_a_redirect(world: World) -> None:
    response = get(world, "anonymous", "patients/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


@pytest.mark.parametrize(
    "path",
    ["appointments/", "appointments/{p.appointment}/move/", "appointments/{p.appointment}/cancel/"],
)
def test_the_auditor_may_not_write(world: World, path: str) -> None:
    response = world.client("auditor").post(
        "/api/v1/" + path.format(p=world.p), {}, content_type="application/json"
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"


def test_staff_may_not_log_home_sessions_for_patients(world: World) -> None:
    response = world.client("therapist_a").post(
        "/api/v1/home-logs/", {"performed_on": "2026-03-01", "status": "done"},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 403


def test_session_writes_need_the_csrf_token(world: World) -> None:
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.cast.front_desk_a)
    response = client.post(
        f"/api/v1/appointments/{world.p.appointment}/cancel/", {}, content_type="application/json"
    )
    assert response.status_code == 403
    assert "CSRF" in response.json()["error"]["message"]


def test_every_api_view_enforces_the_rule_it_declares() -> None:
    """The URL walk reads `access_rule` off the view; DRF must enforce that very rule."""
    from unknot.api.access import ApiRule, DeclaredAccess
    from unknot.config.urltable import declared_routes

    checked = 0
    for name, _, view in declared_routes():
        cls = getattr(view, "cls", None)
        if not name.startswith("api:") or cls is None:  # the tokens page uses @signed_in
            continue
        assert isinstance(view.access_rule, ApiRule) and view.access_rule is cls.access_rule
        assert cls.permission_classes == [DeclaredAccess], name
        checked += 1
    assert checked >= 25


def test_a_view_without_a_rule_is_closed() -> None:
    from unknot.api.access import DeclaredAccess

    class Undeclared:
        get = None

    request = type("Request", (), {"method": "GET", "user": None})()
    assert DeclaredAccess().has_permission(request, Undeclared()) is False  # type: ignore[arg-type]
