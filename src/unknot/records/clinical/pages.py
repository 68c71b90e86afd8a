"""What every clinical page needs, the record's own and those built on it (the chart, plans of
care, visits): the POST a form binds to, who is shown the write buttons, the referrals in words.
"""

from typing import Any

from django.http import HttpRequest

from unknot.accounts.access import may_write, staff_role
from unknot.accounts.models import AnyUser
from unknot.accounts.roles import CLINICAL_ROLES
from unknot.records.clinical import holds
from unknot.records.models import Episode


def posted(request: HttpRequest) -> Any:
    """The POST data to bind a form to (even an empty POST), or None for a GET."""
    return request.POST if request.method == "POST" else None


def can_write(user: AnyUser) -> bool:
    """Shows the clinical buttons only to those the write views would let through."""
    return staff_role(user) in CLINICAL_ROLES and may_write(user)


def holds_view(episode: Episode) -> list[dict[str, Any]]:
    """The episode's referrals and clearances, in words, for the chart and the visit form."""
    return [holds.summary(hold) for hold in holds.holds_of(episode)]
