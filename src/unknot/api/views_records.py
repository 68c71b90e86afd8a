"""Patients and their records: intakes, plans of care, visits, outcome scores, home logs.

Every row comes through the records' own selectors, which take the acting user: staff see
their clinics' patients, a patient only their own record, and anything else answers 404
exactly like an id that does not exist. Patients see what the portal shows them (intake,
signed plans, scores, their logs), not the therapists' visit notes or draft plans.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from unknot.accounts.access import signed_in_user, staff_role
from unknot.accounts.models import AnyUser
from unknot.api.access import api_rule
from unknot.api.querying import AllowListFilter, Pages, day, one_of, text, where, whole_number
from unknot.api.serializers import (
    IntakeOut,
    LogIn,
    LogOut,
    OutcomeOut,
    PatientOut,
    PatientPageOut,
    PatientSearchIn,
    PlanOut,
    VisitOut,
)
from unknot.api.views_base import ApiView, ListView, object_id
from unknot.patients.selectors import get_patient_for, patients_visible_to, search_patients
from unknot.plans.home import selectors as home
from unknot.plans.home import services as home_services
from unknot.plans.home.forms import ExerciseLogForm
from unknot.plans.models import ExerciseLog, LogStatus, PlanOfCare, PlanStatus
from unknot.plans.selectors import get_plan_for, get_visit_for
from unknot.records.models import (
    EpisodeStatus,
    Instrument,
    Intake,
    IntakeStatus,
    OutcomeScore,
    Visit,
)
from unknot.records.selectors import episodes_visible_to, get_episode_for

STAFF_AND_PATIENT = api_rule(staff=True, patients=True)
# The patients of the biller's clinics, as FHIR's Patient gives them; no clinical record.
DIRECTORY = api_rule(staff=True, biller=True, patients=True)
STAFF = api_rule(staff=True)
EPISODE_FILTERS = {
    "patient": where("episode__patient_id", whole_number, "A patient id."),
    "episode": where("episode_id", whole_number, "An episode id."),
    "clinic": where("episode__clinic__slug", text, "The clinic's slug."),
}
EPISODE_ROW = ("episode__patient", "episode__clinic")


def _in_visible_episodes(model: Any, user: AnyUser) -> QuerySet[Any]:
    """Rows of the episodes the user may see: the records' own rule (episodes_visible_to)."""
    return model.objects.filter(episode__in=episodes_visible_to(user)).select_related(*EPISODE_ROW)


def _one(rows: QuerySet[Any], raw_id: str, what: str, user: AnyUser) -> Any:
    """A row of a visible episode, confirmed (and recorded) by the episode's access helper."""
    found = rows.filter(pk=object_id(raw_id)).first()
    if found is None:
        raise Http404(f"No such {what}.")
    get_episode_for(user, found.episode_id)
    return found


def _is_patient(user: AnyUser) -> bool:
    return staff_role(user) is None


# --- patients --------------------------------------------------------------------------------


# A name or a date of birth identifies a person: in a URL it would be kept by server logs,
# proxies and browser history, so these travel in the body of POST patients/search/.
SEARCH_BY_POST = (
    "This identifies a person, so it may not travel in a URL: send it in the JSON body "
    "of POST /api/v1/patients/search/ instead."
)
PATIENT_FILTERS = {"clinic": where("preferred_clinic__slug", text, "Patients of this clinic.")}
PATIENT_SORTS = {"last_name": "last_name", "first_name": "first_name", "created": "created_at",
                 "date_of_birth": "date_of_birth"}  # fmt: skip


class PatientList(ListView):
    """Staff: the patients of their clinics. A patient: self. Searches: PatientSearch."""

    access_rule = DIRECTORY
    serializer_class = PatientOut
    filters = PATIENT_FILTERS
    identifying_parameters = dict.fromkeys(("q", "name", "date_of_birth"), SEARCH_BY_POST)
    sorts = PATIENT_SORTS
    default_sort = ("last_name", "first_name")

    def get_queryset(self) -> Any:
        return patients_visible_to(self.request.user).select_related("preferred_clinic")


