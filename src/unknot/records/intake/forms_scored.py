"""The scored questionnaires as intake pages: STarT Back, Oswestry, NPRS with PSFS, FABQ.

Each stores its answers as the list the care core scores by position; see questionnaires.py
for the wording.
"""

from typing import Any

from django import forms

from unknot.records.intake import answers as paths
from unknot.records.intake import questionnaires as q
from unknot.records.intake.answers import Answers
from unknot.records.intake.forms import SectionForm, radio


def _list_or_none(values: list[Any]) -> list[Any] | None:
    """A questionnaire with no answer at all is left out, so the core reports it as not given."""
    return values if any(v is not None for v in values) else None


class StartBackForm(SectionForm):
    ITEMS = tuple(f"item_{n}" for n in range(1, 10))
    needed = ITEMS
    indexed_fields = {"questionnaires.start_back": "item_{n}"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for n, text in enumerate(q.START_BACK_ITEMS, start=1):
            self.fields[f"item_{n}"] = radio(text, q.START_BACK_AGREE)
        self.fields["item_9"] = radio(q.START_BACK_BOTHER, q.START_BACK_BOTHER_CHOICES)
        self.groups = (("", q.START_BACK_INTRO, self.ITEMS[:8]), ("", "", ("item_9",)))

    @classmethod
    def initial_from(cls, stored: Answers, notes: dict[str, Any]) -> dict[str, Any]:
        items = paths.get(stored, "questionnaires.start_back") or [None] * 9
        agree = {True: "agree", False: "disagree"}
        initial = {f"item_{n}": agree.get(v) for n, v in enumerate(items[:8], start=1)}
        return initial | {"item_9": items[8]}

    def apply(self, stored: Answers, notes: dict[str, Any]) -> None:
        agree = {"agree": True, "disagree": False}
        items: list[Any] = [agree.get(self.cleaned_data[n] or "") for n in self.ITEMS[:8]]
        items.append(self.cleaned_data["item_9"])
        paths.put(stored, "questionnaires.start_back", _list_or_none(items))


class OdiForm(SectionForm):
    SECTIONS = tuple(f"section_{n}" for n in range(1, 11))
    # The sex-life section may be skipped; the core allows one missing section (ODI-MISSING).
    needed = tuple(s for s in SECTIONS if s != "section_8")
    indexed_fields = {"questionnaires.odi": "section_{n}"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for n, (title, statements) in enumerate(q.ODI_SECTIONS, start=1):
            choices = list(enumerate(statements))
            self.fields[f"section_{n}"] = radio(
                f"{n}. {title}",
                choices,
                help_text="Choose the one that fits you best today.",
                coerce=int,
            )

    @classmethod
    def initial_from(cls, stored: Answers, notes: dict[str, Any]) -> dict[str, Any]:
        sections = paths.get(stored, "questionnaires.odi") or [None] * 10
        return {f"section_{n}": v for n, v in enumerate(sections, start=1)}

    def apply(self, stored: Answers, notes: dict[str, Any]) -> None:
        values = [self.cleaned_data[name] for name in self.SECTIONS]
        paths.put(stored, "questionnaires.odi", _list_or_none(values))


class PainForm(SectionForm):
    """Pain today (NPRS) and the person's own activities (PSFS)."""

    ROWS = range(1, 6)
    needed = ("nprs", "activity_1", "activity_2", "activity_3")
    error_fields = {"questionnaires.nprs": "nprs", "questionnaires.psfs": "activity_1"}
    indexed_fields = {"questionnaires.psfs": "activity_{n}"}

    nprs = radio(q.NPRS_QUESTION, q.NPRS_SCALE, coerce=int)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scale = [("", "Choose 0 to 10"), *((n, f"{n}") for n in range(11))]
        for n in self.ROWS:
            self.fields[f"activity_{n}"] = forms.CharField(
                label=f"Activity {n}", max_length=200, required=False
            )
            self.fields[f"score_{n}"] = forms.TypedChoiceField(
                label=f"How well can you do activity {n} today? (0 = not at all, 10 = as before)",
                choices=scale,
                coerce=int,
                empty_value=None,
                required=False,
            )
        rows = tuple(name for n in self.ROWS for name in (f"activity_{n}", f"score_{n}"))
        self.groups = (
            ("Your pain today", "", ("nprs",)),
            ("Activities that are hard for you", q.PSFS_INTRO, rows),
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for n in self.ROWS:
            activity, score = data.get(f"activity_{n}", "").strip(), data.get(f"score_{n}")
            if activity and score is None:
                self.add_error(f"score_{n}", "Please choose how well you can do this activity.")
            if score is not None and not activity:
                self.add_error(f"activity_{n}", "Please say which activity this score is for.")
        return data

    @classmethod
    def initial_from(cls, stored: Answers, notes: dict[str, Any]) -> dict[str, Any]:
        initial: dict[str, Any] = {"nprs": paths.get(stored, "questionnaires.nprs")}
        for n, item in enumerate(paths.get(stored, "questionnaires.psfs") or [], start=1):
            initial |= {f"activity_{n}": item["activity"], f"score_{n}": item["score"]}
        return initial

    def apply(self, stored: Answers, notes: dict[str, Any]) -> None:
        data = self.cleaned_data
        items = [
            {"activity": data[f"activity_{n}"].strip(), "score": data[f"score_{n}"]}
            for n in self.ROWS
            if data[f"activity_{n}"].strip()
        ]
        paths.put(stored, "questionnaires.nprs", data["nprs"])
        paths.put(stored, "questionnaires.psfs", items)


class FabqForm(SectionForm):
    ITEMS = tuple(f"item_{n}" for n in range(1, 17))
    # The work questions (6-16) do not fit everyone; the physical activity part finishes it.
    needed = ITEMS[:5]
    indexed_fields = {"questionnaires.fabq": "item_{n}"}
    groups = (
        ("Physical activity", q.FABQ_INTRO, ITEMS[:5]),
        ("Your work", q.FABQ_WORK_INTRO, ITEMS[5:]),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for n, text in enumerate(q.FABQ_ITEMS, start=1):
            self.fields[f"item_{n}"] = radio(f"{n}. {text}", q.FABQ_SCALE, coerce=int)

    @classmethod
    def initial_from(cls, stored: Answers, notes: dict[str, Any]) -> dict[str, Any]:
        items = paths.get(stored, "questionnaires.fabq") or [None] * 16
        return {f"item_{n}": v for n, v in enumerate(items, start=1)}

    def apply(self, stored: Answers, notes: dict[str, Any]) -> None:
        values = [self.cleaned_data[name] for name in self.ITEMS]
        paths.put(stored, "questionnaires.fabq", _list_or_none(values))
