"""The patient's waitlist in the portal: their places, joining (once evaluated), leaving;
never another person's place."""

import pytest
from django.urls import reverse

from tests.audit.support import client_for
from tests.booking.test_portal_booking import completed_evaluation
from tests.calendar import NOW, Calendar
from tests.clock import stopped_at
from tests.waitlist.support import join
from unknot.waitlist.models import EntryStatus, WaitlistEntry

pytestmark = pytest.mark.django_db

JOIN = {
    "weekdays": ["0", "2"],
    "time_of_day": "between",
    "earliest": "08:30",
    "latest": "11:00",
    "first_day": "2031-03-03",
    "last_day": "2031-04-30",
}


@pytest.fixture(autouse=True)
def _clock(monkeypatch: pytest.MonkeyPatch) -> None:
    stopped_at(NOW, monkeypatch)


def test_an_evaluated_patient_joins_and_sees_their_place(calendar: Calendar) -> None:
    completed_evaluation(calendar)
    client = client_for(calendar.cast.patient_p.user)
    form = client.get(reverse("portal:waitlist_join"))
    assert form.status_code == 200 and b"Any therapist" in form.content
    response = client.post(
        reverse("portal:waitlist_join"), JOIN | {"appointment_type": calendar.follow_up_a.pk}
    )
    assert response.status_code == 302 and response["Location"] == reverse("portal:waitlist")
    page = client.get(reverse("portal:waitlist")).content.decode()
    assert "Monday, Wednesday" in page and "8:30 AM to 11:00 AM" in page
    assert "Mar 3, 2031 to Apr 30, 2031" in page


def test_the_join_form_offers_only_types_patients_book(calendar: Calendar) -> None:
    completed_evaluation(calendar)
    client = client_for(calendar.cast.patient_p.user)
    response = client.post(
        reverse("portal:waitlist_join"), JOIN | {"appointment_type": calendar.evaluation_a.pk}
    )
    assert response.status_code == 200 and b"Select a valid choice" in response.content
    assert not WaitlistEntry.objects.exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"weekdays": []}, "This field is required"),
        ({"latest": "08:00"}, "the earlier one first"),
        ({"last_day": "2031-03-01", "first_day": "2031-02-01"}, "today or a later day"),
        ({"first_day": "9999-12-31"}, "Please give a date"),
        ({"first_day": "2031-02-30"}, "Enter a valid date"),
        ({"weekdays": ["9"]}, "Select a valid choice"),
    ],
)
def test_bad_answers_are_shown_on_the_form(
    calendar: Calendar, change: dict[str, object], message: str
) -> None:
    completed_evaluation(calendar)
    client = client_for(calendar.cast.patient_p.user)
    data = JOIN | {"appointment_type": calendar.follow_up_a.pk} | change
    response = client.post(reverse("portal:waitlist_join"), data)
    assert response.status_code == 200 and message in response.content.decode()
    assert not WaitlistEntry.objects.exists()


def test_joining_twice_says_so(calendar: Calendar) -> None:
    completed_evaluation(calendar)
    client = client_for(calendar.cast.patient_p.user)
    data = JOIN | {"appointment_type": calendar.follow_up_a.pk}
    client.post(reverse("portal:waitlist_join"), data)
    again = client.post(reverse("portal:waitlist_join"), data)
    assert again.status_code == 200 and b"already on the waitlist" in again.content
    assert WaitlistEntry.objects.count() == 1


def test_without_an_evaluation_the_patient_is_sent_back(calendar: Calendar) -> None:
    client = client_for(calendar.cast.patient_p.user)
    response = client.get(reverse("portal:waitlist_join"), follow=True)
    assert b"once your evaluation is done" in response.content


def test_a_patient_leaves_their_own_place(calendar: Calendar) -> None:
    entry = join(calendar, calendar.cast.patient_p)
    client = client_for(calendar.cast.patient_p.user)
    response = client.post(reverse("portal:waitlist_leave", args=[entry.pk]))
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.status == EntryStatus.LEFT


def test_another_patients_place_is_404(calendar: Calendar) -> None:
    entry = join(calendar, calendar.cast.patient_p)
    client = client_for(calendar.cast.patient_q.user)
    assert client.post(reverse("portal:waitlist_leave", args=[entry.pk])).status_code == 404
    assert client.get(reverse("portal:waitlist")).content.count(b"Leave") == 0
    entry.refresh_from_db()
    assert entry.status == EntryStatus.WAITING


def test_staff_cannot_use_the_portal_pages(calendar: Calendar) -> None:
    entry = join(calendar, calendar.cast.patient_p)
    client = client_for(calendar.cast.front_desk_a)
    assert client.post(reverse("portal:waitlist_leave", args=[entry.pk])).status_code == 403
