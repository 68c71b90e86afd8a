"""A signed visit note becomes a charge (docs/billing.md, "Charges").

The rules are the care core's (`care.charges`: units by the 8-minute rule, GP, KX, 59/XU);
this module gathers what they need from the record: the visit's minutes per CPT code, the
clinic's fees, who pays (the primary coverage in effect on the day, or declared self-pay), the
patient's Medicare amount so far that year and the year's KX threshold, the plan's diagnosis
codes. Anything missing never stops the signature: the charge is made and held, with the
reason in plain words, for a biller to put right and release.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum

from unknot import audit
from unknot.accounts.models import User
from unknot.audit.models import Action
from unknot.billing.models import (
    ZERO,
    Charge,
    ChargeLine,
    ChargeStatus,
    ClaimStatus,
    Fee,
    KxThreshold,
)
from unknot.care import charges as rules
from unknot.care.codes import cpt_units
from unknot.clinics.models import Clinic
from unknot.clinics.times import day_label
from unknot.coverage.models import MEDICARE_PLAN_TYPES, Coverage, Priority, SelfPay
from unknot.patients.models import Patient
from unknot.plans.selectors import signed_plan
from unknot.records.models import Visit

ICD_10_CM = "ICD-10-CM"
MOST_DIAGNOSES = 12  # a professional claim's diagnosis slots (A to L)
MOST_POINTERS = 4  # a claim line points at no more than four of them
NEVER = Decimal("1e12")  # no KX when the year's threshold is unknown (the charge is held)
HOLD_REASON_LENGTH = 500
# A claim in one of these has gone to the payer: its charges' running totals stay as sent.
SENT_CLAIM_STATUSES = (ClaimStatus.SENT, ClaimStatus.PAID, ClaimStatus.DENIED)


@dataclass
class Priced:
    """What a visit is billed for now, and what stops it from going out as it is."""

    coverage: Coverage | None
    lines: list[rules.ChargeLine]
    total: Decimal
    year_to_date_after: Decimal
    diagnosis_codes: list[str]
    problems: list[str] = field(default_factory=list)

    @property
    def hold_reason(self) -> str:
        return " ".join(self.problems)[:HOLD_REASON_LENGTH]


def coverage_on(patient: Patient, day: dt.date) -> tuple[Coverage | None, str]:
    """The primary coverage in effect on `day` (the latest to start, should two overlap), or
    None for declared self-pay; the second value is the problem when neither is on file."""
    found = (
        Coverage.objects.select_related("payer")
        .filter(patient=patient, priority=Priority.PRIMARY, effective_from__lte=day)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=day))
        .order_by("-effective_from", "-pk")
        .first()
    )
    if found is not None or SelfPay.objects.filter(patient=patient).exists():
        return found, ""
    return None, (
        f"Coverage unknown: no primary insurance in effect on {day_label(day)} and self-pay "
        "not declared."
    )


def threshold_for(clinic: Clinic, year: int) -> tuple[Decimal, str]:
    """CHG-KX-YEAR: the practice's own value for the year, else the published one; an unknown
    year is a problem (never a guess), and no KX is added meanwhile."""
    own = KxThreshold.objects.filter(practice_id=clinic.practice_id, year=year).first()
    if own is not None:
        return own.amount, ""
    try:
        return rules.kx_threshold_for(year), ""
    except rules.UnknownThresholdYear as unknown:
        words = str(unknown)
        return NEVER, words[:1].upper() + words[1:] + "."


def medicare_charges_of(year: int) -> QuerySet[Charge]:
    """CHG-KX: the charges that count towards patients' Medicare therapy amounts for the
    calendar year: billed to a Medicare coverage, at every clinic of the practice (the
    threshold is the patient's, not the clinic's), voided ones left out."""
    return Charge.objects.filter(
        service_date__year=year, coverage__payer__plan_type__in=MEDICARE_PLAN_TYPES
    ).exclude(status=ChargeStatus.VOID)


def medicare_year(patient_id: int, year: int) -> QuerySet[Charge]:
    """CHG-KX: one patient's charges of `medicare_charges_of`, in the order the running total
    adds them up: by date of service, then as they were made."""
    return medicare_charges_of(year).filter(patient_id=patient_id).order_by("service_date", "pk")


def medicare_year_to_date(patient: Patient, day: dt.date, *, leaving_out: int | None) -> Decimal:
    """CHG-KX: the Medicare amount charged before a visit on `day`: the year's charges that come
    before it in the running total's order (`leaving_out`: the visit's own charge when it is
    priced again; a charge not made yet comes after the others of its day)."""
    rows = medicare_year(patient.pk, day.year).filter(service_date__lte=day)
    if leaving_out is not None:
        rows = rows.exclude(service_date=day, pk__gte=leaving_out)
    return rows.aggregate(total=Sum("total"))["total"] or ZERO


@dataclass(frozen=True)
class RunningTotal:
    """A charge and the year's Medicare amount after it, counted from scratch."""

    charge: Charge
    after: Decimal

    @property
    def before(self) -> Decimal:
        return self.after - self.charge.total

    @property
    def out_of_step(self) -> bool:
        return self.charge.year_to_date_after != self.after


