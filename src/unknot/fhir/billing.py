"""Coverage, ChargeItem and Claim: who pays, what each visit is billed for, and the claims.

Every row is reached through the billing and coverage apps' own selectors, which take the
caller: a patient's coverages (and self-pay) are seen by the staff of their clinics and by
the patient (`coverage.selectors`); charges and claims by the billing office of the clinic
and by the patient, for their own approved and billed visits (`billing.selectors`). Anyone
else finds nothing (404 on read). Reads go through the access helpers, which record them in
the audit trail; a search is recorded as one read of a list.
"""

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from unknot.audit.reads import listed
from unknot.billing import claims, selectors
from unknot.billing.models import Charge, ChargeLine, ChargeStatus, Claim, ClaimStatus
from unknot.billing.x12 import ServiceLine
from unknot.care.codes import CPT_LABELS
from unknot.common import keyset
from unknot.coverage.models import Coverage, Relationship, SelfPay
from unknot.coverage.selectors import (
    coverages_visible_to,
    get_coverage_for,
    get_self_pay_for,
    self_pays_visible_to,
)
from unknot.fhir import search as s
from unknot.fhir.http import invalid
from unknot.fhir.kinds import ResourceType, SearchParam
from unknot.fhir.refs import (
    CPT,
    ICD10CM,
    Context,
    Resource,
    coding,
    concept,
    instant,
    ref,
    whole_number,
)

HCPCS = "http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets"
NPI = "http://hl7.org/fhir/sid/us-npi"
SELF_PAY_SYSTEM = "http://terminology.hl7.org/CodeSystem/coverage-selfpay"
RELATIONSHIP_SYSTEM = "http://terminology.hl7.org/CodeSystem/subscriber-relationship"
COVERAGE_CLASS = "http://terminology.hl7.org/CodeSystem/coverage-class"
CLAIM_TYPE = "http://terminology.hl7.org/CodeSystem/claim-type"
PROCESS_PRIORITY = "http://terminology.hl7.org/CodeSystem/processpriority"
PLACE_OF_SERVICE = (
    "https://www.cms.gov/Medicare/Coding/place-of-service-codes/Place_of_Service_Code_Set"
)
# R4's ChargeItem has no element for a procedure's modifiers (Claim.item has one): ours.
MODIFIER_EXTENSION = "urn:unknot:extension:procedure-modifier"
SELF_PAY_PREFIX = "selfpay-"
RELATIONSHIPS = {Relationship.SELF: "self", Relationship.SPOUSE: "spouse",
                 Relationship.CHILD: "child", Relationship.OTHER: "other"}  # fmt: skip
PATIENT_PARAM = SearchParam("patient", "reference", "Patient/<id>.")


def _usd(amount: Any) -> dict[str, Any]:
    return {"value": float(amount), "currency": "USD"}


def _patient_ref(patient: Any) -> dict[str, str]:
    return ref("Patient", patient.pk, patient.full_name)


def _ids(query: s.Query) -> list[str]:
    return s.tokens(query, "_id")


def _numbers(ids: list[str], what: str) -> list[int]:
    numbers = [whole_number(value) for value in ids]
    if any(number is None for number in numbers):
        raise invalid(f"_id must be {what} ids.")
    return [number for number in numbers if number is not None]


def _searched(ctx: Context, kind: str, page: s.Page) -> s.Page:
    if page.resources:
        listed(ctx.user, kind)
    return page


# --- Coverage --------------------------------------------------------------------------------


def modifier_concept(modifier: str) -> dict[str, Any]:
    """A procedure modifier: the numeric ones (59) are CPT's, the letters (GP, KX, XU) HCPCS
    Level II's."""
    system = CPT if modifier.isdigit() else HCPCS
    return concept(modifier, coding(system, modifier))


def _payer_ref(coverage: Coverage) -> dict[str, Any]:
    """The insurer as a logical reference: we do not serve the payer list as Organizations."""
    payer = coverage.payer
    return {
        "identifier": {"type": concept("Electronic payer id"), "value": payer.payer_id},
        "display": payer.name,
    }


