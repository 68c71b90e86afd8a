"""A patient's insurance and payment for staff, and the practice's payer list: reading,
adding (with card images checked by their bytes), changing, ending, self-pay; outsiders and
the roles that only read kept out; card images served only through the access check."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.audit.support import client_for, events
from tests.coverage.support import JPEG, PDF, PNG, SCRIPT, details, form_data, payer, stored_files
from tests.personas import Cast
from unknot.coverage import cards, services
from unknot.coverage.models import Coverage, Payer, SelfPay
from unknot.coverage.services import CardImages

pytestmark = pytest.mark.django_db


def insurance_url(cast: Cast) -> str:
    return reverse("staffarea:patient_coverage", args=[cast.patient_p.pk])


def add_url(cast: Cast) -> str:
    return reverse("staffarea:coverage_add", args=[cast.patient_p.pk])


def upload(name: str, data: bytes, content_type: str = "image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def p_coverage(cast: Cast, **images: bytes) -> Coverage:
    sides = {side: cards.checked(data) for side, data in images.items()}
    return services.coverage_add(
        by=cast.front_desk_a, patient=cast.patient_p,
        details=details(payer(cast.clinic_a.practice)), images=CardImages(**sides),
    )  # fmt: skip


def test_the_patients_page_links_to_insurance_and_payment(cast: Cast) -> None:
    page = client_for(cast.therapist_a).get(
        reverse("staffarea:patient_detail", args=[cast.patient_p.pk])
    )
    assert insurance_url(cast) in page.content.decode()


def test_the_insurance_page_lists_coverages_and_says_when_nothing_was_asked(cast: Cast) -> None:
    client = client_for(cast.front_desk_a)
    empty = client.get(insurance_url(cast)).content.decode()
    assert "Not asked yet" in empty and add_url(cast) in empty
    p_coverage(cast)
    page = client.get(insurance_url(cast)).content.decode()
    assert "Medicare Part B" in page and "1EG4-TE5-MK73" in page
    assert "Jan 1, 2031 to open" in page and "Not asked yet" not in page
    assert events(object_type="coverage", reason="list", patient_id=cast.patient_p.pk)


def test_a_therapist_reads_but_sees_no_way_to_change(cast: Cast) -> None:
    p_coverage(cast)
    page = client_for(cast.therapist_a).get(insurance_url(cast)).content.decode()
    assert "1EG4-TE5-MK73" in page and add_url(cast) not in page
    assert client_for(cast.therapist_a).get(add_url(cast)).status_code == 403


def test_the_front_desk_adds_a_coverage_with_both_sides_of_the_card(cast: Cast) -> None:
    medicare = payer(cast.clinic_a.practice)
    data = form_data(medicare) | {
        "card_front": upload("front.jpg", JPEG, "image/jpeg"),
        "card_back": upload("back.pdf", PDF, "application/pdf"),
    }
    response = client_for(cast.front_desk_a).post(add_url(cast), data)
    assert response.status_code == 302
    coverage = Coverage.objects.get(patient=cast.patient_p)
    assert coverage.card_front.endswith(".jpg") and coverage.card_back.endswith(".pdf")
    assert "front" not in coverage.card_front  # a random name, never the person's
    assert len(stored_files()) == 2


def test_a_script_named_png_is_refused_with_a_clear_message(cast: Cast) -> None:
    medicare = payer(cast.clinic_a.practice)
    data = form_data(medicare) | {"card_front": upload("card.png", SCRIPT)}
    response = client_for(cast.front_desk_a).post(add_url(cast), data)
    assert response.status_code == 200
    assert "JPEG or PNG" in response.content.decode()
    assert not Coverage.objects.exists() and stored_files() == []


def test_a_card_over_the_size_limit_is_refused(cast: Cast) -> None:
    medicare = payer(cast.clinic_a.practice)
    big = upload("card.png", PNG + b"\x00" * cards.MAX_BYTES)
    response = client_for(cast.front_desk_a).post(
        add_url(cast), form_data(medicare) | {"card_front": big}
    )
    assert response.status_code == 200 and "too big" in response.content.decode()
    assert not Coverage.objects.exists()


def test_a_body_past_the_pages_upload_limit_answers_413(cast: Cast) -> None:
    medicare = payer(cast.clinic_a.practice)
    huge = upload("card.png", PNG + b"\x00" * (11 * 1024 * 1024))
    response = client_for(cast.front_desk_a).post(
        add_url(cast), form_data(medicare) | {"card_front": huge}
    )
    assert response.status_code == 413
    assert not Coverage.objects.exists()


def test_an_end_before_the_start_is_shown_on_the_form(cast: Cast) -> None:
    medicare = payer(cast.clinic_a.practice)
    response = client_for(cast.front_desk_a).post(
        add_url(cast), form_data(medicare, effective_to="2030-12-31")
    )
    assert "end date must not come before" in response.content.decode()
    assert not Coverage.objects.exists()


def test_a_payer_of_the_list_is_all_the_form_takes(cast: Cast) -> None:
    from unknot.clinics.models import Practice

    elsewhere = payer(Practice.objects.create(name="Another practice"))
    response = client_for(cast.front_desk_a).post(add_url(cast), form_data(elsewhere))
    assert response.status_code == 200 and not Coverage.objects.exists()


def test_editing_and_ending(cast: Cast) -> None:
    coverage = p_coverage(cast)
    client = client_for(cast.manager)
    edit = reverse("staffarea:coverage_edit", args=[coverage.pk])
    assert 'value="1EG4-TE5-MK73"' in client.get(edit).content.decode()
    changed = client.post(edit, form_data(coverage.payer, member_id="NEW-1"))
    assert changed.status_code == 302
    end = reverse("staffarea:coverage_end", args=[coverage.pk])
    assert client.post(end, {"last_day": "2031-02-28"}).status_code == 302
    coverage.refresh_from_db()
    assert coverage.member_id == "NEW-1" and str(coverage.effective_to) == "2031-02-28"
    too_early = client.post(end, {"last_day": "2030-02-28"})
    assert "must not come before" in too_early.content.decode()


def test_self_pay_is_recorded(cast: Cast) -> None:
    url = reverse("staffarea:coverage_self_pay", args=[cast.patient_p.pk])
    response = client_for(cast.front_desk_a).post(url, {"since": "2031-03-01"})
    assert response.status_code == 302
    assert SelfPay.objects.get(patient=cast.patient_p).recorded_by == cast.front_desk_a
    page = client_for(cast.front_desk_a).get(insurance_url(cast)).content.decode()
    assert "self-pay) since Mar 1, 2031" in page


def test_another_clinics_staff_cannot_read_or_change(cast: Cast) -> None:
    coverage = p_coverage(cast, front=JPEG)
    outsider = client_for(cast.therapist_b)
    assert outsider.get(insurance_url(cast)).status_code == 404
    card = reverse("staffarea:coverage_card", args=[coverage.pk, "front"])
    assert outsider.get(card).status_code == 404
    assert events(object_type="coverage", outcome="denied", object_id=str(coverage.pk))


def test_the_auditor_reads_but_may_not_change(cast: Cast) -> None:
    coverage = p_coverage(cast)
    auditor = client_for(cast.auditor)
    assert auditor.get(insurance_url(cast)).status_code == 200
    edit = reverse("staffarea:coverage_edit", args=[coverage.pk])
    assert auditor.post(edit, form_data(coverage.payer, member_id="X")).status_code == 403
    coverage.refresh_from_db()
    assert coverage.member_id == "1EG4-TE5-MK73"


def test_the_card_is_served_inline_with_its_type_and_the_read_is_audited(cast: Cast) -> None:
    coverage = p_coverage(cast, front=JPEG, back=PDF)
    client = client_for(cast.therapist_a)
    front = client.get(reverse("staffarea:coverage_card", args=[coverage.pk, "front"]))
    assert front.status_code == 200 and front.content == JPEG
    assert front["Content-Type"] == "image/jpeg"
    assert front["Content-Disposition"] == 'inline; filename="insurance-card-front.jpg"'
    assert front["X-Content-Type-Options"] == "nosniff"
    assert front["Content-Security-Policy"].startswith("sandbox")  # a PDF runs no script
    back = client.get(reverse("staffarea:coverage_card", args=[coverage.pk, "back"]))
    assert back["Content-Type"] == "application/pdf"
    assert events(object_type="coverage_card", reason="front", patient_id=cast.patient_p.pk)


def test_a_missing_side_or_an_odd_side_is_404(cast: Cast) -> None:
    coverage = p_coverage(cast, front=JPEG)
    client = client_for(cast.therapist_a)
    assert (
        client.get(reverse("staffarea:coverage_card", args=[coverage.pk, "back"])).status_code
        == 404
    )
    odd = reverse("staffarea:coverage_card", args=[coverage.pk, "entered_by"])
    assert client.get(odd).status_code == 404


def test_cards_are_stored_outside_anything_served(cast: Cast, settings: object) -> None:
    coverage = p_coverage(cast, front=JPEG)
    assert coverage.card_front.startswith("private/coverage-cards/")
    assert not str(cards._folder()).startswith(str(settings.STATIC_ROOT))
    assert client_for(cast.therapist_a).get("/" + coverage.card_front).status_code == 404


def test_the_payer_list_is_read_by_all_staff_and_kept_by_the_manager(cast: Cast) -> None:
    payer(cast.clinic_a.practice, counts_no_shows=True)
    home = client_for(cast.front_desk_a).get(reverse("staffarea:dashboard")).content.decode()
    assert reverse("staffarea:payer_list") in home
    listed = client_for(cast.front_desk_a).get(reverse("staffarea:payer_list")).content.decode()
    assert "Medicare Part B" in listed and "12202" in listed
    assert reverse("staffarea:payer_add") not in listed
    manager = client_for(cast.manager)
    fields = {
        "name": "Aetna", "payer_id": "60054", "plan_type": "commercial", "region": "tx",
        "distinct_modifier": "XU", "active": "on",
    }  # fmt: skip
    assert manager.post(reverse("staffarea:payer_add"), fields).status_code == 302
    aetna = Payer.objects.get(name="Aetna")
    assert aetna.region == "TX" and aetna.distinct_modifier == "XU" and not aetna.counts_no_shows
    page = manager.get(reverse("staffarea:payer_list")).content.decode()
    assert "Commercial insurance" in page and "XU (unusual non-overlapping service)" in page
    again = manager.post(reverse("staffarea:payer_add"), fields)
    assert "already on the list" in again.content.decode()
    assert (
        client_for(cast.front_desk_a).post(reverse("staffarea:payer_add"), fields).status_code
        == 403
    )
