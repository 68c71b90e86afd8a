"""A FHIR Patient carries the administrative sex as `gender` and the US address in its parts,
parsed with fhirclient's strict R4 models."""

import pytest
from fhirclient.models.patient import Patient as FhirPatient

from tests.fhir.conftest import as_user, fhir
from unknot.patients.models import Patient, Sex

# FHIR R4's AdministrativeGender value set (fhirclient does not check codes).
ADMINISTRATIVE_GENDER = {"male", "female", "other", "unknown"}


def read(cast, patient_id: int) -> FhirPatient:
    body = fhir(as_user(cast.therapist_a).get(f"/fhir/Patient/{patient_id}"))
    return FhirPatient(body, strict=True)


@pytest.mark.parametrize("sex", list(Sex))
def test_gender_is_the_recorded_sex_as_an_administrative_gender_code(cast, sex):
    Patient.objects.filter(pk=cast.patient_p.pk).update(sex=sex)
    gender = read(cast, cast.patient_p.pk).gender
    assert gender in ADMINISTRATIVE_GENDER and gender == str(sex)


def test_the_address_comes_in_its_parts(cast):
    Patient.objects.filter(pk=cast.patient_p.pk).update(
        address_line1="77 Birch Road", address_line2="Apt 4", city="Troy", state="NY",
        zip_code="12180-1234",
    )  # fmt: skip
    (address,) = read(cast, cast.patient_p.pk).address
    assert address.use == "home" and address.country == "US"
    assert address.line == ["77 Birch Road", "Apt 4"]
    assert (address.city, address.state, address.postalCode) == ("Troy", "NY", "12180-1234")
    assert address.text == "77 Birch Road, Apt 4, Troy, NY 12180-1234"


def test_an_older_records_free_text_is_its_only_line(cast):
    """A record whose old address could not be taken apart holds it whole in line 1."""
    Patient.objects.filter(pk=cast.patient_p.pk).update(
        address_line1="c/o Ann, 12 Oak Lane", address_line2="", city="", state="", zip_code=""
    )
    (address,) = read(cast, cast.patient_p.pk).address
    assert address.line == ["c/o Ann, 12 Oak Lane"] and address.text == "c/o Ann, 12 Oak Lane"
    assert address.city is None and address.state is None and address.postalCode is None


def test_no_address_on_file_is_no_address_element(cast):
    Patient.objects.filter(pk=cast.patient_p.pk).update(
        address_line1="", address_line2="", city="", state="", zip_code=""
    )
    assert read(cast, cast.patient_p.pk).address is None