class PatientSearch(ApiView):
    """Patients by name and date of birth, sent in the JSON body (never in the URL).

    The answer is a page like the list's; its `next` and `previous` carry only the
    cursor (opaque and signed: a row's id), and are followed by POSTing the same body.
    Same scoping as the list.
    """

    access_rule = DIRECTORY
    reads_by_post = True  # a POST here reads and changes nothing (see DeclaredAccess)
    search_in = PatientSearchIn  # the body
    serializer_class = PatientOut
    filter_backends = [AllowListFilter]
    pagination_class = Pages
    filters = PATIENT_FILTERS
    sorts = PATIENT_SORTS
    default_sort = ("last_name", "first_name")

    @extend_schema(operation_id="patients_search", request=PatientSearchIn,
                   responses={200: PatientPageOut})  # fmt: skip
    def post(self, request: Request) -> Response:
        wanted = self.search_in(data=request.data)
        wanted.is_valid(raise_exception=True)
        rows = self.filter_queryset(_patients_matching(request.user, **wanted.validated_data))
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(PatientOut(page, many=True).data)


def _patients_matching(user: AnyUser, name: str = "", date_of_birth: Any = None) -> QuerySet[Any]:
    rows = search_patients(user, name)  # the staff area's own search: the user's patients only
    return rows if date_of_birth is None else rows.filter(date_of_birth=date_of_birth)


class PatientDetail(ApiView):
    """One patient: staff of their clinic, or the patient themself."""

    access_rule = DIRECTORY
    serializer_class = PatientOut

    def get(self, request: Request, id: str) -> Response:
        return Response(PatientOut(get_patient_for(request.user, object_id(id))).data)


# --- intakes ---------------------------------------------------------------------------------


class IntakeList(ListView):
    """Intakes (what the person told us before the first visit)."""

    access_rule = STAFF_AND_PATIENT
    serializer_class = IntakeOut
    filters = EPISODE_FILTERS | {"status": where("status", one_of(IntakeStatus.values))}
    sorts = {"submitted_at": "submitted_at", "updated": "updated_at"}
    default_sort = ("-updated_at",)

    def get_queryset(self) -> Any:
        return _in_visible_episodes(Intake, self.request.user)


class IntakeDetail(ApiView):
    """One intake."""

    access_rule = STAFF_AND_PATIENT
    serializer_class = IntakeOut

    def get(self, request: Request, id: str) -> Response:
        found = _one(_in_visible_episodes(Intake, request.user), id, "intake", request.user)
        return Response(IntakeOut(found).data)


# --- plans of care ---------------------------------------------------------------------------


def _plans_for(user: AnyUser) -> QuerySet[PlanOfCare]:
    # The stored proposal (the care core's whole explained answer, tens of kilobytes a plan) is
    # not part of the API's plan: a page of plans need not read it.
    rows = _in_visible_episodes(PlanOfCare, user).defer("proposal")
    rows = rows.prefetch_related("goals", "home_exercises")
    if _is_patient(user):  # a draft is the therapist's work in progress, not yet the plan
        rows = rows.exclude(status=PlanStatus.DRAFT)
    return rows


class PlanList(ListView):
    """Plans of care with goals and home exercises; patients see signed plans only."""

    access_rule = STAFF_AND_PATIENT
    serializer_class = PlanOut
    # A plan carries its elements, each with the care core's reason and source (about 11 KB of
    # JSON a plan): 10 a page by default, so a page costs what a few plans do (page_size to 200).
    page_size = 10
    filters = EPISODE_FILTERS | {"status": where("status", one_of(PlanStatus.values))}
    sorts = {"version": "version", "signed_at": "signed_at"}
    default_sort = ("episode_id", "-version")

    def get_queryset(self) -> Any:
        return _plans_for(self.request.user)


class PlanDetail(ApiView):
    """One plan of care; patients see it once it is signed."""

    access_rule = STAFF_AND_PATIENT
    serializer_class = PlanOut

    def get(self, request: Request, id: str) -> Response:
        plan = get_plan_for(request.user, object_id(id))  # the chart's own access helper
        if _is_patient(request.user) and plan.status == PlanStatus.DRAFT:
            raise Http404("No such plan of care.")
        return Response(PlanOut(plan).data)


# --- visits (staff) --------------------------------------------------------------------------


def _visits_for(user: AnyUser) -> QuerySet[Visit]:
    return _in_visible_episodes(Visit, user).prefetch_related("interventions")