def running_totals(patient_id: int, year: int) -> list[RunningTotal]:
    """CHG-KX from scratch: each Medicare charge of the year with the running total after it.
    One query (two with the lines)."""
    rows = medicare_year(patient_id, year).select_related("claim", "clinic")
    found, running = [], ZERO
    for charge in rows.prefetch_related("lines"):
        running += charge.total
        found.append(RunningTotal(charge, running))
    return found


def on_sent_claim(charge: Charge) -> bool:
    """On a claim that has gone to the payer: what it said can only change by a new claim."""
    return charge.claim is not None and charge.claim.status in SENT_CLAIM_STATUSES


def _later(row: RunningTotal, charge: Charge) -> bool:
    return (row.charge.service_date, row.charge.pk) > (charge.service_date, charge.pk)


def follow_running_totals(charge: Charge) -> None:
    """CHG-KX after a charge's total changed (a correction, a charge priced again, a note
    signed for an earlier day): its running total, and the running totals and the KX of the
    lines of the patient's later Medicare charges that year, become what they are counted
    from scratch. The charge's own modifiers are left as they are (the biller's, or the rules'
    just now). Later charges on a claim already sent keep theirs (`claimed_out_of_step`)."""
    # One change at a time per patient: the year's charges are read, then written.
    Patient.objects.select_for_update().filter(pk=charge.patient_id).first()
    thresholds: dict[int, Decimal] = {}
    for row in running_totals(charge.patient_id, charge.service_date.year):
        if row.charge.pk == charge.pk:
            _save_running_total(row)
            charge.year_to_date_after = row.after  # the caller's copy too
        elif _later(row, charge) and not on_sent_claim(row.charge):
            clinic = row.charge.clinic
            if clinic.practice_id not in thresholds:  # one threshold a year per practice
                thresholds[clinic.practice_id] = threshold_for(clinic, charge.service_date.year)[0]
            _follow_kx(row, thresholds[clinic.practice_id])
            _save_running_total(row)


def _save_running_total(row: RunningTotal) -> None:
    if row.out_of_step:
        row.charge.year_to_date_after = row.after
        row.charge.save(update_fields=["year_to_date_after"])


def _follow_kx(row: RunningTotal, threshold: Decimal) -> None:
    """KX on each line as the running total through that line says (lines in code order,
    as the rules add them up)."""
    running, changed = row.before, []
    for line in sorted(row.charge.lines.all(), key=lambda line: (line.code, line.pk)):
        running += line.amount
        marked = list(rules.with_threshold_modifier(line.modifiers, running, threshold))
        if marked != list(line.modifiers):
            line.modifiers = marked
            changed.append(line)
    ChargeLine.objects.bulk_update(changed, ["modifiers"])


def claimed_out_of_step(charge: Charge) -> list[RunningTotal]:
    """The patient's later Medicare charges of the year on a claim already sent whose running
    total is no longer the one counted from scratch: their claims may need correcting."""
    return [
        row
        for row in running_totals(charge.patient_id, charge.service_date.year)
        if _later(row, charge) and on_sent_claim(row.charge) and row.out_of_step
    ]


def fees_for(clinic: Clinic, codes: list[str]) -> tuple[dict[str, Decimal], list[str]]:
    """The clinic's fee per code, and the codes its schedule lacks."""
    known = dict(Fee.objects.filter(clinic=clinic, code__in=codes).values_list("code", "amount"))
    return known, sorted(set(codes) - known.keys())


def no_fee(codes: list[str], clinic: Clinic) -> str:
    return f"No fee for {', '.join(codes)} in {clinic.name}'s fee schedule."


def diagnoses_of(visit: Visit) -> list[str]:
    """The signed plan's ICD-10-CM codes, in the plan's order (pointer A first)."""
    plan = signed_plan(visit.episode)
    codes = plan.diagnosis_codes if plan is not None else []
    found = [c["code"] for c in codes if isinstance(c, dict) and c.get("system") == ICD_10_CM]
    return list(dict.fromkeys(found))[:MOST_DIAGNOSES]


def pointers_for(diagnosis_codes: list[str]) -> list[int]:
    return list(range(1, min(len(diagnosis_codes), MOST_POINTERS) + 1))


