"""One form per intake section. Forms parse and translate; they decide nothing clinical.

Every question is optional when saving, so a half-done page can always be kept; a section
counts as done once its `needed` questions have an answer. `apply` writes the answers into
the care core's input shape; `initial_from` reads them back to fill the page again.
"""

import datetime as dt
import re
from typing import Any

from django import forms

from unknot.care import vocab
from unknot.common import inputs
from unknot.common.formfields import choice_field
from unknot.records.intake import answers as paths
from unknot.records.intake import wording
from unknot.records.intake.answers import Answers

NOT_SURE = "unsure"


def radio(label: str, choices: Any, help_text: str = "", coerce: Any = str) -> forms.Field:
    return forms.TypedChoiceField(
        label=label,
        choices=choices,
        coerce=coerce,
        empty_value=None,
        required=False,
        help_text=help_text,
        widget=forms.RadioSelect,
    )


def _ticks(label: str, choices: Any, help_text: str = "") -> forms.Field:
    return forms.MultipleChoiceField(
        label=label,
        choices=choices,
        required=False,
        help_text=help_text,
        widget=forms.CheckboxSelectMultiple,
    )


def _text(label: str, max_length: int = 2000, rows: int = 4, help_text: str = "") -> forms.Field:
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=False,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def _number(label: str, lo: int, hi: int, help_text: str = "") -> forms.Field:
    return forms.IntegerField(
        label=label,
        min_value=lo,
        max_value=hi,
        required=False,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "invalid": "Please enter a whole number.",
            "min_value": f"Please enter a number from {lo} to {hi}.",
            "max_value": f"Please enter a number from {lo} to {hi}.",
        },
    )


