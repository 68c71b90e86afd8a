"""The staff area's own pages: each role's home (the first page after sign-in) and a clinic's
overview. A domain's staff pages live with their domain (patients, booking, plans, ...) and are
mounted in this URL space."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from unknot.accounts.access import SignedInRequest, is_read_only, staff_only, staff_role
from unknot.accounts.roles import Role
from unknot.clinics.selectors import clinics_visible_to, get_clinic_for, staff_at
from unknot.patients.selectors import search_patients
from unknot.patients.views_staff import PAGE_SIZE
from unknot.staffarea.front_desk import front_desk_day
from unknot.staffarea.my_day import my_day


@require_safe
@staff_only()
def dashboard(request: SignedInRequest) -> HttpResponse:
    """The staff home: the role's own work first, then the links of the staff area."""
    home = HOMES.get(str(staff_role(request.user)), _links_home)
    return home(request)


def _links_home(request: SignedInRequest) -> HttpResponse:
    clinics = clinics_visible_to(request.user)
    return render(request, "staffarea/dashboard.html", {"clinics": clinics})


def _therapist_home(request: SignedInRequest) -> HttpResponse:
    therapist = request.user.staff_member
    context = {
        "my_day": my_day(request.user, therapist, timezone.now()),
        "clinics": clinics_visible_to(request.user),
    }
    return render(request, "staffarea/homes/therapist.html", context)


def _front_desk_home(request: SignedInRequest) -> HttpResponse:
    context = {
        "desk": front_desk_day(request.user, timezone.now()),
        "clinics": clinics_visible_to(request.user),
        "can_write": not is_read_only(request.user),
    }
    return render(request, "staffarea/homes/front_desk.html", context)


HOMES: dict[str, Callable[[SignedInRequest], HttpResponse]] = {
    Role.THERAPIST: _therapist_home,
    Role.FRONT_DESK: _front_desk_home,
}


@require_safe
@staff_only()
def clinic_detail(request: HttpRequest, slug: str) -> HttpResponse:
    clinic = get_clinic_for(request.user, slug)
    patients = search_patients(request.user, "").filter(preferred_clinic=clinic)[:PAGE_SIZE]
    context = {"clinic": clinic, "staff": staff_at(clinic), "patients": patients}
    return render(request, "staffarea/clinic_detail.html", context)
