"""Coverages, charges and payments, and recording a payment.

Every row comes through the billing and coverage apps' own selectors, which take the acting
user, and the roles are the pages' own sets: coverage is read by the staff of the patient's
clinic (`coverages_visible_to`), charges by the billing office (`BILLING_ROLES`), payments by
those who take them (`PAYMENT_ROLES`); a patient reads their own. A payment is recorded by
the ledger's service (`billing.ledger.payment_record`) after the payment page's own form has
read the fields, so the rules and the messages are the pages'. Reads are recorded in the
audit trail: one object through its access helper, a page of a list as one read.
"""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from unknot.accounts.access import signed_in_user, staff_role
from unknot.accounts.models import AnyUser
from unknot.accounts.roles import ALL_STAFF_ROLES, BILLING_ROLES
from unknot.api.access import api_rule
from unknot.api.querying import day, one_of, where, whole_number
from unknot.api.serializers import ChargeOut, CoverageOut, PaymentIn, PaymentOut
from unknot.api.views_base import ApiView, ListView, object_id
from unknot.audit.reads import listed, one_visible_or_404
from unknot.billing import ledger
from unknot.billing.forms import PaymentForm
from unknot.billing.models import ChargeStatus, PaymentMethod
from unknot.billing.selectors import (
    charges_readable_by,
    get_charge_readable_for,
    with_lines_only,
)
from unknot.clinics.models import Clinic
from unknot.coverage.selectors import coverages_visible_to, get_coverage_for, payers_visible_to
from unknot.patients.models import Patient
from unknot.patients.selectors import get_patient_for, patients_visible_to

COVERAGE_READERS = api_rule(read_roles=ALL_STAFF_ROLES, patients=True)
CHARGE_READERS = api_rule(read_roles=BILLING_ROLES, patients=True)
PAYMENTS = api_rule(
    read_roles=ledger.TAKES_PAYMENTS, patients=True, write_roles=ledger.TAKES_PAYMENTS
)
PAYMENT_READERS = api_rule(read_roles=ledger.TAKES_PAYMENTS, patients=True)
PATIENT_FILTER = where("patient_id", whole_number, "A patient id.")