def _yes_no_value(choice: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(choice or "")


def _yes_no_choice(stored: Answers, path: str) -> str | None:
    if not paths.has(stored, path):
        return None
    value = paths.get(stored, path)
    return {True: "yes", False: "no"}.get(value, NOT_SURE)


class SectionForm(forms.Form):
    """Base of every section: which questions finish it and where the core's errors land."""

    needed: tuple[str, ...] = ()
    # care-core path -> form field, so a CaseError is shown next to the question it is about.
    error_fields: dict[str, str] = {}
    # care-core list path -> field name pattern, for errors like "questionnaires.odi[3]".
    indexed_fields: dict[str, str] = {}
    # (heading, intro, field names) shown as groups on the page; None = one group of everything.
    groups: tuple[tuple[str, str, tuple[str, ...]], ...] | None = None
    # Tick lists where "nothing ticked" is an answer of its own ("none of these").
    none_ticked_is_an_answer: tuple[str, ...] = ()

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    @classmethod
    def initial_from(cls, stored: Answers, notes: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def apply(self, stored: Answers, notes: dict[str, Any]) -> None:
        raise NotImplementedError

    def is_done(self) -> bool:
        return all(self.cleaned_data.get(name) not in paths.EMPTY for name in self.needed)

    def field_for(self, case_path: str) -> str | None:
        """The form field a care-core error path belongs to, or None for a page-wide error."""
        match = re.fullmatch(r"(.+?)\[(\d+)\](\..*)?", case_path)
        if match and match.group(1) in self.indexed_fields:
            name = self.indexed_fields[match.group(1)].format(n=int(match.group(2)) + 1)
            return name if name in self.fields else None
        for prefix, name in self.error_fields.items():
            if case_path == prefix or case_path.startswith(prefix + "."):
                return name
        return None

    def ticked(self, name: str) -> list[str]:
        """Ticked boxes in the order they are listed, so stored answers are stable."""
        chosen = set(self.cleaned_data[name])
        # Read back, choices are the normalized list of pairs; the stubs give the getter the
        # setter's wider type (mappings, Choices classes, callables):
        listed = choice_field(self, name).choices
        return [str(key) for key, _ in listed if key in chosen]  # type: ignore[misc, union-attr]

    def grouped(self) -> list[tuple[str, str, list[forms.BoundField]]]:
        if self.groups is None:
            return [("", "", [self[name] for name in self.fields])]
        return [(title, intro, [self[n] for n in names]) for title, intro, names in self.groups]


def _choices(keys: tuple[str, ...] | list[str], words: dict[str, str]) -> list[tuple[str, str]]:
    return [(key, words[key]) for key in keys]


class StoryForm(SectionForm):
    needed = ("onset_date", "causes")
    error_fields = {
        "episode.onset_date": "onset_date",
        "visit.date": "onset_date",
        "episode.causes": "causes",
    }

    onset_date = inputs.DateField(
        label="About when did this back pain start?",
        help_text="Your best guess is fine.",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Please enter a date, for example 2026-03-09."},
    )
    causes = _ticks(
        "What do you think set it off? Tick all that fit.",
        _choices(vocab.CAUSES, wording.CAUSES),
    )
    story = _text(
        "In your own words, what happened?", help_text="As much or as little as you like."
    )

    def clean_onset_date(self) -> dt.date | None:
        value: dt.date | None = self.cleaned_data.get("onset_date")
        if value is not None and value > self.today:
            raise forms.ValidationError("That date is in the future; please check it.")
        return value

    @classmethod
    def initial_from(cls, stored: Answers, notes: dict[str, Any]) -> dict[str, Any]:
        return {
            "onset_date": paths.get(stored, "episode.onset_date"),
            "causes": paths.get(stored, "episode.causes") or [],
            "story": notes.get("story", ""),
        }

    def apply(self, stored: Answers, notes: dict[str, Any]) -> None:
        onset = self.cleaned_data["onset_date"]
        paths.put(stored, "episode.onset_date", onset.isoformat() if onset else None)
        paths.put(stored, "episode.causes", self.ticked("causes"))
        notes["story"] = self.cleaned_data["story"]


class WhereForm(SectionForm):
    needed = ("pain_side", "below_knee", "spasm")
    error_fields = {
        "episode.pain_side": "pain_side",
        "episode.below_knee": "below_knee",
        "episode.spasm": "spasm",
    }

    pain_side = radio("Where is the pain?", _choices(vocab.PAIN_SIDES, wording.PAIN_SIDES))
    below_knee = radio(
        "Does the pain, numbness or tingling spread down a leg below the knee?",
        wording.YES_NO_UNSURE,
    )
    spasm = radio(
        "Do the muscles of your back tighten or cramp up (spasm) without you meaning them to?",
        wording.YES_NO_UNSURE,
    )

    @classmethod
    def initial_from(cls, stored: Answers, notes: dict[str, Any]) -> dict[str, Any]:
        return {
            "pain_side": paths.get(stored, "episode.pain_side"),
            "below_knee": _yes_no_choice(stored, "episode.below_knee"),
            "spasm": _yes_no_choice(stored, "episode.spasm"),
        }

    def apply(self, stored: Answers, notes: dict[str, Any]) -> None:
        paths.put(stored, "episode.pain_side", self.cleaned_data["pain_side"])
        for name in ("below_knee", "spasm"):
            choice = self.cleaned_data[name]
            if choice is None:
                paths.put(stored, f"episode.{name}", None)
            else:
                paths.put_answered(stored, f"episode.{name}", _yes_no_value(choice))


class DailyForm(SectionForm):
    needed = ("triggers",)

    triggers = _text(
        "What sets the pain or the spasms off in your day?",
        help_text="For example bending to put on shoes, getting out of bed, a long drive.",
    )
    eases = _text("What makes it easier?", help_text="For example heat, walking, lying down.")
    daily_life = _text("What does the pain stop you doing, at home or with family?")

    @classmethod
    def initial_from(cls, stored: Answers, notes: dict[str, Any]) -> dict[str, Any]:
        return {name: notes.get(name, "") for name in ("triggers", "eases", "daily_life")}

    def apply(self, stored: Answers, notes: dict[str, Any]) -> None:
        for name in ("triggers", "eases", "daily_life"):
            notes[name] = self.cleaned_data[name]


class WorkForm(SectionForm):
    needed = ("work", "activity_level", "home_minutes_per_day", "visits_per_week")
    error_fields = {
        "lifestyle.work": "work",
        "lifestyle.activity_level": "activity_level",
        "lifestyle.goals": "goal_1",
        "lifestyle.home_minutes_per_day": "home_minutes_per_day",
        "lifestyle.visits_per_week": "visits_per_week",
    }
    indexed_fields = {"lifestyle.goals": "goal_{n}"}
    GOALS = ("goal_1", "goal_2", "goal_3")

    work = _ticks(
        "What does your work ask of your back? Tick all that fit.",
        _choices(vocab.WORK_DEMANDS, wording.WORK_DEMANDS),
    )
    activity_level = radio(
        "How active are you usually, before this pain?",
        _choices(vocab.ACTIVITY_LEVELS, wording.ACTIVITY_LEVELS),
    )
    goal_1 = forms.CharField(
        label="What would you most like to get back to?",
        help_text="For example: pick up my daughter, play a full round of golf.",
        max_length=200,
        required=False,
    )
    goal_2 = forms.CharField(label="Another goal (if you have one)", max_length=200, required=False)
    goal_3 = forms.CharField(
        label="One more goal (if you have one)", max_length=200, required=False
    )
    home_minutes_per_day = _number(
        "How many minutes a day could you give to exercises at home?",
        0,
        240,
        help_text="Be honest: a short plan you keep to helps more than a long one you can't.",
    )
    visits_per_week = _number("How many times a week could you come to the clinic?", 0, 7)

    @classmethod
    def initial_from(cls, stored: Answers, notes: dict[str, Any]) -> dict[str, Any]:
        goals = [*(paths.get(stored, "lifestyle.goals") or []), "", "", ""]
        return {
            "work": paths.get(stored, "lifestyle.work") or [],
            "activity_level": paths.get(stored, "lifestyle.activity_level"),
            **dict(zip(cls.GOALS, goals, strict=False)),
            "home_minutes_per_day": paths.get(stored, "lifestyle.home_minutes_per_day"),
            "visits_per_week": paths.get(stored, "lifestyle.visits_per_week"),
        }

    def apply(self, stored: Answers, notes: dict[str, Any]) -> None:
        data = self.cleaned_data
        goals = [data[name].strip() for name in self.GOALS if data[name].strip()]
        paths.put(stored, "lifestyle.work", self.ticked("work"))
        paths.put(stored, "lifestyle.activity_level", data["activity_level"])
        paths.put(stored, "lifestyle.goals", goals)
        for name in ("home_minutes_per_day", "visits_per_week"):
            paths.put(stored, f"lifestyle.{name}", data[name])


class HealthForm(SectionForm):
    needed = ("pregnant",)
    none_ticked_is_an_answer = ("conditions", "medicines")
    error_fields = {
        "conditions": "conditions",
        "medicines": "medicines",
        "patient.pregnancy_weeks": "pregnancy_weeks",
        "patient.pregnant": "pregnant",
        "patient.postpartum_weeks": "postpartum_weeks",
    }

    conditions = _ticks(
        "Has a doctor told you that you have any of these? Tick all that apply.",
        [(key, wording.condition(key, text)) for key, text in vocab.CONDITIONS.items()],
        help_text="“In the area” means your lower back. Leave all unticked if none apply.",
    )
    medicines = _ticks(
        "Do you take any of these medicines? Tick all that apply.",
        [(key, wording.sentence(text)) for key, text in vocab.MEDICINES.items()],
        help_text="If you are not sure what a medicine is, bring the box to your visit.",
    )
    pregnant = radio("Are you pregnant?", wording.PREGNANT_CHOICES)
    pregnancy_weeks = _number("If you are pregnant: how many weeks?", 0, 45)
    postpartum_weeks = _number(
        "If you have given birth in the last year, how many weeks ago?",
        0,
        52,
        help_text="Leave this empty if it does not apply to you.",
    )

    @classmethod
    def initial_from(cls, stored: Answers, notes: dict[str, Any]) -> dict[str, Any]:
        pregnant = paths.get(stored, "patient.pregnant")
        return {
            # None (never saved) is not the same as [] (saved with nothing ticked).
            "conditions": stored.get("conditions"),
            "medicines": stored.get("medicines"),
            "pregnant": {True: "yes", False: "no"}.get(pregnant, notes.get("pregnant_na")),
            "pregnancy_weeks": paths.get(stored, "patient.pregnancy_weeks"),
            "postpartum_weeks": paths.get(stored, "patient.postpartum_weeks"),
        }

    def apply(self, stored: Answers, notes: dict[str, Any]) -> None:
        data = self.cleaned_data
        # Saving this page answers both lists, even with nothing ticked: an empty list tells
        # the core "asked, none" (SCREEN-1), where an absent one means "not asked".
        paths.put_answered(stored, "conditions", self.ticked("conditions"))
        paths.put_answered(stored, "medicines", self.ticked("medicines"))
        paths.put(stored, "patient.pregnant", _yes_no_value(data["pregnant"]))
        paths.put(stored, "patient.pregnancy_weeks", data["pregnancy_weeks"])
        paths.put(stored, "patient.postpartum_weeks", data["postpartum_weeks"])
        # "Does not apply" is an answer the core has no key for; remember it to fill the page.
        notes["pregnant_na"] = "na" if data["pregnant"] == "na" else None


class RedFlagsForm(SectionForm):
    """Yes/no questions, one per care-core red-flag key in `flags`."""

    flags: dict[str, str] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, question in self.flags.items():
            self.fields[key] = radio(question, wording.YES_NO)
        self.needed = tuple(self.flags)
        self.error_fields = {f"red_flags.{key}": key for key in self.flags}

    @classmethod
    def initial_from(cls, stored: Answers, notes: dict[str, Any]) -> dict[str, Any]:
        return {key: _yes_no_choice(stored, f"red_flags.{key}") for key in cls.flags}

    def apply(self, stored: Answers, notes: dict[str, Any]) -> None:
        for key in self.flags:
            paths.put(stored, f"red_flags.{key}", _yes_no_value(self.cleaned_data[key]))


class UrgentFlagsForm(RedFlagsForm):
    flags = wording.URGENT_FLAGS


class OtherFlagsForm(RedFlagsForm):
    flags = wording.OTHER_FLAGS
