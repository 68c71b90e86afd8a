"""A typed name matches the record's leniently: case, accents, punctuation, spacing and
middle names aside, the first given name and the last family name must be there."""

import pytest

from unknot.paperwork.names import name_matches, words_of


@pytest.mark.parametrize(
    "typed",
    ["Penny Parker", "penny  parker", "PENNY PARKER.", "Penny J. Parker", " Penny Jane Parker "],
)
def test_the_same_name_written_differently_matches(typed: str) -> None:
    assert name_matches(typed, "Penny", "Parker")


@pytest.mark.parametrize("typed", ["Parker", "P. Parker", "Peggy Parker", "Penny Porter", ""])
def test_another_or_a_partial_name_does_not(typed: str) -> None:
    assert not name_matches(typed, "Penny", "Parker")


def test_accents_hyphens_and_apostrophes_are_lenient() -> None:
    assert name_matches("Jose Nunez", "José", "Núñez")
    assert name_matches("Mary Smith Jones", "Mary-Ann", "Smith-Jones")
    assert name_matches("Mary Jones", "Mary-Ann", "Smith-Jones")
    assert name_matches("Sean O\u2019Brien", "Seán", "O'Brien")
    assert words_of("  O'Brien-Smith, Jr. ") == ["o'brien", "smith", "jr"]


def test_the_order_counts() -> None:
    assert not name_matches("Parker Penny", "Penny", "Parker")
