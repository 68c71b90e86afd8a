"""What the API says about each object (output), and the bodies it accepts (input).

Output serializers only render; input serializers only parse. Every decision stays in the
services: an input serializer never saves anything.
"""

import datetime as dt
import zoneinfo
from decimal import Decimal
from typing import Any

from rest_framework import serializers

from unknot.billing.models import ChargeStatus, PaymentMethod
from unknot.booking.models import Appointment, AppointmentKind, OnlineBooking, Status
from unknot.care.codes import CPT_LABELS
from unknot.care.ledger import CENT
from unknot.common.inputs import BadInput, date_from, instant_from
from unknot.coverage.models import PlanType, Priority, Relationship
from unknot.plans.models import LogStatus, PlanStatus
from unknot.records.models import Instrument, IntakeStatus

MAX_ID = 10**15


def _local(instant: dt.datetime, time_zone: str) -> str:
    return instant.astimezone(zoneinfo.ZoneInfo(time_zone)).isoformat()


class Id(serializers.IntegerField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(min_value=1, max_value=MAX_ID, **kwargs)


# --- directory -------------------------------------------------------------------------------


class OpeningHoursOut(serializers.Serializer):
    weekday = serializers.IntegerField(help_text="0 is Monday, 6 is Sunday.")
    # Wall-clock times without an offset (HH:MM:SS): not an RFC 3339 "time", so plain text.
    opens = serializers.CharField(help_text="HH:MM:SS, wall-clock time in the clinic's zone.")
    closes = serializers.CharField(help_text="HH:MM:SS, wall-clock time in the clinic's zone.")


class ClinicOut(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    address_line = serializers.CharField()
    city = serializers.CharField()
    region = serializers.CharField()
    postcode = serializers.CharField()
    phone = serializers.CharField()
    email = serializers.CharField()
    time_zone = serializers.CharField(help_text="IANA time zone, e.g. America/New_York.")
    opening_hours = OpeningHoursOut(many=True)


class TherapistOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="display_name")
    credentials = serializers.CharField()
    focus = serializers.CharField()
    clinics = serializers.SerializerMethodField(help_text="Slugs of the clinics they work at.")

    def get_clinics(self, member: Any) -> list[str]:
        return [clinic.slug for clinic in member.clinics.all()]


class AppointmentTypeOut(serializers.Serializer):
    id = serializers.IntegerField()
    clinic = serializers.CharField(source="clinic.slug")
    kind = serializers.ChoiceField(choices=AppointmentKind.choices)
    name = serializers.CharField()
    description = serializers.CharField()
    duration_minutes = serializers.IntegerField()
    online_booking = serializers.ChoiceField(choices=OnlineBooking.choices)
    change_notice_hours = serializers.IntegerField()


class SlotOut(serializers.Serializer):
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    start_local = serializers.CharField(help_text="The same instant in the clinic's zone.")
    end_local = serializers.CharField()
    therapists = serializers.ListField(child=serializers.IntegerField())


class AvailabilityOut(serializers.Serializer):
    clinic = serializers.SlugField()
    type = serializers.IntegerField()
    time_zone = serializers.CharField()
    slots = SlotOut(many=True)


# --- appointments ----------------------------------------------------------------------------


class AppointmentOut(serializers.Serializer):
    id = serializers.IntegerField()
    clinic = serializers.CharField(source="clinic.slug")
    type = serializers.IntegerField(source="appointment_type_id")
    therapist = serializers.IntegerField(source="therapist_id")
    patient = serializers.IntegerField(source="patient_id", allow_null=True)
    status = serializers.ChoiceField(choices=Status.choices)
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    start_local = serializers.SerializerMethodField()
    end_local = serializers.SerializerMethodField()

    def get_start_local(self, appointment: Appointment) -> str:
        return _local(appointment.start, appointment.clinic.time_zone)

    def get_end_local(self, appointment: Appointment) -> str:
        return _local(appointment.end, appointment.clinic.time_zone)


class Instant(serializers.DateTimeField):
    """An ISO 8601 instant that must carry its UTC offset: a bare wall-clock time is ambiguous
    (which clinic's zone? which side of a DST change?), so it is refused, not guessed. Read
    by the shared reader: between 1900 and 2200, as UTC."""

    def to_internal_value(self, value: Any) -> dt.datetime:
        try:
            return instant_from(value)
        except BadInput as refused:
            raise serializers.ValidationError(refused.message, code="invalid") from None


class Day(serializers.DateField):
    """A calendar date, YYYY-MM-DD, between 1900 and 2200 (the shared reader)."""

    def to_internal_value(self, value: Any) -> dt.date:
        try:
            return date_from(value)
        except BadInput as refused:
            raise serializers.ValidationError(refused.message, code="invalid") from None


class BookIn(serializers.Serializer):
    clinic = serializers.SlugField(max_length=50)
    type = Id()
    therapist = Id()
    patient = Id()
    start = Instant(help_text="ISO 8601 with its UTC offset.")


class MoveIn(serializers.Serializer):
    start = Instant(help_text="The new start, ISO 8601 with its UTC offset.")
    therapist = Id(required=False, help_text="Another therapist of the clinic.")


class CancelIn(serializers.Serializer):
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True)


