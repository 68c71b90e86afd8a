"""One refusal type (`unknot.common.errors.Refused`), answered once per interface: the status
each answers with comes from the refusal's `status`, not from a list of exception types."""

import json

import pytest
from django.contrib.messages.storage.fallback import FallbackStorage
from django.forms import Form
from django.test import RequestFactory

from unknot.api.errors import exception_handler
from unknot.booking import api as booking_api
from unknot.booking.errors import BookingError, NotForPatients, SlotTaken
from unknot.common.errors import Refused, attempt
from unknot.fhir.http import _refusal as fhir_refusal
from unknot.plans.services import PlanError
from unknot.plans.visits import VisitError

# refusal -> (REST status and code, booking JSON API status and code, FHIR status and issue)
ANSWERS = [
    (BookingError("Too soon."), (400, "refused"), (400, "refused"), (422, "business-rule")),
    (BookingError("Closed.", "closed"), (400, "closed"), (400, "closed"), (422, "business-rule")),
    (SlotTaken(), (409, "slot_taken"), (409, "slot_taken"), (409, "conflict")),
    (NotForPatients(), (403, "forbidden"), (403, "not_for_patients"), (403, "forbidden")),
    (PlanError("Not a draft."), (400, "refused"), (400, "refused"), (422, "business-rule")),
    (VisitError("Signed."), (400, "refused"), (400, "refused"), (422, "business-rule")),
]


@pytest.mark.parametrize(("refused", "rest", "booking", "fhir"), ANSWERS)
def test_each_interface_answers_a_refusal_by_its_status(
    refused: Refused, rest: tuple[int, str], booking: tuple[int, str], fhir: tuple[int, str]
) -> None:
    answer = exception_handler(refused, {})
    assert answer is not None
    assert (answer.status_code, answer.data["error"]["code"]) == rest
    assert answer.data["error"]["message"] == refused.message

    response = booking_api._refusal(refused)
    body = json.loads(response.content)["error"]
    assert (response.status_code, body["code"], body["message"]) == (*booking, refused.message)

    outcome = fhir_refusal(refused)
    assert (outcome.status, outcome.code, outcome.diagnostics) == (*fhir, refused.message)


def _page_request() -> object:
    request = RequestFactory().post("/")
    request.session = {}  # type: ignore[attr-defined]
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    return request


def _refuse() -> None:
    raise PlanError("This plan is signed.")


def test_a_page_shows_a_refusal_as_a_message_or_on_its_form() -> None:
    request = _page_request()
    assert attempt(request, _refuse, "Saved.") is None  # type: ignore[arg-type]
    assert [str(m) for m in request._messages] == ["This plan is signed."]  # type: ignore[attr-defined]

    form = Form({})
    form.is_valid()
    assert attempt(request, _refuse, form=form) is None  # type: ignore[arg-type]
    assert form.non_field_errors() == ["This plan is signed."]


def test_a_page_shows_done_after_a_success() -> None:
    request = _page_request()
    assert attempt(request, lambda: 7, "Saved.") == 7  # type: ignore[arg-type]
    assert [str(m) for m in request._messages] == ["Saved."]  # type: ignore[attr-defined]