def billable_minutes(visit: Visit) -> tuple[dict[str, int], list[str], list[str]]:
    """The note's minutes per code, the codes that bill units (the 8-minute rule), and why
    nothing bills when nothing does."""
    minutes: dict[str, int] = {}
    for row in visit.interventions.all():
        minutes[row.cpt] = minutes.get(row.cpt, 0) + row.minutes
    try:
        codes = [code for code, _ in cpt_units(minutes).units]
    except ValueError as refused:
        return {}, [], [f"The note names a code this practice does not bill ({refused})."]
    if not codes:
        return minutes, [], ["Nothing to bill: no treatment of 8 minutes or more on this note."]
    return minutes, codes, []


def kx_inputs(visit: Visit, coverage: Coverage | None, leaving_out: int | None) -> tuple[
    Decimal, Decimal, list[str]
]:  # fmt: skip
    """CHG-KX for this visit: (the threshold, the year's Medicare amount before it, problems).
    Not Medicare: nothing is counted and no KX is ever added."""
    if coverage is None or not coverage.payer.is_medicare:
        return NEVER, ZERO, []
    day = visit.performed_on
    threshold, problem = threshold_for(visit.episode.clinic, day.year)
    before = medicare_year_to_date(visit.episode.patient, day, leaving_out=leaving_out)
    return threshold, before, [problem] if problem else []


def price(visit: Visit, *, leaving_out: int | None = None) -> Priced:
    """The visit's charge as the rules make it today (`leaving_out`: the visit's own charge,
    when it is priced again, so that its old total is not counted in the year's amount)."""
    clinic = visit.episode.clinic
    coverage, coverage_problem = coverage_on(visit.episode.patient, visit.performed_on)
    minutes, codes, problems = billable_minutes(visit)
    fees, missing = fees_for(clinic, codes)
    threshold, before, kx_problems = kx_inputs(visit, coverage, leaving_out)
    made = rules.charge_lines(
        minutes,
        year_to_date=before,
        fees=fees | dict.fromkeys(missing, ZERO),
        kx_threshold=threshold,
        distinct_modifier=coverage.payer.distinct_modifier if coverage else "59",
    )
    diagnoses = diagnoses_of(visit)
    problems = [
        *([coverage_problem] if coverage_problem else []),
        *problems,
        *([no_fee(missing, clinic)] if missing else []),
        *kx_problems,
        *([] if diagnoses else ["The plan of care has no ICD-10-CM diagnosis code."]),
        *([] if visit.therapist.npi else [f"{visit.therapist.display_name} has no NPI on file."]),
    ]
    medicare = coverage is not None and coverage.payer.is_medicare
    return Priced(
        coverage=coverage, lines=list(made.lines), total=made.total,
        year_to_date_after=made.year_to_date_after if medicare else ZERO,
        diagnosis_codes=diagnoses, problems=problems,
    )  # fmt: skip


def write_lines(charge: Charge, priced: Priced) -> None:
    pointers = pointers_for(priced.diagnosis_codes)
    ChargeLine.objects.bulk_create(
        ChargeLine(charge=charge, code=line.code, units=line.units,
                   modifiers=list(line.modifiers), diagnosis_pointers=pointers,
                   fee=line.fee, amount=line.amount)
        for line in priced.lines
    )  # fmt: skip


def charge_from_signed_visit(visit: Visit, by: User, now: dt.datetime) -> Charge | None:
    """The hook `visits.visit_sign` runs (registered by `BillingConfig.ready`), in the signing's
    transaction: the visit's charge, to review, or held with the reasons. A visit that has its
    charge already keeps it (None)."""
    if Charge.objects.filter(visit=visit).exists():
        return None
    # One charge at a time per patient: the year's Medicare amount is read, then added to.
    Patient.objects.select_for_update().filter(pk=visit.episode.patient_id).first()
    visit = Visit.objects.select_related("episode__clinic", "episode__patient", "therapist").get(
        pk=visit.pk
    )
    priced = price(visit)
    charge = Charge.objects.create(
        visit=visit, patient=visit.episode.patient, clinic=visit.episode.clinic,
        rendering=visit.therapist, coverage=priced.coverage, service_date=visit.performed_on,
        place_of_service=visit.episode.clinic.place_of_service,
        diagnosis_codes=priced.diagnosis_codes, total=priced.total,
        year_to_date_after=priced.year_to_date_after,
        status=ChargeStatus.HELD if priced.problems else ChargeStatus.TO_REVIEW,
        hold_reason=priced.hold_reason,
    )  # fmt: skip
    write_lines(charge, priced)
    if priced.coverage is not None and priced.coverage.payer.is_medicare:
        follow_running_totals(charge)  # a note signed late, for an earlier day, comes first
    audit.record(
        Action.CREATE, by=by, object_type="charge", object_id=charge.pk,
        patient_id=charge.patient_id, clinic_id=charge.clinic_id,
        reason="held" if priced.problems else "from_signed_note",
    )  # fmt: skip
    return charge
