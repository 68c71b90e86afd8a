"""The exercise library is data: at least 20 complete, safe-to-select entries."""

from unknot.care import exercise_library, vocab
from unknot.care.library import (
    CATEGORIES,
    IMPACTS,
    LOADINGS,
    PHASES,
    POSITIONS,
    SPINE_MOVEMENTS,
)


def test_at_least_twenty_complete_exercises() -> None:
    library = exercise_library()
    assert len(library) >= 20
    assert len({e.id for e in library}) == len(library)
    for e in library:
        assert e.instructions and e.dose and e.progress and e.regress and e.avoid_note, e.id
        assert e.intervention in vocab.INTERVENTIONS, e.id
        assert set(e.phases) <= set(PHASES) and e.phases, e.id
        assert e.category in CATEGORIES, e.id
        assert e.minutes > 0, e.id


def test_every_exercise_carries_the_tags_its_safety_verdict_reads() -> None:
    for e in exercise_library():
        assert e.loading in LOADINGS, e.id
        assert set(e.spine) <= set(SPINE_MOVEMENTS), e.id
        assert e.position in POSITIONS, e.id
        assert e.impact in IMPACTS, e.id
        assert e.direction in (*vocab.DIRECTIONS, "neutral"), e.id
    # The weight-training phase holds loaded exercises with a progressive loading rule.
    loaded = [e for e in exercise_library() if e.category == "loaded_strength"]
    assert loaded and all(e.loading == "external" and "add load" in e.progress for e in loaded)


def test_every_direction_has_a_directional_exercise() -> None:
    """So the directional-preference element always has an exercise to prescribe."""
    for direction in vocab.DIRECTIONS:
        assert any(e.directional and e.direction == direction for e in exercise_library())


def test_library_covers_the_programme() -> None:
    categories = {e.category for e in exercise_library()}
    assert {"stretch", "mobility", "motor_control", "strength", "loaded_strength", "posture"} <= (
        categories
    )
    for phase in PHASES:
        assert any(phase in e.phases for e in exercise_library())