# --- records ---------------------------------------------------------------------------------


class PatientOut(serializers.Serializer):
    id = serializers.IntegerField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    date_of_birth = serializers.DateField()
    email = serializers.CharField()
    phone = serializers.CharField()
    address = serializers.CharField()
    clinic = serializers.CharField(source="preferred_clinic.slug")
    has_portal_login = serializers.SerializerMethodField()

    def get_has_portal_login(self, patient: Any) -> bool:
        return patient.user_id is not None


class PatientSearchIn(serializers.Serializer):
    """What identifies a person travels in the body of a POST, never in a URL."""

    name = serializers.CharField(
        min_length=1, max_length=100, required=False,
        help_text="Words that each match part of the first name, last name or email.",
    )  # fmt: skip
    date_of_birth = Day(required=False, help_text="Born on this day.")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        unknown = sorted(set(self.initial_data) - set(self.fields))
        if unknown:
            allowed = ", ".join(self.fields)
            raise serializers.ValidationError(
                {name[:40]: f"Unknown field. Allowed here: {allowed}." for name in unknown}
            )
        return attrs


class PatientPageOut(serializers.Serializer):
    """One page of a patient search; `next` and `previous` take the same body again."""

    next = serializers.URLField(allow_null=True, help_text="POST the same body to this URL.")
    previous = serializers.URLField(allow_null=True, help_text="POST the same body here.")
    results = PatientOut(many=True)


class Plain(serializers.Serializer):
    """An output serializer whose fields only read attributes (`source` a field or a dotted
    path, never "*" or a method), said the same as DRF says them, without DRF's general path:
    per field it resolves the source again, checks for callables and for None, which cost about
    a hundred calls a field, and a plan of care has some sixty (its goals and home exercises).
    tests/api compares the two outputs."""

    def to_representation(self, instance: Any) -> dict[str, Any]:
        said: dict[str, Any] = {}
        for name, path, say in self._plain_fields():
            value = instance
            for attribute in path:
                value = getattr(value, attribute)
                if value is None:
                    break
            said[name] = None if value is None else say(value)
        return said

    def _plain_fields(self) -> list[tuple[str, tuple[str, ...], Any]]:
        found: list[tuple[str, tuple[str, ...], Any]] | None = getattr(self, "_plain", None)
        if found is None:
            found = [(str(f.field_name), tuple(f.source_attrs), f.to_representation)
                     for f in self._readable_fields]  # fmt: skip
            if not all(path for _, path, _ in found):
                raise TypeError(f"{type(self).__name__}: a Plain serializer reads attributes.")
            self._plain = found
        return found


class EpisodeRowOut(serializers.Serializer):
    """Fields every record of an episode carries, to place it."""

    id = serializers.IntegerField()
    episode = serializers.IntegerField(source="episode_id")
    patient = serializers.IntegerField(source="episode.patient_id")
    clinic = serializers.CharField(source="episode.clinic.slug")


class IntakeOut(EpisodeRowOut):
    status = serializers.ChoiceField(choices=IntakeStatus.choices)
    appointment = serializers.IntegerField(source="appointment_id", allow_null=True)
    answers = serializers.JSONField(help_text="The care core's input shape (docs/care.md).")
    notes = serializers.JSONField(help_text="The person's own words, by question.")
    sections_done = serializers.JSONField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    reviewed_at = serializers.DateTimeField(allow_null=True)
    emergency_at = serializers.DateTimeField(allow_null=True)


class GoalOut(Plain):
    term = serializers.CharField()
    instrument = serializers.CharField()
    comparison = serializers.CharField()
    target = serializers.FloatField()
    weeks = serializers.IntegerField()
    description = serializers.CharField()


class HomeExerciseOut(Plain):
    exercise = serializers.CharField(source="exercise_key")
    dose = serializers.CharField()
    sessions_per_week = serializers.IntegerField()


