"""The auditors' report: /audit/ (filters, sort, pages) and /audit/export.csv."""

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.views.decorators.http import require_safe

from unknot.accounts.access import staff_only
from unknot.audit import export, selectors
from unknot.audit.forms import ReportFilterForm
from unknot.audit.models import Action
from unknot.audit.services import record

EXPORT_CHUNK = 2000


@require_safe
@staff_only(selectors.REPORT_ROLES)
def report(request: HttpRequest) -> HttpResponse:
    form = ReportFilterForm(request.GET)
    sort = selectors.chosen_sort(request.GET.get("sort"))
    context = {"form": form, "sort": sort, "page": None}
    if not form.is_valid():
        return render(request, "audit/report.html", context, status=400)
    wanted = form.cleaned_data
    events = selectors.filtered(selectors.events_visible_to(request.user), wanted)
    page = selectors.page_of(events, sort, after=wanted["after"], before=wanted["before"])
    clinics = selectors.clinics_by_id(request.user)
    context["page"] = page
    # (event, its clinic or None): the clinic names the row and gives its time's zone.
    context["rows"] = [
        (event, clinics.get(event.clinic_id) if event.clinic_id is not None else None)
        for event in page.rows
    ]
    return render(request, "audit/report.html", context)


@require_safe
@staff_only(selectors.REPORT_ROLES)
def export_csv(request: HttpRequest) -> HttpResponseBase:
    form = ReportFilterForm(request.GET)
    if not form.is_valid():
        problems = "; ".join(str(m) for errors in form.errors.values() for m in errors)
        return HttpResponse(f"Nothing exported: {problems}", status=400, content_type="text/plain")
    rows = selectors.report_rows(request.user, form.cleaned_data, request.GET.get("sort", ""))
    # The export is itself an event, appended before a single row leaves.
    record(Action.EXPORT, object_type="audit_report", reason="csv")
    response = StreamingHttpResponse(
        export.lines(rows.iterator(chunk_size=EXPORT_CHUNK)), content_type="text/csv"
    )
    response["Content-Disposition"] = 'attachment; filename="audit-trail.csv"'
    response["Cache-Control"] = "no-store"
    return response
