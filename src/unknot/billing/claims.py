"""Claims: approved charges of insured patients, one claim per coverage and place of service,
written as 837P files (`billing.x12`) and shown as CMS-1500 boxes (`billing.cms1500`).
docs/billing.md, "Claims".

Only the billing office (biller, manager, owner) makes claims and files, at their clinics;
self-pay charges are never claimed (they stay on the patient's account and superbill)."""

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Max, Prefetch, QuerySet, Sum
from django.utils import timezone

from unknot import audit
from unknot.accounts.access import staff_role
from unknot.accounts.models import AnyUser, User
from unknot.accounts.roles import BILLING_ROLES
from unknot.audit.models import Action
from unknot.audit.reads import one_visible_or_404
from unknot.billing import cms1500, x12
from unknot.billing.models import NOTE_TEXT, Charge, ChargeStatus, Claim, ClaimSettings, ClaimStatus
from unknot.clinics.models import Practice, StaffMember
from unknot.clinics.selectors import clinics_visible_to
from unknot.common.errors import Refused
from unknot.coverage.models import Coverage, PlanType, Relationship
from unknot.patients.models import Patient, Sex
from unknot.plans.certification import referring_certification

# SBR09, the claim filing indicator of each plan type.
FILING_INDICATORS = {
    PlanType.MEDICARE_B: "MB",
    PlanType.MEDICARE_ADVANTAGE: "16",  # HMO Medicare risk
    PlanType.MEDICAID: "MC",
    PlanType.COMMERCIAL: "CI",
    PlanType.WORKERS_COMP: "WC",
    PlanType.AUTO: "AM",
    PlanType.TRICARE: "CH",
    PlanType.OTHER: "ZZ",
}
# DMG03, the patient's administrative sex as the payer records it (patients.models.Sex).
X12_SEXES = {Sex.FEMALE: "F", Sex.MALE: "M", Sex.UNKNOWN: "U"}
UNKNOWN_SEX = X12_SEXES[Sex.UNKNOWN]  # a subscriber who is someone else: not recorded here


def _billing_office(user: AnyUser) -> bool:
    return staff_role(user) in BILLING_ROLES


def claims_visible_to(user: AnyUser) -> QuerySet[Claim]:
    if not _billing_office(user):
        return Claim.objects.none()
    return Claim.objects.filter(clinic__in=clinics_visible_to(user))


def get_claim_for(user: AnyUser, claim_id: int) -> Claim:
    rows = claims_visible_to(user).select_related("payer", "patient", "clinic", "coverage")
    return one_visible_or_404(rows, user, "claim", claim_id)


def waiting_to_claim(user: AnyUser) -> QuerySet[Charge]:
    """Approved charges of insured patients not yet on a claim, at the user's clinics."""
    if not _billing_office(user):
        return Charge.objects.none()
    return Charge.objects.filter(
        status=ChargeStatus.APPROVED, coverage__isnull=False, claim__isnull=True,
        clinic__in=clinics_visible_to(user),
    )  # fmt: skip


@dataclass(frozen=True)
class Waiting:
    payer: str
    charges: int
    total: Decimal


def waiting_by_payer(user: AnyUser) -> list[Waiting]:
    rows = (
        waiting_to_claim(user)
        .values("coverage__payer__name")
        .annotate(count=Count("pk"), total=Sum("total"))
        .order_by("coverage__payer__name")
    )
    return [Waiting(r["coverage__payer__name"], r["count"], r["total"]) for r in rows]


def claims_make(*, by: User, now: dt.datetime) -> list[Claim]:
    """CLAIM-GROUP: every approved insured charge waiting becomes part of one claim per
    coverage and place of service; its charges are then billed. All or nothing."""
    if not _billing_office(by):
        raise Refused("Only the billing office makes claims.")
    made: list[Claim] = []
    with transaction.atomic():
        groups: dict[tuple[int | None, str], list[Charge]] = defaultdict(list)
        waiting = (
            waiting_to_claim(by).select_for_update(of=("self",)).order_by("service_date", "pk")
        )
        for charge in waiting.select_related("coverage"):
            groups[(charge.coverage_id, charge.place_of_service)].append(charge)
        for charges in groups.values():
            made.append(_claim_of(by, charges, now))
    return made


