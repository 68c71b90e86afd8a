"""The staff's patient forms and the portal's contact details take only deliverable addresses.

Each refusal shows the plain message next to the field and changes nothing.
"""

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.accounts.test_emails import NOT_ASCII_BEFORE_THE_AT, address_of
from tests.audit.support import client_for
from tests.personas import Cast
from unknot.accounts.emails import NOT_LATIN, TOO_LONG
from unknot.audit.models import AuditEvent
from unknot.patients.models import Patient

REFUSED = [(address_of(255), TOO_LONG)] + [(e, NOT_LATIN) for e in NOT_ASCII_BEFORE_THE_AT]


def staff_data(cast: Cast, email: str) -> dict[str, Any]:
    return {
        "first_name": "Zelda", "last_name": "Quartermaine", "date_of_birth": "1981-05-06",
        "email": email, "phone": "", "preferred_clinic": cast.clinic_a.pk,
    }  # fmt: skip


def refused_with(response: Any, message: str) -> None:
    assert response.status_code == 200
    assert message in response.content.decode()


def writes() -> int:
    return AuditEvent.objects.filter(action__in=["create", "update"]).count()


@pytest.mark.parametrize(("email", "message"), REFUSED)
def test_the_staff_form_for_a_new_patient(cast: Cast, email: str, message: str) -> None:
    before = writes()
    response = client_for(cast.front_desk_a).post(
        reverse("staffarea:patient_new"), staff_data(cast, email)
    )
    refused_with(response, message)
    assert not Patient.objects.filter(last_name="Quartermaine").exists()
    assert writes() == before


@pytest.mark.parametrize(("email", "message"), REFUSED)
def test_the_staff_form_for_an_existing_patient(cast: Cast, email: str, message: str) -> None:
    p = cast.patient_p
    url = reverse("staffarea:patient_edit", args=[p.pk])
    refused_with(client_for(cast.therapist_a).post(url, staff_data(cast, email)), message)
    assert Patient.objects.get(pk=p.pk).email == p.email


@pytest.mark.parametrize(("email", "message"), REFUSED)
def test_the_portal_contact_details(cast: Cast, email: str, message: str) -> None:
    p = cast.patient_p
    contact = {"email": email, "phone": "555-0100", "address_line1": "4 Oak Lane",
               "city": "Troy", "state": "NY", "zip_code": "12180"}  # fmt: skip
    refused_with(client_for(p.user).post(reverse("portal:contact_details"), contact), message)
    saved = Patient.objects.get(pk=p.pk)
    assert (saved.email, saved.address) == (p.email, p.address)
    assert saved.address_line1 != "4 Oak Lane"


def test_the_model_refuses_it_too(cast: Cast) -> None:
    """Every service calls full_clean: a path without our form field cannot store one."""
    p = cast.patient_p
    p.email = NOT_ASCII_BEFORE_THE_AT[1]
    with pytest.raises(ValidationError) as refused:
        p.full_clean()
    assert refused.value.message_dict["email"] == [NOT_LATIN]
