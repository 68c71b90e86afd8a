"""The intake's pages, in the order a person meets them."""

from dataclasses import dataclass

from unknot.care import instruments
from unknot.records.intake import forms, forms_scored


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    intro: str
    form: type[forms.SectionForm]
    red_flags: bool = False  # a safety page: an emergency answer here is acted on at once


_ABOUT_YOU: tuple[Section, ...] = (
    Section(
        "story",
        "Your back pain story",
        "How this episode began. Short answers are fine.",
        forms.StoryForm,
    ),
    Section(
        "where",
        "Where it hurts",
        "Where you feel it, and whether it travels down a leg.",
        forms.WhereForm,
    ),
    Section(
        "daily-life",
        "Triggers and daily life",
        "What sets it off, what helps, and what it gets in the way of.",
        forms.DailyForm,
    ),
    Section(
        "work-and-goals",
        "Work, activity and goals",
        "So your plan fits your work, your goals and the time you really have.",
        forms.WorkForm,
    ),
    Section(
        "health",
        "Health and medicines",
        "A few conditions and medicines change which treatments are safe for you.",
        forms.HealthForm,
    ),
    Section(
        "safety",
        "Safety questions: how you are now",
        "Back pain is rarely dangerous, but a few signs mean you need a doctor first. "
        "Please answer each one about how you are now.",
        forms.UrgentFlagsForm,
        red_flags=True,
    ),
    Section(
        "more-safety",
        "More safety questions",
        "These help your therapist choose what is safe and whether anyone else should see you.",
        forms.OtherFlagsForm,
        red_flags=True,
    ),
)
# Then the outcome questionnaires, one page each as care.instruments lays them out.
SECTIONS: tuple[Section, ...] = _ABOUT_YOU + tuple(
    Section(page.slug, page.title, page.intro, forms_scored.form_for(page))
    for page in instruments.PAGES
)

BY_SLUG = {section.slug: section for section in SECTIONS}
SAFETY_SLUGS = tuple(s.slug for s in SECTIONS if s.red_flags)


def get(slug: str) -> Section | None:
    return BY_SLUG.get(slug)


def after(slug: str) -> Section | None:
    """The next page, or None after the last one."""
    index = [s.slug for s in SECTIONS].index(slug)
    return SECTIONS[index + 1] if index + 1 < len(SECTIONS) else None
