"""Reads of clinics. Staff selectors take the acting user and return only their clinics."""

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
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


# On a clinic read together with whether one user works there (`works_here`): that user's id
# and the answer, so that `works_at` asks no second query for the same request.
_WORKS_HERE = "_works_here_for"


def works_here(user: AnyUser, clinic_field: str = "clinic_id") -> Exists:
    """Whether `user` works at the clinic a row names, as an annotation for that row's own
    query: the same rule as `clinics_visible_to`, read in the same round trip."""
    return Exists(clinics_visible_to(user).filter(pk=OuterRef(clinic_field)))


def remember_works_here(clinic: Clinic, user: AnyUser, answer: bool) -> None:
    """Keeps a `works_here` answer on the clinic object it was read with."""
    setattr(clinic, _WORKS_HERE, (user.pk, answer))


def works_at(user: AnyUser, clinic: Clinic) -> bool:
    """Whether `clinic` is one of `clinics_visible_to(user)`: the answer read with the clinic
    when there is one for this very user (`works_here`), else one query."""
    known = getattr(clinic, _WORKS_HERE, None)
    if known is not None and known[0] == user.pk and user.pk is not None:
        return bool(known[1])
    return clinics_visible_to(user).filter(pk=clinic.pk).exists()


def get_clinic_for(user: AnyUser, slug: str) -> Clinic:
    """The access helper for clinics: 404 unless the user works there."""
    clinic = clinics_visible_to(user).filter(slug=slug).first()
    if clinic is None:
        raise Http404("No such clinic.")
    return clinic


def staff_at(clinic: Clinic) -> QuerySet[StaffMember]:
    return clinic.staff.select_related("user").order_by("role", "user__last_name")