class AuditedList(ListView):
    """A list whose every non-empty page is recorded as one read of `audit_kind`."""

    audit_kind = ""

    def get(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        response = super().get(request, *args, **kwargs)
        if response.data.get("results"):
            listed(request.user, self.audit_kind)
        return response


# --- coverages -------------------------------------------------------------------------------


class CoverageList(AuditedList):
    """A patient's insurances: staff of the patient's clinic, or the patient."""

    access_rule = COVERAGE_READERS
    audit_kind = "coverage"
    serializer_class = CoverageOut
    filters = {"patient": PATIENT_FILTER}
    sorts = {"effective_from": "effective_from", "priority": "priority"}
    default_sort = ("patient_id", "priority", "-effective_from")

    def get_queryset(self) -> Any:
        return coverages_visible_to(self.request.user)


class CoverageDetail(ApiView):
    """One coverage."""

    access_rule = COVERAGE_READERS
    serializer_class = CoverageOut

    def get(self, request: Request, id: str) -> Response:
        return Response(CoverageOut(get_coverage_for(request.user, object_id(id))).data)


# --- charges ---------------------------------------------------------------------------------


class ChargeList(AuditedList):
    """What each signed visit is billed for: the clinic's billing office; a patient their own
    approved and billed visits."""

    access_rule = CHARGE_READERS
    audit_kind = "charge"
    serializer_class = ChargeOut
    filters = {
        "patient": PATIENT_FILTER,
        "status": where("status", one_of(ChargeStatus.values)),
        "from": where("service_date__gte", day, "Visits on or after this day."),
        "to": where("service_date__lte", day, "Visits on or before this day."),
    }
    sorts = {"service_date": "service_date", "total": "total"}
    default_sort = ("service_date", "pk")

    def get_queryset(self) -> Any:
        return with_lines_only(charges_readable_by(self.request.user))


class ChargeDetail(ApiView):
    """One charge with its lines."""

    access_rule = CHARGE_READERS
    serializer_class = ChargeOut

    def get(self, request: Request, id: str) -> Response:
        return Response(ChargeOut(get_charge_readable_for(request.user, object_id(id))).data)


# --- payments --------------------------------------------------------------------------------


def _payments(user: AnyUser) -> QuerySet[Any]:
    """With what a payment's row says (its payer, its clinic, where it went), not the patient
    (named by id): a join to every patient costs more than the page."""
    rows = ledger.payments_visible_to(user).select_related(None).select_related("payer", "clinic")
    return rows.prefetch_related("allocations")


class PaymentList(AuditedList):
    """GET: payments taken at your clinics (a patient: their own). POST: record one, as the
    payment page does (front desk and billing office)."""

    access_rule = PAYMENTS
    audit_kind = "payment"
    serializer_class = PaymentOut
    filters = {
        "patient": PATIENT_FILTER,
        "method": where("method", one_of(PaymentMethod.values)),
        "from": where("received_on__gte", day, "Received on or after this day."),
        "to": where("received_on__lte", day, "Received on or before this day."),
    }
    sorts = {"received_on": "received_on", "amount": "amount"}
    default_sort = ("-received_on", "-pk")

    def get_queryset(self) -> Any:
        return _payments(self.request.user)

    @extend_schema(request=PaymentIn, responses={201: PaymentOut})
    def post(self, request: Request) -> Response:
        parsed = PaymentIn(data=request.data)
        parsed.is_valid(raise_exception=True)  # types first, then the page's own form
        data = parsed.validated_data
        by = signed_in_user(request.user)
        patient = _patient(by, data["patient"])
        payment = ledger.payment_record(by=by, data=_payment_input(by, patient, request.data))
        return Response(PaymentOut(_payments(by).get(pk=payment.pk)).data, status=201)


def _patient(user: AnyUser, patient_id: int) -> Patient:
    """A patient of the user's clinics, or 400 (the same for one that does not exist)."""
    if not patients_visible_to(user).filter(pk=patient_id).exists():
        raise ValidationError({"patient": "No such patient."})
    return get_patient_for(user, patient_id, break_glass=False)  # the read, recorded


def _desk_clinic(user: AnyUser, patient: Patient, slug: Any) -> Clinic:
    """Where the money was taken: the clinic named, else the patient's (the service refuses a
    clinic that is not the user's)."""
    if slug is None:
        return patient.preferred_clinic
    clinic = Clinic.objects.filter(slug=str(slug)).first()
    if clinic is None:
        raise ValidationError({"clinic": "No such clinic."})
    return clinic


def _payment_input(user: AnyUser, patient: Patient, body: Any) -> ledger.PaymentInput:
    form = PaymentForm(
        {name: "" if body.get(name) is None else str(body.get(name))
         for name in ("method", "amount", "received_on", "reference", "payer")},
        insurer_payments=staff_role(user) in ledger.ADJUSTS,
        payers=payers_visible_to(user).filter(active=True),
    )  # fmt: skip
    if not form.is_valid():
        raise ValidationError(
            {name: " ".join(str(m) for m in errors) for name, errors in form.errors.items()}
        )
    data = form.cleaned_data
    return ledger.PaymentInput(
        clinic=_desk_clinic(user, patient, body.get("clinic")), method=data["method"],
        amount=data["amount"], received_on=data["received_on"], reference=data["reference"],
        patient=patient, payer=data.get("payer"),
    )  # fmt: skip


class PaymentDetail(ApiView):
    """One payment and where it was applied."""

    access_rule = PAYMENT_READERS
    serializer_class = PaymentOut

    def get(self, request: Request, id: str) -> Response:
        found = one_visible_or_404(_payments(request.user), request.user, "payment", object_id(id))
        return Response(PaymentOut(found).data)
