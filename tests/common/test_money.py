"""Money as people read it: one formatter for the pages' `dollars` filter, the PDFs and the
claim summary."""

from decimal import Decimal

import pytest
from django.template import Context, Template

from unknot.common.money import dollars


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("1234.5"), "$1,234.50"),
        (Decimal("0"), "$0.00"),
        (Decimal("-45"), "-$45.00"),
        ("165.00", "$165.00"),
        (None, "—"),
        ("", "—"),
        ("not money", "—"),
    ],
)
def test_dollars(value, shown):
    assert dollars(value) == shown


def test_the_pages_filter_is_the_same_formatter():
    shown = Template("{% load labels %}{{ amount|dollars }}").render(Context({"amount": "-20"}))
    assert shown == "-$20.00"
