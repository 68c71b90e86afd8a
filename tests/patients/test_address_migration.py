"""The free-text address moved into the structured one without losing text.

A database is taken back to before the move (patients 0002), patients are filed with the
addresses people typed into the old single field, and the migrations are run forward: an
address clearly written "street, [second line,] city, ST 12345" is taken apart, anything else
lands whole in line 1, and every sex is not recorded. Backwards, the parts are joined again.
"""

from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests import factories
from unknot.patients.models import Patient, Sex

BEFORE = [("patients", "0002_one_record_per_online_person")]
AFTER = [("patients", "0005_free_text_address_removed")]
PARTS = ("address_line1", "address_line2", "city", "state", "zip_code")

# What was typed -> (line 1, line 2, city, state, ZIP code) after the move.
MOVES = {
    "12 Oak Lane, Springfield, IL 62701": ("12 Oak Lane", "", "Springfield", "IL", "62701"),
    "12 Oak Lane, Apt 3, Springfield, il 62701-1234": (
        "12 Oak Lane", "Apt 3", "Springfield", "IL", "62701-1234",
    ),
    "4 Elm Court,Troy,NY 121801234": ("4 Elm Court", "", "Troy", "NY", "12180-1234"),
    # Not clearly an address of those parts: kept whole, word for word, in line 1.
    "4 Elm Court": ("4 Elm Court", "", "", "", ""),
    "12 Oak Lane, Springfield, XX 62701": ("12 Oak Lane, Springfield, XX 62701", "", "", "", ""),
    "12 Oak Lane, Springfield IL 62701": ("12 Oak Lane, Springfield IL 62701", "", "", "", ""),
    "c/o Ann, 12 Oak Lane, Apt 3, Springfield, IL 62701": (
        "c/o Ann, 12 Oak Lane, Apt 3, Springfield, IL 62701", "", "", "", "",
    ),
    "1 Main Street\r\n\tSpringfield, IL 62701": (
        "1 Main Street\r\n\tSpringfield, IL 62701", "", "", "", "",
    ),
    "12 Oak Lane, Springfield, IL 6270": ("12 Oak Lane, Springfield, IL 6270", "", "", "", ""),
    "12 Oak Lane, , Springfield, IL 62701": (
        "12 Oak Lane, , Springfield, IL 62701", "", "", "", "",
    ),
    "Apartado 7, Ciudad de México, CDMX 06000": (
        "Apartado 7, Ciudad de México, CDMX 06000", "", "", "", "",
    ),
    f"{'9' * 56} Long Road, Troy, NY 12180": (
        f"{'9' * 56} Long Road, Troy, NY 12180", "", "", "", "",
    ),
    "x" * 300: ("x" * 300, "", "", "", ""),
    "": ("", "", "", "", ""),
}  # fmt: skip


def migrate(target: list[tuple[str, str]]) -> Any:
    """Runs the migrations to `target`; the app registry of that state."""
    executor = MigrationExecutor(connection)
    executor.migrate(target)
    return executor.loader.project_state(target).apps


@pytest.mark.django_db(transaction=True)
def test_the_free_text_address_moves_into_its_parts_and_back() -> None:
    clinic = factories.clinic("migration-clinic")
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        old = migrate(BEFORE).get_model("patients", "Patient")
        typed = {
            old.objects.create(
                first_name="Pat", last_name=f"Number{n}", date_of_birth="1980-01-02",
                preferred_clinic_id=clinic.pk, address=text,
            ).pk: text
            for n, text in enumerate(MOVES)
        }  # fmt: skip
        new = migrate(AFTER).get_model("patients", "Patient")
        moved = {row["pk"]: row for row in new.objects.values("pk", "sex", *PARTS)}
        assert {typed[pk]: tuple(row[p] for p in PARTS) for pk, row in moved.items()} == MOVES
        assert {row["sex"] for row in moved.values()} == {Sex.UNKNOWN}

        back = migrate(BEFORE).get_model("patients", "Patient")
        joined = dict(back.objects.filter(pk__in=typed).values_list("pk", "address"))
        for pk, text in typed.items():
            line1, line2, city, state, zip_code = MOVES[text]
            if not city:  # moved whole: comes back word for word
                assert joined[pk] == text
            else:  # taken apart: comes back in the one written form
                assert joined[pk] == ", ".join(filter(None, (line1, line2, city))) + (
                    f", {state} {zip_code}"
                )
    finally:
        MigrationExecutor(connection).migrate(leaves)
    # And forward once more, as the application reads it.
    again = {p.pk: p.address_lines for p in Patient.objects.filter(pk__in=typed)}
    assert again[min(typed)] == ["12 Oak Lane", "Springfield, IL 62701"]
