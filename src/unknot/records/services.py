"""Writes to clinical records that other areas trigger: a booked evaluation opens an episode
(registered with booking at start-up, `RecordsConfig.ready`; booking cannot import records)."""

from django.db import transaction

from unknot.booking.models import Appointment, AppointmentKind
from unknot.records.intake.links import remember_opened
from unknot.records.models import Episode, EpisodeStatus, Intake


# No savepoint: callers already run inside the booking transaction, and a failure here must
# undo the booking too.
@transaction.atomic(savepoint=False)
def episode_for_new_evaluation(appointment: Appointment) -> Episode | None:
    """A booked initial evaluation opens an episode with an empty intake, once per patient.

    A person who already has an open episode at the clinic keeps it (e.g. a re-booked
    evaluation); the intake is linked to the newest evaluation appointment.
    """
    if appointment.patient is None or appointment.appointment_type.kind != AppointmentKind.INITIAL:
        remember_opened(appointment, None)
        return None
    episode = Episode.objects.filter(
        patient=appointment.patient, clinic=appointment.clinic, status=EpisodeStatus.OPEN
    ).first()
    if episode is None:
        episode = Episode.objects.create(
            patient=appointment.patient, clinic=appointment.clinic, therapist=appointment.therapist
        )
        intake = Intake.objects.create(episode=episode, appointment=appointment)
        remember_opened(appointment, intake)
    elif not Intake.objects.filter(episode=episode).update(appointment=appointment):
        intake = Intake.objects.create(episode=episode, appointment=appointment)
        remember_opened(appointment, intake)
    return episode
