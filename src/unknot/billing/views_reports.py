"""The billing office's reports (docs/billing.md, "Reports"), each a page and, with
`?format=csv`, a CSV download of the same rows. Mounted at /staff/ in the namespace
"staffarea"; read by the billing office only (`BILLING_ROLES`), each at their own clinics.

The period, clinic, therapist and payer come from the query string (a GET changes nothing);
a choice that is not valid is said on the page, and no figures are shown until it is put
right. The CSV carries labels, money as plain decimals and dates as MM/DD/YYYY, every cell
through `common.spreadsheets` (safe against formula injection)."""

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from unknot.accounts.access import SignedInRequest, staff_only
from unknot.accounts.roles import BILLING_ROLES
from unknot.billing import ledger, reports
from unknot.billing.forms_reports import KxForm, ReportForm, TotalsForm, scope_of
from unknot.clinics import times
from unknot.clinics.models import Clinic
from unknot.common.replica import replica_reads
from unknot.common.spreadsheets import csv_download
from unknot.coverage.authorisations import AuthorisationUse

BILLING_OFFICE = [str(role) for role in BILLING_ROLES]
# A page lists this many patients' balances at most (the largest); the CSV lists them all.
PATIENTS_SHOWN = 25
# The KX page lists this many patients at most, those with the largest amounts (nearest the
# threshold or furthest past it); the CSV lists them all.
KX_SHOWN = 25
REPORTS = (
    ("staffarea:report_totals", "Charges, payments and adjustments",
     "Totals for a period by month, clinic, therapist or payer."),
    ("staffarea:report_balances", "Outstanding balances",
     "What each patient and payer still owes, by age."),
    ("staffarea:report_kx", "Medicare KX threshold",
     "Medicare patients near or past the year's therapy threshold, with their running total."),
    ("staffarea:report_authorisations", "Visits per authorization",
     "Authorized, attended, booked and remaining visits; those running out."),
)  # fmt: skip


def _today(clinics: Sequence[Clinic]) -> dt.date:
    """Today at the reader's first clinic (the day the month and the ageing are counted to)."""
    return times.clinic_day(timezone.now(), clinics[0]) if clinics else timezone.localdate()


def _chosen(
    request: SignedInRequest, kind: type[ReportForm] = ReportForm
) -> tuple[Any, Any, dt.date]:
    """The form, the scope it chose (None when something is not valid) and today. A period
    not given is this month so far."""
    clinics = list(reports.clinics_for(request.user))
    today = _today(clinics)
    initial = {"first": today.replace(day=1), "last": today}
    query = request.GET.copy()
    for name, day in initial.items():
        if not query.get(name):
            query[name] = f"{day:%m/%d/%Y}"
    form = kind(query, user=request.user)
    return form, scope_of(form, clinics) if form.is_valid() else None, today


def _page(
    request: SignedInRequest, template: str, form: ReportForm, **context: Any
) -> HttpResponse:
    query = request.GET.copy()
    query["format"] = "csv"
    context |= {"form": form, "csv_query": query.urlencode(), "reports": REPORTS}
    return render(request, f"billing/staff/reports/{template}", context)


def _wants_csv(request: SignedInRequest) -> bool:
    return request.GET.get("format") == "csv"


def _us(day: dt.date) -> str:
    return f"{day:%m/%d/%Y}"


def _filename(report: str, scope: reports.Scope) -> str:
    return f"{report}-{scope.first.isoformat()}-{scope.last.isoformat()}.csv"


@require_safe
@staff_only(BILLING_OFFICE)
def report_list(request: SignedInRequest) -> HttpResponse:
    return render(request, "billing/staff/reports/list.html", {"reports": REPORTS})