def _claim_of(by: User, charges: list[Charge], now: dt.datetime) -> Claim:
    first = charges[0]
    assert first.coverage is not None
    claim = Claim.objects.create(
        payer_id=first.coverage.payer_id, coverage=first.coverage, patient_id=first.patient_id,
        clinic_id=first.clinic_id, total=sum((c.total for c in charges), Decimal("0.00")),
        created_by=by, created_at=now,
    )  # fmt: skip
    Charge.objects.filter(pk__in=[c.pk for c in charges]).update(
        claim=claim, status=ChargeStatus.BILLED
    )
    audit.record(
        Action.CREATE, by=by, object_type="claim", object_id=claim.pk,
        patient_id=claim.patient_id, clinic_id=claim.clinic_id,
    )  # fmt: skip
    return claim


# ---- From rows to the claim file's input ----------------------------------------------------


def settings_of(practice: Practice) -> ClaimSettings:
    found = ClaimSettings.objects.filter(practice=practice).first()
    if found is None:
        raise Refused(
            "Enter the practice's claim settings (billing address, submitter id, "
            "clearinghouse) before making claim files."
        )
    return found


def billing_provider(practice: Practice, settings: ClaimSettings) -> x12.BillingProvider:
    if not practice.npi or not practice.tax_id:
        raise Refused("Enter the practice's group NPI and tax id before making claim files.")
    address = x12.Address(settings.address_line, settings.city, settings.state, settings.zip_code)
    return x12.BillingProvider(
        practice.name, practice.npi, practice.tax_id, address, settings.taxonomy
    )


def _subscriber_address(coverage: Coverage) -> x12.Address | None:
    """The subscriber's address as the insurer has it, when the coverage holds all of it."""
    parts = (coverage.address_line, coverage.city, coverage.state, coverage.zip_code)
    if not all(parts):
        return None
    return x12.Address(*parts)


def _patient_address(patient: Patient, coverage: Coverage) -> x12.Address | None:
    """The patient's own address when any of it is on file (the claim file then says which
    part is missing); else the subscriber's on the coverage, which a dependent shares."""
    if not patient.address_lines:
        return _subscriber_address(coverage)
    return x12.Address(
        patient.address_line1, patient.city, patient.state, patient.zip_code,
        patient.address_line2,
    )  # fmt: skip


def _people(claim: Claim) -> tuple[x12.Subscriber, x12.Person | None]:
    """Loop 2010BA (the subscriber) and, when the subscriber is someone else, loop 2010CA
    (the patient): each with its own N3/N4 address and DMG sex."""
    coverage, patient = claim.coverage, claim.patient
    as_patient = x12.Person(
        patient.last_name, patient.first_name, patient.date_of_birth,
        X12_SEXES[Sex(patient.sex)], _patient_address(patient, coverage),
    )  # fmt: skip
    if coverage.relationship == Relationship.SELF:
        return x12.Subscriber(as_patient, coverage.member_id, coverage.group_number), None
    insured = x12.Person(
        coverage.subscriber_last_name, coverage.subscriber_first_name,
        coverage.subscriber_date_of_birth, UNKNOWN_SEX, _subscriber_address(coverage),
    )  # fmt: skip
    return x12.Subscriber(insured, coverage.member_id, coverage.group_number), as_patient


def _provider(member: StaffMember) -> x12.Provider:
    return x12.Provider(member.user.last_name, member.user.first_name, member.npi)


