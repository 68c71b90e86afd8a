"""The scored questionnaires as intake pages, one page per `care.instruments` page.

Each stores its answers as the list the care core scores by position; the items, their wording
and their answers come from the questionnaire's own module in `care.instruments`. A page whose
questionnaires are asked item by item gets `ItemsForm`; the four below store a shape of their
own (agree as true, numbered sections, activities with their scores).
"""

import re
from typing import Any

from django import forms

from unknot.care import instruments
from unknot.care.instruments import fabq, nprs, odi, psfs, start_back
from unknot.care.instruments.base import Instrument, Item
from unknot.records.intake import answers as paths
from unknot.records.intake.answers import Answers
from unknot.records.intake.forms import SectionForm, radio


def _list_or_none(values: list[Any]) -> list[Any] | None:
    """A questionnaire with no answer at all is left out, so the core reports it as not given."""
    return values if any(v is not None for v in values) else None


def _needed(*chosen: Instrument) -> tuple[str, ...]:
    return tuple(item.field for i in chosen for item in i.items if not item.optional)


def _where(instrument: Instrument) -> str:
    return f"questionnaires.{instrument.key}"


def _scale(item: Item) -> list[tuple[int, str]]:
    assert item.scale is not None, item
    low, high = item.scale
    return [(n, f"{n}") for n in range(low, high + 1)]


