"""Every URL, every persona: what each may see. A new URL without a row here fails the suite."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.personas import Cast, make_cast
from tests.shared_rows import rows_shared_by_a_group
from tests.web import (
    matrix_accounts,
    matrix_api,
    matrix_audit,
    matrix_authorisations,
    matrix_billing,
    matrix_billing_account,
    matrix_billing_reports,
    matrix_booking_api,
    matrix_booking_public,
    matrix_booking_staff,
    matrix_breakglass,
    matrix_care,
    matrix_certification,
    matrix_clinical,
    matrix_coverage,
    matrix_exports,
    matrix_fhir,
    matrix_intake,
    matrix_paperwork,
    matrix_private_search,
    matrix_waitlist,
)
from tests.web.matrix_support import (
    LOGIN,
    PERSONAS,
    clinic_a,
    everyone,
    patient_p,
    portal_page,
    signed_in,
    staff_page,
)
from tests.web.urlwalk import walk

# url name -> (kwargs from the cast, expected status per persona)
MANAGERS_ONLY = staff_page(therapist_a=403, front_desk_a=403, therapist_b=403, auditor=403)

CORE: dict[str, tuple[Any, dict[str, Any]]] = {
    # For the load balancer: the same answer to everyone, signed in or not.
    "health:healthz": (None, everyone(200)),
    "health:readyz": (None, everyone(200)),
    "site:home": (None, everyone(200)),
    "site:clinic_list": (None, everyone(200)),
    "site:clinic_detail": (clinic_a, everyone(200)),
    "site:book_start": (clinic_a, everyone(200)),
    "accounts:login": (None, {"anonymous": 200} | dict.fromkeys(PERSONAS[1:], 302)),
    "accounts:logout": (None, everyone(405)),
    "accounts:home": (None, signed_in(302)),
    "accounts:password_reset": (None, everyone(200)),
    "accounts:password_reset_done": (None, everyone(200)),
    "accounts:password_reset_confirm": (
        lambda cast: {"uidb64": "MQ", "token": "not-a-token"},
        everyone(200),
    ),
    "accounts:password_reset_complete": (None, everyone(200)),
    "accounts:password_change": (None, signed_in(200)),
    "accounts:password_change_done": (None, signed_in(200)),
    "staffarea:dashboard": (None, staff_page(biller_a=200)),
    "staffarea:clinic_detail": (clinic_a, staff_page(therapist_b=404, biller_a=200)),
    # The practice dashboard is for managers: their own clinics' figures only.
    "staffarea:practice": (None, MANAGERS_ONLY),
    "staffarea:practice_csv": (None, MANAGERS_ONLY),
    "staffarea:patient_list": (None, staff_page(biller_a=200)),
    "staffarea:patient_new": (None, staff_page(auditor=403)),
    "staffarea:patient_detail": (patient_p, staff_page(therapist_b=404, biller_a=200)),
    "staffarea:patient_edit": (patient_p, staff_page(therapist_b=404, auditor=403)),
    "portal:home": (None, portal_page()),
    "portal:contact_details": (None, portal_page()),
    "portal:appointments": (None, portal_page()),
    # without a completed evaluation the patient is sent back to their appointments
    "portal:book_follow_up": (None, portal_page() | {"patient_p": 302, "patient_q": 302}),
    # Their own goals only (no id in the URL); without an open episode the page says so.
    "portal:goals": (None, portal_page()),
    # Not a visit of theirs (there is no such visit): answered as for any other person's.
    "portal:cancel_appointment": (
        lambda cast: {"appointment_id": 999999},
        portal_page() | {"patient_p": 404, "patient_q": 404},
    ),
}

# Each area keeps its rows in its own module; together they must cover every URL.
MATRIX = (
    CORE
    | matrix_booking_public.ROWS
    | matrix_booking_staff.ROWS
    | matrix_booking_api.ROWS
    | matrix_api.ROWS
    | matrix_intake.ROWS
    | matrix_clinical.ROWS
    | matrix_care.ROWS
    | matrix_accounts.ROWS
    | matrix_audit.ROWS
    | matrix_billing_account.ROWS
    | matrix_fhir.ROWS
    | matrix_exports.ROWS
    | matrix_breakglass.ROWS
    | matrix_private_search.ROWS
    | matrix_waitlist.ROWS
    | matrix_billing.ROWS
    | matrix_billing_reports.ROWS
    | matrix_coverage.ROWS
    | matrix_authorisations.ROWS
    | matrix_certification.ROWS
    | matrix_paperwork.ROWS
)


def test_every_url_declares_an_access_rule() -> None:
    undeclared = [r.route for r in walk() if not hasattr(r.callback, "access_rule")]
    assert undeclared == [], f"views without an access declaration: {undeclared}"


def test_every_url_has_a_row_in_the_matrix() -> None:
    names = {route.name for route in walk()}
    assert names - MATRIX.keys() == set(), "add these URLs to the access matrix"
    assert MATRIX.keys() - names == set(), "the matrix names URLs that no longer exist"


def test_public_declarations_match_the_public_list() -> None:
    # 405 answers before any access check (the method is wrong for everyone), so it says nothing.
    # 401 is the API's "sign in first" (it answers programs, not browsers): like LOGIN.
    method_only = {name for name, (_, exp) in MATRIX.items() if exp["anonymous"] == 405}
    public = {r.name for r in walk() if r.callback.access_rule.audience == "public"} - method_only
    open_to_anonymous = {
        name for name, (_, exp) in MATRIX.items() if exp["anonymous"] not in (LOGIN, 401, 405)
    }
    assert public == open_to_anonymous


def client_for(cast: Cast, persona: str) -> Client:
    client = Client()
    if persona != "anonymous":
        client.force_login(cast.users[persona])
    return client


@pytest.fixture(scope="module")
def row(name: str, django_db_setup: None, django_db_blocker: Any) -> Iterator[tuple[Cast, str]]:
    """The cast and the row's URL, made once for every persona (and the owner) who opens it.

    The tests are grouped by URL (`name` is a module-scoped parameter); each visit still runs
    in its own savepoint, so what one persona's request writes is gone before the next."""
    with rows_shared_by_a_group(django_db_blocker):
        with django_db_blocker.unblock():
            cast = make_cast()
            kwargs_for, _expected = MATRIX[name]
            url = reverse(name, kwargs=kwargs_for(cast) if kwargs_for else None)
        yield cast, url


@pytest.mark.parametrize("name", sorted(MATRIX), scope="module")
@pytest.mark.parametrize("persona", PERSONAS)
def test_access(row: tuple[Cast, str], db: None, name: str, persona: str) -> None:
    cast, url = row
    response = client_for(cast, persona).get(url)
    want = MATRIX[name][1][persona]
    if want == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login") + "?next=")
    else:
        assert response.status_code == want, f"{persona} GET {url}"


@pytest.mark.parametrize("name", sorted(MATRIX), scope="module")
def test_the_owner_may_do_what_a_manager_may(row: tuple[Cast, str], db: None, name: str) -> None:
    """The owner runs every clinic of the practice with a manager's rights, without being
    named at any clinic. Where the manager is told "not found" (another clinic's record), the
    owner may see it, or find it missing as well; never a refusal or an error."""
    from tests import factories

    _cast, url = row
    owner = factories.staff("owner", "owner", [])
    client = Client()
    client.force_login(owner)
    status = client.get(url).status_code
    want = MATRIX[name][1]["manager"]
    if want == 404:
        assert status in (200, 302, 404), f"owner GET {url}"
    else:
        assert status == want, f"owner GET {url}"
