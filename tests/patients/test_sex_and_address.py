"""A patient's administrative sex and US address: entered on the staff's patient pages and in
the portal, shown as an envelope shows them, refused in plain words when they are no address
(nothing saved, nothing audited)."""

import html
from typing import Any

import pytest
from django.urls import reverse

from tests.audit.support import client_for
from tests.personas import Cast
from unknot.audit.models import AuditEvent
from unknot.patients.models import Patient, Sex

pytestmark = pytest.mark.django_db

ADDRESS = {
    "address_line1": "77 Birch Road", "address_line2": "Apt 4", "city": "Troy", "state": "ny",
    "zip_code": "121801234",
}  # fmt: skip
NEW = {
    "first_name": "Zelda", "last_name": "Quartermaine", "date_of_birth": "1981-05-06",
    "email": "zelda.q@example.org", "phone": "",
}  # fmt: skip
# (what is typed, the field's message): each keeps the whole form from saving.
REFUSED = [
    ({"state": "ZZ"}, "Enter a US state&#x27;s two letters, like NY."),
    ({"state": "New York"}, "at most 2 characters"),
    ({"zip_code": "1218"}, "Five digits, or ZIP+4 like 10001-2345."),
    ({"zip_code": "１２１８０"}, "Five digits, or ZIP+4 like 10001-2345."),
    ({"city": ""}, "Enter the city too, or leave the whole address empty."),
    ({"address_line1": ""}, "Enter the street address too, or leave the whole address empty."),
    ({"zip_code": ""}, "Enter the ZIP code too, or leave the whole address empty."),
    ({"address_line1": "x" * 56}, "at most 55 characters"),
    ({"sex": "other"}, "Select a valid choice."),
    ({"sex": "F"}, "Select a valid choice."),
]
IDS = ["state", "not-a-code", "zip", "wide-digits", "no-city", "no-street", "no-zip", "long",
       "sex-other", "sex-code"]  # fmt: skip


def new_patient(cast: Cast, **typed: Any) -> Any:
    data = NEW | ADDRESS | {"preferred_clinic": cast.clinic_a.pk} | typed
    return client_for(cast.front_desk_a).post(reverse("staffarea:patient_new"), data)


def writes() -> int:
    return AuditEvent.objects.filter(action__in=["create", "update"]).count()


def test_staff_file_a_patient_with_sex_and_address(cast: Cast) -> None:
    assert new_patient(cast, sex=Sex.FEMALE).status_code == 302
    made = Patient.objects.get(last_name="Quartermaine")
    assert made.sex == Sex.FEMALE
    assert (made.address_line1, made.address_line2, made.city) == ("77 Birch Road", "Apt 4", "Troy")
    assert (made.state, made.zip_code) == ("NY", "12180-1234")  # kept as the USPS writes them
    page = client_for(cast.therapist_a).get(reverse("staffarea:patient_detail", args=[made.pk]))
    shown = page.content.decode()
    assert "77 Birch Road<br>Apt 4<br>Troy, NY 12180-1234" in shown
    assert "<dd>Female</dd>" in shown and "<dd>female</dd>" not in shown


def test_sex_left_unanswered_is_not_recorded_never_guessed(cast: Cast) -> None:
    assert new_patient(cast).status_code == 302  # no sex posted at all
    assert new_patient(cast, last_name="Quimby", sex="").status_code == 302  # the blank choice
    assert set(Patient.objects.filter(first_name="Zelda").values_list("sex", flat=True)) == {
        Sex.UNKNOWN
    }
    made = Patient.objects.get(last_name="Quimby")
    page = client_for(cast.therapist_a).get(reverse("staffarea:patient_detail", args=[made.pk]))
    assert "<dd>Not recorded</dd>" in page.content.decode()


def test_an_address_may_be_left_out_altogether(cast: Cast) -> None:
    empty = dict.fromkeys(ADDRESS, "")
    assert new_patient(cast, **empty).status_code == 302
    made = Patient.objects.get(last_name="Quartermaine")
    assert made.address_lines == [] and made.address == ""
    page = client_for(cast.therapist_a).get(reverse("staffarea:patient_detail", args=[made.pk]))
    assert "<dt>Address</dt><dd>—</dd>" in page.content.decode()