@require_safe
@staff_only(BILLING_OFFICE)
@replica_reads
def report_totals(request: SignedInRequest) -> HttpResponse:
    form, scope, _ = _chosen(request, TotalsForm)
    if scope is None:
        return _page(request, "totals.html", form)
    report = reports.totals(request.user, scope, form.cleaned_data["group_by"])
    if _wants_csv(request):
        return csv_download(
            _filename("totals", scope),
            [report.dimension.label, "Charges", "Payments", "Adjustments"],
            [(row.label, row.charges, row.payments, row.adjustments)
             for row in [*report.rows, report.total]],
        )  # fmt: skip
    return _page(request, "totals.html", form, scope=scope, report=report)


@require_safe
@staff_only(BILLING_OFFICE)
@replica_reads
def report_balances(request: SignedInRequest) -> HttpResponse:
    form, scope, _ = _chosen(request)
    if scope is None:
        return _page(request, "balances.html", form)
    if _wants_csv(request):
        report = reports.balances(request.user, scope)
        return csv_download(
            _filename("balances", scope), ["Owed by", "Patient or payer", *ledger.BUCKETS, "Total"],
            _balance_rows(report),
        )  # fmt: skip
    report = reports.balances(request.user, scope, patients=PATIENTS_SHOWN)
    return _page(
        request, "balances.html", form, scope=scope, report=report, buckets=ledger.BUCKETS,
        patients=report.by_patient,
        patients_left_out=report.patients_owing - len(report.by_patient),
    )  # fmt: skip


def _balance_rows(report: reports.Balances) -> Iterator[Sequence[Any]]:
    for row in report.by_patient:
        yield (row.label, "Patient", *row.buckets, row.total)
    for row in report.by_payer:
        yield (row.label, "Payer", *row.buckets, row.total)
    yield ("All payers", "Total", *report.totals, report.total)


@require_safe
@staff_only(BILLING_OFFICE)
@replica_reads
def report_kx(request: SignedInRequest) -> HttpResponse:
    form, scope, _ = _chosen(request, KxForm)
    if scope is None:
        return _page(request, "kx.html", form)
    report = reports.kx_patients(request.user, scope, every=form.cleaned_data["every"])
    if _wants_csv(request):
        return csv_download(
            _filename("kx-threshold", scope),
            ["Patient", "Year", f"Medicare amount to {_us(report.as_of)}", "Threshold",
             "Share of threshold (%)", "Standing"],
            [(row.name, report.year, row.amount, row.threshold, row.share, row.standing)
             for row in report.rows],
        )  # fmt: skip
    near = int(reports.KX_NEAR_SHARE * 100)
    rows = report.rows[:KX_SHOWN]  # the report's order: the largest amounts first
    return _page(
        request, "kx.html", form, scope=scope, report=report, near=near, rows=rows,
        rows_left_out=len(report.rows) - len(rows),
    )  # fmt: skip


@require_safe
@staff_only(BILLING_OFFICE)
@replica_reads
def report_authorisations(request: SignedInRequest) -> HttpResponse:
    form, scope, today = _chosen(request)
    if scope is None:
        return _page(request, "authorisations.html", form)
    report = reports.authorisations(request.user, scope, today)
    rows = [(use, report.running_out(use)) for use in report.uses]
    if _wants_csv(request):
        return csv_download(
            _filename("authorizations", scope),
            ["Patient", "Payer", "Authorization number", "Counts", "Covers", "First day",
             "Last day", "Authorized", "Attended", "Booked", "No-shows counted", "Remaining",
             "Running out"],
            [_authorisation_row(use, out) for use, out in rows],
        )  # fmt: skip
    return _page(request, "authorisations.html", form, scope=scope, rows=rows)


def _authorisation_row(use: AuthorisationUse, running_out: bool) -> Sequence[Any]:
    row = use.authorisation
    patient = row.coverage.patient
    return (
        f"{patient.last_name}, {patient.first_name}", row.coverage.payer.name, row.reference,
        row.get_unit_display(), use.covers, _us(row.start_date), _us(row.end_date),
        row.authorised, use.usage.attended, use.usage.booked, use.usage.no_shows, use.left,
        "Yes" if running_out else "No",
    )  # fmt: skip