def diagnoses_of(charges: Sequence[Charge]) -> list[str]:
    """Every diagnosis code on the visits, in first-seen order, once each: the claim's (and the
    superbill's) lettered list, which the lines' pointers then point into."""
    seen: dict[str, None] = {}
    for charge in charges:
        for code in charge.diagnosis_codes:
            seen.setdefault(str(code), None)
    return list(seen)


def _lines(charges: Sequence[Charge], diagnoses: list[str]) -> list[x12.ServiceLine]:
    """Each charge line, its pointers moved from the charge's codes to the claim's."""
    lines = []
    for charge in charges:
        for line in charge.lines.all():
            pointers = tuple(
                diagnoses.index(str(charge.diagnosis_codes[p - 1])) + 1
                for p in line.diagnosis_pointers
                if 1 <= p <= len(charge.diagnosis_codes)
            )
            lines.append(
                x12.ServiceLine(
                    line.code,
                    tuple(line.modifiers),
                    line.units,
                    line.amount,
                    pointers,
                    charge.service_date,
                    _provider(charge.rendering),
                )
            )
    return lines


def _prior_authorisation(claim: Claim, first: dt.date, last: dt.date) -> str:
    """The reference of the latest authorization covering every day of the claim."""
    covering = [
        a for a in claim.coverage.authorisations.all()
        if a.start_date <= first and a.end_date >= last
    ]  # fmt: skip
    found = max(covering, key=lambda a: a.start_date, default=None)
    return found.reference if found else ""


def _referring(charges: Sequence[Charge]) -> x12.Provider | None:
    """The referring physician or NPP of the claim's first day of care, from its episode's
    plan certification (`plans.certification.referring_certification`); None when the plan
    was never sent for certification."""
    if not charges:
        return None
    first = charges[0]
    found = referring_certification(first.visit.episode, first.service_date)
    if found is None:
        return None
    return x12.Provider(found.physician_last_name, found.physician_first_name, found.physician_npi)


def claim_charges(charges: QuerySet[Charge]) -> QuerySet[Charge]:
    """A claim's charges with what `claim_input` reads of them, in the claim's order."""
    return (
        charges.select_related("rendering__user", "visit__episode")
        .defer(*(f"visit__{name}" for name in (*NOTE_TEXT, "progression")))
        .prefetch_related("lines", "visit__episode__certifications")
        .order_by("service_date", "pk")
    )


def with_claim_input(claims: QuerySet[Claim]) -> QuerySet[Claim]:
    """Claims with everything `claim_input` reads fetched alongside: a page of a hundred claims
    costs the same few queries as one (the FHIR Claim search read about five per claim)."""
    return claims.select_related(
        "payer", "coverage", "patient", "clinic__practice"
    ).prefetch_related(
        Prefetch("charges", queryset=claim_charges(Charge.objects.all())),
        "coverage__authorisations",
    )


def _charges_of(claim: Claim) -> list[Charge]:
    if "charges" in getattr(claim, "_prefetched_objects_cache", {}):
        return list(claim.charges.all())
    return list(claim_charges(claim.charges.all()))


def claim_input(claim: Claim) -> x12.Claim:
    charges = _charges_of(claim)
    diagnoses = diagnoses_of(charges)
    subscriber, patient = _people(claim)
    days = [c.service_date for c in charges]
    return x12.Claim(
        patient_control_number=f"U{claim.pk}",
        payer=x12.Payer(claim.payer.name, claim.payer.payer_id),
        subscriber=subscriber,
        filing_indicator=FILING_INDICATORS[PlanType(claim.payer.plan_type)],
        total=claim.total,
        place_of_service=charges[0].place_of_service if charges else "11",
        diagnosis_codes=tuple(diagnoses),
        lines=tuple(_lines(charges, diagnoses)),
        patient=patient,
        relationship=str(claim.coverage.relationship),
        payer_responsibility="PST"[min(claim.coverage.priority, 3) - 1],
        referring_provider=_referring(charges),
        prior_authorization=_prior_authorisation(claim, min(days), max(days)) if days else "",
    )


