"""The demo practice gives every billing report rows (docs/billing.md, "In the demo"): the
owner's totals of the last three months have charges, payments and adjustments, Medicare
still owes on Brennan's claim and Farah on her own visits, Brennan has a running Medicare
total, and Alvarez's authorization is counted."""

import datetime as dt

import pytest
from django.db.models import Max
from django.utils import timezone

from unknot.accounts.models import User
from unknot.billing import reports
from unknot.billing.models import Charge
from unknot.clinics.times import clinic_day
from unknot.demo.load import load_demo

pytestmark = pytest.mark.django_db


def test_the_demo_gives_every_report_rows() -> None:
    load_demo()
    owner = User.objects.get(username="owner")
    clinics = list(reports.clinics_for(owner))
    today = clinic_day(timezone.now(), clinics[0])
    scope = reports.Scope(today - dt.timedelta(days=90), today, clinics)
    totals = reports.totals(owner, scope, reports.Dimension.PAYER).total
    assert totals.charges > 0 and totals.payments > 0 and totals.adjustments > 0
    owed = {row.label for row in reports.balances(owner, scope).by_payer}
    assert {"Medicare Part B (Jurisdiction K)", "Patient"} <= owed
    last_medicare = Charge.objects.filter(coverage__payer__name__startswith="Medicare").aggregate(
        day=Max("service_date")
    )["day"]
    in_his_year = reports.Scope(last_medicare.replace(day=1), last_medicare, clinics)
    (brennan,) = reports.kx_patients(owner, in_his_year, every=True).rows
    assert brennan.name == "Brennan, Owen" and brennan.amount > 0 and brennan.threshold
    uses = reports.authorisations(owner, scope, today).uses
    assert [use.authorisation.reference for use in uses] == ["PHP-AUTH-2231"]
    assert uses[0].usage.attended > 0
