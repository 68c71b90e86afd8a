"""The certifying physician's one name field split into a first and a last name (plans 0005),
both ways: a name typed with a title or credentials loses them and its last word is the last
name; back, the two are joined again."""

from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.web import matrix_clinical as mc
from unknot.plans import certification as cert
from unknot.plans.models import Certification

BEFORE = [("plans", "0004_plan_certification")]
AFTER = [("plans", "0005_physician_first_and_last_name")]
TYPED = {
    "Dr. Rosa Quinn, MD": ("Rosa", "Quinn"),
    "dr  Ana Maria   Lopez": ("Ana Maria", "Lopez"),
    "Li Chen, DO, PhD": ("Li", "Chen"),
    "Doctor Sam O'Neil": ("Sam", "O'Neil"),
    "Quinn": ("", "Quinn"),
}


def names() -> dict[int, tuple[str, str]]:
    rows = Certification.objects.values_list("pk", "physician_first_name", "physician_last_name")
    return {pk: (first, last) for pk, first, last in rows}


@pytest.mark.django_db(transaction=True)
def test_the_physicians_name_is_split_and_joined_again(cast: Any) -> None:
    plan = mc.signed(cast)
    physician = cert.Physician("Rosa", "Quinn", "1234567893", "quinn@example.org")
    sent = cert.certification_send(by=cast.therapist_a, plan=plan, physician=physician, now=mc.NOW)
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    try:
        executor.migrate(BEFORE)
        old = executor.loader.project_state(BEFORE).apps.get_model("plans", "Certification")
        assert old.objects.get(pk=sent.pk).physician_name == "Rosa Quinn"
        fields = old.objects.filter(pk=sent.pk).values().get()
        fields.pop("id")
        typed = {
            old.objects.create(**(fields | {"physician_name": name})).pk: name for name in TYPED
        }
        MigrationExecutor(connection).migrate(AFTER)
    finally:
        MigrationExecutor(connection).migrate(leaves)

    split = names()
    assert split[sent.pk] == ("Rosa", "Quinn")
    assert {typed[pk]: split[pk] for pk in typed} == TYPED
    assert Certification.objects.get(pk=sent.pk).physician_name == "Rosa Quinn"
