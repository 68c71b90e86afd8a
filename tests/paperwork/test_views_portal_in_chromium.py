"""Signing in a real browser: the drawing pad appears with its script, what is drawn is kept
as a PNG with the signature, and the page passes axe. (Without the script the pad stays
hidden and the typed name signs alone: test_views_portal.py.)"""

from typing import Any

import pytest

from tests.factories import PASSWORD
from tests.personas import make_cast
from unknot.paperwork.models import Signature

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TABLET = {"width": 820, "height": 1180}


def test_the_patient_draws_a_signature_and_signs(
    browser: Any, live_server: Any, axe_check: Any
) -> None:
    cast = make_cast()
    page = browser.new_page(viewport=TABLET)
    page.goto(f"{live_server.url}/accounts/login/?next=/portal/")
    page.get_by_label("Username").fill(cast.patient_p.user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/portal/")
    page.get_by_role("link", name="Consent to treat").click()
    canvas = page.locator("canvas")
    canvas.wait_for(state="visible")  # the sign page has loaded and its script shown the pad
    box = canvas.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + 20, box["y"] + 20)
    page.mouse.down()
    page.mouse.move(box["x"] + 160, box["y"] + 70, steps=8)
    page.mouse.up()
    page.get_by_label("I have read this form and agree to it.").check()
    page.get_by_label("Type your full name to sign").fill("Penny Parker")
    axe_check(page, "signing a form")
    page.get_by_role("button", name="Sign", exact=True).click()
    page.wait_for_url("**/portal/forms/")
    assert "Thank you: you signed the Consent to treat." in page.locator("main").inner_text()
    signature = Signature.objects.get()
    assert signature.drawn_signature.startswith("data:image/png;base64,iVBORw0KGgo")