def coverage_resource(coverage: Coverage) -> Resource:
    patient = coverage.patient
    relationship = RELATIONSHIPS.get(Relationship(coverage.relationship), "other")
    period = {"start": coverage.effective_from.isoformat()}
    if coverage.effective_to is not None:
        period["end"] = coverage.effective_to.isoformat()
    resource: Resource = {
        "resourceType": "Coverage",
        "id": str(coverage.pk),
        "status": "active",
        "type": concept(coverage.payer.get_plan_type_display()),
        "subscriberId": coverage.member_id,
        "beneficiary": _patient_ref(patient),
        "relationship": concept(
            coverage.get_relationship_display(), coding(RELATIONSHIP_SYSTEM, relationship)
        ),
        "period": period,
        "payor": [_payer_ref(coverage)],
        "order": int(coverage.priority),
    }
    if coverage.relationship == Relationship.SELF:
        resource["subscriber"] = _patient_ref(patient)
    elif coverage.subscriber_last_name:
        name = f"{coverage.subscriber_first_name} {coverage.subscriber_last_name}".strip()
        resource["subscriber"] = {"display": name}
    if coverage.group_number:
        group = concept("Group", coding(COVERAGE_CLASS, "group"))
        resource["class"] = [{"type": group, "value": coverage.group_number}]
    return resource


def self_pay_resource(self_pay: SelfPay) -> Resource:
    """Self-pay as R4 models it: a Coverage of type `pay` whose payor is the patient."""
    patient = _patient_ref(self_pay.patient)
    return {
        "resourceType": "Coverage",
        "id": f"{SELF_PAY_PREFIX}{self_pay.pk}",
        "status": "active",
        "type": concept("Self-pay", coding(SELF_PAY_SYSTEM, "pay", "Pay")),
        "subscriber": patient,
        "beneficiary": patient,
        "relationship": concept("Self", coding(RELATIONSHIP_SYSTEM, "self")),
        "period": {"start": self_pay.since.isoformat()},
        "payor": [patient],
    }


def read_coverage(ctx: Context, resource_id: str) -> Resource:
    if resource_id.startswith(SELF_PAY_PREFIX):
        number = whole_number(resource_id.removeprefix(SELF_PAY_PREFIX))
        return self_pay_resource(get_self_pay_for(ctx.user, number or 0))
    return coverage_resource(get_coverage_for(ctx.user, whole_number(resource_id) or 0))


def _coverage_rows(ctx: Context, query: s.Query) -> tuple[QuerySet[Coverage], QuerySet[SelfPay]]:
    coverages, self_pays = coverages_visible_to(ctx.user), self_pays_visible_to(ctx.user)
    if patients := s.reference_ids(query, "patient", "Patient"):
        coverages = coverages.filter(patient_id__in=patients)
        self_pays = self_pays.filter(patient_id__in=patients)
    if wanted := _ids(query):
        self_pay_ids = [
            i.removeprefix(SELF_PAY_PREFIX) for i in wanted if i.startswith(SELF_PAY_PREFIX)
        ]
        others = [i for i in wanted if not i.startswith(SELF_PAY_PREFIX)]
        coverages = coverages.filter(pk__in=_numbers(others, "Coverage"))
        self_pays = self_pays.filter(pk__in=_numbers(self_pay_ids, "Coverage"))
    return coverages.order_by("patient_id", "priority", "pk"), self_pays.order_by("pk")


def search_coverages(ctx: Context, query: s.Query) -> s.Page:
    """The insurances first, then the self-pays: one page may hold the end of one and the
    start of the other. A cursor belongs to one of the two lists; a self-pay's means the
    insurances are done. The same statements whichever way a page falls: the two lists'
    counts and one page of rows, and when the insurances end on the page, the self-pays that
    fill it, counted by that page when it holds them all."""
    coverages, self_pays = _coverage_rows(ctx, query)
    cursor = query.cursor
    if cursor is not None and keyset.made_for(self_pays, cursor, purpose="fhir"):
        paying = s.keyset_page(self_pays, query, cursor)
        resources = [self_pay_resource(row) for row in paying.rows]
        total = s.add_totals(s.bounded_total(coverages), s.bounded_total(self_pays))
        return _searched(ctx, "coverage", s.Page(total, resources, paying.next))
    insured = s.keyset_page(coverages, query, cursor)
    resources = [coverage_resource(row) for row in insured.rows]
    following = insured.next
    room = query.count - len(resources)
    if following is None and room > 0:  # the insurances end on this page: fill it up
        paying = s.keyset_page(self_pays, s.Query(query.params, room, None))
        resources += [self_pay_resource(row) for row in paying.rows]
        following = paying.next
        # a first page that holds every self-pay has counted them
        self_paid = len(paying.rows) if following is None else s.bounded_total(self_pays)
    else:
        self_paid = s.bounded_total(self_pays)
        if following is None and query.count and self_paid:
            following = keyset.start_cursor(self_pays, purpose="fhir")
    total = s.add_totals(s.bounded_total(coverages), self_paid)
    return _searched(ctx, "coverage", s.Page(total, resources, following, insured.previous))


