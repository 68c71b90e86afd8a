"""The public pages: the programme in our words, clinics with hours in their own zones."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse

from unknot.clinics import hours
from unknot.clinics.models import Closure, OpeningHours
from unknot.demo.load import load_demo


@pytest.fixture
def demo(db: None) -> None:
    load_demo()


def page(url: str) -> str:
    response = Client().get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_home_presents_the_whole_programme(demo: None) -> None:
    html = page(reverse("site:home")).lower()
    for topic in (
        "posture",
        "triggers",
        "manual therapy",
        "therapeutic exercise",
        "posture and movement training",
        "passive care",
        "active care",
        "prevent",
    ):
        assert topic in html, topic


def test_home_has_landmarks_and_a_skip_link(demo: None) -> None:
    html = page(reverse("site:home"))
    for landmark in ("<header", "<nav", "<main", "<footer", 'href="#main"'):
        assert landmark in html
    assert '<html lang="en">' in html


def test_no_page_refers_to_another_host(demo: None) -> None:
    for url in (
        reverse("site:home"),
        reverse("site:clinic_list"),
        reverse("site:clinic_detail", args=["harbour-street"]),
        reverse("accounts:login"),
    ):
        sources = re.findall(r'(?:src|href)="(https?:)?//', page(url))
        assert sources == [], url


def test_clinic_page_shows_therapists_hours_zone_and_booking(demo: None) -> None:
    html = page(reverse("site:clinic_detail", args=["harbour-street"]))
    assert "Maya Okafor" in html and "Tomas Lindqvist" in html
    assert "Priya Raman" not in html  # she works at Juniper Hill
    assert "America/New_York" in html
    assert "7:30 AM–12:00 PM, 1:00 PM–7:00 PM" in html
    assert reverse("site:book_start", args=["harbour-street"]) in html


def test_unknown_clinic_is_404(demo: None) -> None:
    assert Client().get(reverse("site:clinic_detail", args=["nowhere"])).status_code == 404


def test_open_now_is_judged_in_the_clinics_own_zone() -> None:
    rows = [OpeningHours(weekday=0, opens=dt.time(8), closes=dt.time(18))]
    monday_noon_utc = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)
    new_york = hours.local_now("America/New_York", monday_noon_utc)  # 07:00 local
    denver = hours.local_now("America/Denver", monday_noon_utc)  # 05:00 local
    berlin = hours.local_now("Europe/Berlin", monday_noon_utc)  # 13:00 local
    assert not hours.is_open_at(rows, [], new_york)
    assert not hours.is_open_at(rows, [], denver)
    assert hours.is_open_at(rows, [], berlin)


def test_open_now_respects_closures_and_dst() -> None:
    rows = [OpeningHours(weekday=6, opens=dt.time(8), closes=dt.time(18))]
    # 2026-03-08 is the US spring-forward Sunday: 13:30 UTC is 09:30 EDT (it would be 08:30 EST).
    local = hours.local_now("America/New_York", dt.datetime(2026, 3, 8, 13, 30, tzinfo=dt.UTC))
    assert local.hour == 9
    assert hours.is_open_at(rows, [], local)
    closed = Closure(start_date=dt.date(2026, 3, 8), end_date=dt.date(2026, 3, 8))
    assert not hours.is_open_at(rows, [closed], local)


def test_weekly_hours_lists_several_intervals_and_closed_days() -> None:
    rows = [
        OpeningHours(weekday=0, opens=dt.time(13), closes=dt.time(18)),
        OpeningHours(weekday=0, opens=dt.time(8), closes=dt.time(12)),
    ]
    week = hours.weekly_hours(rows, dt.date(2026, 11, 23))
    assert week[0].intervals == ("8:00 AM–12:00 PM", "1:00 PM–6:00 PM") and week[0].is_today
    assert week[6].intervals == ()
