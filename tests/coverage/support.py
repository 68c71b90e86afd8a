"""Shared by coverage's tests: payers on the practice's list, a coverage's details, card
files (real magic bytes, and a script disguised by its name), and authorisations."""

import datetime as dt
import itertools
from typing import Any

from tests import factories
from unknot.clinics.models import Practice
from unknot.coverage import authorisations as auth
from unknot.coverage import cards
from unknot.coverage.models import Authorisation, Coverage, Payer, PlanType, Priority, Relationship
from unknot.coverage.services import CoverageDetails
from unknot.patients.models import Patient

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.7\n" + b"\x00" * 64
SCRIPT = b"<script>alert(document.cookie)</script>"
START = dt.date(2031, 1, 1)


def payer(practice: Practice, name: str = "Medicare Part B", **fields: Any) -> Payer:
    defaults: dict[str, Any] = {"payer_id": "12202", "plan_type": PlanType.MEDICARE_B}
    return Payer.objects.create(practice=practice, name=name, **(defaults | fields))


def details(of: Payer, **overrides: Any) -> CoverageDetails:
    fields: dict[str, Any] = {
        "payer": of, "priority": Priority.PRIMARY, "member_id": "1EG4-TE5-MK73",
        "group_number": "", "relationship": Relationship.SELF, "subscriber_first_name": "",
        "subscriber_last_name": "", "subscriber_date_of_birth": None, "effective_from": START,
        "effective_to": None,
    }  # fmt: skip
    return CoverageDetails(**(fields | overrides))


def form_data(of: Payer, **overrides: Any) -> dict[str, Any]:
    """The coverage form as a person posts it."""
    fields: dict[str, Any] = {
        "payer": of.pk, "priority": "1", "member_id": "1EG4-TE5-MK73", "group_number": "G1",
        "relationship": "18", "effective_from": "2031-01-01",
    }  # fmt: skip
    return fields | overrides


def stored_files() -> list[str]:
    """The card files in the private folder (the test's own data directory)."""
    folder = cards._folder()
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


# Authorisations (coverage.authorisations), on coverages written as rows.
_numbers = itertools.count(1)


def any_payer(*, counts_no_shows: bool = False, name: str = "Acme Health") -> Payer:
    """A payer of the cast's practice with a fresh payer id (the authorisation tests)."""
    return Payer.objects.create(
        practice=factories.practice(), name=name, payer_id=f"P{next(_numbers)}",
        plan_type=PlanType.COMMERCIAL, counts_no_shows=counts_no_shows,
    )  # fmt: skip


def coverage(patient: Patient, paid_by: Payer | None = None, **fields: Any) -> Coverage:
    defaults: dict[str, Any] = {"member_id": "M123", "effective_from": dt.date(2030, 1, 1)}
    return Coverage.objects.create(
        patient=patient, payer=paid_by or any_payer(), **(defaults | fields)
    )


def data(**overrides: Any) -> auth.AuthorisationInput:
    fields: dict[str, Any] = {
        "reference": "AUTH-1",
        "unit": "visits",
        "authorised": 3,
        "start_date": dt.date(2031, 3, 1),
        "end_date": dt.date(2031, 3, 31),
        "covers": [],
        "note": "",
    }
    return auth.AuthorisationInput(**(fields | overrides))


def authorisation(by: Any, covered: Coverage, **overrides: Any) -> Authorisation:
    return auth.authorisation_add(by=by, coverage=covered, data=data(**overrides))