COVERAGE = ResourceType(
    "Coverage",
    "A patient's insurances (payer, member id, group, priority as `order`, dates) and self-pay "
    "(type `pay` of coverage-selfpay, the patient as payor; id `selfpay-<n>`). Staff of the "
    "patient's clinic and the patient read them.",
    (PATIENT_PARAM, SearchParam("_id", "token", "Coverage ids (selfpay-<n> for self-pay).")),
    read=read_coverage,
    search=search_coverages,
)


# --- ChargeItem (one per charge line) --------------------------------------------------------

CHARGE_STATUS = {
    ChargeStatus.TO_REVIEW: "planned",  # the biller has not yet approved it
    ChargeStatus.HELD: "planned",  # waiting on a fix before it can be billed
    ChargeStatus.APPROVED: "billable",
    ChargeStatus.BILLED: "billed",
    ChargeStatus.VOID: "aborted",
}


def _line_diagnoses(charge: Charge, line: ChargeLine) -> list[dict[str, Any]]:
    codes = [str(charge.diagnosis_codes[p - 1]) for p in line.diagnosis_pointers
             if 1 <= p <= len(charge.diagnosis_codes)]  # fmt: skip
    return [concept(code, coding(ICD10CM, code)) for code in codes]


def charge_item_resource(line: ChargeLine) -> Resource:
    charge = line.charge
    member = charge.rendering
    resource: Resource = {
        "resourceType": "ChargeItem",
        "id": str(line.pk),
        "status": CHARGE_STATUS.get(ChargeStatus(charge.status), "unknown"),
        "code": concept(CPT_LABELS.get(line.code, line.code), coding(CPT, line.code)),
        "subject": _patient_ref(charge.patient),
        "occurrenceDateTime": charge.service_date.isoformat(),
        "performer": [{"actor": ref("Practitioner", member.pk, member.display_name)}],
        "quantity": {"value": line.units},
        "priceOverride": _usd(line.amount),
        "overrideReason": f"The clinic's fee: ${line.fee:,.2f} a unit, {line.units} units.",
        "enteredDate": instant(charge.created_at),
    }
    if line.modifiers:
        resource["extension"] = [
            {"url": MODIFIER_EXTENSION, "valueCodeableConcept": modifier_concept(str(m))}
            for m in line.modifiers
        ]
    if reasons := _line_diagnoses(charge, line):
        resource["reason"] = reasons
    return resource


def _lines(ctx: Context) -> QuerySet[ChargeLine]:
    return ChargeLine.objects.filter(
        charge__in=selectors.charges_readable_by(ctx.user)
    ).select_related("charge__patient", "charge__rendering__user")


def read_charge_item(ctx: Context, resource_id: str) -> Resource:
    line = _lines(ctx).filter(pk=whole_number(resource_id) or 0).first()
    if line is None:
        raise Http404("No such charge item.")
    selectors.get_charge_readable_for(ctx.user, line.charge_id)  # the access helper: recorded
    return charge_item_resource(line)


def search_charge_items(ctx: Context, query: s.Query) -> s.Page:
    rows = _lines(ctx)
    if patients := s.reference_ids(query, "patient", "Patient"):
        rows = rows.filter(charge__patient_id__in=patients)
    if wanted := _ids(query):
        rows = rows.filter(pk__in=_numbers(wanted, "ChargeItem"))
    rows = s.filter_dates(
        rows, "charge__service_date", s.date_bounds(query, "occurrence"), dates=True
    )
    ordered = rows.order_by("charge__service_date", "charge_id", "code", "pk")
    return _searched(ctx, "charge", s.page_of(ordered, query, charge_item_resource))


CHARGE_ITEM = ResourceType(
    "ChargeItem",
    "One line of what a visit is billed for: the CPT code, units as quantity, modifiers (an "
    f"extension, {MODIFIER_EXTENSION}), the line's amount and its ICD-10-CM reasons. The "
    "billing office of the clinic reads them; a patient reads their approved and billed ones.",
    (
        PATIENT_PARAM,
        SearchParam("_id", "token", "ChargeItem ids."),
        SearchParam("occurrence", "date", "The date of service (eq, ge, le, gt, lt)."),
    ),
    read=read_charge_item,
    search=search_charge_items,
)


# --- Claim -----------------------------------------------------------------------------------


def _claim_status(claim: Claim) -> str:
    return "cancelled" if claim.status == ClaimStatus.VOID else "active"


def _who(line: ServiceLine) -> tuple[str, str, str]:
    provider = line.rendering_provider
    return provider.npi, provider.last_name, provider.first_name


