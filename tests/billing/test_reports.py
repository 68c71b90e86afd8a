"""The billing reports (docs/billing.md, "Reports") on the hand-built world of
tests/billing/reports_world.py: the figures, the filters, each reader's clinics, the CSV, the
audit, bad choices, and a fixed number of queries however many rows."""

import csv
import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.audit.support import client_for
from tests.billing import reports_world
from tests.billing.reports_world import MARCH, World
from tests.personas import Cast
from unknot.audit.models import AuditEvent
from unknot.billing import reports, views_reports
from unknot.billing.models import Adjustment, KxThreshold

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def world(cast: Cast) -> World:
    return reports_world.build(cast)


MARCH_1, MARCH_31 = dt.date(2031, 3, 1), dt.date(2031, 3, 31)


def scope(
    world: World, *, first: dt.date = MARCH_1, last: dt.date = MARCH_31, **chosen: Any
) -> reports.Scope:
    clinics = chosen.pop("clinics", [world.cast.clinic_a, world.cast.clinic_b])
    return reports.Scope(first, last, clinics, **chosen)


def figures(report: reports.Totals) -> dict[str, tuple[Decimal, Decimal, Decimal]]:
    rows = [*report.rows, report.total]
    return {row.label: (row.charges, row.payments, row.adjustments) for row in rows}


