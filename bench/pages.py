"""Every page and call of the app that answers a GET, with real arguments, for the scale benchmark.

The URL table (`unknot.config.urltable`) lists every route with the access rule its view
declares. For each route this module picks who asks (the widest reader the rule admits: the
owner, then the auditor, a manager, a therapist, the front desk, the biller; a patient for the
portal; nobody for public pages) and fills the route's arguments from one patient's record, the
**subject**: the demo patient with the most visits, at their own clinic, with their therapist.
A REST or FHIR instance is the first one that the matching search returns for that patient, so
every identifier is one the app itself hands out.

A route whose arguments cannot be filled from a record (a signed link sent by email, a page in
the middle of a booking) or that answers a GET with anything but 200 (an action that takes only
POST) is not measured, and the benchmark lists it by name with the reason.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

ROLE_ORDER = ("owner", "auditor", "manager", "therapist", "front_desk", "biller")
SKIPPED_NAMES = {
    "accounts:logout": "signs out",
    "accounts:password_reset_confirm": "a link sent by email",
}


@dataclass(frozen=True)
class Call:
    label: str
    username: str | None  # None: anonymous
    url: str


@dataclass
class Walk:
    calls: list[Call] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)  # route name -> why


@dataclass(frozen=True)
class Subject:
    """One patient's record and the people around it, from which every argument is filled."""

    patient: Any
    clinic: Any
    therapist_username: str
    front_desk_username: str
    rows: dict[str, Any]  # argument name -> row (the latest of that kind in the record)


def _latest(model: Any, **lookup: Any) -> Any:
    return model._default_manager.filter(**lookup).order_by("-pk").first()


def subject() -> Subject:
    from django.apps import apps
    from django.db.models import Count

    from unknot.clinics.models import StaffMember
    from unknot.patients.models import Patient

    patient = (
        Patient.objects.filter(user__username__startswith="patient.")
        .annotate(visits=Count("appointments"))
        .order_by("-visits", "pk")
        .first()
    )
    assert patient is not None, "no demo patient"
    model = apps.get_model
    episode = _latest(model("records.Episode"), patient=patient, plans__signed_at__isnull=False)
    episode = episode or _latest(model("records.Episode"), patient=patient)
    coverage = _latest(model("coverage.Coverage"), patient=patient)
    therapist = episode.therapist
    clinic = episode.clinic
    front_desk = StaffMember.objects.filter(role="front_desk", clinics=clinic).first()
    rows = {
        "patient_id": patient,
        "episode_id": episode,
        "plan_id": _latest(model("plans.PlanOfCare"), episode=episode),
        "visit_id": _latest(model("records.Visit"), episode=episode),
        "evaluation_id": _latest(model("records.Evaluation"), episode=episode),
        "appointment_id": _latest(model("booking.Appointment"), patient=patient),
        "coverage_id": coverage,
        "payer_id": coverage.payer if coverage else None,
        "authorisation_id": _latest(model("coverage.Authorisation"), coverage__patient=patient),
        "charge_id": _latest(model("billing.Charge"), patient=patient),
        "claim_id": _latest(model("billing.Claim")),
        "certification_id": _latest(model("plans.Certification"), episode=episode),
        "signature_id": _latest(model("paperwork.Signature"), patient=patient),
        "type_id": _latest(model("booking.AppointmentType"), clinic=clinic),
        "question_id": _latest(model("booking.ContactQuestion"), clinic=clinic),
        "call_id": _latest(model("booking.SafetyCall"), clinic=clinic),
        "entry_id": _latest(model("waitlist.WaitlistEntry"), clinic=clinic),
        "hold_id": _latest(model("records.MedicalHold"), episode__patient=patient),
    }
    return Subject(
        patient=patient,
        clinic=clinic,
        therapist_username=therapist.user.username,
        front_desk_username=front_desk.user.username if front_desk else "",
        rows=rows,
    )


def _username_for(role: str, who: Subject) -> str:
    from unknot.clinics.models import StaffMember

    if role == "therapist":
        return who.therapist_username
    if role == "front_desk":
        return who.front_desk_username
    member = StaffMember.objects.filter(role=role).select_related("user").order_by("pk").first()
    assert member is not None, f"no {role} in the practice"
    return str(member.user.username)


