"""The evaluation pages: a new evaluation beside the intake, editing it until it is complete,
and reading it with the screen (SCREEN-1) as recorded so far."""

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from unknot import care
from unknot.accounts.access import SignedInRequest, staff_only
from unknot.accounts.roles import CHART_ROLES, CLINICAL_ROLES
from unknot.care import instruments
from unknot.care.instruments.base import reasons
from unknot.records.clinical import evaluation as ev
from unknot.records.clinical import in_person, mapping, screening
from unknot.records.clinical import selectors as sel
from unknot.records.clinical.pages import can_write, posted
from unknot.records.models import Episode
from unknot.records.selectors import get_episode_for_rw


def _value(measure: instruments.Measure, value: float, details: dict[str, Any]) -> str:
    said = f"{value:g}{'%' if measure.unit == '%' else ''}"
    summary = measure.summary(details)
    return f"{said} ({summary})" if summary else said


def scores_in_words(scores: care.Scores) -> list[tuple[str, str]]:
    """(questionnaire, its score in words) for every instrument of `care.instruments`: each
    measure's value with its details, the core's reason where it could not be scored, or "not
    given"."""
    out = []
    for instrument in instruments.REGISTRY:
        score = scores.get(instrument.key)
        said = []
        for row in instrument.rows(score):
            measure = instruments.measure(row.measure)
            named = f"{measure.label} " if len(instrument.measures) > 1 else ""
            said.append(named + _value(measure, row.value, row.details))
        said += reasons(score)
        out.append((instrument.label, "; ".join(said) or "not given"))
    return out


def intake_context(episode: Episode) -> dict[str, Any]:
    """The intake beside the evaluation: answers and the core's scores of them."""
    intake = sel.intake_of(episode)
    answers = intake.answers if intake else {}
    scores, problem = None, None
    try:
        case = care.parse_case(
            mapping.base_case(answers, episode.patient.date_of_birth, episode.opened_at.date())
        )
        scores = scores_in_words(care.score_all(case))
    except care.CaseError as error:
        problem = f"{error.field}: {error.reason}"
    flags = answers.get("red_flags", {})
    return {
        "intake": intake,
        "intake_answers": answers,
        "intake_flags_yes": [care.vocab.RED_FLAGS.get(k, k) for k, v in flags.items() if v],
        "intake_scores": scores,
        "intake_problem": problem,
        "intake_notes": intake.notes if intake and isinstance(intake.notes, dict) else {},
    }


def screen_context(episode: Episode, evaluation: Any, day: dt.date) -> dict[str, Any]:
    """SCREEN-1 per domain as recorded so far: the intake with this evaluation's answers."""
    answers = _answers_of(episode)
    try:
        found = screening.record_screen(answers, episode.patient.date_of_birth, day, evaluation)
    except care.CaseError as error:
        return {"screen_problem": f"{error.field}: {error.reason}"}
    return {"screen": found, "screen_rows": screening.rows(found)}


def _answers_of(episode: Episode) -> dict[str, Any]:
    intake = sel.intake_of(episode)
    return intake.answers if intake else {}


def _evaluation_page(request: HttpRequest, episode: Episode, form: Any, evaluation: Any = None):
    day = evaluation.performed_on if evaluation else ev.default_day(episode, timezone.now())
    context = {"episode": episode, "form": form, "groups": form.groups(), "evaluation": evaluation}
    context |= screen_context(episode, evaluation, day)
    return render(
        request, "records/clinical/evaluation_form.html", context | intake_context(episode)
    )


def _saved(request: SignedInRequest, form: Any, episode: Episode, evaluation: Any = None) -> Any:
    """Saves a valid form, or None: a refusal (say, completing on an open screen) is shown on
    the form and nothing is saved. `EvaluationLocked` is not caught here: the edit page then
    goes back to the completed evaluation instead of showing the form again."""
    try:
        return ev.evaluation_save(by=request.user, episode=episode, data=form.cleaned_data,
                                  evaluation=evaluation)  # fmt: skip
    except ev.EvaluationRefused as refused:
        form.add_error(None, refused.message)
        return None


@require_http_methods(["GET", "POST"])
@staff_only(CLINICAL_ROLES, writes=True)
def evaluation_new(request: SignedInRequest, episode_id: int) -> HttpResponse:
    episode = get_episode_for_rw(request.user, episode_id)
    answers = _answers_of(episode)
    initial = {"performed_on": ev.default_day(episode, timezone.now()),
               **in_person.initial(answers, {})}  # fmt: skip
    form = ev.EvaluationForm(posted(request), initial=initial, intake=answers)
    if request.method == "POST" and form.is_valid():
        saved = _saved(request, form, episode)
        if saved is not None:
            messages.success(request, "The evaluation was saved.")
            return redirect("clinical:evaluation", evaluation_id=saved.pk)
    return _evaluation_page(request, episode, form)


@require_http_methods(["GET", "POST"])
@staff_only(CLINICAL_ROLES, writes=True)
def evaluation_edit(request: SignedInRequest, evaluation_id: int) -> HttpResponse:
    evaluation = sel.get_evaluation_for_rw(request.user, evaluation_id)
    if evaluation.is_final:
        messages.info(request, "This evaluation is complete and can no longer be edited.")
        return redirect("clinical:evaluation", evaluation_id=evaluation.pk)
    answers = _answers_of(evaluation.episode)
    form = ev.EvaluationForm(posted(request), initial=ev.initial_from(evaluation, answers),
                             intake=answers)  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            if _saved(request, form, evaluation.episode, evaluation) is None:
                return _evaluation_page(request, evaluation.episode, form, evaluation)
        except ev.EvaluationLocked as locked:
            messages.error(request, locked.message)
        return redirect("clinical:evaluation", evaluation_id=evaluation.pk)
    return _evaluation_page(request, evaluation.episode, form, evaluation)


@require_safe
@staff_only(CHART_ROLES)
def evaluation_detail(request: HttpRequest, evaluation_id: int) -> HttpResponse:
    evaluation = sel.get_evaluation_for(request.user, evaluation_id)
    context = {"evaluation": evaluation, "episode": evaluation.episode,
               "can_write": can_write(request.user),
               "in_person": in_person.readable(evaluation.in_person),
               "exam": ev.readable_exam(evaluation.exam)}  # fmt: skip
    context |= screen_context(evaluation.episode, evaluation, evaluation.performed_on)
    return render(request, "records/clinical/evaluation.html", context)
