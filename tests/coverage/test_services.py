"""Coverage's writes: checked (dates, the practice's own payers, one coverage per priority at
a time, the subscriber), audited, all or nothing; self-pay only while nothing is in force."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from tests.audit.support import events
from tests.coverage.support import JPEG, PNG, START, details, payer, stored_files
from tests.personas import Cast
from unknot.clinics.models import Practice
from unknot.coverage import cards, services
from unknot.coverage.errors import CardRefused, CoverageRefused
from unknot.coverage.models import Coverage, Priority, Relationship, SelfPay
from unknot.coverage.services import CardImages, PayerDetails

pytestmark = pytest.mark.django_db


def test_the_front_desk_adds_a_coverage_and_it_is_audited(cast: Cast) -> None:
    medicare = payer(cast.clinic_a.practice)
    added = services.coverage_add(
        by=cast.front_desk_a, patient=cast.patient_p, details=details(medicare)
    )
    assert added.entered_by == cast.front_desk_a and added.payer == medicare
    assert events(object_type="coverage", reason="added", patient_id=cast.patient_p.pk)


def test_an_end_before_the_start_is_refused_and_nothing_is_stored(cast: Cast) -> None:
    medicare = payer(cast.clinic_a.practice)
    wrong = details(medicare, effective_to=START - dt.timedelta(days=1))
    with pytest.raises(CoverageRefused, match="end date must not come before"):
        services.coverage_add(
            by=cast.front_desk_a, patient=cast.patient_p, details=wrong,
            images=CardImages(front=cards.checked(JPEG)),
        )  # fmt: skip
    assert not Coverage.objects.exists() and stored_files() == []


def test_a_payer_of_another_practice_is_refused(cast: Cast) -> None:
    elsewhere = payer(Practice.objects.create(name="Another practice"))
    with pytest.raises(CoverageRefused, match="payer from the practice's list") as refused:
        services.coverage_add(
            by=cast.front_desk_a, patient=cast.patient_p, details=details(elsewhere)
        )
    assert refused.value.code == "unknown_payer"
    assert not Coverage.objects.exists()


def test_two_primaries_for_the_same_dates_clash_but_one_after_the_other_do_not(
    cast: Cast,
) -> None:
    medicare = payer(cast.clinic_a.practice)
    first = services.coverage_add(
        by=cast.front_desk_a, patient=cast.patient_p, details=details(medicare)
    )
    later = details(medicare, effective_from=dt.date(2031, 6, 1), member_id="2")
    with pytest.raises(CoverageRefused, match="already has a primary coverage") as refused:
        services.coverage_add(by=cast.front_desk_a, patient=cast.patient_p, details=later)
    assert refused.value.code == "priority_clash"
    with pytest.raises(CoverageRefused):  # the images stored before the clash are removed
        services.coverage_add(
            by=cast.front_desk_a, patient=cast.patient_p, details=later,
            images=CardImages(front=cards.checked(JPEG), back=cards.checked(PNG)),
        )  # fmt: skip
    assert stored_files() == []
    secondary = details(medicare, priority=Priority.SECONDARY, member_id="2")
    services.coverage_add(by=cast.front_desk_a, patient=cast.patient_p, details=secondary)
    services.coverage_end(by=cast.front_desk_a, coverage=first, last_day=dt.date(2031, 5, 31))
    services.coverage_add(by=cast.front_desk_a, patient=cast.patient_p, details=later)
    assert Coverage.objects.filter(patient=cast.patient_p).count() == 3


def test_editing_keeps_its_own_dates_out_of_the_clash(cast: Cast) -> None:
    medicare = payer(cast.clinic_a.practice)
    coverage = services.coverage_add(
        by=cast.front_desk_a, patient=cast.patient_p, details=details(medicare)
    )
    services.coverage_edit(
        by=cast.manager, coverage=coverage, details=details(medicare, member_id="NEW")
    )
    coverage.refresh_from_db()
    assert coverage.member_id == "NEW"
    assert events(object_type="coverage", reason="changed")


def test_another_subscriber_must_be_named(cast: Cast) -> None:
    medicare = payer(cast.clinic_a.practice)
    spouse = details(medicare, relationship=Relationship.SPOUSE)
    with pytest.raises(CoverageRefused, match="subscriber's name"):
        services.coverage_add(by=cast.front_desk_a, patient=cast.patient_p, details=spouse)


def test_ending_before_the_start_is_refused(cast: Cast) -> None:
    coverage = services.coverage_add(
        by=cast.front_desk_a, patient=cast.patient_p, details=details(payer(cast.clinic_a.practice))
    )
    with pytest.raises(CoverageRefused, match="last day must not come before"):
        services.coverage_end(by=cast.front_desk_a, coverage=coverage, last_day=dt.date(2030, 1, 1))
    coverage.refresh_from_db()
    assert coverage.effective_to is None


@pytest.mark.parametrize("who", ["therapist_a", "auditor", "therapist_b"])
def test_readers_and_outsiders_may_not_add(cast: Cast, who: str) -> None:
    medicare = payer(cast.clinic_a.practice)
    with pytest.raises(PermissionDenied):
        services.coverage_add(by=cast.users[who], patient=cast.patient_p, details=details(medicare))
    assert not Coverage.objects.exists()


def test_a_patient_adds_their_own_coverage_but_not_anothers(cast: Cast) -> None:
    medicare = payer(cast.clinic_a.practice)
    own = services.coverage_add(
        by=cast.patient_p.user, patient=cast.patient_p, details=details(medicare)
    )
    assert own.patient == cast.patient_p
    with pytest.raises(PermissionDenied):
        services.coverage_add(
            by=cast.patient_p.user, patient=cast.patient_q, details=details(medicare)
        )


def test_self_pay_only_while_no_coverage_is_in_force_and_a_coverage_replaces_it(
    cast: Cast,
) -> None:
    medicare = payer(cast.clinic_a.practice)
    services.self_pay_declare(by=cast.front_desk_a, patient=cast.patient_p, since=START)
    assert events(object_type="self_pay", reason="declared")
    coverage = services.coverage_add(
        by=cast.front_desk_a, patient=cast.patient_p, details=details(medicare)
    )
    assert not SelfPay.objects.filter(patient=cast.patient_p).exists()
    with pytest.raises(CoverageRefused, match="coverage in force"):
        services.self_pay_declare(by=cast.front_desk_a, patient=cast.patient_p, since=START)
    services.coverage_end(by=cast.front_desk_a, coverage=coverage, last_day=dt.date(2031, 2, 1))
    services.self_pay_declare(
        by=cast.front_desk_a, patient=cast.patient_p, since=dt.date(2031, 2, 2)
    )
    assert SelfPay.objects.get(patient=cast.patient_p).since == dt.date(2031, 2, 2)


def test_a_new_card_image_replaces_the_old_file(cast: Cast) -> None:
    medicare = payer(cast.clinic_a.practice)
    coverage = services.coverage_add(
        by=cast.front_desk_a, patient=cast.patient_p, details=details(medicare),
        images=CardImages(front=cards.checked(JPEG)),
    )  # fmt: skip
    old = coverage.card_front
    assert old.startswith("private/coverage-cards/") and old.endswith(".jpg")
    services.coverage_edit(
        by=cast.front_desk_a, coverage=coverage, details=details(medicare),
        images=CardImages(front=cards.checked(PNG)),
    )  # fmt: skip
    coverage.refresh_from_db()
    assert coverage.card_front.endswith(".png") and cards.read(old) is None
    found = cards.read(coverage.card_front)
    assert found is not None and found.data == PNG


def test_a_card_file_is_judged_by_its_bytes() -> None:
    assert cards.checked(JPEG).kind.content_type == "image/jpeg"
    with pytest.raises(CardRefused, match="JPEG or PNG"):
        cards.checked(b"<script>alert(1)</script>")
    with pytest.raises(CardRefused, match="too big"):
        cards.checked(JPEG + b"\x00" * cards.MAX_BYTES)


def test_a_stored_path_outside_the_cards_folder_is_never_read(settings: object) -> None:
    assert cards.read("private/coverage-cards/../../unknot.sqlite3") is None
    assert cards.read("/etc/passwd") is None


def payer_details(**overrides: object) -> PayerDetails:
    fields: dict[str, object] = {
        "name": "Aetna", "payer_id": "60054", "plan_type": "commercial",
        "address_line": "PO Box 981106", "city": "El Paso", "region": "TX",
        "postcode": "79998", "phone": "", "counts_no_shows": True,
        "distinct_modifier": "XU", "active": True,
    }  # fmt: skip
    return PayerDetails(**(fields | overrides))  # type: ignore[arg-type]


def test_the_manager_keeps_the_payer_list_and_a_duplicate_is_refused(cast: Cast) -> None:
    aetna = services.payer_add(by=cast.manager, details=payer_details())
    assert aetna.practice == cast.clinic_a.practice and aetna.counts_no_shows
    with pytest.raises(CoverageRefused, match="already on the list"):
        services.payer_add(by=cast.manager, details=payer_details())
    services.payer_edit(by=cast.manager, payer=aetna, details=payer_details(active=False))
    aetna.refresh_from_db()
    assert not aetna.active
    assert events(object_type="payer", action="update")


@pytest.mark.parametrize("who", ["front_desk_a", "therapist_a", "auditor"])
def test_other_roles_may_not_change_the_payer_list(cast: Cast, who: str) -> None:
    with pytest.raises(PermissionDenied):
        services.payer_add(by=cast.users[who], details=payer_details())


def test_the_biller_may_change_coverage_and_payers(cast: Cast) -> None:
    biller = cast.biller_a
    medicare = payer(cast.clinic_a.practice)
    services.coverage_add(by=biller, patient=cast.patient_p, details=details(medicare))
    services.payer_add(by=biller, details=payer_details())
