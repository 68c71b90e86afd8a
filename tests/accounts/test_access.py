"""The role rules of `accounts.access` for the biller: a page or a write that names no roles is
the care team's (`CHART_ROLES`), so the biller is refused unless it names them; they are not a
read-only role, so a write that names them lets them through."""

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory

from unknot.accounts.access import (
    NOT_YOUR_ROLE,
    READ_ONLY,
    ensure_may_write,
    may_read_chart,
    may_write,
    staff_only,
)
from unknot.accounts.roles import ALL_STAFF_ROLES, Role

BILLING = {Role.BILLER, Role.MANAGER}  # an example of a billing write's roles


def answer(rule: Any, user: Any) -> int:
    @rule
    def view(request: Any) -> HttpResponse:
        return HttpResponse("ok")

    request = RequestFactory().get("/")
    request.user = user
    try:
        return view(request).status_code
    except PermissionDenied:
        return 403


def test_a_page_that_names_no_roles_refuses_the_biller(cast: Any) -> None:
    assert answer(staff_only(), cast.biller_a) == 403
    assert answer(staff_only(writes=True), cast.biller_a) == 403
    assert answer(staff_only(), cast.front_desk_a) == 200
    assert answer(staff_only(ALL_STAFF_ROLES), cast.biller_a) == 200
    assert answer(staff_only(BILLING, writes=True), cast.biller_a) == 200
    assert answer(staff_only(BILLING | {Role.AUDITOR}, writes=True), cast.auditor) == 403


def test_the_biller_reads_no_chart_and_writes_only_what_names_them(cast: Any) -> None:
    biller = cast.biller_a
    assert not may_read_chart(biller) and may_read_chart(cast.auditor)
    assert not may_write(biller) and may_write(cast.front_desk_a)
    assert may_write(biller, BILLING) and not may_write(cast.front_desk_a, BILLING)
    assert ensure_may_write(biller, roles=BILLING) == biller
    with pytest.raises(PermissionDenied, match=NOT_YOUR_ROLE):
        ensure_may_write(biller, "Your role may not change the calendar.")


def test_the_auditor_is_still_told_they_only_read(cast: Any) -> None:
    with pytest.raises(PermissionDenied, match=READ_ONLY):
        ensure_may_write(cast.auditor)
    with pytest.raises(PermissionDenied, match=READ_ONLY):
        ensure_may_write(cast.auditor, roles=ALL_STAFF_ROLES)
    assert not may_write(cast.patient_p.user)