def csv_rows(answer: Any) -> list[list[str]]:
    assert answer["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(answer.content.decode())))


# --- 1. totals ---------------------------------------------------------------------------------


def test_totals_by_clinic_count_approved_charges_as_corrected_payments_and_adjustments(
    world: World,
) -> None:
    report = reports.totals(world.owner, scope(world), reports.Dimension.CLINIC)
    # A: charge 2 as corrected (50) + 150 + 200; the one to review and the voided one are not.
    assert figures(report) == {
        "Alder Clinic": (D("400.00"), D("150.00"), D("20.00")),
        "Birch Clinic": (D("90.00"), D("0.00"), D("0.00")),
        "Total": (D("490.00"), D("150.00"), D("20.00")),
    }


def test_totals_by_month_therapist_and_payer(world: World) -> None:
    owner = world.owner
    by_month = reports.totals(
        owner, scope(world, first=dt.date(2031, 2, 1)), reports.Dimension.MONTH
    )
    assert [row.label for row in by_month.rows] == ["February 2031", "March 2031"]
    assert figures(by_month)["February 2031"] == (D("120.00"), D("30.00"), D("0.00"))
    assert figures(by_month)["Total"] == (D("610.00"), D("180.00"), D("20.00"))
    by_therapist = figures(reports.totals(owner, scope(world), reports.Dimension.THERAPIST))
    assert by_therapist["Therapist_A Staff"] == (D("50.00"), D("0.00"), D("0.00"))
    assert by_therapist["Therapist_A2 Staff"] == (D("350.00"), D("150.00"), D("20.00"))
    assert by_therapist["Therapist_B Staff"] == (D("90.00"), D("0.00"), D("0.00"))
    by_payer = figures(reports.totals(owner, scope(world), reports.Dimension.PAYER))
    assert by_payer == {
        "Medicare Part B": (D("200.00"), D("0.00"), D("0.00")),
        "Pinecone": (D("200.00"), D("150.00"), D("20.00")),
        "Self-pay": (D("90.00"), D("0.00"), D("0.00")),
        "Total": (D("490.00"), D("150.00"), D("20.00")),
    }


def test_the_filters_narrow_the_totals(world: World) -> None:
    owner, payer = world.owner, reports.Dimension.PAYER
    only_b = reports.totals(owner, scope(world, clinics=[world.cast.clinic_b]), payer)
    assert figures(only_b) == {"Self-pay": (D("90.00"), D("0.00"), D("0.00")),
                               "Total": (D("90.00"), D("0.00"), D("0.00"))}  # fmt: skip
    a2 = reports.totals(owner, scope(world, therapist=world.therapist_a2.staff_member), payer)
    assert figures(a2)["Total"] == (D("350.00"), D("150.00"), D("20.00"))
    medicare = reports.totals(owner, scope(world, payer=world.medicare), payer)
    assert figures(medicare) == {"Medicare Part B": (D("200.00"), D("0.00"), D("0.00")),
                                 "Total": (D("200.00"), D("0.00"), D("0.00"))}  # fmt: skip


def test_the_page_shows_the_readers_clinics_only(world: World) -> None:
    url = reverse("staffarea:report_totals")
    page = client_for(world.cast.manager).get(url, MARCH | {"group_by": "clinic"}).content.decode()
    assert "Alder Clinic" in page and "$400.00" in page
    assert "Birch Clinic" not in page and "$90.00" not in page
    owners = client_for(world.owner).get(url, MARCH | {"group_by": "clinic"}).content.decode()
    assert "Birch Clinic" in owners and "$490.00" in owners


def test_the_totals_csv_has_labels_and_plain_decimals(world: World) -> None:
    url = reverse("staffarea:report_totals")
    answer = client_for(world.owner).get(url, MARCH | {"group_by": "payer", "format": "csv"})
    assert csv_rows(answer) == [
        ["Payer", "Charges", "Payments", "Adjustments"],
        ["Medicare Part B", "200.00", "0.00", "0.00"],
        ["Pinecone", "200.00", "150.00", "20.00"],
        ["Self-pay", "90.00", "0.00", "0.00"],
        ["Total", "490.00", "150.00", "20.00"],
    ]
    assert "totals-2031-03-01-2031-03-31.csv" in answer["Content-Disposition"]


def test_a_name_that_is_a_formula_is_written_as_text(world: World) -> None:
    world.pinecone.name = '=HYPERLINK("http://x")'
    world.pinecone.save()
    url = reverse("staffarea:report_totals")
    rows = csv_rows(
        client_for(world.owner).get(url, MARCH | {"group_by": "payer", "format": "csv"})
    )
    assert ['\'=HYPERLINK("http://x")', "200.00", "150.00", "20.00"] in rows


# --- 2. balances -------------------------------------------------------------------------------


def test_balances_per_patient_and_payer_with_their_ageing(world: World) -> None:
    report = reports.balances(world.owner, scope(world))
    patients = {row.label: (row.buckets, row.total) for row in report.by_patient}
    # Charge 1 owes 90.00 (120 less the 30 paid), 49 days old on 03/31; charge 4 owes 30.00
    # (200 less 150 paid and 20 adjusted).
    assert patients == {
        "Parker, Penny": ([D("200.00"), D("90.00"), D("0.00"), D("0.00")], D("290.00")),
        "Quill, Quentin": ([D("90.00"), D("0.00"), D("0.00"), D("0.00")], D("90.00")),
        "Reed, Rita": ([D("30.00"), D("0.00"), D("0.00"), D("0.00")], D("30.00")),
    }
    # LEDGER-RESP: Medicare has not answered on Parker's visits, so theirs; Pinecone paid on
    # Rita's visit, so the 30.00 left is hers, with Quill's self-pay 90.00.
    payers = {row.label: row.total for row in report.by_payer}
    assert payers == {"Medicare Part B": D("290.00"), "Patient": D("120.00")}
    assert report.totals == [D("320.00"), D("90.00"), D("0.00"), D("0.00")]
    assert report.total == D("410.00")


def test_balances_to_an_earlier_day_leave_later_visits_out(world: World) -> None:
    report = reports.balances(world.owner, scope(world, last=dt.date(2031, 3, 3)))
    assert {row.label: row.total for row in report.by_patient} == {"Parker, Penny": D("140.00")}


def test_the_balances_csv(world: World) -> None:
    url = reverse("staffarea:report_balances")
    rows = csv_rows(client_for(world.cast.biller_a).get(url, MARCH | {"format": "csv"}))
    assert rows[0] == ["Owed by", "Patient or payer", "0-30 days", "31-60 days", "61-90 days",
                       "Over 90 days", "Total"]  # fmt: skip
    assert ["Parker, Penny", "Patient", "200.00", "90.00", "0.00", "0.00", "290.00"] in rows
    assert rows[-1] == ["All payers", "Total", "230.00", "90.00", "0.00", "0.00", "320.00"]
    assert not any("Quill" in cell for row in rows for cell in row)  # clinic B is not the biller's


def test_the_page_lists_the_largest_balances_and_the_csv_every_one(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(views_reports, "PATIENTS_SHOWN", 2)
    url = reverse("staffarea:report_balances")
    page = client_for(world.owner).get(url, MARCH).content.decode()
    assert "Parker, Penny" in page and "Quill, Quentin" in page and "Reed, Rita" not in page
    assert "the CSV lists every patient (1 more)" in page
    rows = csv_rows(client_for(world.owner).get(url, MARCH | {"format": "csv"}))
    assert ["Reed, Rita", "Patient", "30.00", "0.00", "0.00", "0.00", "30.00"] in rows


# --- 3. KX threshold ---------------------------------------------------------------------------


def test_a_medicare_patient_past_the_threshold_with_the_years_amount(world: World) -> None:
    report = reports.kx_patients(world.owner, scope(world))
    (row,) = report.rows
    # 120 + 50 (as corrected) + 150; the voided 40 is not counted.
    assert (row.name, row.amount, row.threshold, row.past, row.share) == (
        "Parker, Penny",
        D("320.00"),
        D("300.00"),
        True,
        106,
    )
    assert row.standing == "Past the threshold: KX"


def test_near_the_threshold_and_not_yet_near(world: World) -> None:
    KxThreshold.objects.filter(year=2031).update(amount=D("350.00"))
    (near,) = reports.kx_patients(world.owner, scope(world)).rows
    assert (near.past, near.standing, near.share) == (False, "Near the threshold", 91)
    early = reports.kx_patients(world.owner, scope(world, last=dt.date(2031, 3, 3)))
    assert early.rows == []  # 170.00 of 350.00 is under 80%


def test_every_medicare_patient_when_asked(world: World) -> None:
    early = scope(world, last=dt.date(2031, 3, 3))
    assert reports.kx_patients(world.owner, early).rows == []
    (row,) = reports.kx_patients(world.owner, early, every=True).rows
    assert (row.amount, row.share, row.standing) == (D("170.00"), 56, "Under the threshold")
    url = reverse("staffarea:report_kx")
    query = {"first": "03/01/2031", "last": "03/03/2031", "every": "on", "format": "csv"}
    rows = csv_rows(client_for(world.owner).get(url, query))
    assert rows[1] == ["Parker, Penny", "2031", "170.00", "300.00", "56", "Under the threshold"]


def test_an_unknown_threshold_is_said_and_every_medicare_patient_listed(world: World) -> None:
    KxThreshold.objects.all().delete()
    report = reports.kx_patients(world.owner, scope(world, first=dt.date(2099, 1, 1),
                                                    last=dt.date(2099, 1, 31)))  # fmt: skip
    assert report.problems and "2099" in report.problems[0]
    assert report.rows == []  # no Medicare charge in 2099
    page = client_for(world.owner).get(reverse("staffarea:report_kx"),
                                       {"first": "01/01/2099", "last": "01/31/2099"})  # fmt: skip
    assert "2099" in page.content.decode()


def test_the_kx_page_and_csv(world: World) -> None:
    url = reverse("staffarea:report_kx")
    page = client_for(world.cast.manager).get(url, MARCH).content.decode()
    assert "Parker, Penny" in page and "$320.00" in page and "Past the threshold" in page
    rows = csv_rows(client_for(world.cast.manager).get(url, MARCH | {"format": "csv"}))
    assert rows[1] == ["Parker, Penny", "2031", "320.00", "300.00", "106", "Past the threshold: KX"]


def test_the_kx_page_lists_the_largest_amounts_and_the_csv_every_one(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(views_reports, "KX_SHOWN", 0)
    url = reverse("staffarea:report_kx")
    page = client_for(world.cast.manager).get(url, MARCH).content.decode()
    assert "Parker, Penny" not in page and "the CSV lists every patient (1 more)" in page
    rows = csv_rows(client_for(world.cast.manager).get(url, MARCH | {"format": "csv"}))
    assert rows[1][0] == "Parker, Penny"


# --- 4. authorisations -------------------------------------------------------------------------


def test_visits_per_authorisation(world: World) -> None:
    report = reports.authorisations(world.owner, scope(world), dt.date(2031, 3, 20))
    (use,) = report.uses
    assert (use.usage.attended, use.usage.booked, use.usage.no_shows, use.left) == (2, 1, 1, 6)
    assert report.running_out(use)  # its last day is within 14 days
    april = scope(world, first=dt.date(2031, 4, 1), last=dt.date(2031, 4, 30))
    later = reports.authorisations(world.owner, april, dt.date(2031, 4, 1))
    assert later.uses == []


def test_the_authorisations_csv(world: World) -> None:
    url = reverse("staffarea:report_authorisations")
    rows = csv_rows(client_for(world.cast.biller_a).get(url, MARCH | {"format": "csv"}))
    assert rows[1][:12] == ["Reed, Rita", "Pinecone", "PC-77", "Visits", "Every kind of visit",
                            "03/01/2031", "03/31/2031", "10", "2", "1", "1", "6"]  # fmt: skip


# --- who reads, and the audit ------------------------------------------------------------------

REPORT_URLS = ["report_list", "report_totals", "report_balances", "report_kx",
               "report_authorisations"]  # fmt: skip


@pytest.mark.parametrize("name", REPORT_URLS)
def test_only_the_billing_office_reads_the_reports(world: World, name: str) -> None:
    url = reverse(f"staffarea:{name}")
    for refused in (world.cast.therapist_a, world.cast.front_desk_a, world.cast.auditor,
                    world.cast.therapist_b, world.cast.patient_p.user):  # fmt: skip
        assert client_for(refused).get(url, MARCH).status_code in (302, 403), refused
    for reader in (world.cast.biller_a, world.cast.manager, world.owner):
        assert client_for(reader).get(url, MARCH).status_code == 200


def test_another_clinics_biller_sees_none_of_clinic_as_money(world: World) -> None:
    from tests.billing.support import biller

    biller_b = biller(world.cast.clinic_b, "biller_b")
    for name in REPORT_URLS[1:]:
        page = client_for(biller_b).get(reverse(f"staffarea:{name}"), MARCH).content.decode()
        assert "Parker" not in page and "Reed" not in page and "Alder Clinic" not in page, name
    chosen = MARCH | {"clinic": world.cast.clinic_a.pk}
    page = client_for(biller_b).get(reverse("staffarea:report_totals"), chosen).content.decode()
    assert "Please choose a clinic from the list." in page and "$400.00" not in page


def test_each_report_read_is_audited(world: World) -> None:
    client_for(world.cast.biller_a).get(reverse("staffarea:report_balances"), MARCH)
    event = AuditEvent.objects.filter(object_type="billing_report").get()
    assert (event.object_id, event.actor_username) == ("balances", "biller_a")


# --- bad choices -------------------------------------------------------------------------------


@pytest.mark.parametrize(("query", "message"), [
    ({"first": "13/45/2031"}, "Enter a valid date."),
    ({"first": "03/31/2031", "last": "03/01/2031"}, "The period must end on or after"),
    ({"first": "01/01/1800"}, "Please give a date between 1900 and 2200."),
    ({"therapist": "999999"}, "Please choose a therapist from the list."),
    ({"payer": "abc"}, "Please choose a payer from the list."),
    ({"clinic": "-1"}, "Please choose a clinic from the list."),
    ({"group_by": "patient_id"}, "Please choose what to group by from the list."),
])  # fmt: skip
def test_a_bad_choice_is_a_message_and_no_figures(world: World, query: dict[str, str],
                                                  message: str) -> None:  # fmt: skip
    url = reverse("staffarea:report_totals")
    answer = client_for(world.owner).get(url, MARCH | query)
    page = answer.content.decode()
    assert answer.status_code == 200 and message in page
    assert "$490.00" not in page and "Download as CSV" not in page
    as_csv = client_for(world.owner).get(url, MARCH | query | {"format": "csv"})
    assert as_csv["Content-Type"].startswith("text/html")


def test_no_period_is_this_month(world: World) -> None:
    page = client_for(world.owner).get(reverse("staffarea:report_totals")).content.decode()
    assert 'name="first"' in page and "No charges, payments or adjustments" in page


# --- a fixed number of queries -----------------------------------------------------------------


def _queries(user: Any, name: str, query: dict[str, str]) -> int:
    client = client_for(user)
    client.get(reverse(f"staffarea:{name}"), query)  # the session and the first audit event
    with CaptureQueriesContext(connection) as counted:
        assert client.get(reverse(f"staffarea:{name}"), query).status_code == 200
    return len(counted)


PAGES_AND_GROUPS = [
    *(("report_totals", group) for group in ("month", "clinic", "therapist", "payer")),
    *((name, "month") for name in ("report_balances", "report_kx", "report_authorisations")),
]


@pytest.mark.parametrize(("name", "group_by"), PAGES_AND_GROUPS)
def test_the_queries_do_not_grow_with_the_rows(world: World, name: str, group_by: str) -> None:
    query = MARCH | {"group_by": group_by}
    few = _queries(world.owner, name, query)
    _more_of_everything(world)
    assert _queries(world.owner, name, query) == few


def _more_of_everything(world: World) -> None:
    """Ten more patients at both clinics, each with charges, payments, adjustments and an
    authorisation, to other therapists and payers."""
    from tests import factories
    from tests.billing import support
    from unknot.billing import ledger
    from unknot.billing.models import AdjustmentReason, PaymentMethod
    from unknot.coverage.models import Authorisation

    cast = world.cast
    for number in range(10):
        clinic = cast.clinic_a if number % 2 else cast.clinic_b
        therapist = (
            (world.therapist_a2 if number % 4 == 1 else cast.therapist_a)
            if number % 2
            else cast.therapist_b
        )
        patient = factories.patient(f"Extra{number}", f"Person{number}", clinic)
        coverage = support.covered(patient, world.medicare if number % 3 else world.pinecone)
        for day in (2, 9, 16):
            made = reports_world.charge(patient, clinic, therapist, coverage,
                                        dt.date(2031, 3, day), "110.00")  # fmt: skip
        ledger.payment_record(by=world.owner, data=ledger.PaymentInput(
            clinic=clinic, method=PaymentMethod.CASH, amount=D("40.00"),
            received_on=dt.date(2031, 3, 20), patient=patient,
        ))  # fmt: skip
        ledger.adjustment_make(by=world.owner, charge=made, amount=D("5.00"),
                               reason=AdjustmentReason.SMALL_BALANCE)  # fmt: skip
        Authorisation.objects.create(
            coverage=coverage, reference=f"X{number}", authorised=8,
            start_date=dt.date(2031, 3, 1), end_date=dt.date(2031, 5, 1), entered_by=world.owner,
        )  # fmt: skip
    Adjustment.objects.update(at=dt.datetime(2031, 3, 21, 15, tzinfo=dt.UTC))  # in the period
