"""Who cancelled each visit, and whether it was late under the attendance policy.

Existing cancellations are filled in from the audit trail, which recorded who made each one:
- nobody signed in (the email link) or the patient in the portal: the patient, online;
- a discharge (audit reason `cancelled_at_discharge`): the clinic;
- a member of staff: "not recorded". The staff form did not ask whether the patient had
  called or the clinic had cancelled, and guessing "the patient" would count a cancellation
  against someone who may have had nothing to do with it.
No existing cancellation is marked late. Online cancellations inside the change notice were
always refused, so none of those was late; the clinic's never count; and an unknown canceller
must not silently count against a patient. Front desk staff still see these visits on the
appointment's page as cancelled, "who cancelled: not recorded".
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

PATIENT_ONLINE, CLINIC, NOT_RECORDED = "patient_online", "clinic", "not_recorded"
PATIENT_REASON, DISCHARGE_REASON = "cancelled", "cancelled_at_discharge"


BATCH = 500  # ids per UPDATE, under every database's limit on query parameters


def _mark(appointments, events, cancelled_by):
    ids = sorted({int(i) for i in events.values_list("object_id", flat=True) if i.isdigit()})
    for first in range(0, len(ids), BATCH):
        batch = ids[first : first + BATCH]
        appointments.filter(pk__in=batch).update(cancelled_by=cancelled_by)


def who_cancelled(apps, schema_editor):
    appointments = apps.get_model("booking", "Appointment").objects.filter(status="cancelled")
    events = apps.get_model("audit", "AuditEvent").objects.filter(
        object_type="appointment", action="update", outcome="allowed"
    )
    by_patient = events.filter(reason=PATIENT_REASON).filter(
        models.Q(actor_id__isnull=True) | models.Q(actor_role="patient")
    )
    by_clinic = events.filter(reason=DISCHARGE_REASON)
    appointments.update(cancelled_by=NOT_RECORDED)
    _mark(appointments, by_patient, PATIENT_ONLINE)
    _mark(appointments, by_clinic, CLINIC)


def forget_who_cancelled(apps, schema_editor):
    """Going back drops the columns; nothing to undo before that."""


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0003_append_function'),
        ('booking', '0006_outbox_moves_out'),
        ('clinics', '0003_attendance_policy'),
        ('patients', '0001_initial'),  # the follow-up's foreign key needs only the table
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='AttendanceFollowUp',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('done_at', models.DateTimeField()),
                ('note', models.TextField(max_length=500)),
            ],
            options={
                'ordering': ['-done_at', '-pk'],
            },
        ),
        migrations.AddField(
            model_name='appointment',
            name='cancelled_by',
            field=models.CharField(blank=True, choices=[('patient_online', 'The patient, online'), ('patient_by_phone', 'The patient, through the front desk'), ('clinic', 'The clinic'), ('not_recorded', 'Not recorded')], db_default='', default='', max_length=20),
        ),
        migrations.AddField(
            model_name='appointment',
            name='cancelled_late',
            field=models.BooleanField(db_default=False, default=False),
        ),
        migrations.AddIndex(
            model_name='appointment',
            index=models.Index(condition=models.Q(('status', 'no_show'), ('cancelled_late', True), _connector='OR'), fields=['clinic', 'patient'], name='appt_missed'),
        ),
        migrations.AddConstraint(
            model_name='appointment',
            constraint=models.CheckConstraint(condition=models.Q(('cancelled_late', False), models.Q(('cancelled_by__in', ('patient_online', 'patient_by_phone')), ('status', 'cancelled')), _connector='OR'), name='appt_late_is_the_patients_cancellation'),
        ),
        migrations.AddField(
            model_name='attendancefollowup',
            name='clinic',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='clinics.clinic'),
        ),
        migrations.AddField(
            model_name='attendancefollowup',
            name='done_by',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='clinics.staffmember'),
        ),
        migrations.AddField(
            model_name='attendancefollowup',
            name='patient',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='patients.patient'),
        ),
        migrations.AddIndex(
            model_name='attendancefollowup',
            index=models.Index(fields=['patient', 'clinic', 'done_at'], name='attendance_followed_up'),
        ),
        migrations.AddConstraint(
            model_name='attendancefollowup',
            constraint=models.CheckConstraint(condition=models.Q(('note', ''), _negated=True), name='follow_up_has_a_note'),
        ),
        # Last: on PostgreSQL no table may be altered after its rows were updated in the same
        # transaction (pending trigger events of the deferred foreign keys).
        migrations.RunPython(who_cancelled, forget_who_cancelled),
    ]
