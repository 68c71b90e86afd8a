from dataclasses import dataclass

import pytest

from tests.booking import builders
from tests.personas import Cast
from unknot.booking.models import AppointmentType


@dataclass
class Calendar:
    cast: Cast
    evaluation_a: AppointmentType
    follow_up_a: AppointmentType
    evaluation_b: AppointmentType


@pytest.fixture
def calendar(cast: Cast) -> Calendar:
    """Clinic A and B open 08-18 on weekdays; their therapists work those hours."""
    builders.works_weekdays(cast.therapist_a, cast.clinic_a)
    builders.works_weekdays(cast.therapist_b, cast.clinic_b)
    return Calendar(
        cast=cast,
        evaluation_a=builders.evaluation_type(cast.clinic_a),
        follow_up_a=builders.follow_up_type(cast.clinic_a),
        evaluation_b=builders.evaluation_type(cast.clinic_b),
    )
