"""A clinic's waitlist for staff: who waits in queue order, open offers, filled times; adding
(from the list or a patient's page) and removing; outsiders and read-only roles kept out."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.audit.support import client_for, events
from tests.calendar import NOW, Calendar
from tests.clock import stopped_at
from tests.waitlist.support import booked_then_cancelled, join, offered
from unknot.waitlist import offers
from unknot.waitlist.models import EntryStatus, WaitlistEntry

pytestmark = pytest.mark.django_db

ADD = {
    "weekdays": ["0", "1", "2", "3", "4"],
    "time_of_day": "morning",
    "first_day": "2031-03-03",
    "last_day": "2031-03-31",
}


@pytest.fixture(autouse=True)
def _clock(monkeypatch: pytest.MonkeyPatch) -> None:
    stopped_at(NOW, monkeypatch)


def waitlist_url(cal: Calendar) -> str:
    return reverse("staffarea:clinic_waitlist", args=[cal.cast.clinic_a.slug])


def test_the_list_shows_the_queue_offers_and_filled_times(calendar: Calendar) -> None:
    first = join(calendar, calendar.cast.patient_p)
    second = join(calendar, at=NOW + dt.timedelta(minutes=1))
    third = join(calendar, at=NOW + dt.timedelta(minutes=2), kind=calendar.evaluation_a)
    morning = offered(booked_then_cancelled(calendar, "10:00"))
    offered(booked_then_cancelled(calendar, "14:00"))
    assert morning is not None
    offers.offer_accept(offer_id=morning.offers.get(entry=second).pk, now=NOW)  # filled
    page = client_for(calendar.cast.front_desk_a).get(waitlist_url(calendar)).content.decode()
    assert page.index(first.patient.full_name) < page.index(third.patient.full_name)
    assert "Waiting, first joined first (2)" in page  # the second was booked
    assert "Mar 5, 2031, 10:00 AM EST, Follow-up" in page  # filled
    assert "runs until Mar 3, 2031, 9:00 AM EST" in page  # 14:00 offered, two hours from 7:00
    assert events(object_type="waitlist", reason="list")


def test_the_front_desk_adds_a_patient_from_the_patients_page(calendar: Calendar) -> None:
    client = client_for(calendar.cast.front_desk_a)
    patient_page = client.get(
        reverse("staffarea:patient_detail", args=[calendar.cast.patient_p.pk])
    )
    add_url = reverse("staffarea:waitlist_add", args=["clinic-a"])
    add_url += f"?patient={calendar.cast.patient_p.pk}"
    assert add_url in patient_page.content.decode().replace("&amp;", "&")
    form = client.get(add_url).content.decode()
    chosen = form[form.index(f'name="patient" value="{calendar.cast.patient_p.pk}"') :]
    assert "checked" in chosen[: chosen.index(">")]  # the patient named by the link, chosen
    data = ADD | {
        "patient": calendar.cast.patient_p.pk,
        "appointment_type": calendar.follow_up_a.pk,
    }
    response = client.post(add_url, data)
    assert response.status_code == 302 and response["Location"] == waitlist_url(calendar)
    entry = WaitlistEntry.objects.get()
    assert entry.added_by == calendar.cast.front_desk_a and entry.time_of_day == "morning"


def test_the_desk_finds_the_patient_to_add_among_the_clinics_own(calendar: Calendar) -> None:
    """No list of every patient: the desk's words find them, among the clinic's patients."""
    client = client_for(calendar.cast.front_desk_a)
    add_url = reverse("staffarea:waitlist_add", args=["clinic-a"])
    assert "Penny Parker" not in client.get(add_url).content.decode()
    typed = ADD | {"find": "parker", "find_patient": "1"}
    page = client.post(add_url, typed).content.decode()
    assert f'name="patient" value="{calendar.cast.patient_p.pk}"' in page
    assert "errorlist" not in page and not WaitlistEntry.objects.exists()
    other_clinics = client.post(add_url, typed | {"find": "quill"}).content.decode()
    assert "No patient of yours matches" in other_clinics


@pytest.mark.parametrize("hostile", ["abc", "-1", "1' OR '1'='1", "9" * 30])
def test_a_hostile_patient_in_the_address_is_ignored(calendar: Calendar, hostile: str) -> None:
    client = client_for(calendar.cast.front_desk_a)
    response = client.get(
        reverse("staffarea:waitlist_add", args=["clinic-a"]), {"patient": hostile}
    )
    assert response.status_code == 200


def test_a_patient_of_another_clinic_cannot_be_added(calendar: Calendar) -> None:
    client = client_for(calendar.cast.front_desk_a)
    data = ADD | {
        "patient": calendar.cast.patient_q.pk,
        "appointment_type": calendar.follow_up_a.pk,
    }
    response = client.post(reverse("staffarea:waitlist_add", args=["clinic-a"]), data)
    assert response.status_code == 200 and b"Select a valid choice" in response.content
    assert not WaitlistEntry.objects.exists()


def test_removing_takes_the_entry_off(calendar: Calendar) -> None:
    entry = join(calendar, calendar.cast.patient_p)
    client = client_for(calendar.cast.front_desk_a)
    response = client.post(reverse("staffarea:waitlist_remove", args=[entry.pk]))
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.status == EntryStatus.LEFT
    again = client.post(reverse("staffarea:waitlist_remove", args=[entry.pk]), follow=True)
    assert b"no longer waiting" in again.content


@pytest.mark.parametrize(
    ("who", "status"), [("therapist_b", 404), ("auditor", 403), ("patient_q", 403)]
)
def test_outsiders_and_readers_cannot_remove(calendar: Calendar, who: str, status: int) -> None:
    entry = join(calendar, calendar.cast.patient_p)
    client = client_for(calendar.cast.users[who])
    assert client.post(reverse("staffarea:waitlist_remove", args=[entry.pk])).status_code == status
    entry.refresh_from_db()
    assert entry.status == EntryStatus.WAITING


def test_another_clinics_staff_never_see_the_list(calendar: Calendar) -> None:
    join(calendar, calendar.cast.patient_p)
    client = client_for(calendar.cast.therapist_b)
    assert client.get(waitlist_url(calendar)).status_code == 404
    home = client.get(reverse("staffarea:dashboard")).content.decode()
    assert calendar.cast.patient_p.full_name not in home


def test_the_auditor_reads_without_buttons(calendar: Calendar) -> None:
    join(calendar, calendar.cast.patient_p)
    page = client_for(calendar.cast.auditor).get(waitlist_url(calendar)).content.decode()
    assert calendar.cast.patient_p.full_name in page and "Remove" not in page
