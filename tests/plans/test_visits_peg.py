"""The visit side loops over care.instruments: PEG, re-measured at re-assessments, is asked,
scored, stored, shown on the chart and judged against its baseline without a line of its own."""

from typing import Any

import pytest
from django.urls import reverse

from tests.plans.test_visits import GOOD_ODI, GOOD_PSFS
from tests.web import matrix_clinical as mc
from unknot.care import instruments
from unknot.care.instruments import REASSESSMENT
from unknot.care.validate import check
from unknot.plans import elements as el
from unknot.plans import forms as f
from unknot.plans import visits as vs
from unknot.records.clinical import selectors as sel
from unknot.records.clinical.views_evaluation import intake_context
from unknot.records.models import OutcomeScore

# The intake of the clinical builders, with the PEG answered: mean 6.33.
WITH_PEG = mc.intake_answers(questionnaires=mc.INTAKE["questionnaires"] | {"peg": [6, 7, 6]})
PEG_BETTER = [5, 5, 4]  # mean 4.67: 1.67 points lower, more than its meaningful change of 1
PEG_SAME = [6, 6, 5]  # mean 5.67: 0.67 points lower, less than 1


def re_assessment_post(**peg: str) -> dict[str, str]:
    """The visit form at a re-assessment: ODI, the three PSFS activities, and the PEG given."""
    data = {"performed_on": "2031-03-03", "rescreen_done": "on", "nprs": "5",
            "iv-TOTAL_FORMS": "0", "iv-INITIAL_FORMS": "0"}  # fmt: skip
    data |= {f"re-odi_{n}": str(v) for n, v in enumerate(GOOD_ODI, start=1)}
    for n, item in enumerate(GOOD_PSFS, start=1):
        data |= {
            f"re-psfs_activity_{n}": item["activity"],
            f"re-psfs_score_{n}": str(item["score"]),
        }
    return data | {f"re-{name}": value for name, value in peg.items()}


@pytest.fixture
def plan(cast: Any) -> Any:
    return mc.signed(cast, mc.episode(cast, WITH_PEG))


def test_the_re_assessment_asks_every_instrument_re_measured_there() -> None:
    assert [i.key for i in vs.reassessed()] == ["odi", "psfs", "peg"]
    assert vs.reassessed() == instruments.remeasured_at(REASSESSMENT)
    form = f.ReassessmentForm()
    fields = list(form.fields)
    assert fields[:10] == [f"odi_{n}" for n in range(1, 11)]  # the names posted until now
    assert fields[10:20] == [name for n in range(1, 6)
                             for name in (f"psfs_activity_{n}", f"psfs_score_{n}")]  # fmt: skip
    assert fields[20:] == ["peg_1", "peg_2", "peg_3"]
    assert [key for key, _ in form.fields["odi_1"].choices] == ["", "0", "1", "2", "3", "4", "5"]
    assert "enjoyment of life" in form.fields["peg_2"].label
    assert (form.fields["peg_1"].min_value, form.fields["peg_1"].max_value) == (0, 10)
    assert form.names == "Oswestry, PSFS and PEG"


def test_its_answers_are_what_a_case_holds_for_each_instrument() -> None:
    data = {f"odi_{n}": str(v) for n, v in enumerate(GOOD_ODI, start=1)}
    data |= {"psfs_activity_1": "lifting boxes", "psfs_score_1": "6", "psfs_activity_2": "tying",
             "psfs_activity_4": "no score", "peg_1": "5", "peg_2": "0", "peg_3": "4"}  # fmt: skip
    form = f.ReassessmentForm(data)
    assert not form.is_valid()  # PSFS: one scored activity only
    answers = form.answers()
    assert answers == {"odi": GOOD_ODI, "psfs": [{"activity": "lifting boxes", "score": 6}],
                       "peg": [5, 0, 4]}  # fmt: skip
    for instrument in vs.reassessed():  # a questionnaire added later is read the same way
        check(answers[instrument.key], instrument.answers_schema)


def test_the_visit_form_asks_peg_at_a_re_assessment(cast: Any, plan: Any, settings: Any,
                                                   client: Any) -> None:  # fmt: skip
    settings.UNKNOT_REASSESS_EVERY_VISITS = 1
    client.force_login(cast.therapist_a)
    page = client.get(reverse("clinical:visit_new", args=[plan.episode.pk])).content.decode()
    assert "Re-assessment (every 1 visits): Oswestry, PSFS and PEG" in page
    assert 'name="re-peg_3"' in page and 'name="re-odi_10"' in page
    assert "PEG 1: On average, how bad was your pain in the past week?" in page


def test_a_re_assessment_without_the_peg_is_refused_with_the_cores_reason(
    cast: Any, plan: Any, settings: Any, client: Any
) -> None:
    settings.UNKNOT_REASSESS_EVERY_VISITS = 1
    client.force_login(cast.therapist_a)
    url = reverse("clinical:visit_new", args=[plan.episode.pk])
    response = client.post(url, re_assessment_post(peg_1="5"))
    assert response.status_code == 200
    assert "cannot score PEG: items unanswered: 2, 3" in response.content.decode()
    assert not plan.episode.visits.exists()


