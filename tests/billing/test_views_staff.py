"""The biller's pages: the review queue by clinic and date, a charge with its actions, the
correction form, the fee schedule; other roles and other clinics kept out, reads audited."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.audit.support import client_for, events
from tests.billing import support as s
from unknot.billing.models import Charge, ChargeCorrection, ChargeStatus, Fee


@pytest.fixture
def plan(cast):
    return s.medicare_world(cast)


@pytest.fixture
def biller(cast):
    return cast.biller_a


def queue(cast, **query):
    return reverse("staffarea:charge_queue", args=[cast.clinic_a.slug]) + (
        "?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else ""
    )


def detail(charge):
    return reverse("staffarea:charge_detail", args=[charge.pk])


def test_the_queue_shows_each_charge_with_lines_modifiers_kx_coverage_and_diagnosis(
    cast, plan, biller
):
    s.signed_visit(cast, plan)
    second = s.signed_visit(cast, plan)
    page = client_for(biller).get(queue(cast, day="2031-03-03")).content.decode()
    assert "Penny Parker, Mar 3, 2031" in page
    assert "97140" in page and "GP KX" in page and "$100.00" in page
    assert "$330.00 after this visit, threshold $300.00: past it, KX applies" in page
    assert "Medicare Part B (Primary, Medicare Part B), member id 1EG4TE5MK73" in page
    assert second.diagnosis_codes[0] in page
    assert events(object_type="charge_queue", reason="list", actor_id=biller.pk)


def test_the_queue_filters_by_date_and_state(cast, plan, biller):
    charge = s.signed_visit(cast, plan)
    client = client_for(biller)
    assert "Penny Parker" not in client.get(queue(cast, day="2031-03-04")).content.decode()
    assert "Penny Parker" not in client.get(queue(cast, status="held")).content.decode()
    Charge.objects.filter(pk=charge.pk).update(status=ChargeStatus.HELD, hold_reason="MD")
    assert "Penny Parker" in client.get(queue(cast, status="held")).content.decode()
    # A filter that is not a date or a state is ignored, never an error.
    assert client.get(queue(cast, day="yesterday", status="paid")).status_code == 200


def test_a_long_queue_shows_the_oldest_and_counts_the_rest(cast, plan, biller, monkeypatch):
    from unknot.billing import selectors

    monkeypatch.setattr(selectors, "SHOWN", 2)
    made = [s.signed_visit(cast, plan) for _ in range(3)]
    page = client_for(biller).get(queue(cast)).content.decode()
    assert "To review (3)" in page and "The 2 with the oldest visits" in page
    shown = re.findall(r'href="/staff/charges/(\d+)/"', page)
    assert [int(pk) for pk in shown] == [charge.pk for charge in made[:2]]


def test_a_lines_diagnosis_is_pointed_at_by_the_letters_of_the_diagnosis_list(cast, plan, biller):
    charge = s.signed_visit(cast, plan)
    pointers = charge.lines.first().diagnosis_pointers
    page = client_for(biller).get(detail(charge)).content.decode()
    assert '<dd><span class="code">A: ' in page  # the list: A, B, ...
    # Each line's diagnosis cell (after the modifiers) says the same letters, never 1, 2, ...
    letters = ", ".join("ABCD"[p - 1] for p in pointers)
    assert re.search(rf"<td>GP[ A-Z0-9]*</td><td>{letters}</td>", page), page
    assert not re.search(r"<td>GP[ A-Z0-9]*</td><td>\d", page)


def test_a_held_charge_says_why(cast, plan, biller):
    Fee.objects.filter(code="97140").delete()
    charge = s.signed_visit(cast, plan)
    page = client_for(biller).get(detail(charge)).content.decode()
    assert "On hold: No fee for 97140 in Alder Clinic&#x27;s fee schedule." in page
    assert "Release for review" in page
    assert events(object_type="charge", action="read", object_id=str(charge.pk))


def test_approving_from_the_page(cast, plan, biller):
    charge = s.signed_visit(cast, plan)
    response = client_for(biller).post(reverse("staffarea:charge_approve", args=[charge.pk]))
    assert response.status_code == 302
    assert Charge.objects.get(pk=charge.pk).status == ChargeStatus.APPROVED


def test_hold_without_a_reason_says_so_and_changes_nothing(cast, plan, biller):
    charge = s.signed_visit(cast, plan)
    client = client_for(biller)
    response = client.post(reverse("staffarea:charge_hold", args=[charge.pk]), {"reason": " "},
                           follow=True)  # fmt: skip
    assert "Please say why the charge is held." in response.content.decode()
    assert Charge.objects.get(pk=charge.pk).status == ChargeStatus.TO_REVIEW
    client.post(reverse("staffarea:charge_hold", args=[charge.pk]), {"reason": "MD to sign"})
    client.post(reverse("staffarea:charge_release", args=[charge.pk]))
    assert Charge.objects.get(pk=charge.pk).status == ChargeStatus.TO_REVIEW


def correction(charge, reason="Two units of manual therapy", **changes):
    data = {"line-TOTAL_FORMS": "4", "line-INITIAL_FORMS": "3", "line-MIN_NUM_FORMS": "0",
            "line-MAX_NUM_FORMS": "12", "diagnosis_codes": " ".join(charge.diagnosis_codes),
            "reason": reason}  # fmt: skip
    for n, line in enumerate(charge.lines.order_by("code")):
        data |= {f"line-{n}-code": line.code, f"line-{n}-units": str(line.units),
                 f"line-{n}-modifiers": " ".join(line.modifiers)}  # fmt: skip
    return data | changes


def test_correcting_from_the_page_keeps_the_before(cast, plan, biller):
    charge = s.signed_visit(cast, plan)
    url = reverse("staffarea:charge_correct", args=[charge.pk])
    client = client_for(biller)
    assert "97110" in client.get(url).content.decode()
    response = client.post(url, correction(charge, **{"line-2-units": "2", "line-3-code": "97112",
                                                       "line-3-units": "1"}))  # fmt: skip
    assert response.status_code == 302
    assert s.lines_of(Charge.objects.get(pk=charge.pk))[-2:] == [
        ("97112", 1, [], "55.00", "55.00"), ("97140", 2, ["GP"], "45.00", "90.00")]  # fmt: skip
    page = client.get(detail(charge)).content.decode()
    assert "Two units of manual therapy" in page and "97140 × 1 (GP)" in page


def test_a_correction_without_a_reason_is_shown_again(cast, plan, biller):
    charge = s.signed_visit(cast, plan)
    url = reverse("staffarea:charge_correct", args=[charge.pk])
    response = client_for(biller).post(url, correction(charge, reason="", **{"line-0-units": "3"}))
    assert response.status_code == 200
    assert "Please say why the charge is corrected." in response.content.decode()
    response = client_for(biller).post(url, correction(charge, **{"line-0-code": "97750"}))
    assert "No fee for 97750" in response.content.decode()
    assert not ChargeCorrection.objects.exists()


def test_the_fee_schedule_page(cast, biller):
    url = reverse("staffarea:fee_schedule", args=[cast.clinic_a.slug])
    client = client_for(biller)
    response = client.post(url, {"code": "97110", "amount": "$1,050.5"}, follow=True)
    assert "The fee for 97110 is now $1,050.50." in response.content.decode()
    assert "$1,050.50" in client.get(url).content.decode()
    response = client.post(url, {"code": "97110", "amount": "-3"})
    assert "A fee is from $0.00 to $99,999.99." in response.content.decode()
    assert Fee.objects.get(clinic=cast.clinic_a, code="97110").amount == Decimal("1050.50")
    assert events(object_type="fee_schedule", reason="list")


@pytest.mark.parametrize("who", ["therapist_a", "front_desk_a", "auditor"])
def test_other_roles_of_the_clinic_are_refused(cast, plan, who):
    charge = s.signed_visit(cast, plan)
    client = client_for(cast.users[who])
    assert client.get(detail(charge)).status_code == 403
    assert client.get(queue(cast)).status_code == 403
    assert client.post(reverse("staffarea:charge_approve", args=[charge.pk])).status_code == 403
    assert Charge.objects.get(pk=charge.pk).status == ChargeStatus.TO_REVIEW


def test_the_other_clinics_biller_finds_nothing(cast, plan):
    charge = s.signed_visit(cast, plan)
    outsider = client_for(s.biller(cast.clinic_b, "biller_b"))
    assert outsider.get(detail(charge)).status_code == 404
    assert outsider.get(queue(cast)).status_code == 404
    assert outsider.post(reverse("staffarea:charge_approve", args=[charge.pk])).status_code == 404
    fees = reverse("staffarea:fee_schedule", args=[cast.clinic_a.slug])
    assert outsider.post(fees, {"code": "97110", "amount": "1"}).status_code == 404
    assert Charge.objects.get(pk=charge.pk).status == ChargeStatus.TO_REVIEW
    assert Fee.objects.get(clinic=cast.clinic_a, code="97110").amount == Decimal("50.00")
    assert events(object_type="charge", outcome="denied", object_id=str(charge.pk))


def test_a_patient_is_refused(cast, plan):
    charge = s.signed_visit(cast, plan)
    assert client_for(cast.patient_p.user).get(detail(charge)).status_code == 403


def test_the_staff_home_links_the_billing_pages_for_billing_roles_only(cast, biller):
    queue_link = reverse("staffarea:charge_queue", args=[cast.clinic_a.slug])
    home = reverse("staffarea:dashboard")
    assert queue_link in client_for(biller).get(home).content.decode()
    assert queue_link in client_for(cast.manager).get(home).content.decode()
    assert queue_link not in client_for(cast.therapist_a).get(home).content.decode()


def test_emptying_a_lines_code_takes_it_off(cast, plan, biller):
    charge = s.signed_visit(cast, plan)
    url = reverse("staffarea:charge_correct", args=[charge.pk])
    client_for(biller).post(url, correction(charge, **{"line-0-code": ""}))
    assert [line.code for line in charge.lines.order_by("code")] == ["97110", "97140"]


def test_the_biller_sees_whether_the_note_includes_a_progress_report_not_the_note(
    cast, plan, biller
):
    reported = s.signed_visit(cast, plan, includes_progress_report=True,
                              subjective="Progress report: lifting 20 lb again")  # fmt: skip
    plain = s.signed_visit(cast, plan)
    client = client_for(biller)
    page = client.get(detail(reported)).content.decode()
    assert "<dt>Progress report</dt><dd>The visit note includes one</dd>" in page
    assert "lifting 20 lb" not in page  # the answer only, never the note's words
    other = client.get(detail(plain)).content.decode()
    assert "<dt>Progress report</dt><dd>Not in this visit's note</dd>" in other
    assert "The visit note includes one" in client.get(queue(cast)).content.decode()


def test_the_review_names_the_referring_physician_or_flags_a_medicare_charge_without(
    cast, plan, biller
):
    charge = s.signed_visit(cast, plan)
    client = client_for(biller)
    missing = "<strong>Missing</strong>: the plan was never sent for certification"
    assert missing in client.get(detail(charge)).content.decode()
    assert missing in client.get(queue(cast, day="2031-03-03")).content.decode()
    s.referred(cast, charge)
    page = client.get(detail(charge)).content.decode()
    assert f"Helen Park (NPI {s.REFERRING_NPI})" in page and "Missing" not in page
