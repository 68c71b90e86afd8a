"""Every resource type this server offers, and the CapabilityStatement made from that list.

The URL patterns, the views and the CapabilityStatement all read REGISTRY, so what
`/fhir/metadata` says and what is served cannot drift apart.
"""

from unknot.fhir import (
    appointments,
    billing,
    calendar,
    clinical,
    directory,
    questionnaires,
    responses,
)
from unknot.fhir.kinds import ResourceType
from unknot.fhir.refs import Context, Resource
from unknot.fhir.search import CONTROL, MAX_COUNT

SERVED: tuple[ResourceType, ...] = (
    directory.PATIENT,
    directory.PRACTITIONER,
    directory.PRACTITIONER_ROLE,
    directory.LOCATION,
    directory.HEALTHCARE_SERVICE,
    calendar.SCHEDULE,
    calendar.SLOT,
    appointments.APPOINTMENT,
    questionnaires.QUESTIONNAIRE,
    responses.QUESTIONNAIRE_RESPONSE,
    clinical.OBSERVATION,
    clinical.CARE_PLAN,
    clinical.GOAL,
    billing.COVERAGE,
    billing.CHARGE_ITEM,
    billing.CLAIM,
)
REGISTRY: dict[str, ResourceType] = {kind.name: kind for kind in SERVED}

CONTROL_DOCS = {
    "_count": f"Page size, 0 to {MAX_COUNT} (default 20, or what the type's documentation says).",
    "_cursor": "Where the page starts: the `next` and `previous` links set it (opaque).",
    "_format": "json only.",
}
SECURITY = (
    "Sign in to the web app (session) or send Authorization: Bearer <token> with an API "
    "token. Staff see their own clinics' records; a patient sees only their own. Every "
    "search is also offered as POST [type]/_search with its parameters in an "
    "application/x-www-form-urlencoded body; parameters that identify a person (Patient "
    "name and birthdate) are taken only that way, never in a URL."
)


def _resource_entry(kind: ResourceType) -> Resource:
    entry: Resource = {
        "type": kind.name,
        "documentation": kind.documentation,
        "interaction": [{"code": code} for code in kind.interactions],
    }
    if kind.params:
        entry["searchParam"] = [
            {"name": p.name, "type": p.type, "documentation": p.documentation} for p in kind.params
        ]
    return entry


def capability_statement(ctx: Context) -> Resource:
    return {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": ctx.now.date().isoformat(),
        "publisher": "unknot",
        "kind": "instance",
        "software": {"name": "unknot"},
        "implementation": {"description": "unknot FHIR R4 interface", "url": ctx.base},
        "fhirVersion": "4.0.1",
        "format": ["json"],
        "rest": [
            {
                "mode": "server",
                "security": {"description": SECURITY},
                "resource": [_resource_entry(kind) for kind in SERVED],
                "searchParam": [
                    {
                        "name": name,
                        "type": "number" if name == "_count" else "string",
                        "documentation": CONTROL_DOCS[name],
                    }
                    for name in CONTROL
                ],
            }
        ],
    }
