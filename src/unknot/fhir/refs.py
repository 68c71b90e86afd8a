"""Small shared pieces of every resource: the request context, references, codings, times."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from unknot.accounts.models import AnyUser

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
CPT = "http://www.ama-assn.org/go/cpt"
ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
TIMEZONE_EXTENSION = "http://hl7.org/fhir/StructureDefinition/timezone"
# Our own code systems: stable names, the same on every installation.
INSTRUMENT_SYSTEM = "urn:unknot:instrument"
APPOINTMENT_TYPE_SYSTEM = "urn:unknot:appointment-type"

Resource = dict[str, Any]


@dataclass(frozen=True)
class Context:
    """Who is asking, the server's own base URL (ends in /) and the moment of the request."""

    user: AnyUser
    base: str
    now: dt.datetime

    def url(self, relative: str) -> str:
        return self.base + relative


def ref(resource_type: str, resource_id: object, display: str = "") -> dict[str, str]:
    reference = {"reference": f"{resource_type}/{resource_id}"}
    return reference | {"display": display} if display else reference


def coding(system: str, code: str, display: str = "") -> dict[str, str]:
    found = {"system": system, "code": code}
    return found | {"display": display} if display else found


def concept(text: str, *codings: dict[str, str]) -> dict[str, Any]:
    found: dict[str, Any] = {"text": text}
    return found | {"coding": list(codings)} if codings else found


def instant(value: dt.datetime) -> str:
    """A FHIR instant: UTC, seconds, with the zone spelled Z."""
    return value.astimezone(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def reference_id(value: Any, resource_type: str) -> str | None:
    """The id in "Patient/12" (or an absolute URL ending so) when the type matches, else None."""
    if not isinstance(value, str):
        return None
    parts = value.rstrip("/").split("/")
    if len(parts) < 2 or parts[-2] != resource_type or not parts[-1]:
        return None
    return parts[-1]


def whole_number(text: str) -> int | None:
    """A database id from a URL or a reference: ASCII digits only, short enough for the column."""
    if text.isascii() and text.isdigit() and len(text) <= 18:
        return int(text)
    return None
