"""The practice owner: a role of its own that runs every clinic of the practice, lands on the
practice dashboard at sign-in and sees the figures of clinics where nobody named them."""

import datetime as dt

import pytest
from django.urls import reverse

from tests import factories
from tests.audit.support import client_for
from tests.clock import stopped_at
from tests.personas import Cast
from unknot.accounts.roles import Role
from unknot.clinics.selectors import clinics_visible_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(cast: Cast) -> object:
    return factories.staff("olivia", Role.OWNER, [])


def test_the_owner_runs_every_clinic_without_being_named_at_one(cast: Cast, owner: object) -> None:
    assert set(clinics_visible_to(owner)) == {cast.clinic_a, cast.clinic_b}
    assert list(clinics_visible_to(cast.manager)) == [cast.clinic_a]  # a manager: their own


def test_the_owner_lands_on_the_dashboard_of_all_clinics(
    cast: Cast, owner: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    stopped_at(dt.datetime(2031, 3, 31, 20, tzinfo=dt.UTC), monkeypatch)
    response = client_for(owner).get(reverse("accounts:home"), follow=True)
    page = response.content.decode()
    assert "<h1>Practice dashboard</h1>" in page
    # both clinics are offered in the period form and counted in the figures
    assert page.count(cast.clinic_a.name) >= 2 and page.count(cast.clinic_b.name) >= 2


def test_the_owner_may_choose_a_clinic_a_manager_may_not(cast: Cast, owner: object) -> None:
    march_at_b = {"first": "2031-03-01", "last": "2031-03-31", "clinic": cast.clinic_b.pk}
    mine = client_for(owner).get(reverse("staffarea:practice_csv"), march_at_b)
    assert mine.status_code == 200 and cast.clinic_b.name in mine.content.decode()
    theirs = client_for(cast.manager).get(reverse("staffarea:practice"), march_at_b)
    assert "Select a valid choice" in theirs.content.decode()
