"""The practice's directory: Patient, Practitioner, PractitionerRole, Location, HealthcareService.

Patients are health data: staff see their clinics' patients, a patient sees themself, and
anyone else gets 404. Clinics, therapists and appointment types are the directory the public
website already shows; any signed-in caller may read them.
"""

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from unknot.accounts.roles import CLINICAL_ROLES
from unknot.booking.models import AppointmentType
from unknot.clinics.models import Clinic, StaffMember
from unknot.fhir import search as s
from unknot.fhir.kinds import ResourceType, SearchParam
from unknot.fhir.refs import (
    APPOINTMENT_TYPE_SYSTEM,
    TIMEZONE_EXTENSION,
    Context,
    Resource,
    coding,
    concept,
    ref,
    whole_number,
)
from unknot.patients.models import Patient
from unknot.patients.selectors import get_patient_for, patients_visible_to

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def number_or_404(text: str, what: str) -> int:
    number = whole_number(text)
    if number is None:
        raise Http404(f"No such {what}.")
    return number


def pair_or_404(text: str, what: str) -> tuple[int, int]:
    """Ids made of two database ids, "12-3" (a therapist at a clinic)."""
    first, _, second = text.partition("-")
    a, b = whole_number(first), whole_number(second)
    if a is None or b is None:
        raise Http404(f"No such {what}.")
    return a, b


def _names(rows: QuerySet[Any], query: s.Query, *fields: str) -> QuerySet[Any]:
    for word in " ".join(query.all("name")).split()[:4]:
        match = Q()
        for field in fields:
            match |= Q(**{f"{field}__icontains": word})
        rows = rows.filter(match)
    return rows


# --- Patient ---------------------------------------------------------------------------------


def patient_resource(patient: Patient) -> Resource:
    resource: Resource = {
        "resourceType": "Patient",
        "id": str(patient.pk),
        "active": True,
        "name": [
            {
                "use": "official",
                "text": patient.full_name,
                "family": patient.last_name,
                "given": [patient.first_name],
            }
        ],
        # Sex's values are FHIR's AdministrativeGender codes (patients.models.Sex).
        "gender": patient.sex,
        "birthDate": patient.date_of_birth.isoformat(),
    }
    telecom = [{"system": "email", "value": patient.email}] if patient.email else []
    telecom += [{"system": "phone", "value": patient.phone}] if patient.phone else []
    if telecom:
        resource["telecom"] = telecom
    if patient.address_lines:
        resource["address"] = [_postal_address(patient)]
    return resource


def _postal_address(patient: Patient) -> Resource:
    """The patient's home address; parts not on file are left out (an older record may
    hold only a line of free text)."""
    parts: Resource = {"use": "home", "text": patient.address}
    lines = [line for line in (patient.address_line1, patient.address_line2) if line]
    if lines:
        parts["line"] = lines
    for key, value in (
        ("city", patient.city),
        ("state", patient.state),
        ("postalCode", patient.zip_code),
    ):
        if value:
            parts[key] = value
    return parts | {"country": "US"}


def read_patient(ctx: Context, resource_id: str) -> Resource:
    return patient_resource(get_patient_for(ctx.user, number_or_404(resource_id, "patient")))


def search_patients(ctx: Context, query: s.Query) -> s.Page:
    rows = _names(patients_visible_to(ctx.user), query, "first_name", "last_name")
    for bound in s.date_bounds(query, "birthdate"):
        rows = rows.filter(**{f"date_of_birth__{bound.lookup}": bound.value.date()})
    return s.page_of(rows.order_by("last_name", "first_name", "pk"), query, patient_resource)


PATIENT = ResourceType(
    "Patient",
    "People in care. Staff see their clinics' patients; a patient sees only themself. "
    "name and birthdate identify a person: send them in the body of POST Patient/_search "
    "(application/x-www-form-urlencoded), never in the URL.",
    (
        SearchParam("name", "string", "Part of the given or family name. POST _search only.", True),
        SearchParam(
            "birthdate", "date", "Date of birth (eq, ge, le, gt, lt). POST _search only.", True
        ),
    ),
    read=read_patient,
    search=search_patients,
)


# --- Practitioner and PractitionerRole -------------------------------------------------------


def clinicians() -> QuerySet[StaffMember]:
    return StaffMember.objects.filter(role__in=CLINICAL_ROLES, user__is_active=True).select_related(
        "user"
    )


def practitioner_resource(member: StaffMember) -> Resource:
    user = member.user
    resource: Resource = {
        "resourceType": "Practitioner",
        "id": str(member.pk),
        "active": True,
        "name": [
            {"text": member.display_name, "family": user.last_name, "given": [user.first_name]}
        ],
    }
    if member.credentials:
        resource["qualification"] = [{"code": concept(member.credentials)}]
    return resource


def read_practitioner(ctx: Context, resource_id: str) -> Resource:
    member = clinicians().filter(pk=number_or_404(resource_id, "practitioner")).first()
    if member is None:
        raise Http404("No such practitioner.")
    return practitioner_resource(member)


def search_practitioners(ctx: Context, query: s.Query) -> s.Page:
    rows = _names(clinicians(), query, "user__first_name", "user__last_name")
    return s.page_of(rows.order_by("user__last_name", "pk"), query, practitioner_resource)


PRACTITIONER = ResourceType(
    "Practitioner",
    "Therapists and clinic managers (the clinicians who treat and sign plans).",
    (SearchParam("name", "string", "Part of the given or family name."),),
    read=read_practitioner,
    search=search_practitioners,
)