class StartBackForm(SectionForm):
    ITEMS = tuple(item.field for item in start_back.INSTRUMENT.items)
    needed = _needed(start_back.INSTRUMENT)
    indexed_fields = {_where(start_back.INSTRUMENT): "item_{n}"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for item in start_back.INSTRUMENT.items:
            self.fields[item.field] = radio(item.text, list(item.options))
        self.groups = (("", start_back.INTRO, self.ITEMS[:8]), ("", "", self.ITEMS[8:]))

    @classmethod
    def initial_from(cls, stored: Answers, notes: dict[str, Any]) -> dict[str, Any]:
        items = paths.get(stored, _where(start_back.INSTRUMENT)) or [None] * 9
        agree = {True: "agree", False: "disagree"}
        initial = {f"item_{n}": agree.get(v) for n, v in enumerate(items[:8], start=1)}
        return initial | {"item_9": items[8]}

    def apply(self, stored: Answers, notes: dict[str, Any]) -> None:
        agree = {"agree": True, "disagree": False}
        items: list[Any] = [agree.get(self.cleaned_data[n] or "") for n in self.ITEMS[:8]]
        items.append(self.cleaned_data["item_9"])
        paths.put(stored, _where(start_back.INSTRUMENT), _list_or_none(items))


class OdiForm(SectionForm):
    SECTIONS = tuple(item.field for item in odi.INSTRUMENT.items)
    # The sex-life section may be skipped; the core allows one missing section (ODI-MISSING).
    needed = _needed(odi.INSTRUMENT)
    indexed_fields = {_where(odi.INSTRUMENT): "section_{n}"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for n, item in enumerate(odi.INSTRUMENT.items, start=1):
            self.fields[item.field] = radio(
                f"{n}. {item.text}",
                list(item.options),
                help_text="Choose the one that fits you best today.",
                coerce=int,
            )

    @classmethod
    def initial_from(cls, stored: Answers, notes: dict[str, Any]) -> dict[str, Any]:
        sections = paths.get(stored, _where(odi.INSTRUMENT)) or [None] * 10
        return {f"section_{n}": v for n, v in enumerate(sections, start=1)}

    def apply(self, stored: Answers, notes: dict[str, Any]) -> None:
        values = [self.cleaned_data[name] for name in self.SECTIONS]
        paths.put(stored, _where(odi.INSTRUMENT), _list_or_none(values))


class PainForm(SectionForm):
    """Pain today (NPRS) and the person's own activities (PSFS)."""

    ROWS = psfs.ROWS
    needed = _needed(nprs.INSTRUMENT, psfs.INSTRUMENT)
    error_fields = {"questionnaires.nprs": "nprs", "questionnaires.psfs": "activity_1"}
    indexed_fields = {"questionnaires.psfs": "activity_{n}"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        (pain,) = nprs.INSTRUMENT.items
        self.fields[pain.field] = radio(pain.text, _scale(pain), coerce=int)
        for item in psfs.INSTRUMENT.items:
            if item.kind == "string":
                self.fields[item.field] = forms.CharField(
                    label=item.text, max_length=200, required=False
                )
            else:
                self.fields[item.field] = forms.TypedChoiceField(
                    label=item.text,
                    choices=[("", "Choose 0 to 10"), *_scale(item)],
                    coerce=int,
                    empty_value=None,
                    required=False,
                )
        self.groups = (
            ("Your pain today", "", (pain.field,)),
            ("Activities that are hard for you", psfs.INTRO,
             tuple(item.field for item in psfs.INSTRUMENT.items)),
        )  # fmt: skip

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
    ITEMS = tuple(item.field for item in fabq.INSTRUMENT.items)
    # The work questions (6-16) do not fit everyone; the physical activity part finishes it.
    needed = _needed(fabq.INSTRUMENT)
    indexed_fields = {_where(fabq.INSTRUMENT): "item_{n}"}
    groups = (
        ("Physical activity", fabq.INTRO, ITEMS[: fabq.PA_ASKED]),
        ("Your work", fabq.WORK_INTRO, ITEMS[fabq.PA_ASKED :]),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for n, item in enumerate(fabq.INSTRUMENT.items, start=1):
            self.fields[item.field] = radio(f"{n}. {item.text}", list(item.options), coerce=int)

    @classmethod
    def initial_from(cls, stored: Answers, notes: dict[str, Any]) -> dict[str, Any]:
        items = paths.get(stored, _where(fabq.INSTRUMENT)) or [None] * 16
        return {f"item_{n}": v for n, v in enumerate(items, start=1)}

    def apply(self, stored: Answers, notes: dict[str, Any]) -> None:
        values = [self.cleaned_data[name] for name in self.ITEMS]
        paths.put(stored, _where(fabq.INSTRUMENT), _list_or_none(values))


# Pages whose questionnaires store a shape of their own; every other page is an ItemsForm.
OWN_FORMS: dict[str, type[SectionForm]] = {
    start_back.INSTRUMENT.page.slug: StartBackForm,
    odi.INSTRUMENT.page.slug: OdiForm,
    nprs.INSTRUMENT.page.slug: PainForm,
    fabq.INSTRUMENT.page.slug: FabqForm,
}


def _field(item: Item) -> forms.Field:
    if item.kind == "string":
        return forms.CharField(label=item.text, max_length=200, required=False)
    choices = list(item.options) if item.options else _scale(item)
    coerce = int if all(isinstance(code, int) for code, _ in choices) else str
    return radio(item.text, choices, coerce=coerce)


class ItemsForm(SectionForm):
    """A page of questionnaires asked item by item: each answer in item order, stored as the
    list the core scores (`questionnaires.<key>`); a questionnaire left blank is not stored."""

    instruments: tuple[Instrument, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for instrument in self.instruments:
            for item in instrument.items:
                self.fields[item.field] = _field(item)
        self.groups = tuple(
            ("", instrument.intro, tuple(item.field for item in instrument.items))
            for instrument in self.instruments
        )

    @classmethod
    def initial_from(cls, stored: Answers, notes: dict[str, Any]) -> dict[str, Any]:
        initial: dict[str, Any] = {}
        for instrument in cls.instruments:
            values = paths.get(stored, _where(instrument)) or []
            for item, value in zip(instrument.items, values, strict=False):
                initial[item.field] = value
        return initial

    def apply(self, stored: Answers, notes: dict[str, Any]) -> None:
        for instrument in self.instruments:
            values = [self.cleaned_data[item.field] for item in instrument.items]
            paths.put(stored, _where(instrument), _list_or_none(values))

    def field_for(self, case_path: str) -> str | None:
        for instrument in self.instruments:
            where = re.escape(_where(instrument))
            match = re.fullmatch(rf"{where}(?:\[(\d+)\](?:\..*)?)?", case_path)
            if match:
                index = int(match.group(1) or 0)
                items = instrument.items
                return items[index].field if index < len(items) else items[0].field
        return super().field_for(case_path)


def form_for(page: instruments.Page) -> type[SectionForm]:
    """The form of one questionnaire page: its own, or an ItemsForm of its questionnaires."""
    if page.slug in OWN_FORMS:
        return OWN_FORMS[page.slug]
    chosen = instruments.on_page(page.slug)
    name = "".join(part.title() for part in re.split(r"[-_]", page.slug)) + "Form"
    attrs = {"instruments": chosen, "needed": _needed(*chosen), "__module__": __name__}
    return type(name, (ItemsForm,), attrs)
