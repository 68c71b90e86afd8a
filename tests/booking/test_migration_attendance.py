"""booking 0007 fills in who cancelled each existing visit from the audit trail.

Cancellations are made through every path at today's schema (the portal, the email link, a
discharge, the front desk), the database is taken back to before 0007 (the columns go) and
forward again: the patient's online cancellations come back as the patient's, the discharge
as the clinic's, the front desk's as "not recorded" (the form did not ask), and none is
late, so nobody is counted over the policy for what the old records cannot say.
"""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse

from tests import factories
from tests.audit.support import client_for
from tests.calendar import make_calendar
from tests.personas import make_cast
from unknot.booking import attendance, cancel_together, links, services
from unknot.booking.models import Appointment, CancelledBy, Status

BEFORE = [("booking", "0006_outbox_moves_out")]
AFTER = [("booking", "0007_attendance")]


@pytest.mark.django_db(transaction=True)
def test_who_cancelled_comes_back_from_the_audit_trail() -> None:
    cast = make_cast()
    cal = make_calendar(cast)
    now = dt.datetime.now(dt.UTC)

    def book() -> Appointment:
        return factories.booked_appointment(
            cal, patient=cast.patient_p, type=cal.follow_up_a, by=cast.front_desk_a, now=now
        )

    portal, link, discharge, desk, kept = (book() for _ in range(5))
    client_for(cast.patient_p.user).post(reverse("portal:cancel_appointment", args=[portal.pk]))
    Client().post(reverse("booking:manage", args=[links.manage_token(link.pk)]),
                  {"action": "cancel"})  # fmt: skip
    cancel_together.appointments_cancel_together(
        by=cast.therapist_a, appointments=[discharge], now=now, reason="Discharged",
        message_key="migration-test",
    )  # fmt: skip
    services.appointment_cancel(by=cast.front_desk_a, appointment=desk, now=now,
                                cancelled_by=CancelledBy.PATIENT_BY_PHONE)  # fmt: skip
    ids = {"portal": portal.pk, "link": link.pk, "discharge": discharge.pk, "desk": desk.pk}

    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    try:
        executor.migrate(BEFORE)
        old = executor.loader.project_state(BEFORE).apps.get_model("booking", "Appointment")
        assert "cancelled_by" not in {f.name for f in old._meta.fields}
        cancelled = old.objects.filter(status="cancelled").values_list("pk", flat=True)
        assert set(cancelled) == set(ids.values())
        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)
    finally:
        MigrationExecutor(connection).migrate(leaves)

    found = dict(Appointment.objects.values_list("pk", "cancelled_by"))
    assert {name: found[pk] for name, pk in ids.items()} == {
        "portal": "patient_online", "link": "patient_online", "discharge": "clinic",
        "desk": "not_recorded",
    }  # fmt: skip
    assert found[kept.pk] == "" and Appointment.objects.get(pk=kept.pk).status == Status.BOOKED
    assert not Appointment.objects.filter(cancelled_late=True).exists()
    assert attendance.standings(cast.front_desk_a, now, [cast.patient_p.pk]) == {}
