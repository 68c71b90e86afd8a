"""Reads of clinics. Staff selectors take the acting user and return only their clinics."""

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from unknot.accounts.access import staff_user
from unknot.accounts.models import AnyUser
from unknot.accounts.roles import Role
from unknot.clinics.models import Clinic, StaffMember


def public_clinics() -> QuerySet[Clinic]:
    return Clinic.objects.prefetch_related("opening_hours")


def public_clinic(slug: str) -> Clinic:
    """A clinic's public page: opening hours, closures and therapists in one go."""
    therapists = StaffMember.objects.filter(role=Role.THERAPIST).select_related("user")
    clinic = (
        Clinic.objects.prefetch_related(
            "opening_hours",
            "closures",
            Prefetch("staff", queryset=therapists, to_attr="therapists"),
        )
        .filter(slug=slug)
        .first()
    )
    if clinic is None:
        raise Http404("No such clinic.")
    return clinic


def clinics_visible_to(user: AnyUser) -> QuerySet[Clinic]:
    """The clinics a member of staff works at (the owner: every clinic); nothing for anyone
    else."""
    staff = staff_user(user)
    if staff is None:
        return Clinic.objects.none()
    if staff.staff_member.role == Role.OWNER:  # one practice per installation: all of it
        return Clinic.objects.all()
    return Clinic.objects.filter(staff=staff.staff_member)


def get_clinic_for(user: AnyUser, slug: str) -> Clinic:
    """The access helper for clinics: 404 unless the user works there."""
    clinic = clinics_visible_to(user).filter(slug=slug).first()
    if clinic is None:
        raise Http404("No such clinic.")
    return clinic


def staff_at(clinic: Clinic) -> QuerySet[StaffMember]:
    return clinic.staff.select_related("user").order_by("role", "user__last_name")
