"""plans.hooks: what other apps add to a signed visit note, run in the signing's transaction."""

from tests.web import matrix_clinical as mc
from unknot.plans import hooks, visits


def test_a_hook_runs_once_when_the_note_is_signed_and_registering_twice_changes_nothing(
    cast, monkeypatch
):
    seen = []

    def told(visit, by, now):
        seen.append((visit.pk, by, now, visit.signed_at))

    monkeypatch.setattr(hooks, "_after_visit_signed", list(hooks._after_visit_signed))
    hooks.register(after_visit_signed=told)
    hooks.register(after_visit_signed=told)
    plan = mc.signed(cast)
    visit = mc.visit(cast, plan.episode)
    assert seen == []  # writing the note is not signing it
    visits.visit_sign(by=cast.therapist_a, visit=visit, now=mc.NOW)
    assert seen == [(visit.pk, cast.therapist_a, mc.NOW, mc.NOW)]