class PlanOut(Plain, EpisodeRowOut):
    version = serializers.IntegerField()
    status = serializers.ChoiceField(choices=PlanStatus.choices)
    frequency_per_week = serializers.IntegerField()
    duration_weeks = serializers.IntegerField()
    current_phase = serializers.CharField()
    diagnosis_codes = serializers.JSONField()
    elements = serializers.JSONField()
    signed_by = serializers.IntegerField(source="signed_by_id", allow_null=True)
    signed_at = serializers.DateTimeField(allow_null=True)
    goals = GoalOut(many=True)
    home_exercises = HomeExerciseOut(many=True)


class InterventionOut(serializers.Serializer):
    intervention = serializers.CharField()
    cpt = serializers.CharField()
    minutes = serializers.IntegerField()
    units = serializers.IntegerField()


class VisitOut(EpisodeRowOut):
    number = serializers.IntegerField()
    performed_on = serializers.DateField()
    therapist = serializers.IntegerField(source="therapist_id")
    appointment = serializers.IntegerField(source="appointment_id", allow_null=True)
    subjective = serializers.CharField()
    objective = serializers.CharField()
    assessment = serializers.CharField()
    plan = serializers.CharField(source="plan_text")
    nprs = serializers.IntegerField(allow_null=True)
    signed_at = serializers.DateTimeField(allow_null=True)
    interventions = InterventionOut(many=True)


class OutcomeOut(EpisodeRowOut):
    instrument = serializers.ChoiceField(choices=Instrument.choices)
    value = serializers.FloatField()
    measured_on = serializers.DateField()
    # DRF's metaclass moves declared fields off the class, so this never shadows Field.source;
    # the stubs cannot know that:
    source = serializers.CharField()  # type: ignore[assignment]
    loinc = serializers.CharField()
    details = serializers.JSONField()


class LogOut(EpisodeRowOut):
    performed_on = serializers.DateField()
    status = serializers.ChoiceField(choices=LogStatus.choices)
    pain_before = serializers.IntegerField(allow_null=True)
    pain_after = serializers.IntegerField(allow_null=True)
    note = serializers.CharField()
    created_at = serializers.DateTimeField()


class LogIn(serializers.Serializer):
    """The portal form's fields; the portal's own form checks them (see views_records)."""

    performed_on = Day()
    status = serializers.ChoiceField(choices=LogStatus.choices)
    pain_before = serializers.IntegerField(
        min_value=0, max_value=10, required=False, allow_null=True
    )
    pain_after = serializers.IntegerField(
        min_value=0, max_value=10, required=False, allow_null=True
    )
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


# --- billing ---------------------------------------------------------------------------------
# The billing lists write each row's dict directly (`to_representation`), the fields declared
# above it for the schema and for what the dict holds: DRF's walk over each field of each row
# costs more than the page's SQL. tests/api/test_billing.py checks the two agree.


def _money(amount: Decimal) -> str:
    """A DecimalField(decimal_places=2) as DRF writes it: a string with two places."""
    return f"{Decimal(amount).quantize(CENT):f}"


class CoverageOut(serializers.Serializer):
    id = serializers.IntegerField()
    patient = serializers.IntegerField(source="patient_id")
    payer = serializers.CharField(source="payer.name")
    payer_id = serializers.CharField(source="payer.payer_id", help_text="The electronic payer id.")
    plan_type = serializers.ChoiceField(source="payer.plan_type", choices=PlanType.choices)
    plan_type_label = serializers.CharField(source="payer.get_plan_type_display")
    priority = serializers.ChoiceField(choices=Priority.choices)
    priority_label = serializers.CharField(source="get_priority_display")
    member_id = serializers.CharField()
    group_number = serializers.CharField()
    relationship = serializers.ChoiceField(
        choices=Relationship.choices, help_text="The patient's relationship to the subscriber."
    )
    relationship_label = serializers.CharField(source="get_relationship_display")
    effective_from = serializers.DateField()
    effective_to = serializers.DateField(allow_null=True)

    def to_representation(self, coverage: Any) -> dict[str, Any]:
        payer = coverage.payer
        ends = coverage.effective_to
        return {
            "id": coverage.pk, "patient": coverage.patient_id, "payer": payer.name,
            "payer_id": payer.payer_id, "plan_type": payer.plan_type,
            "plan_type_label": payer.get_plan_type_display(), "priority": coverage.priority,
            "priority_label": coverage.get_priority_display(), "member_id": coverage.member_id,
            "group_number": coverage.group_number, "relationship": coverage.relationship,
            "relationship_label": coverage.get_relationship_display(),
            "effective_from": coverage.effective_from.isoformat(),
            "effective_to": ends.isoformat() if ends is not None else None,
        }  # fmt: skip


