"""Reads the API needs beyond the apps' own selectors; each takes the acting user."""

from django.db.models import Q, QuerySet

from unknot.accounts.models import AnyUser
from unknot.booking.models import AppointmentType, OnlineBooking
from unknot.clinics.selectors import clinics_visible_to


def types_visible_to(user: AnyUser) -> QuerySet[AppointmentType]:
    """What the website shows: every clinic's online types, and to staff all their clinics'."""
    return (
        AppointmentType.objects.filter(is_active=True)
        .filter(
            Q(online_booking=OnlineBooking.NEW_PATIENTS) | Q(clinic__in=clinics_visible_to(user))
        )
        .select_related("clinic")
        .distinct()
    )
