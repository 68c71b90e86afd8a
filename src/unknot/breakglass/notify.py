"""The email to the patient's clinic managers when someone opens a record by break-glass.

Minimum necessary: it names who opened the record, when, the category of their reason and
the patient by id and initials only. No clinical details, no date of birth, no free text
(the reason's own words are on the review page, behind a sign-in). Sent through the outbox
and its worker, like every other email of the site.
"""

import datetime as dt
import zoneinfo

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode

from unknot.accounts.roles import Role
from unknot.breakglass.models import BreakGlassAccess
from unknot.clinics.models import Clinic, StaffMember
from unknot.outbox import links, tasks
from unknot.outbox.models import OutboxEmail

KIND = "break_glass"


def managers_to_tell(clinic: Clinic) -> list[str]:
    """The addresses of the clinic's active managers; the clinic's own if it has none."""
    found = (
        StaffMember.objects.filter(clinics=clinic, role=Role.MANAGER, user__is_active=True)
        .exclude(user__email="")
        .order_by("pk")
        .values_list("user__email", flat=True)
    )
    addresses = list(dict.fromkeys(found))
    if not addresses and clinic.email:
        addresses = [clinic.email]
    return addresses


def initials(first_name: str, last_name: str) -> str:
    return "".join(f"{name.strip()[:1].upper()}." for name in (first_name, last_name) if name)


def _context(opening: BreakGlassAccess) -> dict[str, object]:
    patient, clinic = opening.patient, opening.patient.preferred_clinic
    zone = zoneinfo.ZoneInfo(clinic.time_zone)
    member = getattr(opening.user, "staff_member", None)
    audit_query = urlencode({"action": "break_glass", "patient": str(patient.pk)})
    return {
        "opener": member.display_name if member else opening.user.get_username(),
        "username": opening.user.get_username(),
        "role": member.get_role_display() if member else "",
        "their_clinics": ", ".join(c.name for c in member.clinics.all()) if member else "",
        "patient_id": patient.pk,
        "initials": initials(patient.first_name, patient.last_name),
        "clinic": clinic,
        "opened_at": opening.opened_at.astimezone(zone),
        "expires_at": opening.expires_at.astimezone(zone),
        "category": opening.get_category_display(),
        "openings_url": links.absolute(reverse("breakglass:openings")),
        "audit_url": links.absolute(reverse("audit:report") + "?" + audit_query),
    }


def queue_manager_emails(opening: BreakGlassAccess, now: dt.datetime) -> list[OutboxEmail]:
    """Outbox rows in the caller's transaction; the worker sends them once it commits."""
    clinic = opening.patient.preferred_clinic
    context = _context(opening)
    subject = f"Emergency access to a patient record at {clinic.name}"
    body = render_to_string("breakglass/email/opened.txt", context)
    rows = [
        OutboxEmail(
            key=f"{KIND}:{opening.pk}:{number}",
            kind=KIND,
            clinic=clinic,
            to=address,
            subject=subject,
            body=body,
            send_after=now,
        )
        for number, address in enumerate(managers_to_tell(clinic))
    ]
    if not rows:
        return []
    written = OutboxEmail.objects.bulk_create(rows)
    tasks.schedule_new(written)
    return written
