"""The public home page. The clinic pages, where booking starts, live in
`unknot.booking.views_clinics` and are mounted in this URL space."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from unknot.accounts.access import public
from unknot.clinics.selectors import public_clinics


@require_safe
@public
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "site/home.html", {"clinics": public_clinics()})
