"""Writes to coverage: a patient's insurances (add, change, end), saying they pay
themselves, and the practice's payer list. Each write is checked, audited and done in one
transaction; a refusal changes nothing.

Who: staff who take insurance (`roles.COVERAGE_WRITERS`) at the patient's clinic, or the
patient themselves from the portal; the payer list by `roles.PAYER_WRITERS`.
"""

import datetime as dt
from dataclasses import dataclass, fields

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q

from unknot import audit
from unknot.accounts.models import User
from unknot.audit.models import Action
from unknot.clinics.models import Practice
from unknot.coverage import cards
from unknot.coverage.cards import CardImage
from unknot.coverage.errors import CoverageRefused
from unknot.coverage.models import Coverage, Payer, Relationship, SelfPay
from unknot.coverage.selectors import (
    current_coverages,
    ensure_may_change_coverage,
    may_write_payers,
    practice_of,
)
from unknot.patients.models import Patient
from unknot.patients.selectors import patients_visible_to


@dataclass(frozen=True)
class CoverageDetails:
    """What a coverage says, as entered on the form."""

    payer: Payer
    priority: int
    member_id: str
    group_number: str
    relationship: str
    subscriber_first_name: str
    subscriber_last_name: str
    subscriber_date_of_birth: dt.date | None
    effective_from: dt.date
    effective_to: dt.date | None
    # The subscriber's address as the insurer has it: claims carry it (docs/billing.md).
    address_line: str = ""
    city: str = ""
    state: str = ""
    zip_code: str = ""


@dataclass(frozen=True)
class CardImages:
    front: CardImage | None = None
    back: CardImage | None = None


def _ensure_may_change(by: User, patient: Patient) -> None:
    if not patients_visible_to(by).filter(pk=patient.pk).exists():
        raise PermissionDenied("This patient is not one of yours.")
    ensure_may_change_coverage(by)


def _check(details: CoverageDetails, patient: Patient, *, new: bool) -> None:
    clinic = patient.preferred_clinic
    if clinic is None or details.payer.practice_id != clinic.practice_id:
        raise CoverageRefused("Please choose a payer from the practice's list.", "unknown_payer")
    if new and not details.payer.active:
        raise CoverageRefused("This payer is no longer on the practice's list.", "payer_inactive")
    if not details.member_id.strip():
        raise CoverageRefused("Please give the member id from the card.", "member_id")
    if details.effective_to is not None and details.effective_to < details.effective_from:
        raise CoverageRefused("The end date must not come before the start date.", "dates")
    if details.relationship != Relationship.SELF and not (
        details.subscriber_first_name.strip() and details.subscriber_last_name.strip()
    ):
        raise CoverageRefused(
            "Please give the subscriber's name: the patient is not the subscriber.",
            "subscriber",
        )


def _overlapping(patient: Patient, details: CoverageDetails, but: int | None) -> bool:
    """Another coverage of the same priority whose dates meet these."""
    others = Coverage.objects.filter(patient=patient, priority=details.priority)
    if but is not None:
        others = others.exclude(pk=but)
    meets = Q(effective_to__isnull=True) | Q(effective_to__gte=details.effective_from)
    if details.effective_to is not None:
        meets &= Q(effective_from__lte=details.effective_to)
    return others.filter(meets).exists()


def _check_priority(patient: Patient, details: CoverageDetails, but: int | None = None) -> None:
    if _overlapping(patient, details, but):
        label = Coverage(priority=details.priority).get_priority_display().lower()
        raise CoverageRefused(
            f"{patient.first_name} already has a {label} coverage for these dates: end it "
            "first, or choose another priority.",
            "priority_clash",
        )


def coverage_add(
    *, by: User, patient: Patient, details: CoverageDetails, images: CardImages = CardImages()
) -> Coverage:
    """Puts a coverage on file. The patient no longer pays themselves once it is."""
    _ensure_may_change(by, patient)
    _check(details, patient, new=True)
    stored = _store(images)
    try:
        with transaction.atomic():
            Patient.objects.select_for_update().filter(pk=patient.pk).first()  # one at a time
            _check_priority(patient, details)
            coverage = Coverage.objects.create(
                patient=patient, entered_by=by, card_front=stored.get("front", ""),
                card_back=stored.get("back", ""), **_as_fields(details),
            )  # fmt: skip
            _recorded(by, Action.CREATE, coverage, "added")
            if SelfPay.objects.filter(patient=patient).delete()[0]:
                _self_pay_recorded(by, patient, Action.DELETE, "insured")
    except BaseException:
        for path in stored.values():
            cards.remove(path)
        raise
    return coverage


def coverage_edit(
    *, by: User, coverage: Coverage, details: CoverageDetails, images: CardImages = CardImages()
) -> Coverage:
    """Changes what the coverage says; a new card image replaces the old one."""
    patient = coverage.patient
    _ensure_may_change(by, patient)
    _check(details, patient, new=details.payer.pk != coverage.payer_id)
    stored = _store(images)
    replaced = [getattr(coverage, f"card_{side}") for side in stored]
    try:
        with transaction.atomic():
            Patient.objects.select_for_update().filter(pk=patient.pk).first()
            _check_priority(patient, details, but=coverage.pk)
            for name, value in _as_fields(details).items():
                setattr(coverage, name, value)
            for side, path in stored.items():
                setattr(coverage, f"card_{side}", path)
            coverage.save()
            _recorded(by, Action.UPDATE, coverage, "changed")
    except BaseException:
        for path in stored.values():
            cards.remove(path)
        raise
    for path in replaced:
        cards.remove(path)
    return coverage