@pytest.mark.parametrize(("typed", "message"), REFUSED, ids=IDS)
def test_the_staff_form_refuses_what_is_no_address(
    cast: Cast, typed: dict[str, str], message: str
) -> None:
    before = writes()
    response = new_patient(cast, **typed)
    assert response.status_code == 200 and message in response.content.decode()
    assert not Patient.objects.filter(last_name="Quartermaine").exists()
    assert writes() == before


@pytest.mark.parametrize(("typed", "message"), REFUSED, ids=IDS)
def test_the_staff_edit_refuses_it_and_keeps_the_record(
    cast: Cast, typed: dict[str, str], message: str
) -> None:
    p = cast.patient_p
    kept = Patient.objects.filter(pk=p.pk).values().get()
    data = NEW | ADDRESS | {"preferred_clinic": p.preferred_clinic_id} | typed
    url = reverse("staffarea:patient_edit", args=[p.pk])
    response = client_for(cast.therapist_a).post(url, data)
    assert response.status_code == 200 and message in response.content.decode()
    assert Patient.objects.filter(pk=p.pk).values().get() == kept


def test_a_staff_edit_without_the_sex_field_keeps_the_recorded_sex(cast: Cast) -> None:
    p = cast.patient_p
    Patient.objects.filter(pk=p.pk).update(sex=Sex.MALE)
    data = NEW | ADDRESS | {"preferred_clinic": p.preferred_clinic_id}
    url = reverse("staffarea:patient_edit", args=[p.pk])
    assert client_for(cast.therapist_a).post(url, data).status_code == 302
    assert Patient.objects.get(pk=p.pk).sex == Sex.MALE


# --- the portal ------------------------------------------------------------------------------


def own_details(cast: Cast, **typed: Any) -> Any:
    p = cast.patient_p
    data = {"email": p.email, "phone": "555-0100"} | ADDRESS | typed
    return client_for(p.user).post(reverse("portal:contact_details"), data)


def test_a_patient_changes_their_own_sex_and_address_and_sees_them(cast: Cast) -> None:
    assert own_details(cast, sex=Sex.MALE).status_code == 302
    saved = Patient.objects.get(pk=cast.patient_p.pk)
    assert (saved.sex, saved.city, saved.state, saved.zip_code) == (
        Sex.MALE, "Troy", "NY", "12180-1234",
    )  # fmt: skip
    home = client_for(cast.patient_p.user).get(reverse("portal:home")).content.decode()
    assert "77 Birch Road<br>Apt 4<br>Troy, NY 12180-1234" in home and "<dd>Male</dd>" in home
    form = client_for(cast.patient_p.user).get(reverse("portal:contact_details")).content.decode()
    assert 'value="77 Birch Road"' in form and "Not recorded" in form


@pytest.mark.parametrize(("typed", "message"), REFUSED, ids=IDS)
def test_the_portal_refuses_what_is_no_address(
    cast: Cast, typed: dict[str, str], message: str
) -> None:
    p = cast.patient_p
    kept = Patient.objects.filter(pk=p.pk).values().get()
    before = writes()
    response = own_details(cast, **typed)
    assert response.status_code == 200 and message in response.content.decode()
    assert Patient.objects.filter(pk=p.pk).values().get() == kept
    assert writes() == before


def test_the_portal_changes_nothing_but_the_patients_own_details(cast: Cast) -> None:
    p = cast.patient_p
    sneaked = {"first_name": "Mallory", "date_of_birth": "1900-01-01", "preferred_clinic": 999}
    assert own_details(cast, **sneaked).status_code == 302
    saved = Patient.objects.get(pk=p.pk)
    assert (saved.first_name, saved.date_of_birth) == (p.first_name, p.date_of_birth)
    assert saved.preferred_clinic_id == p.preferred_clinic_id


def test_hostile_text_in_an_address_is_kept_as_text_and_shown_escaped(cast: Cast) -> None:
    line = "<script>alert(1)</script> & \"Apt\" 'B'"
    assert own_details(cast, address_line2=line, city="Troy </dd><b>").status_code == 302
    saved = Patient.objects.get(pk=cast.patient_p.pk)
    assert (saved.address_line2, saved.city) == (line, "Troy </dd><b>")
    page = client_for(cast.therapist_a).get(
        reverse("staffarea:patient_detail", args=[cast.patient_p.pk])
    )
    shown = page.content.decode()
    assert "<script>alert(1)" not in shown and "<b>" not in shown
    assert html.escape(line) in shown and "Troy &lt;/dd&gt;&lt;b&gt;" in shown
