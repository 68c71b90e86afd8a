"""API tokens: hashed at rest, shown once, revocable; `user_from_bearer` is the one lookup."""

import hashlib

import pytest
from django.db import connection

from tests.personas import Cast
from unknot.api.models import ApiToken
from unknot.api.tokens import token_create, token_revoke, user_from_bearer


def test_a_fresh_token_finds_its_user(cast: Cast) -> None:
    _, token = token_create(user=cast.therapist_a, name="scheduler")
    assert user_from_bearer(f"Bearer {token}") == cast.therapist_a
    assert user_from_bearer(f"bearer   {token}  ") == cast.therapist_a


def test_the_database_holds_only_the_digest(cast: Cast) -> None:
    row, token = token_create(user=cast.front_desk_a, name="website")
    row.refresh_from_db()
    assert row.digest == hashlib.sha256(token.encode()).hexdigest()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {ApiToken._meta.db_table}")  # noqa: S608
        stored = " ".join(str(value) for record in cursor.fetchall() for value in record)
    assert token not in stored
    assert token[:10] in stored  # the short prefix, to tell tokens apart, is all that shows


@pytest.mark.parametrize(
    "header",
    ["", "Bearer", "Bearer ", "Token {token}", "{token}", "Bearer unk_wrong", "Bearer {token}x"],
)
def test_malformed_or_unknown_headers_find_nobody(cast: Cast, header: str) -> None:
    _, token = token_create(user=cast.therapist_a, name="x")
    assert user_from_bearer(header.format(token=token)) is None


def test_a_revoked_token_finds_nobody(cast: Cast) -> None:
    row, token = token_create(user=cast.patient_p.user, name="phone")
    token_revoke(user=cast.patient_p.user, token_id=row.pk)
    assert user_from_bearer(f"Bearer {token}") is None


def test_someone_elses_token_cannot_be_revoked(cast: Cast) -> None:
    row, token = token_create(user=cast.therapist_a, name="x")
    with pytest.raises(ApiToken.DoesNotExist):
        token_revoke(user=cast.therapist_b, token_id=row.pk)
    assert user_from_bearer(f"Bearer {token}") == cast.therapist_a


def test_an_inactive_user_is_nobody(cast: Cast) -> None:
    _, token = token_create(user=cast.auditor, name="x")
    cast.auditor.is_active = False
    cast.auditor.save()
    assert user_from_bearer(f"Bearer {token}") is None


def test_use_is_recorded(cast: Cast) -> None:
    row, token = token_create(user=cast.therapist_a, name="x")
    assert row.last_used is None
    user_from_bearer(f"Bearer {token}")
    row.refresh_from_db()
    assert row.last_used is not None


def test_a_token_needs_a_name(cast: Cast) -> None:
    with pytest.raises(ValueError, match="name"):
        token_create(user=cast.therapist_a, name="  ")