def coverage_end(*, by: User, coverage: Coverage, last_day: dt.date) -> Coverage:
    """The coverage ends on `last_day` (kept on file, no longer in force after it)."""
    _ensure_may_change(by, coverage.patient)
    if last_day < coverage.effective_from:
        raise CoverageRefused(
            "The last day must not come before the coverage's start date.", "dates"
        )
    with transaction.atomic():
        coverage.effective_to = last_day
        coverage.save(update_fields=["effective_to"])
        _recorded(by, Action.UPDATE, coverage, "ended")
    return coverage


def self_pay_declare(*, by: User, patient: Patient, since: dt.date) -> SelfPay:
    """The patient pays for their own care: only while no coverage is in force."""
    _ensure_may_change(by, patient)
    with transaction.atomic():
        Patient.objects.select_for_update().filter(pk=patient.pk).first()
        if current_coverages(patient, since).exists():
            raise CoverageRefused(
                "There is a coverage in force on that day: end it first, then record self-pay.",
                "insured",
            )
        self_pay, _ = SelfPay.objects.update_or_create(
            patient=patient, defaults={"since": since, "recorded_by": by}
        )
        _self_pay_recorded(by, patient, Action.CREATE, "declared")
    return self_pay


def payer_add(*, by: User, details: "PayerDetails") -> Payer:
    practice = _payer_practice(by)
    with transaction.atomic():
        _check_payer_unique(practice.pk, details, but=None)
        payer = Payer.objects.create(practice=practice, **_payer_fields(details))
        _payer_recorded(by, Action.CREATE, payer)
    return payer


def payer_edit(*, by: User, payer: Payer, details: "PayerDetails") -> Payer:
    practice = _payer_practice(by)
    if payer.practice_id != practice.pk:
        raise PermissionDenied("This payer is not on your practice's list.")
    with transaction.atomic():
        _check_payer_unique(practice.pk, details, but=payer.pk)
        for name, value in _payer_fields(details).items():
            setattr(payer, name, value)
        payer.save()
        _payer_recorded(by, Action.UPDATE, payer)
    return payer


@dataclass(frozen=True)
class PayerDetails:
    name: str
    payer_id: str
    plan_type: str
    address_line: str
    city: str
    region: str
    postcode: str
    phone: str
    counts_no_shows: bool
    distinct_modifier: str
    active: bool


def _payer_practice(by: User) -> Practice:
    if not may_write_payers(by):
        raise PermissionDenied("Your role may read the payer list but not change it.")
    practice = practice_of(by)
    if practice is None:
        raise PermissionDenied("You do not work at any clinic of the practice.")
    return practice


def _check_payer_unique(practice_id: int, details: PayerDetails, but: int | None) -> None:
    if not details.name.strip() or not details.payer_id.strip():
        raise CoverageRefused("Please give the payer's name and payer id.", "payer")
    same = Payer.objects.filter(
        practice_id=practice_id, payer_id=details.payer_id, name=details.name
    )
    if but is not None:
        same = same.exclude(pk=but)
    if same.exists():
        raise CoverageRefused("This payer is already on the list.", "payer_exists")


def _payer_fields(details: PayerDetails) -> dict[str, object]:
    return {f.name: getattr(details, f.name) for f in fields(details)}


def _as_fields(details: CoverageDetails) -> dict[str, object]:
    values = {f.name: getattr(details, f.name) for f in fields(details)}
    if details.relationship == Relationship.SELF:  # the patient is the subscriber
        values |= {
            "subscriber_first_name": "", "subscriber_last_name": "",
            "subscriber_date_of_birth": None,
        }  # fmt: skip
    return values


def _store(images: CardImages) -> dict[str, str]:
    """Stores the new images first (the row then names them); their paths by side."""
    return {
        side: cards.store(cards.checked(image.data))
        for side, image in (("front", images.front), ("back", images.back))
        if image is not None
    }


def _recorded(by: User, action: str, coverage: Coverage, reason: str) -> None:
    audit.record(
        action, by=by, object_type="coverage", object_id=coverage.pk,
        patient_id=coverage.patient_id, clinic_id=coverage.patient.preferred_clinic_id,
        reason=reason,
    )  # fmt: skip


def _self_pay_recorded(by: User, patient: Patient, action: str, reason: str) -> None:
    audit.record(
        action, by=by, object_type="self_pay", object_id=patient.pk, patient_id=patient.pk,
        clinic_id=patient.preferred_clinic_id, reason=reason,
    )  # fmt: skip


def _payer_recorded(by: User, action: str, payer: Payer) -> None:
    audit.record(action, by=by, object_type="payer", object_id=payer.pk)
