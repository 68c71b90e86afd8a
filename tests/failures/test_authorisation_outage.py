"""Authorisation never fails open: when the database fails during the access check itself,
the answer is the error page, never the protected record.

Four doors to patient P's record: a staff page, the patient portal, the REST API with a
bearer token and a FHIR read. For each, the database is cut at the query that identifies
the caller (session, user, token), the one that reads their staff membership, and the
patient lookup in `get_patient_for`; then before every statement of the request in turn.
"""

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.failures.outage import assert_plain_500, database_outage, reads_table
from tests.failures.sweep import assert_audit_chain_intact, every_cut_answers_an_error
from tests.personas import Cast
from unknot.api.tokens import token_create

pytestmark = pytest.mark.django_db(transaction=True)

Door = Callable[[], Any]


def record_of_p(cast: Cast) -> tuple[str, ...]:
    """What none of the error pages may show: who patient P is."""
    return (cast.patient_p.last_name, cast.patient_p.email)


def signed_in_client(user: Any) -> Client:
    web = Client(raise_request_exception=False)
    web.force_login(user)
    return web


def token_client(user: Any) -> Client:
    token = token_create(user=user, name="outage tests")[1]
    return Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Bearer {token}")


def door(cast: Cast, name: str) -> Door:
    p = cast.patient_p.pk
    if name == "staff page":
        web = signed_in_client(cast.therapist_a)
        return lambda: web.get(reverse("staffarea:patient_detail", args=[p]))
    if name == "portal":
        web = signed_in_client(cast.patient_p.user)
        return lambda: web.get(reverse("portal:home"))
    if name == "REST API":
        web = token_client(cast.therapist_a)
        return lambda: web.get(reverse("api:patient_detail", args=[p]))
    if name == "FHIR":
        web = token_client(cast.therapist_a)
        return lambda: web.get(f"/fhir/Patient/{p}", HTTP_ACCEPT="application/fhir+json")
    raise ValueError(name)


# The queries an access decision rests on, per door: who is asking, what they are, the record.
CHECKS = {
    "staff page": ["django_session", "accounts_user", "clinics_staffmember", "patients_patient"],
    "portal": ["django_session", "accounts_user", "clinics_staffmember", "patients_patient"],
    "REST API": ["api_apitoken", "accounts_user", "clinics_staffmember", "patients_patient"],
    "FHIR": ["api_apitoken", "accounts_user", "clinics_staffmember", "patients_patient"],
}


@pytest.mark.parametrize(
    ("name", "table"), [(name, table) for name, tables in CHECKS.items() for table in tables]
)
def test_a_failed_access_check_answers_the_error_page_not_the_record(
    cast: Cast, name: str, table: str
) -> None:
    open_door = door(cast, name)
    with database_outage(reads_table(table)) as outage:
        response = open_door()
    assert outage.happened, f"the {name} never read {table}"
    assert_plain_500(response, *record_of_p(cast))
    after = open_door()  # the next request, on a new connection, is answered as usual
    assert after.status_code == 200 and cast.patient_p.last_name in after.content.decode()
    assert_audit_chain_intact()


@pytest.mark.parametrize("name", list(CHECKS))
def test_a_cut_before_any_statement_of_a_read_never_answers_the_record(
    cast: Cast, name: str
) -> None:
    cuts = every_cut_answers_an_error(door(cast, name), record_of_p(cast))
    assert cuts >= 4
