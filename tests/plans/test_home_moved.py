"""The home programme moved from /care/ to /home-programme/: every old link still arrives."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.personas import Cast
from unknot.plans.home.moved import new_path


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("home", "/home-programme/"),
        ("home/", "/home-programme/"),
        ("home/log/", "/home-programme/log/"),
        ("home/handout.pdf", "/home-programme/handout.pdf"),
        ("progress/", "/home-programme/progress/"),
        ("learn/lifting/", "/home-programme/learn/lifting/"),
        ("episodes/7/report/", "/home-programme/episodes/7/report/"),
        ("homework/", "/home-programme/homework/"),
    ],
)
def test_each_old_path_has_its_new_address(old: str, new: str) -> None:
    assert new_path(old) == new


def test_an_old_link_lands_on_the_new_page_with_its_query(cast: Cast) -> None:
    client = Client()
    client.force_login(cast.patient_p.user)
    answer = client.get("/care/home/log/?day=2026-12-01")
    assert answer.status_code == 308
    assert answer["Location"] == "/home-programme/log/?day=2026-12-01"
    assert answer["Location"].startswith(reverse("home_programme:log"))


def test_a_posted_form_keeps_its_method() -> None:
    answer = Client().post("/care/episodes/3/adherence/comment/", {"comment": "x"})
    assert answer.status_code == 308  # the browser posts again to the new address


def test_the_new_page_still_applies_its_own_rule() -> None:
    answer = Client().get("/care/progress/", follow=True)
    assert answer.redirect_chain[0] == ("/home-programme/progress/", 308)
    assert reverse("accounts:login") in answer.redirect_chain[-1][0]
