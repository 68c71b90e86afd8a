"""The pages a person fills in, shared by the portal and the front-desk tablet.

A `Mode` says where the pages live (the portal's own URLs, or the tablet's under an episode
id) and which layout frames them: the tablet's has no navigation at all.
"""

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from unknot import care
from unknot.records.intake import scoring, sections, services
from unknot.records.intake.forms import SectionForm
from unknot.records.models import Intake, IntakeStatus

AUTOSAVE_HEADER = "X-Intake-Autosave"


@dataclass(frozen=True)
class Mode:
    episode_id: int | None = None  # None: the patient's own portal

    @property
    def tablet(self) -> bool:
        return self.episode_id is not None

    @property
    def layout(self) -> str:
        kind = "tablet" if self.tablet else "portal"
        return f"records/intake/layout_{kind}.html"

    def url(self, name: str, **kwargs: Any) -> str:
        if self.tablet:
            return reverse(
                f"intake:tablet_{name}", kwargs={"episode_id": self.episode_id, **kwargs}
            )
        return reverse(f"intake:{name}", kwargs=kwargs or None)


@dataclass(frozen=True)
class Step:
    section: sections.Section
    url: str
    done: bool
    current: bool


def steps(intake: Intake, mode: Mode, current: str = "") -> list[Step]:
    return [
        Step(s, mode.url("section", slug=s.slug), s.slug in intake.sections_done, s.slug == current)
        for s in sections.SECTIONS
    ]


def base_context(intake: Intake, mode: Mode, current: str = "") -> dict[str, Any]:
    return {
        "intake": intake,
        "clinic": intake.episode.clinic,
        "layout": mode.layout,
        "mode": mode,
        "steps": steps(intake, mode, current),
        "done_count": len(intake.sections_done),
        "total": len(sections.SECTIONS),
        "overview_url": mode.url("overview"),
        "submit_url": mode.url("submit"),
        "emergency_url": mode.url("emergency"),
        "done_url": mode.url("done"),
    }


def overview(request: HttpRequest, intake: Intake, mode: Mode) -> HttpResponse:
    context = base_context(intake, mode) | {
        "safety_done": services.safety_done(intake),
        "first_open": next((s for s in steps(intake, mode) if not s.done), None),
    }
    return render(request, "records/intake/overview.html", context)


def _is_autosave(request: HttpRequest) -> bool:
    return request.headers.get(AUTOSAVE_HEADER) == "1"


def _new_form(section: sections.Section, intake: Intake, data: Any = None) -> SectionForm:
    today = scoring.clinic_today(intake, timezone.now())
    if data is not None:
        return section.form(data, today=today)
    initial = section.form.initial_from(intake.answers, intake.notes)
    return section.form(initial=initial, today=today)


def _save(intake: Intake, section: sections.Section, form: SectionForm) -> services.Saved | None:
    """Saves a valid form; a CaseError from the core becomes an error on its question."""
    if not form.is_valid():
        return None
    try:
        return services.save_section(intake=intake, section=section, form=form, now=timezone.now())
    except care.CaseError as error:
        field = form.field_for(error.field)
        form.add_error(field, "Please check this answer: we could not save it as it is.")
        return None


def _emergency_url(saved: services.Saved, section: sections.Section, mode: Mode) -> str | None:
    # On a safety page every emergency answer shows the guidance; elsewhere (say, a medicine
    # that completes the picture) only the save that raised the alert does, once.
    if saved.emergency and (section.red_flags or saved.newly_emergency):
        return mode.url("emergency")
    return None


def _json(form: SectionForm, saved: services.Saved | None, intake: Intake, mode: Mode,
          section: sections.Section) -> JsonResponse:  # fmt: skip
    if saved is None:
        errors = {name: [str(e) for e in errs] for name, errs in form.errors.items()}
        return JsonResponse({"saved": False, "errors": errors}, status=422)
    return JsonResponse(
        {
            "saved": True,
            "section_done": saved.section_done,
            "done_count": len(intake.sections_done),
            "total": len(sections.SECTIONS),
            "emergency_url": _emergency_url(saved, section, mode),
        }
    )


def _closed(request: HttpRequest, mode: Mode) -> HttpResponse:
    if _is_autosave(request):
        return JsonResponse({"saved": False, "closed": True}, status=409)
    messages.info(request, "Your answers are already with the clinic. Tell your therapist at "
                  "your visit if something has changed.")  # fmt: skip
    return redirect(mode.url("overview"))


def section_page(request: HttpRequest, intake: Intake, mode: Mode, slug: str) -> HttpResponse:
    section = sections.get(slug)
    if section is None:
        raise Http404("No such page in the intake.")
    if intake.status != IntakeStatus.DRAFT:
        return _closed(request, mode)
    if request.method != "POST":
        return _render_section(request, intake, mode, section, _new_form(section, intake))
    form = _new_form(section, intake, request.POST)
    try:
        saved = _save(intake, section, form)
    except services.IntakeClosed:
        return _closed(request, mode)
    if _is_autosave(request):
        return _json(form, saved, intake, mode, section)
    if saved is None:
        return _render_section(request, intake, mode, section, form, status=422)
    return redirect(_emergency_url(saved, section, mode) or _next_url(section, mode))


def _next_url(section: sections.Section, mode: Mode) -> str:
    following = sections.after(section.slug)
    return mode.url("section", slug=following.slug) if following else mode.url("overview")


def _render_section(request: HttpRequest, intake: Intake, mode: Mode, section: sections.Section,
                    form: SectionForm, status: int = 200) -> HttpResponse:  # fmt: skip
    following = sections.after(section.slug)
    context = base_context(intake, mode, section.slug) | {
        "section": section,
        "form": form,
        "action": mode.url("section", slug=section.slug),
        "next_title": following.title if following else "",
        "number": [s.slug for s in sections.SECTIONS].index(section.slug) + 1,
    }
    return render(request, "records/intake/section.html", context, status=status)


def submit(request: HttpRequest, intake: Intake, mode: Mode) -> HttpResponse:
    try:
        services.submit(intake=intake, now=timezone.now())
    except services.IntakeClosed:
        return redirect(mode.url("done"))
    except services.SafetyNotAnswered:
        messages.error(request, "Please answer the two pages of safety questions before sending.")
        return redirect(mode.url("overview"))
    return redirect(mode.url("done"))


def emergency(request: HttpRequest, intake: Intake | None, mode: Mode) -> HttpResponse:
    context = {"layout": mode.layout, "mode": mode, "intake": intake}
    if intake is not None:
        context["clinic"] = intake.episode.clinic
    return render(request, "records/intake/emergency.html", context)


def unscored(intake: Intake) -> list[str]:
    """Questionnaires we could not score, in plain names, for the thank-you page."""
    today = scoring.clinic_today(intake, timezone.now())
    return scoring.not_scored(scoring.scores_for(intake, today))
