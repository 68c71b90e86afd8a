"""Patient, Practitioner, PractitionerRole, Location, HealthcareService: valid, scoped, paged."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from tests import factories
from tests.fhir.conftest import as_user, fhir, ids, outcome, search


def test_staff_see_their_clinics_patients_and_others_are_not_found(cast):
    client = as_user(cast.therapist_a)
    assert ids(fhir(client.get("/fhir/Patient"))) == [str(cast.patient_p.pk)]
    patient = fhir(client.get(f"/fhir/Patient/{cast.patient_p.pk}"))
    assert patient["name"][0]["family"] == "Parker" and patient["birthDate"] == "1985-05-17"
    message = outcome(client.get(f"/fhir/Patient/{cast.patient_q.pk}"), 404)
    assert "Quill" not in message and "Quentin" not in message  # no data in a refusal


@pytest.mark.parametrize("persona", ["patient_p", "patient_q"])
def test_a_patient_sees_only_themself(cast, persona):
    me = getattr(cast, persona)
    other = cast.patient_q if me == cast.patient_p else cast.patient_p
    client = as_user(me.user)
    assert ids(fhir(client.get("/fhir/Patient"))) == [str(me.pk)]
    fhir(client.get(f"/fhir/Patient/{me.pk}"))
    outcome(client.get(f"/fhir/Patient/{other.pk}"), 404)


def test_nonsense_ids_are_not_found(cast):
    client = as_user(cast.therapist_a)
    for url in ("/fhir/Patient/abc", "/fhir/Patient/99999999999999999999", "/fhir/Location/-1",
                "/fhir/PractitionerRole/1", "/fhir/Schedule/x-y", "/fhir/Slot/1-2-3"):  # fmt: skip
        outcome(client.get(url), 404)


def test_patient_search_by_name_and_birthdate(cast):
    factories.patient("Paula", "Pine", cast.clinic_a, date_of_birth=factories.dt.date(1990, 1, 2))
    client = as_user(cast.front_desk_a)
    assert len(ids(fhir(search(client, "Patient", {"name": "pa"})))) == 2
    found = fhir(search(client, "Patient", {"name": "pine"}))
    assert [e["resource"]["name"][0]["given"] for e in found["entry"]] == [["Paula"]]
    assert fhir(search(client, "Patient", {"birthdate": "1990-01-02"}))["total"] == 1
    assert fhir(search(client, "Patient", {"birthdate": "ge1986-01-01"}))["total"] == 1
    assert fhir(search(client, "Patient", {"birthdate": "lt1986-01-01"}))["total"] == 1


def test_searches_page_with_count_and_self_next_previous_links(cast, django_assert_max_num_queries):
    for n in range(5):
        factories.patient(f"Pat{n}", f"Page{n}", cast.clinic_a)
    client = as_user(cast.therapist_a)
    first = fhir(client.get("/fhir/Patient", {"_count": "2"}))
    assert first["total"] == 6 and len(first["entry"]) == 2
    links = {link["relation"]: link["url"] for link in first["link"]}
    assert set(links) == {"self", "next"}
    assert links["next"].startswith("http://testserver/fhir/Patient?")
    second = fhir(client.get(links["next"].removeprefix("http://testserver")))
    assert {link["relation"] for link in second["link"]} == {"self", "next", "previous"}
    assert not set(ids(first)) & set(ids(second))
    third = {link["relation"]: link["url"] for link in second["link"]}["next"]
    last = fhir(client.get(third.removeprefix("http://testserver")))
    assert {link["relation"] for link in last["link"]} == {"self", "previous"}
    walked = [*ids(first), *ids(second), *ids(last)]
    assert sorted(walked) == sorted(set(walked)) and len(walked) == 6
    back = {link["relation"]: link["url"] for link in last["link"]}["previous"]
    assert ids(fhir(client.get(back.removeprefix("http://testserver")))) == ids(second)
    assert fhir(client.get("/fhir/Patient", {"_count": "0"}))["total"] == 6
    with django_assert_max_num_queries(8):
        assert len(fhir(client.get("/fhir/Patient", {"_count": "100"}))["entry"]) == 6


@pytest.mark.parametrize("cursor", ["garbage", "", "x" * 2000, "a:b:c", "1' OR '1'='1"])
def test_a_cursor_we_did_not_give_is_an_operation_outcome(cast, cursor):
    client = as_user(cast.therapist_a)
    assert "_cursor" in outcome(client.get("/fhir/Patient", {"_cursor": cursor}), 400)


def test_a_cursor_is_for_its_own_search_and_rows(cast):
    for n in range(3):
        factories.patient(f"Pat{n}", f"Page{n}", cast.clinic_a)
    first = fhir(as_user(cast.therapist_a).get("/fhir/Patient", {"_count": "1"}))
    cursor = parse_qs(urlsplit(first["link"][1]["url"]).query)["_cursor"][0]
    schedule = f"Schedule/{cast.therapist_a.staff_member.pk}-{cast.clinic_a.pk}"
    for kind in ("Practitioner", "Appointment", "Slot", "Questionnaire"):
        query = {"_cursor": cursor} | ({"schedule": schedule} if kind == "Slot" else {})
        assert outcome(as_user(cast.therapist_a).get(f"/fhir/{kind}", query), 400)
    gone = outcome(as_user(cast.therapist_b).get("/fhir/Patient", {"_cursor": cursor}), 400)
    assert "start again" in gone  # clinic B's therapist may not see that row


def test_a_bundle_over_many_matches_has_no_total(cast, monkeypatch):
    for n in range(4):
        factories.patient(f"Pat{n}", f"Many{n}", cast.clinic_a)
    client = as_user(cast.therapist_a)
    assert fhir(client.get("/fhir/Patient", {"_count": "2"}))["total"] == 5
    monkeypatch.setattr("unknot.fhir.search.MAX_TOTAL", 4)  # counting stops at the bound
    bundle = fhir(client.get("/fhir/Patient", {"_count": "2"}))
    assert "total" not in bundle and len(bundle["entry"]) == 2


def test_practitioners_are_the_clinicians_with_a_role_per_clinic(cast):
    client = as_user(cast.patient_p.user)
    practitioners = fhir(client.get("/fhir/Practitioner"))
    clinicians = {cast.therapist_a, cast.therapist_b, cast.manager}
    assert set(ids(practitioners)) == {str(u.staff_member.pk) for u in clinicians}
    member = cast.therapist_a.staff_member
    fhir(client.get(f"/fhir/Practitioner/{member.pk}"))
    outcome(client.get(f"/fhir/Practitioner/{cast.front_desk_a.staff_member.pk}"), 404)
    roles = fhir(
        client.get("/fhir/PractitionerRole", {"practitioner": f"Practitioner/{member.pk}"})
    )
    assert ids(roles) == [f"{member.pk}-{cast.clinic_a.pk}"]
    role = fhir(client.get(f"/fhir/PractitionerRole/{member.pk}-{cast.clinic_a.pk}"))
    assert role["location"][0]["reference"] == f"Location/{cast.clinic_a.pk}"
    outcome(client.get(f"/fhir/PractitionerRole/{member.pk}-{cast.clinic_b.pk}"), 404)
    at_b = fhir(client.get("/fhir/PractitionerRole", {"location": str(cast.clinic_b.pk)}))
    assert ids(at_b) == [f"{cast.therapist_b.staff_member.pk}-{cast.clinic_b.pk}"]
    assert outcome(client.get("/fhir/PractitionerRole", {"location": "Patient/1"}), 400)


def test_locations_have_hours_and_their_time_zone(cast, django_assert_max_num_queries):
    client = as_user(cast.therapist_b)
    with django_assert_max_num_queries(10):  # 5 of them: session, user and two-factor device
        found = fhir(client.get("/fhir/Location"))
    assert [e["resource"]["name"] for e in found["entry"]] == ["Alder Clinic", "Birch Clinic"]
    clinic = fhir(client.get(f"/fhir/Location/{cast.clinic_a.pk}"))
    assert clinic["extension"][0]["valueCode"] == "America/New_York"
    assert clinic["hoursOfOperation"][0] == {
        "daysOfWeek": ["mon"],
        "openingTime": "08:00:00",
        "closingTime": "18:00:00",
    }
    assert ids(fhir(client.get("/fhir/Location", {"name": "birch"}))) == [str(cast.clinic_b.pk)]


def test_healthcare_services_are_the_active_appointment_types(practice):
    client = as_user(practice.cast.patient_q.user)
    everything = fhir(client.get(reverse("fhir:healthcareservice_type")))
    assert everything["total"] == 3
    practice.follow_up_a.is_active = False
    practice.follow_up_a.save()
    at_a = fhir(
        client.get("/fhir/HealthcareService", {"location": f"Location/{practice.cast.clinic_a.pk}"})
    )
    assert ids(at_a) == [str(practice.evaluation_a.pk)]
    service = fhir(client.get(f"/fhir/HealthcareService/{practice.evaluation_a.pk}"))
    assert (
        service["name"] == "Initial evaluation"
        and service["characteristic"][0]["text"] == "60 minutes"
    )
    outcome(client.get(f"/fhir/HealthcareService/{practice.follow_up_a.pk}"), 404)
