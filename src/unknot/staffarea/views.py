"""The staff area's own pages: each role's home (the first page after sign-in) and a clinic's
overview. A domain's staff pages live with their domain (patients, booking, plans, ...) and are
mounted in this URL space."""

import csv
import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from unknot.accounts.access import SignedInRequest, may_write, staff_only, staff_role
from unknot.accounts.roles import ALL_STAFF_ROLES, MANAGING_ROLES, Role
from unknot.clinics.models import Clinic
from unknot.clinics.selectors import clinics_visible_to, get_clinic_for, staff_at
from unknot.common.replica import replica_reads
from unknot.patients.selectors import search_patients
from unknot.patients.views_staff import PAGE_SIZE
from unknot.staffarea import practice, practice_view
from unknot.staffarea.forms import PeriodForm
from unknot.staffarea.front_desk import front_desk_day
from unknot.staffarea.my_day import my_day


@require_safe
@staff_only(ALL_STAFF_ROLES)  # the biller too
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
        "can_write": may_write(request.user),
    }
    return render(request, "staffarea/homes/front_desk.html", context)


def _biller_home(request: SignedInRequest) -> HttpResponse:
    """For now the billing work to come and the pages a biller may read (docs/billing.md)."""
    context = {"clinics": clinics_visible_to(request.user)}
    return render(request, "staffarea/homes/biller.html", context)


@replica_reads  # the practice dashboard
def _manager_home(request: SignedInRequest) -> HttpResponse:
    return _practice_page(request, PeriodForm(clinics=clinics_visible_to(request.user)))


@require_safe
@staff_only(MANAGING_ROLES)
@replica_reads
def practice_dashboard(request: SignedInRequest) -> HttpResponse:
    """The figures over the period and clinic chosen in the form (a GET: it changes nothing)."""
    form = PeriodForm(request.GET or None, clinics=clinics_visible_to(request.user))
    return _practice_page(request, form)


@require_safe
@staff_only(MANAGING_ROLES)
@replica_reads
def practice_csv(request: SignedInRequest) -> HttpResponse:
    form = PeriodForm(request.GET or None, clinics=clinics_visible_to(request.user))
    board = _board(request, form)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="practice-figures.csv"'
    writer = csv.writer(response)
    writer.writerow(("period", board.period.first.isoformat(), board.period.last.isoformat()))
    writer.writerow(practice.CSV_HEADER)
    writer.writerows(practice.csv_rows(board))
    return response


def _board(request: SignedInRequest, form: PeriodForm) -> practice.Dashboard:
    """The chosen period and clinic, or this month so far at every clinic of the manager's
    when nothing (or nothing valid) was chosen."""
    clinics = list(clinics_visible_to(request.user).order_by("name"))
    period = _this_month(clinics)
    if form.is_bound and form.is_valid():
        period = practice.Period(form.cleaned_data["first"], form.cleaned_data["last"])
        chosen = form.cleaned_data["clinic"]
        clinics = [chosen] if chosen is not None else clinics
    return practice.dashboard(request.user, period, clinics)


def _this_month(clinics: list[Clinic]) -> practice.Period:
    zone = ZoneInfo(clinics[0].time_zone) if clinics else dt.UTC
    today = timezone.now().astimezone(zone).date()
    return practice.Period(today.replace(day=1), today)


def _practice_page(request: SignedInRequest, form: PeriodForm) -> HttpResponse:
    board = _board(request, form)
    if not form.is_bound:
        form = PeriodForm(
            initial={"first": board.period.first, "last": board.period.last},
            clinics=clinics_visible_to(request.user),
        )
    context = {
        "form": form,
        "board": board,
        "query": request.GET.urlencode(),
        "clinics": clinics_visible_to(request.user),
        **practice_view.context(board),
    }
    return render(request, "staffarea/homes/practice.html", context)


HOMES: dict[str, Callable[[SignedInRequest], HttpResponse]] = {
    Role.THERAPIST: _therapist_home,
    Role.FRONT_DESK: _front_desk_home,
    Role.BILLER: _biller_home,
    Role.MANAGER: _manager_home,
    Role.OWNER: _manager_home,
}


@require_safe
@staff_only(ALL_STAFF_ROLES)  # the biller too
def clinic_detail(request: HttpRequest, slug: str) -> HttpResponse:
    clinic = get_clinic_for(request.user, slug)
    patients = search_patients(request.user, "").filter(preferred_clinic=clinic)[:PAGE_SIZE]
    context = {"clinic": clinic, "staff": staff_at(clinic), "patients": patients}
    return render(request, "staffarea/clinic_detail.html", context)
