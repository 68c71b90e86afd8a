"""The episode chart, a therapist's caseload, a patient's episodes and the evaluation pages."""

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from unknot import care
from unknot.accounts.access import is_read_only, staff_only, staff_role
from unknot.accounts.roles import CLINICAL_ROLES, Role
from unknot.booking.safety_calls import safety_calls_of_episode
from unknot.patients.selectors import get_patient_for
from unknot.records.clinical import evaluation as ev
from unknot.records.clinical import holds, in_person, mapping, screening
from unknot.records.clinical import selectors as sel
from unknot.records.models import Episode
from unknot.records.selectors import get_episode_for, get_episode_for_rw

CASELOAD_LIMIT = 200


def holds_view(episode: Episode) -> list[dict[str, Any]]:
    """The episode's referrals and clearances, in words, for the chart and the visit form."""
    return [holds.summary(hold) for hold in holds.holds_of(episode)]


def posted(request: HttpRequest) -> Any:
    """The POST data to bind a form to (even an empty POST), or None for a GET."""
    return request.POST if request.method == "POST" else None


def can_write(user: Any) -> bool:
    """Shows the clinical buttons only to those the write views would let through."""
    return staff_role(user) in CLINICAL_ROLES and not is_read_only(user)


@require_safe
@staff_only()
def episode_chart(request: HttpRequest, episode_id: int) -> HttpResponse:
    episode = get_episode_for(request.user, episode_id)
    context = sel.chart(episode) | {
        "can_write": can_write(request.user),
        "holds": holds_view(episode),
        "safety_calls": safety_calls_of_episode(request.user, episode),
    }
    return render(request, "records/clinical/chart.html", context)


@require_safe
@staff_only()
def caseload(request: HttpRequest) -> HttpResponse:
    """The signed-in therapist's open episodes, or (?therapist=) a colleague's at their clinics."""
    therapists = sel.therapists_visible_to(request.user)
    chosen = request.GET.get("therapist", "")
    therapist = None
    if chosen.isdigit():
        therapist = sel.get_therapist_for(request.user, int(chosen))
    elif staff_role(request.user) == Role.THERAPIST:
        therapist = request.user.staff_member  # type: ignore[union-attr]
    rows = []
    if therapist is not None:
        rows = list(sel.caseload(request.user, therapist, timezone.now())[:CASELOAD_LIMIT])
    context = {"therapist": therapist, "therapists": therapists, "rows": rows}
    return render(request, "records/clinical/caseload.html", context)


@require_safe
@staff_only()
def patient_episodes(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = get_patient_for(request.user, patient_id)
    episodes = sel.episodes_of_patient(request.user, patient)
    return render(
        request, "records/clinical/patient_episodes.html", {"patient": patient, "rows": episodes}
    )


def intake_context(episode: Episode) -> dict[str, Any]:
    """The intake beside the evaluation: answers and the core's scores of them."""
    intake = sel.intake_of(episode)
    answers = intake.answers if intake else {}
    scores, problem = None, None
    try:
        case = care.parse_case(
            mapping.base_case(answers, episode.patient.date_of_birth, episode.opened_at.date())
        )
        scores = care.to_json(care.assess(case))["scores"]
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


def _saved(request: HttpRequest, form: Any, episode: Episode, evaluation: Any = None) -> Any:
    """Saves a valid form, or None: a refusal (say, completing on an open screen) is shown on
    the form and nothing is saved."""
    try:
        return ev.evaluation_save(by=request.user, episode=episode, data=form.cleaned_data,
                                  evaluation=evaluation)  # fmt: skip
    except ev.EvaluationRefused as refused:
        form.add_error(None, refused.message)
        return None


@require_http_methods(["GET", "POST"])
@staff_only(CLINICAL_ROLES, writes=True)
def evaluation_new(request: HttpRequest, episode_id: int) -> HttpResponse:
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
def evaluation_edit(request: HttpRequest, evaluation_id: int) -> HttpResponse:
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
        except ev.EvaluationLocked:
            messages.error(request, "Someone completed this evaluation meanwhile.")
        return redirect("clinical:evaluation", evaluation_id=evaluation.pk)
    return _evaluation_page(request, evaluation.episode, form, evaluation)


@require_safe
@staff_only()
def evaluation_detail(request: HttpRequest, evaluation_id: int) -> HttpResponse:
    evaluation = sel.get_evaluation_for(request.user, evaluation_id)
    context = {"evaluation": evaluation, "episode": evaluation.episode,
               "can_write": can_write(request.user),
               "in_person": in_person.readable(evaluation.in_person),
               "exam": ev.readable_exam(evaluation.exam)}  # fmt: skip
    context |= screen_context(evaluation.episode, evaluation, evaluation.performed_on)
    return render(request, "records/clinical/evaluation.html", context)