def asker(rule: Any, who: Subject) -> str | bool | None:
    """The username that asks under `rule`; None for anyone; False when no one can."""
    audience = getattr(rule, "audience", "public")
    if audience == "public":
        return None
    roles = getattr(rule, "read_roles", None) or getattr(rule, "roles", frozenset())
    if audience == "patient" or (not roles and getattr(rule, "patients_read", False)):
        return str(who.patient.user.username)
    if audience == "signed_in" and not roles:
        return _username_for("owner", who)
    for role in ROLE_ORDER:
        if role in roles:
            return _username_for(role, who)
    return False


def _scalar(name: str, route_name: str, who: Subject) -> Any:
    """The arguments that are not rows of the record."""
    from django.utils import timezone

    from unknot.clinics.times import clinic_day

    simple: dict[str, Callable[[], Any]] = {
        "slug": lambda: who.clinic.slug,
        "day": lambda: clinic_day(timezone.now(), who.clinic),
        "who": lambda: "any",
        "side": lambda: "front",
        "kind": lambda: "consent",
    }
    if name == "slug" and route_name.startswith(("intake:", "booking:staff_attendance")):
        return None  # a section or a kind, not a clinic: needs a flow in progress
    if name in simple:
        return simple[name]()
    return None


def arguments(route_name: str, route: str, who: Subject) -> dict[str, Any] | None:
    import re

    kwargs: dict[str, Any] = {}
    for name in re.findall(r"<(?:\w+:)?(\w+)>", route):
        row = who.rows.get(name)
        value = row.pk if row is not None else _scalar(name, route_name, who)
        if value is None:
            return None
        kwargs[name] = value
    return kwargs


def _first_id(client: Any, url: str) -> str | None:
    answer = client.get(url)
    if answer.status_code != 200:
        return None
    body = answer.json()
    if "entry" in body or body.get("resourceType") == "Bundle":
        entries = body.get("entry") or []
        return str(entries[0]["resource"]["id"]) if entries else None
    results = body.get("results", body if isinstance(body, list) else [])
    return str(results[0]["id"]) if results else None


def instance_id(route_name: str, route: str, who: Subject, client: Any) -> str | None:
    """A REST or FHIR instance's id: the first that its search returns for the subject."""
    collection = "/" + route.split("<")[0].rstrip("/")
    if route_name.startswith("api:"):
        collection += "/"
    patient_scoped = ("?patient=" + str(who.patient.pk)) if _takes_patient(collection) else ""
    found = _first_id(client, collection + patient_scoped)
    return found or _first_id(client, collection)


def _takes_patient(collection: str) -> bool:
    unscoped = ("Practitioner", "Location", "HealthcareService", "Questionnaire", "Schedule")
    unscoped_api = ("clinics", "therapists", "appointment-types")
    return not any(collection.rstrip("/").endswith(x) for x in unscoped + unscoped_api)


def walk(client_for: Callable[[str | None], Any]) -> Walk:
    """Every GET route with its asker and URL; the rest under `skipped` with the reason."""
    from django.urls import reverse

    from unknot.config.urltable import declared_routes

    who = subject()
    found = Walk()
    for route_name, route, view in declared_routes():
        if route_name in SKIPPED_NAMES:
            found.skipped[route_name] = SKIPPED_NAMES[route_name]
            continue
        username = asker(getattr(view, "access_rule", None), who)
        if username is False:
            found.skipped[route_name] = "no role reads it"
            continue
        client = client_for(username)  # type: ignore[arg-type]
        if "<str:id>" in route or "<str:resource_id>" in route:
            key = "id" if "<str:id>" in route else "resource_id"
            ident = instance_id(route_name, route, who, client)
            kwargs = None if ident is None else {key: ident}
        else:
            kwargs = arguments(route_name, route, who)
        if kwargs is None:
            found.skipped[route_name] = "its arguments come from a link or a flow in progress"
            continue
        url = reverse(route_name, kwargs=kwargs or None)
        status = client.get(url).status_code
        if status != 200:
            found.skipped[route_name] = f"a GET answers {status}"
            continue
        found.calls.append(Call(f"{route_name} ({username or 'anyone'})", username, url))
    return found
