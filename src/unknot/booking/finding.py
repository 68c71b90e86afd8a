"""Finding the patient on a staff form: the desk types a name, a birth date or a phone and
presses "Find"; the form then offers the matches (and the patient already chosen, or named by
the link that opened the page), never every patient (a chain's clinics have tens of thousands).
The forms: `forms_staff.FindsPatient` and those built on it (booking, series, waitlist)."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.http import HttpRequest

from unknot.accounts.access import SignedInRequest
from unknot.booking.forms_staff import FIND_MAX, SHOWN_MATCHES, FindsPatient
from unknot.patients.models import Patient
from unknot.patients.selectors import patients_visible_to, search_patients


def finder_form(
    request: SignedInRequest,
    make: Callable[..., FindsPatient],
    patients: QuerySet[Patient],
    initial: dict[str, Any],
) -> tuple[Any, bool]:
    """The page's form (`make(data, patients=..., initial=...)`), and whether this request only
    pressed "Find": then what was typed so far stays, with no errors yet."""
    if request.method == "POST" and "find_patient" in request.POST:
        return make(None, patients=patients, initial=kept(request, make)), True
    return make(request.POST or None, patients=patients, initial=initial), False


def show_found(
    request: SignedInRequest, form: FindsPatient, patients: QuerySet[Patient] | None = None
) -> bool:
    """Offers the patients the typed words find (and the one chosen) among `patients` (by
    default all the user may see); whether words were typed."""
    words = request.POST.get("find", "")[:FIND_MAX].strip()
    chosen = request.POST.get("patient", "")
    form.show_patients(patient_choices(request, words, chosen=chosen, among=patients))
    return bool(words)


def kept(request: HttpRequest, make: Any) -> dict[str, Any]:
    """The fields typed before "Find" was pressed, to show them again."""
    typed: dict[str, Any] = {}
    for name, field in _form_class(make).base_fields.items():
        if name == "find" or not request.POST.get(name):
            continue
        many = isinstance(field, forms.MultipleChoiceField)
        typed[name] = request.POST.getlist(name) if many else request.POST[name]
    return typed | {"find": request.POST.get("find", "")[:FIND_MAX]}


def _form_class(make: Any) -> type[FindsPatient]:
    """The form class behind `make` (the class itself, or a partial of it)."""
    return getattr(make, "func", make)


def patient_choices(
    request: SignedInRequest, words: str, *, chosen: str, among: QuerySet[Patient] | None = None
) -> QuerySet[Patient]:
    """The patients to choose from: those the words find, and the one already chosen (or
    named by the link that opened the page); nobody before a search."""
    named = [int(value) for value in (chosen, request.GET.get("patient", "")) if is_id(value)]
    wanted = Q(pk__in=named)
    if words:
        found = search_patients(request.user, words).values("pk")[:SHOWN_MATCHES]
        wanted |= Q(pk__in=found)
    patients = patients_visible_to(request.user) if among is None else among
    return patients.filter(wanted).order_by("last_name", "first_name")


def is_id(value: str) -> bool:
    """A database id as typed in a form or link: digits, short enough for the column."""
    return value.isdigit() and len(value) <= 9
