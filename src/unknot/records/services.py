"""Writes to clinical records that other areas trigger: a booked evaluation opens an episode
(registered with booking at start-up, `RecordsConfig.ready`; booking cannot import records)."""

from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from unknot.booking.models import Appointment, AppointmentKind
from unknot.common.together import Writes, insert_select_sql, postgres_writes_together, update_sql
from unknot.patients.models import Patient
from unknot.records.intake.links import remember_opened
from unknot.records.models import Episode, EpisodeStatus, Intake


def episode_for_new_evaluation(appointment: Appointment) -> Writes | None:
    """A booked initial evaluation opens an episode with an empty intake, once per patient.

    A person who already has an open episode at the clinic keeps it (e.g. a re-booked
    evaluation); the intake is linked to the newest evaluation appointment. On PostgreSQL
    the writes are handed back, to be made with the booking's others in one statement.
    """
    patient = appointment.patient
    if patient is None or appointment.appointment_type.kind != AppointmentKind.INITIAL:
        remember_opened(appointment, None)
        return None
    if postgres_writes_together(Episode):
        return _episode_writes(appointment, patient)
    _open_episode(appointment, patient)
    return None


def _open_episodes(appointment: Appointment) -> QuerySet[Episode]:
    return Episode.objects.filter(
        patient=appointment.patient, clinic=appointment.clinic, status=EpisodeStatus.OPEN
    )


# No savepoint: callers already run inside the booking transaction, and a failure here must
# undo the booking too.
@transaction.atomic(savepoint=False)
def _open_episode(appointment: Appointment, patient: Patient) -> None:
    """The ORM's way, row by row (SQLite)."""
    episode = _open_episodes(appointment).first()
    if episode is None:
        episode = Episode.objects.create(
            patient=patient,
            clinic=appointment.clinic,
            therapist=appointment.therapist,
        )
        intake = Intake.objects.create(episode=episode, appointment=appointment)
        remember_opened(appointment, intake)
    elif not Intake.objects.filter(episode=episode).update(appointment=appointment):
        intake = Intake.objects.create(episode=episode, appointment=appointment)
        remember_opened(appointment, intake)


EITHER_EPISODE = "SELECT id FROM records_open UNION ALL SELECT id FROM records_new_episode"


def _episode_writes(appointment: Appointment, patient: Patient) -> Writes:
    """The same as `_open_episode`, as parts of one statement: the open episode if any
    (`records_open`), else a new one; its intake linked to this booking, else a new intake."""
    using = appointment._state.db or DEFAULT_DB_ALIAS
    newest_open = _open_episodes(appointment).order_by("-opened_at").values("id")[:1]
    open_sql, open_params = newest_open.query.sql_with_params()
    episode = Episode(
        patient=patient,
        clinic=appointment.clinic,
        therapist=appointment.therapist,
    )
    episode_sql, episode_params = insert_select_sql(
        episode, using, when="NOT EXISTS (SELECT 1 FROM records_open)"
    )
    relink_sql, relink_params = update_sql(
        Intake.objects.filter(episode__in=RawSQL("SELECT id FROM records_open", ())),
        appointment=appointment,
    )
    intake = Intake(appointment=appointment)
    intake_sql, intake_params = insert_select_sql(
        intake,
        using,
        when="NOT EXISTS (SELECT 1 FROM records_relinked)",
        episode_id="(SELECT id FROM records_episode)",
    )

    def opened(ids: list[int | None]) -> None:
        intake_id, episode_id = ids
        if intake_id is None or episode_id is None:  # the open episode's intake was relinked
            return
        intake.pk, intake.episode_id = intake_id, episode_id
        intake._state.adding, intake._state.db = False, using
        remember_opened(appointment, intake)

    return Writes(
        parts=(
            ("records_open", open_sql),
            ("records_new_episode", episode_sql),
            (
                "records_episode",
                "SELECT id FROM records_open UNION ALL SELECT id FROM records_new_episode",
            ),
            ("records_relinked", f"{relink_sql} RETURNING 1"),
            ("records_new_intake", intake_sql),
        ),
        params=(*open_params, *episode_params, *relink_params, *intake_params),
        result="ARRAY[(SELECT id FROM records_new_intake), (SELECT id FROM records_episode)]",
        then=opened,
    )