class VisitList(ListView):
    """Treatment visits (SOAP notes) for staff of the episode's clinic."""

    access_rule = STAFF
    serializer_class = VisitOut
    filters = EPISODE_FILTERS | {
        "from": where("performed_on__gte", day, "On or after this day."),
        "to": where("performed_on__lte", day, "On or before this day."),
    }
    sorts = {"performed_on": "performed_on", "number": "number"}
    default_sort = ("episode_id", "number")

    def get_queryset(self) -> Any:
        return _visits_for(self.request.user)


class VisitDetail(ApiView):
    """One treatment visit (staff)."""

    access_rule = STAFF
    serializer_class = VisitOut

    def get(self, request: Request, id: str) -> Response:
        visit = get_visit_for(request.user, object_id(id))  # the chart's own access helper
        return Response(VisitOut(_visits_for(request.user).get(pk=visit.pk)).data)


# --- outcome scores --------------------------------------------------------------------------


class OutcomeList(ListView):
    """Outcome scores (NPRS, ODI, PSFS, STarT Back, FABQ) as the care core scored them."""

    access_rule = STAFF_AND_PATIENT
    serializer_class = OutcomeOut
    filters = EPISODE_FILTERS | {
        "instrument": where("instrument", one_of(Instrument.values)),
        "from": where("measured_on__gte", day, "Measured on or after this day."),
        "to": where("measured_on__lte", day, "Measured on or before this day."),
    }
    sorts = {"measured_on": "measured_on", "instrument": "instrument", "value": "value"}
    default_sort = ("episode_id", "measured_on")

    def get_queryset(self) -> Any:
        return _in_visible_episodes(OutcomeScore, self.request.user)


class OutcomeDetail(ApiView):
    """One outcome score."""

    access_rule = STAFF_AND_PATIENT
    serializer_class = OutcomeOut

    def get(self, request: Request, id: str) -> Response:
        found = _one(
            _in_visible_episodes(OutcomeScore, request.user), id, "outcome score", request.user
        )
        return Response(OutcomeOut(found).data)


# --- home-programme logs ---------------------------------------------------------------------


class LogList(ListView):
    """GET: home sessions logged. POST: a patient logs a session of their current programme."""

    access_rule = api_rule(staff=True, patients=True, patients_write=True)
    serializer_class = LogOut
    filters = EPISODE_FILTERS | {
        "status": where("status", one_of(LogStatus.values)),
        "from": where("performed_on__gte", day, "On or after this day."),
        "to": where("performed_on__lte", day, "On or before this day."),
    }
    sorts = {"performed_on": "performed_on", "created": "created_at"}
    default_sort = ("-performed_on", "-pk")

    def get_queryset(self) -> Any:
        return _in_visible_episodes(ExerciseLog, self.request.user)

    @extend_schema(request=LogIn, responses={201: LogOut})
    def post(self, request: Request) -> Response:
        LogIn(data=request.data).is_valid(raise_exception=True)  # types first, then the rules
        episode = home.patient_episode(request.user)
        if episode is None or home.signed_plan(episode) is None:
            raise PermissionDenied("There is no current home programme to log a session for.")
        if episode.status != EpisodeStatus.OPEN:
            raise PermissionDenied("This course of care has ended; sessions can't be logged.")
        form = ExerciseLogForm(_form_data(request.data), today=home.clinic_today(episode))
        if not form.is_valid():  # the portal's own form: the 14-day window, pain when done
            raise ValidationError(
                {name: " ".join(str(m) for m in errors) for name, errors in form.errors.items()}
            )
        log = home_services.log_session(
            by=signed_in_user(request.user), episode=episode, **form.cleaned_data
        )
        return Response(LogOut(_in_visible_episodes(ExerciseLog, request.user).get(pk=log.pk)).data,
                        status=201)  # fmt: skip


def _form_data(data: Any) -> dict[str, str]:
    """The JSON body as the portal's form would receive it (strings; null as empty)."""
    fields = ("performed_on", "status", "pain_before", "pain_after", "note")
    return {name: "" if data.get(name) is None else str(data.get(name)) for name in fields}


class LogDetail(ApiView):
    """One logged home session."""

    access_rule = STAFF_AND_PATIENT
    serializer_class = LogOut

    def get(self, request: Request, id: str) -> Response:
        found = _one(
            _in_visible_episodes(ExerciseLog, request.user), id, "home session log", request.user
        )
        return Response(LogOut(found).data)