class ChargeLineOut(serializers.Serializer):
    code = serializers.CharField(help_text="CPT code.")
    code_label = serializers.SerializerMethodField()
    units = serializers.IntegerField()
    modifiers = serializers.ListField(child=serializers.CharField())
    diagnosis_pointers = serializers.ListField(
        child=serializers.IntegerField(), help_text="1-based positions in diagnosis_codes."
    )
    fee = serializers.DecimalField(max_digits=10, decimal_places=2, help_text="Per unit.")
    amount = serializers.DecimalField(max_digits=10, decimal_places=2)

    def get_code_label(self, line: Any) -> str:
        return CPT_LABELS.get(line.code, "")

    def to_representation(self, line: Any) -> dict[str, Any]:
        return {
            "code": line.code, "code_label": self.get_code_label(line), "units": line.units,
            "modifiers": [str(m) for m in line.modifiers],
            "diagnosis_pointers": [int(p) for p in line.diagnosis_pointers],
            "fee": _money(line.fee), "amount": _money(line.amount),
        }  # fmt: skip


class ChargeOut(serializers.Serializer):
    id = serializers.IntegerField()
    patient = serializers.IntegerField(source="patient_id")
    clinic = serializers.CharField(source="clinic.slug")
    service_date = serializers.DateField()
    status = serializers.ChoiceField(choices=ChargeStatus.choices)
    status_label = serializers.CharField(source="get_status_display")
    coverage = serializers.IntegerField(
        source="coverage_id", allow_null=True, help_text="The coverage billed; null: self-pay."
    )
    claim = serializers.IntegerField(source="claim_id", allow_null=True)
    diagnosis_codes = serializers.ListField(child=serializers.CharField(), help_text="ICD-10-CM.")
    total = serializers.DecimalField(max_digits=10, decimal_places=2)
    lines = ChargeLineOut(many=True)

    def to_representation(self, charge: Any) -> dict[str, Any]:
        lines = ChargeLineOut()
        return {
            "id": charge.pk, "patient": charge.patient_id, "clinic": charge.clinic.slug,
            "service_date": charge.service_date.isoformat(), "status": str(charge.status),
            "status_label": charge.get_status_display(), "coverage": charge.coverage_id,
            "claim": charge.claim_id, "diagnosis_codes": [str(c) for c in charge.diagnosis_codes],
            "total": _money(charge.total),
            "lines": [lines.to_representation(line) for line in charge.lines.all()],
        }  # fmt: skip


class AllocationOut(serializers.Serializer):
    charge = serializers.IntegerField(source="charge_id")
    amount = serializers.DecimalField(max_digits=10, decimal_places=2)

    def to_representation(self, allocation: Any) -> dict[str, Any]:
        return {"charge": allocation.charge_id, "amount": _money(allocation.amount)}


class PaymentOut(serializers.Serializer):
    id = serializers.IntegerField()
    patient = serializers.IntegerField(source="patient_id", allow_null=True)
    payer = serializers.CharField(source="payer.name", allow_null=True, default=None)
    clinic = serializers.CharField(source="clinic.slug")
    method = serializers.ChoiceField(choices=PaymentMethod.choices)
    method_label = serializers.CharField(source="get_method_display")
    amount = serializers.DecimalField(max_digits=10, decimal_places=2)
    received_on = serializers.DateField()
    reference = serializers.CharField()
    allocations = AllocationOut(many=True)

    def to_representation(self, payment: Any) -> dict[str, Any]:
        allocation = AllocationOut()
        return {
            "id": payment.pk, "patient": payment.patient_id,
            "payer": payment.payer.name if payment.payer_id else None,
            "clinic": payment.clinic.slug, "method": str(payment.method),
            "method_label": payment.get_method_display(), "amount": _money(payment.amount),
            "received_on": payment.received_on.isoformat(), "reference": payment.reference,
            "allocations": [allocation.to_representation(a) for a in payment.allocations.all()],
        }  # fmt: skip


class PaymentIn(serializers.Serializer):
    """The payment page's fields (checked by its own form, see views_billing), and whose it
    is and where it was taken."""

    patient = Id()
    method = serializers.ChoiceField(choices=PaymentMethod.choices)
    amount = serializers.CharField(max_length=20, help_text="Dollars and cents, e.g. 45.00.")
    received_on = Day()
    reference = serializers.CharField(max_length=60, required=False, allow_blank=True)
    payer = Id(required=False, allow_null=True, help_text="The insurer: insurance payments only.")
    clinic = serializers.SlugField(
        max_length=50, required=False, help_text="Where it was taken; the patient's clinic."
    )
