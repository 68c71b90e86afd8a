"""What needs attention at a visit: each rule, safety first, in words."""

from dataclasses import replace

from unknot.staffarea.attention import EpisodeFacts, for_visit, visits_left

CALM = EpisodeFacts(
    intake="reviewed", emergency_in_intake=False, referral_open=False, visits_done=2,
    unsigned_notes=0, visits_planned=12, reassessment_next=False, adherence_falling=False,
)  # fmt: skip


def keys(facts: EpisodeFacts | None, call_first: bool = False) -> list[str]:
    return [item.key for item in for_visit(facts, call_first=call_first)]


def test_a_calm_episode_needs_nothing() -> None:
    assert keys(CALM) == []


def test_safety_comes_first_and_is_urgent() -> None:
    facts = replace(CALM, emergency_in_intake=True, referral_open=True, unsigned_notes=1)
    items = for_visit(facts, call_first=True)
    assert [i.key for i in items] == ["call_first", "emergency", "referral", "unsigned_notes"]
    assert [i.urgent for i in items] == [True, True, True, False]


def test_a_call_first_task_shows_even_without_an_episode() -> None:
    assert keys(None, call_first=True) == ["call_first"]
    assert keys(None) == []


def test_each_intake_state_that_is_not_reviewed_is_named() -> None:
    assert keys(replace(CALM, intake=None)) == ["intake_not_started"]
    assert keys(replace(CALM, intake="draft")) == ["intake_not_finished"]
    [item] = for_visit(replace(CALM, intake="submitted"), call_first=False)
    assert (item.key, item.urgent) == ("intake_to_review", True)  # its red flags are unread


def test_notes_to_sign_are_counted_in_words() -> None:
    [one] = for_visit(replace(CALM, unsigned_notes=1), call_first=False)
    [two] = for_visit(replace(CALM, unsigned_notes=2), call_first=False)
    assert (one.words, two.words) == ("1 visit note to sign", "2 visit notes to sign")


def test_visits_without_a_signed_plan_are_named() -> None:
    assert keys(replace(CALM, visits_planned=None)) == ["no_signed_plan"]
    assert keys(replace(CALM, visits_planned=None, visits_done=0)) == []


def test_a_reassessment_is_due_only_under_a_plan() -> None:
    assert keys(replace(CALM, reassessment_next=True)) == ["reassessment_due"]


def test_the_last_planned_visits_are_counted_down() -> None:
    words = {
        done: [i.words for i in for_visit(replace(CALM, visits_done=done), call_first=False)]
        for done in (9, 10, 11, 12, 14)
    }
    assert words == {
        9: [], 10: ["2 planned visits left"], 11: ["Last planned visit"],
        12: ["No planned visits left"], 14: ["No planned visits left"],
    }  # fmt: skip
    assert visits_left(replace(CALM, visits_planned=None)) is None


def test_falling_adherence_is_named() -> None:
    assert keys(replace(CALM, adherence_falling=True)) == ["adherence_falling"]


def test_recovery_off_track_names_the_suggested_action() -> None:
    [refer] = for_visit(replace(CALM, course="off_track", course_action="refer"), call_first=False)
    assert (refer.key, refer.urgent) == ("off_track", True) and "referral" in refer.words
    [change] = for_visit(
        replace(CALM, course="off_track", course_action="change_plan"), call_first=False
    )
    assert "change the plan" in change.words and change.urgent
    [again] = for_visit(replace(CALM, course="unknown", course_action="reassess"), call_first=False)
    assert (again.key, again.urgent) == ("course_unknown", False)
    assert keys(replace(CALM, course="on_track")) == keys(replace(CALM, course="too_early")) == []
