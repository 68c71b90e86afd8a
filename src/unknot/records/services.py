"""Writes to clinical records that other areas trigger (booking opens an episode)."""

from django.db import transaction

from unknot.booking.models import Appointment, AppointmentKind
from unknot.records.models import Episode, EpisodeStatus, Intake


@transaction.atomic
def episode_for_new_evaluation(appointment: Appointment) -> Episode | None:
    """A booked initial evaluation opens an episode with an empty intake, once per patient.

    A person who already has an open episode at the clinic keeps it (e.g. a re-booked
    evaluation); the intake is linked to the newest evaluation appointment.
    """
    if appointment.patient is None or appointment.appointment_type.kind != AppointmentKind.INITIAL:
        return None
    episode = Episode.objects.filter(
        patient=appointment.patient, clinic=appointment.clinic, status=EpisodeStatus.OPEN
    ).first()
    if episode is None:
        episode = Episode.objects.create(
            patient=appointment.patient, clinic=appointment.clinic, therapist=appointment.therapist
        )
    intake, _ = Intake.objects.get_or_create(episode=episode)
    intake.appointment = appointment
    intake.save(update_fields=["appointment", "updated_at"])
    return episode