def role_resource(member: StaffMember, clinic: Clinic) -> Resource:
    return {
        "resourceType": "PractitionerRole",
        "id": f"{member.pk}-{clinic.pk}",
        "active": True,
        "practitioner": ref("Practitioner", member.pk, member.display_name),
        "location": [ref("Location", clinic.pk, clinic.name)],
        "code": [concept(member.get_role_display())],
    }


def _roles(query: s.Query | None = None) -> QuerySet[Any]:
    rows = StaffMember.clinics.through.objects.filter(
        staffmember__role__in=CLINICAL_ROLES, staffmember__user__is_active=True
    ).select_related("staffmember__user", "clinic")
    if query is not None:
        if ids := s.reference_ids(query, "practitioner", "Practitioner"):
            rows = rows.filter(staffmember_id__in=ids)
        if ids := s.reference_ids(query, "location", "Location"):
            rows = rows.filter(clinic_id__in=ids)
    return rows.order_by("staffmember_id", "clinic_id")


def read_role(ctx: Context, resource_id: str) -> Resource:
    member_id, clinic_id = pair_or_404(resource_id, "practitioner role")
    row = _roles().filter(staffmember_id=member_id, clinic_id=clinic_id).first()
    if row is None:
        raise Http404("No such practitioner role.")
    return role_resource(row.staffmember, row.clinic)


def search_roles(ctx: Context, query: s.Query) -> s.Page:
    return s.page_of(_roles(query), query, lambda row: role_resource(row.staffmember, row.clinic))


PRACTITIONER_ROLE = ResourceType(
    "PractitionerRole",
    "A clinician at one clinic (id: practitioner-location).",
    (
        SearchParam("practitioner", "reference", "Practitioner/<id>."),
        SearchParam("location", "reference", "Location/<id>."),
    ),
    read=read_role,
    search=search_roles,
)


# --- Location (clinics) ----------------------------------------------------------------------


def location_resource(clinic: Clinic) -> Resource:
    telecom = [{"system": "phone", "value": clinic.phone}]
    telecom += [{"system": "email", "value": clinic.email}] if clinic.email else []
    resource: Resource = {
        "resourceType": "Location",
        "id": str(clinic.pk),
        "extension": [{"url": TIMEZONE_EXTENSION, "valueCode": clinic.time_zone}],
        "status": "active",
        "name": clinic.name,
        "mode": "instance",
        "telecom": telecom,
        "address": {
            "text": clinic.one_line_address,
            "line": [clinic.address_line],
            "city": clinic.city,
            "postalCode": clinic.postcode,
        }
        | ({"state": clinic.region} if clinic.region else {}),
        "hoursOfOperation": [
            {
                "daysOfWeek": [DAYS[hours.weekday]],
                "openingTime": hours.opens.isoformat(),
                "closingTime": hours.closes.isoformat(),
            }
            for hours in clinic.opening_hours.all()
        ],
    }
    if clinic.description:
        resource["description"] = clinic.description
    return resource


def _clinics() -> QuerySet[Clinic]:
    return Clinic.objects.prefetch_related("opening_hours").order_by("name", "pk")


def read_location(ctx: Context, resource_id: str) -> Resource:
    clinic = _clinics().filter(pk=number_or_404(resource_id, "location")).first()
    if clinic is None:
        raise Http404("No such location.")
    return location_resource(clinic)


def search_locations(ctx: Context, query: s.Query) -> s.Page:
    return s.page_of(_names(_clinics(), query, "name", "city"), query, location_resource)


LOCATION = ResourceType(
    "Location",
    "The practice's clinics, with opening hours and time zone.",
    (SearchParam("name", "string", "Part of the clinic's name or city."),),
    read=read_location,
    search=search_locations,
)


# --- HealthcareService (appointment types) ---------------------------------------------------


def type_coding(kind: AppointmentType) -> dict[str, str]:
    return coding(APPOINTMENT_TYPE_SYSTEM, str(kind.pk), kind.name)


def service_resource(kind: AppointmentType) -> Resource:
    resource: Resource = {
        "resourceType": "HealthcareService",
        "id": str(kind.pk),
        "active": kind.is_active,
        "location": [ref("Location", kind.clinic_id, kind.clinic.name)],
        "name": kind.name,
        "type": [concept(kind.get_kind_display(), type_coding(kind))],
        "characteristic": [concept(f"{kind.duration_minutes} minutes")],
        "appointmentRequired": True,
        "availabilityExceptions": f"Booked online by: {kind.get_online_booking_display()}.",
    }
    if kind.description:
        resource["comment"] = kind.description
    return resource


def appointment_types() -> QuerySet[AppointmentType]:
    return AppointmentType.objects.filter(is_active=True).select_related("clinic")


def read_service(ctx: Context, resource_id: str) -> Resource:
    kind = appointment_types().filter(pk=number_or_404(resource_id, "service")).first()
    if kind is None:
        raise Http404("No such healthcare service.")
    return service_resource(kind)


def search_services(ctx: Context, query: s.Query) -> s.Page:
    rows = appointment_types()
    if ids := s.reference_ids(query, "location", "Location"):
        rows = rows.filter(clinic_id__in=ids)
    return s.page_of(rows.order_by("clinic_id", "duration_minutes", "pk"), query, service_resource)


HEALTHCARE_SERVICE = ResourceType(
    "HealthcareService",
    "The appointment types a clinic offers (initial evaluation, follow-up, ...).",
    (SearchParam("location", "reference", "Location/<id>: the clinic's types."),),
    read=read_service,
    search=search_services,
)
