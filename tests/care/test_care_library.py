"""The exercise library is data: at least 20 complete, safe-to-select entries."""

from unknot.care import exercise_library, vocab
from unknot.care.library import CATEGORIES, PHASES

KNOWN_FACTS = (
    set(vocab.CONDITIONS)
    | set(vocab.MEDICINES)
    | set(vocab.RED_FLAGS)
    | {"pregnant", "RF-FRACTURE"}
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
        assert set(e.avoid_when) <= KNOWN_FACTS, e.id
        assert e.minutes > 0, e.id


def test_library_covers_the_programme() -> None:
    categories = {e.category for e in exercise_library()}
    assert {"stretch", "mobility", "motor_control", "strength", "loaded_strength", "posture"} <= (
        categories
    )
    for phase in PHASES:
        assert any(phase in e.phases for e in exercise_library())
