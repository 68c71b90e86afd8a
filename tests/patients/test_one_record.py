"""One person, one record: online booking's matching, and the database rule behind it.

The race itself (simultaneous first bookings of one person) is in
tests/booking/test_first_booking_race_postgres.py; here each path is taken on purpose.
"""

import datetime as dt
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from tests import factories
from tests.audit.support import client_for
from tests.personas import Cast
from unknot.audit.models import AuditEvent
from unknot.patients import services
from unknot.patients.models import Patient
from unknot.patients.services import PersonDetails, patient_match_or_create

ROSA = PersonDetails(
    first_name="Rosa",
    last_name="Marsh",
    date_of_birth=dt.date(1984, 7, 23),
    email="rosa.marsh@example.org",
    phone="(207) 555-0199",
)


def filed_online(cast: Cast, details: PersonDetails = ROSA) -> Patient:
    return patient_match_or_create(clinic=cast.clinic_a, details=details)


def test_a_new_person_is_filed_once_and_found_again_in_any_case(cast: Cast) -> None:
    first = filed_online(cast)
    assert first.online_identity and first.preferred_clinic == cast.clinic_a
    assert AuditEvent.objects.filter(object_type="patient", reason="booked_online").count() == 1
    again = filed_online(cast, PersonDetails("R", "M", ROSA.date_of_birth, ROSA.email.upper()))
    assert again == first and again.first_name == "Rosa"  # reused, never changed
    assert Patient.objects.filter(email__iexact=ROSA.email).count() == 1


def test_the_same_email_with_another_birth_date_or_clinic_is_another_person(cast: Cast) -> None:
    rosa = filed_online(cast)
    child = filed_online(cast, PersonDetails("Lily", "Marsh", dt.date(2015, 1, 9), ROSA.email))
    elsewhere = patient_match_or_create(clinic=cast.clinic_b, details=ROSA)
    assert len({rosa.pk, child.pk, elsewhere.pk}) == 3


def test_a_record_filed_by_staff_is_reused_by_online_booking(cast: Cast) -> None:
    staffs = factories.patient(
        "Rosa",
        "Marsh",
        cast.clinic_a,
        login=False,
        email=ROSA.email,
        date_of_birth=ROSA.date_of_birth,
    )
    assert filed_online(cast) == staffs and not staffs.online_identity


def test_losing_the_race_takes_the_winners_record(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The loser's match ran before the winner committed: its INSERT fails in a savepoint,
    and the booking's own transaction goes on with the winner's record."""
    winner = filed_online(cast)
    real_match, calls = services._match, []

    def too_early_then_real(*args: Any) -> Patient | None:
        calls.append(args)
        return None if len(calls) == 1 else real_match(*args)

    monkeypatch.setattr(services, "_match", too_early_then_real)
    with transaction.atomic():
        assert filed_online(cast) == winner
        Patient.objects.count()  # the transaction is still usable
    assert len(calls) == 2 and Patient.objects.filter(email=ROSA.email).count() == 1
    assert AuditEvent.objects.filter(object_type="patient", reason="booked_online").count() == 1


def test_the_database_refuses_a_second_online_record_of_one_person(cast: Cast) -> None:
    filed_online(cast)
    twin = Patient(
        first_name="Rosa",
        last_name="Marsh",
        date_of_birth=ROSA.date_of_birth,
        email=ROSA.email.upper(),
        preferred_clinic=cast.clinic_a,
        online_identity=True,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()


def test_staff_may_still_file_whom_they_decide(cast: Cast) -> None:
    """E.g. twins sharing a parent's email: staff file both; only online booking merges."""
    filed_online(cast)
    data = {
        "first_name": "Rose", "last_name": "Marsh", "date_of_birth": "1984-07-23",
        "email": ROSA.email, "phone": "", "preferred_clinic": cast.clinic_a.pk,
    }  # fmt: skip
    response = client_for(cast.front_desk_a).post(reverse("staffarea:patient_new"), data)
    assert response.status_code == 302
    assert Patient.objects.filter(email=ROSA.email).count() == 2


def test_changing_the_email_takes_a_record_out_of_the_rule(cast: Cast) -> None:
    rosa = filed_online(cast)
    rosa.user = factories.user("rosa.marsh", email="rosa.login@example.org")
    rosa.save()
    client = client_for(rosa.user)
    same = {"email": ROSA.email.upper(), "phone": ""}
    assert client.post(reverse("portal:contact_details"), same).status_code == 302
    rosa.refresh_from_db()
    assert rosa.online_identity  # the same address in other letters is the same identity
    other = {"email": "rosa.new@example.org", "phone": ""}
    assert client.post(reverse("portal:contact_details"), other).status_code == 302
    rosa.refresh_from_db()
    assert not rosa.online_identity
    # The old address and birth date now belong to nobody: a new booking files a new record,
    # and a later change back to them is not refused either.
    newcomer = filed_online(cast)
    assert newcomer != rosa and newcomer.online_identity
    assert client.post(reverse("portal:contact_details"), same).status_code == 302


def test_a_staff_edit_of_the_birth_date_takes_a_record_out_of_the_rule(cast: Cast) -> None:
    rosa = filed_online(cast)
    data = {
        "first_name": "Rosa", "last_name": "Marsh", "date_of_birth": "1984-07-24",
        "email": ROSA.email, "phone": "", "preferred_clinic": cast.clinic_a.pk,
    }  # fmt: skip
    url = reverse("staffarea:patient_edit", args=[rosa.pk])
    assert client_for(cast.front_desk_a).post(url, data).status_code == 302
    rosa.refresh_from_db()
    assert rosa.date_of_birth == dt.date(1984, 7, 24) and not rosa.online_identity


# --- the migration ----------------------------------------------------------------------------

BEFORE = [("patients", "0001_initial")]
AFTER = [("patients", "0002_one_record_per_online_person")]


@pytest.mark.django_db(transaction=True)
def test_duplicates_already_in_a_database_do_not_stop_the_migration(cast: Cast) -> None:
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    try:
        executor.migrate(BEFORE)
        old = executor.loader.project_state(BEFORE).apps.get_model("patients", "Patient")
        for email in (ROSA.email, ROSA.email.upper()):  # the race's leftovers, before the rule
            old.objects.create(
                first_name="Rosa",
                last_name="Marsh",
                email=email,
                date_of_birth=ROSA.date_of_birth,
                preferred_clinic_id=cast.clinic_a.pk,
            )
        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)
    finally:  # the apps that depend on later patients migrations come back too
        MigrationExecutor(connection).migrate(leaves)
    assert Patient.objects.filter(email__iexact=ROSA.email, online_identity=False).count() == 2
    # From here on, online booking reuses the oldest of them and files no third.
    assert filed_online(cast) == Patient.objects.filter(email=ROSA.email).get()
    assert Patient.objects.filter(email__iexact=ROSA.email).count() == 2