def _claim_item(number: int, line: ServiceLine, team: dict[tuple[str, str, str], int]) -> Resource:
    item: Resource = {
        "sequence": number,
        "careTeamSequence": [team[_who(line)]],
        "productOrService": concept(
            CPT_LABELS.get(line.procedure_code, line.procedure_code),
            coding(CPT, line.procedure_code),
        ),
        "servicedDate": line.service_date.isoformat(),
        "quantity": {"value": line.units},
        "net": _usd(line.charge),
    }
    if line.modifiers:
        item["modifier"] = [modifier_concept(m) for m in line.modifiers]
    if line.diagnosis_pointers:
        item["diagnosisSequence"] = list(line.diagnosis_pointers)
    return item


def _care_team(
    lines: tuple[ServiceLine, ...],
) -> tuple[list[Resource], dict[tuple[str, str, str], int]]:
    """The rendering therapists, by NPI and name (what the claim file carries for each line)."""
    team: dict[tuple[str, str, str], int] = {}
    members = []
    for line in lines:
        who = line.rendering_provider
        if _who(line) not in team:
            team[_who(line)] = len(team) + 1
            provider: dict[str, Any] = {"display": f"{who.first_name} {who.last_name}"}
            if who.npi:
                provider["identifier"] = {"system": NPI, "value": who.npi}
            members.append({"sequence": team[_who(line)], "provider": provider,
                            "role": concept("Rendering provider")})  # fmt: skip
    return members, team


def claim_resource(claim: Claim) -> Resource:
    """The claim as its 837P says it (`billing.claims.claim_input`): the same diagnoses in the
    same order, the same lines and pointers."""
    filed = claims.claim_input(claim)
    practice = claim.clinic.practice
    provider: dict[str, Any] = {"display": practice.name}
    if practice.npi:
        provider["identifier"] = {"system": NPI, "value": practice.npi}
    team, by_npi = _care_team(filed.lines)
    resource: Resource = {
        "resourceType": "Claim",
        "id": str(claim.pk),
        "status": _claim_status(claim),
        "type": concept("Professional", coding(CLAIM_TYPE, "professional", "Professional")),
        "use": "claim",
        "patient": _patient_ref(claim.patient),
        "created": instant(claim.created_at),
        "provider": provider,
        "priority": concept("Normal", coding(PROCESS_PRIORITY, "normal")),
        "insurance": [{"sequence": 1, "focal": True,
                       "coverage": ref("Coverage", claim.coverage_id, claim.payer.name)}],
        "total": _usd(claim.total),
    }  # fmt: skip
    if team:
        resource["careTeam"] = team
    if filed.diagnosis_codes:
        resource["diagnosis"] = [
            {"sequence": n, "diagnosisCodeableConcept": concept(code, coding(ICD10CM, code))}
            for n, code in enumerate(filed.diagnosis_codes, start=1)
        ]
    if filed.lines:
        days = [line.service_date for line in filed.lines]
        resource["billablePeriod"] = {"start": min(days).isoformat(),
                                      "end": max(days).isoformat()}  # fmt: skip
        resource["item"] = [_claim_item(n, line, by_npi)
                            for n, line in enumerate(filed.lines, start=1)]  # fmt: skip
        place = filed.place_of_service
        for item in resource["item"]:
            item["locationCodeableConcept"] = concept(place, coding(PLACE_OF_SERVICE, place))
    if filed.prior_authorization:
        resource["insurance"][0]["preAuthRef"] = [filed.prior_authorization]
    return resource


def read_claim(ctx: Context, resource_id: str) -> Resource:
    return claim_resource(
        selectors.get_claim_readable_for(ctx.user, whole_number(resource_id) or 0)
    )


def search_claims(ctx: Context, query: s.Query) -> s.Page:
    rows = selectors.claims_readable_by(ctx.user)
    if patients := s.reference_ids(query, "patient", "Patient"):
        rows = rows.filter(patient_id__in=patients)
    if wanted := _ids(query):
        rows = rows.filter(pk__in=_numbers(wanted, "Claim"))
    rows = s.filter_dates(rows, "created_at", s.date_bounds(query, "created"))
    rows = claims.with_claim_input(rows.order_by("created_at", "pk"))
    return _searched(ctx, "claim", s.page_of(rows, query, claim_resource))


CLAIM = ResourceType(
    "Claim",
    "Professional claims as sent in the 837P: the patient, the practice as provider, the "
    "Coverage billed, ICD-10-CM diagnoses and one item per charge line (CPT, modifiers, units, "
    "net). The billing office of the clinic reads them; a patient reads their own.",
    (
        PATIENT_PARAM,
        SearchParam("_id", "token", "Claim ids."),
        SearchParam("created", "date", "When the claim was made (eq, ge, le, gt, lt)."),
    ),
    read=read_claim,
    search=search_claims,
)
