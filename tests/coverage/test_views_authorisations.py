"""The staff pages of authorisations: a patient's and a coverage's list (used, left, ends),
adding and editing; read-only roles, outsiders and patients kept out; the front desk's list
of authorisations running out on its home."""

import datetime as dt

import pytest
from django.urls import reverse

from tests import factories
from tests.audit.support import client_for, events
from tests.calendar import NOW, Calendar, local
from tests.clock import stopped_at
from tests.coverage.support import authorisation, coverage
from unknot.coverage.models import Authorisation

pytestmark = pytest.mark.django_db

FORM = {
    "reference": "AUTH-77",
    "unit": "visits",
    "authorised": "12",
    "start_date": "2031-03-01",
    "end_date": "2031-04-30",
    "covers": ["follow_up"],
    "note": "Called on 03/01",
}


@pytest.fixture(autouse=True)
def _clock(monkeypatch: pytest.MonkeyPatch) -> None:
    stopped_at(NOW, monkeypatch)


def book_follow_up(cal: Calendar, day: int) -> None:
    cast = cal.cast
    factories.booked_appointment(
        cal, patient=cast.patient_p, type=cal.follow_up_a, by=cast.front_desk_a,
        when=local(cast.clinic_a, dt.date(2031, 3, day), "10:00"), now=NOW,
    )  # fmt: skip


def test_the_patients_page_shows_used_left_and_ends(calendar: Calendar) -> None:
    cast = calendar.cast
    row = authorisation(cast.front_desk_a, coverage(cast.patient_p), note="Ask for more")
    book_follow_up(calendar, 10)
    url = reverse("staffarea:patient_authorisations", args=[cast.patient_p.pk])
    page = client_for(cast.front_desk_a).get(url).content.decode()
    assert "AUTH-1" in page and "Acme Health" in page and "Ask for more" in page
    # authorized, used, left (in bold: running out)
    assert "<td>3</td><td>1</td><td><strong>2</strong></td>" in "".join(page.split())
    assert "Mar 1, 2031 to Mar 31, 2031" in page and "Every kind of visit (visits)" in page
    assert reverse("staffarea:authorisation_edit", args=[row.pk]) in page
    assert events(object_type="patient", patient_id=cast.patient_p.pk)
    assert events(object_type="authorisation", reason="list", patient_id=cast.patient_p.pk)


def test_the_patients_staff_page_links_to_it(calendar: Calendar) -> None:
    cast = calendar.cast
    page = client_for(cast.therapist_a).get(
        reverse("staffarea:patient_detail", args=[cast.patient_p.pk])
    )
    assert reverse("staffarea:patient_authorisations", args=[cast.patient_p.pk]) in (
        page.content.decode()
    )


def test_readers_see_no_edit_links(calendar: Calendar) -> None:
    cast = calendar.cast
    row = authorisation(cast.front_desk_a, coverage(cast.patient_p))
    url = reverse("staffarea:coverage_authorisations", args=[row.coverage_id])
    for reader in (cast.therapist_a, cast.auditor):
        page = client_for(reader).get(url).content.decode()
        assert "AUTH-1" in page and "/edit/" not in page and "Add an authorization" not in page


def test_outsiders_and_patients_are_kept_out(calendar: Calendar) -> None:
    cast = calendar.cast
    desk_b = factories.staff("front_desk_b", "front_desk", [cast.clinic_b])
    row = authorisation(cast.front_desk_a, coverage(cast.patient_p))
    urls = [
        reverse("staffarea:patient_authorisations", args=[cast.patient_p.pk]),
        reverse("staffarea:coverage_authorisations", args=[row.coverage_id]),
        reverse("staffarea:authorisation_add", args=[row.coverage_id]),
        reverse("staffarea:authorisation_edit", args=[row.pk]),
    ]
    for url in urls:
        assert client_for(desk_b).get(url).status_code == 404
        assert client_for(cast.patient_p.user).get(url).status_code == 403
    assert client_for(desk_b).post(urls[3], FORM).status_code == 404
    assert Authorisation.objects.get().reference == "AUTH-1"


def test_the_front_desk_adds_one(calendar: Calendar) -> None:
    cast = calendar.cast
    covered = coverage(cast.patient_p)
    url = reverse("staffarea:authorisation_add", args=[covered.pk])
    response = client_for(cast.front_desk_a).post(url, FORM)
    assert response.status_code == 302
    assert response["Location"] == reverse("staffarea:coverage_authorisations", args=[covered.pk])
    row = Authorisation.objects.get()
    assert (row.reference, row.authorised, row.covers) == ("AUTH-77", 12, ["follow_up"])
    assert row.entered_by == cast.front_desk_a


@pytest.mark.parametrize("who", ["therapist_a", "auditor"])
def test_readers_may_not_add(calendar: Calendar, who: str) -> None:
    cast = calendar.cast
    url = reverse("staffarea:authorisation_add", args=[coverage(cast.patient_p).pk])
    assert client_for(cast.users[who]).post(url, FORM).status_code == 403
    assert not Authorisation.objects.exists()


def test_editing_saves_an_extension(calendar: Calendar) -> None:
    cast = calendar.cast
    row = authorisation(cast.front_desk_a, coverage(cast.patient_p))
    url = reverse("staffarea:authorisation_edit", args=[row.pk])
    form = client_for(cast.manager).get(url).content.decode()
    assert 'value="AUTH-1"' in form
    response = client_for(cast.manager).post(url, FORM | {"reference": "AUTH-1"})
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.authorised, row.end_date) == (12, dt.date(2031, 4, 30))


@pytest.mark.parametrize(
    ("bad", "words"),
    [
        ({"end_date": "2031-02-01"}, "The last day must not come before the first day."),
        ({"authorised": "0"}, "greater than or equal to 1"),
        ({"covers": ["massage"]}, "Select a valid choice"),
        ({"start_date": "3031-01-01"}, ""),
        ({"reference": "x" * 41}, "at most 40 characters"),
    ],
)
def test_bad_input_shows_the_form_again_and_changes_nothing(
    calendar: Calendar, bad: dict[str, object], words: str
) -> None:
    cast = calendar.cast
    row = authorisation(cast.front_desk_a, coverage(cast.patient_p))
    url = reverse("staffarea:authorisation_edit", args=[row.pk])
    response = client_for(cast.front_desk_a).post(url, FORM | bad)
    assert response.status_code == 200
    assert words in response.content.decode()
    row.refresh_from_db()
    assert (row.reference, row.authorised) == ("AUTH-1", 3)


def test_the_front_desk_home_lists_authorisations_running_out(calendar: Calendar) -> None:
    cast = calendar.cast
    row = authorisation(cast.front_desk_a, coverage(cast.patient_p), authorised=2)
    page = client_for(cast.front_desk_a).get(reverse("staffarea:dashboard")).content.decode()
    assert "Authorizations running out" in page
    assert reverse("staffarea:coverage_authorisations", args=[row.coverage_id]) in page
    assert "Acme Health (AUTH-1): 2 visits left, ends Mar 31, 2031" in page
    assert events(object_type="authorisation", reason="running_out", clinic_id=cast.clinic_a.pk)