def claim_boxes(user: AnyUser, claim: Claim) -> list[cms1500.Box]:
    """The claim as the CMS-1500's boxes, for the printable summary (read is audited by the
    access helper that found the claim)."""
    practice = claim.clinic.practice
    try:
        return cms1500.cms1500_boxes(
            billing_provider(practice, settings_of(practice)), claim_input(claim)
        )
    except x12.ClaimFileError as error:
        raise Refused(str(error)) from None


def file_problem(claim: Claim, now: dt.datetime) -> str:
    """Why the claim could not go in a file today, in plain words; "" when it could. A dry
    run of the file with this claim alone: nothing is numbered or changed."""
    practice = claim.clinic.practice
    try:
        settings = settings_of(practice)
        _file_text(practice, settings, [claim], x12.Interchange(1, now, production=False))
    except Refused as refused:
        return refused.message
    return ""


def _fileable_input(claim: Claim) -> x12.Claim:
    """The claim's file input, refused when Medicare would deny it for a missing referring
    physician (outpatient therapy is billed under the certifying physician's or NPP's NPI):
    the X12 allows the loop to be left out, so it is checked here rather than sent without."""
    made = claim_input(claim)
    if claim.payer.is_medicare and made.referring_provider is None:
        raise Refused(
            f"Claim {made.patient_control_number} has no referring physician: Medicare needs "
            "the physician or NPP who certifies the plan of care. Ask the therapist to send "
            "the plan for certification."
        )
    return made


def _file_text(
    practice: Practice, settings: ClaimSettings, claims: Sequence[Claim], head: x12.Interchange
) -> str:
    provider = billing_provider(practice, settings)  # the practice's gaps are named first
    try:
        inputs = [_fileable_input(claim) for claim in claims]
        return x12.claim_file(
            head,
            x12.Submitter(practice.name, settings.submitter_id, settings.contact_name,
                          settings.contact_phone),
            x12.Receiver(settings.clearinghouse_name, settings.clearinghouse_id),
            provider,
            inputs,
        )  # fmt: skip
    except x12.ClaimFileError as error:
        raise Refused(str(error)) from None


def claims_file(*, by: User, claims: Sequence[Claim], now: dt.datetime) -> str:
    """CLAIM-FILE: the claims as one 837P file under the next interchange control number;
    the claims are then sent. Refused, and nothing changes, if one cannot be written."""
    if not _billing_office(by):
        raise Refused("Only the billing office makes claim files.")
    if not claims:
        raise Refused("Choose the claims to put in the file.")
    practices = {claim.clinic.practice_id for claim in claims}
    if len(practices) != 1:
        raise Refused("A claim file holds one practice's claims.")
    practice = claims[0].clinic.practice
    with transaction.atomic():
        settings = ClaimSettings.objects.select_for_update().filter(practice=practice).first()
        settings = settings or settings_of(practice)
        number = _next_control_number(practice)
        head = x12.Interchange(number, timezone.localtime(now), settings.production)
        text = _file_text(practice, settings, claims, head)
        Claim.objects.filter(pk__in=[c.pk for c in claims]).update(
            control_number=number, status=ClaimStatus.SENT
        )
        for claim in claims:
            audit.record(
                Action.EXPORT, by=by, object_type="claim", object_id=claim.pk,
                patient_id=claim.patient_id, clinic_id=claim.clinic_id, reason="837p",
            )  # fmt: skip
    return text


def _next_control_number(practice: Practice) -> int:
    """One more than the practice's last file (under the settings row's lock)."""
    last = Claim.objects.filter(clinic__practice=practice).aggregate(n=Max("control_number"))["n"]
    return (last or 0) + 1


def settings_saved(by: User, settings: ClaimSettings) -> None:
    audit.record(Action.UPDATE, by=by, object_type="claim_settings", object_id=settings.pk)