def test_the_peg_is_stored_as_a_re_assessment_and_judged_with_its_mcid(
    cast: Any, plan: Any, settings: Any, client: Any
) -> None:
    settings.UNKNOT_REASSESS_EVERY_VISITS = 1
    client.force_login(cast.therapist_a)
    url = reverse("clinical:visit_new", args=[plan.episode.pk])
    peg = {f"peg_{n}": str(v) for n, v in enumerate(PEG_BETTER, start=1)}
    response = client.post(url, re_assessment_post(**peg))
    assert response.status_code == 302, response.content.decode()
    visit = plan.episode.visits.get()
    stored = OutcomeScore.objects.get(episode=plan.episode, instrument="peg")
    assert (stored.source, stored.value, stored.loinc) == ("reassessment", 4.67, "91147-9")
    assert stored.details == {"pain": 5, "enjoyment": 5, "activity": 4, "visit": 1}
    again = OutcomeScore.objects.filter(episode=plan.episode, source="reassessment")
    assert sorted(again.values_list("instrument", flat=True)) == ["odi", "peg", "psfs"]
    change = {c["measure"]: c for c in visit.progression["change"]}
    assert list(change) == ["nprs", "odi", "psfs", "peg"]  # the followed measures, in order
    peg_change = change["peg"]
    assert (peg_change["baseline"], peg_change["current"]) == (6.33, 4.67)
    assert (peg_change["verdict"], peg_change["rule_id"]) == ("improved", "MCID-PEG")
    note = client.get(reverse("clinical:visit", args=[visit.pk])).content.decode()
    assert "PEG (pain, enjoyment of life, general activity): 6.33 → 4.67 (-1.66)" in note
    assert "MCID-PEG" in note


def test_a_change_smaller_than_its_mcid_is_no_meaningful_change(cast: Any, plan: Any) -> None:
    for _ in range(3):
        mc.visit(cast, plan.episode)
    fourth = mc.visit(cast, plan.episode, reassessment={"peg": PEG_SAME})
    (peg,) = OutcomeScore.objects.filter(source="reassessment")
    assert (peg.instrument, peg.value) == ("peg", 5.67)
    change = {c["measure"]: c for c in fourth.progression["change"]}
    assert list(change) == ["nprs", "peg"]  # ODI and PSFS were not given here
    assert (change["peg"]["verdict"], change["peg"]["difference"]) == ("unchanged", -0.66)


def test_the_chart_shows_its_baseline_and_its_scores(cast: Any, plan: Any, client: Any) -> None:
    for _ in range(3):
        mc.visit(cast, plan.episode)
    mc.visit(cast, plan.episode, reassessment={"peg": PEG_BETTER})
    assert sel.baseline(plan.episode, sel.intake_of(plan.episode)).of("peg") == 6.33
    client.force_login(cast.therapist_a)
    page = client.get(reverse("clinical:episode", args=[plan.episode.pk])).content.decode()
    assert "Baseline: Pain (NPRS) 7 · Oswestry (ODI) 46% · PSFS mean 3 · PEG mean 6.33" in page
    assert "<td>PEG mean (0-10)</td><td>4.67</td><td>reassessment</td>" in page


def test_a_goal_may_be_set_on_it_within_its_range() -> None:
    assert el.INSTRUMENT_NAMES == {"nprs": "Pain (NPRS)", "odi": "Oswestry (ODI)",
                                   "psfs": "PSFS mean", "peg": "PEG mean"}  # fmt: skip
    goal = {"term": "short", "instrument": "peg", "comparison": "<=", "weeks": "3"}
    assert f.GoalForm(goal | {"target": "4"}).is_valid()
    too_high = f.GoalForm(goal | {"target": "11"})
    assert not too_high.is_valid() and too_high.errors["target"] == ["At most 10 for this measure."]
    odi = f.GoalForm(goal | {"instrument": "odi", "target": "40"})
    assert odi.is_valid() and odi.spec() is not None
    assert odi.spec().describe() == "Oswestry (ODI) at most 40% within 3 weeks"


def test_the_intake_beside_the_evaluation_lists_every_instrument(cast: Any) -> None:
    shown = dict(intake_context(mc.episode(cast, WITH_PEG))["intake_scores"])
    assert list(shown) == [i.label for i in instruments.REGISTRY]
    assert shown["PEG (pain, enjoyment of life, general activity)"] == (
        "6.33 (pain 6, enjoyment of life 7, general activity 6)"
    )
    assert shown["Pain (NPRS 0-10)"] == "7"
    assert shown["FABQ"].startswith("FABQ physical activity 12 (")
    without = dict(intake_context(mc.episode(cast))["intake_scores"])
    assert without["PEG (pain, enjoyment of life, general activity)"] == "not given"
