"""The intake's questionnaires as FHIR Questionnaires, built from the care core's instruments.

Each question knows the intake page (section) and form field it fills, so a
QuestionnaireResponse is saved through the same forms and services as the web pages.
LOINC codes are the instruments' own (care.instruments, from RULES.md: STarT Back panel,
Oswestry panel, NPRS); item-level codes we could not verify are left out rather than guessed.
"""

from dataclasses import dataclass, field

from django.http import Http404

from unknot.care import instruments
from unknot.care.instruments.base import Code
from unknot.care.instruments.base import Instrument as CareInstrument
from unknot.fhir import search as s
from unknot.fhir.http import invalid
from unknot.fhir.kinds import ResourceType, SearchParam
from unknot.fhir.refs import LOINC, Context, Resource, coding
from unknot.records.intake import wording

ANSWER_SYSTEM = "urn:unknot:answer"
Option = tuple[str, str]  # (code, display)


@dataclass(frozen=True)
class Question:
    link_id: str
    text: str
    type: str  # boolean, integer, string, choice
    section: str  # intake section slug
    field: str  # that section's form field
    options: tuple[Option, ...] = ()
    code: tuple[dict[str, str], ...] = ()


@dataclass(frozen=True)
class QuestionnaireSpec:
    """What one served Questionnaire holds: an instrument, the red-flag screen, or the intake."""

    id: str
    title: str
    questions: tuple[Question, ...]
    code: tuple[dict[str, str], ...] = ()
    groups: tuple[tuple[str, str, tuple[Question, ...]], ...] = field(default=())


def _codings(codes: tuple[Code, ...]) -> tuple[dict[str, str], ...]:
    return tuple(coding(LOINC, c.code, c.display) for c in codes)


def _spec(instrument: CareInstrument) -> QuestionnaireSpec:
    questions = tuple(
        Question(
            f"{instrument.fhir_id}.{item.link}",
            item.text,
            item.kind,
            instrument.page.slug,
            item.field,
            tuple((str(code), str(text)) for code, text in item.options),
            _codings(item.codes),
        )
        for item in instrument.items
    )
    return QuestionnaireSpec(instrument.fhir_id, instrument.name, questions,
                             _codings(instrument.codes))  # fmt: skip


def _red_flags() -> tuple[Question, ...]:
    pages = (("safety", wording.URGENT_FLAGS), ("more-safety", wording.OTHER_FLAGS))
    return tuple(
        Question(f"red-flags.{key}", text, "boolean", slug, key)
        for slug, flags in pages
        for key, text in flags.items()
    )


RED_FLAGS = QuestionnaireSpec("red-flags", "Safety questions (red-flag screen)", _red_flags())
INSTRUMENTS: dict[str, QuestionnaireSpec] = {
    spec.id: spec for spec in (*(_spec(i) for i in instruments.REGISTRY), RED_FLAGS)
}
INTAKE = QuestionnaireSpec(
    "intake",
    "Intake: the scored questionnaires and the safety questions",
    tuple(question for i in INSTRUMENTS.values() for question in i.questions),
    groups=tuple((i.id, i.title, i.questions) for i in INSTRUMENTS.values()),
)
ALL: dict[str, QuestionnaireSpec] = {**INSTRUMENTS, INTAKE.id: INTAKE}


# --- rendering -------------------------------------------------------------------------------


def _item(question: Question) -> Resource:
    item: Resource = {"linkId": question.link_id, "text": question.text, "type": question.type}
    if question.code:
        item["code"] = list(question.code)
    if question.options:
        item["answerOption"] = [
            {"valueCoding": coding(ANSWER_SYSTEM, code, display)}
            for code, display in question.options
        ]
    return item


def _items(instrument: QuestionnaireSpec) -> list[Resource]:
    if not instrument.groups:
        return [_item(question) for question in instrument.questions]
    return [
        {"linkId": link_id, "text": title, "type": "group", "item": [_item(x) for x in questions]}
        for link_id, title, questions in instrument.groups
    ]


def questionnaire_resource(ctx: Context, instrument: QuestionnaireSpec) -> Resource:
    resource: Resource = {
        "resourceType": "Questionnaire",
        "id": instrument.id,
        "url": ctx.url(f"Questionnaire/{instrument.id}"),
        "name": instrument.id.replace("-", "_"),
        "title": instrument.title,
        "status": "active",
        "subjectType": ["Patient"],
        "item": _items(instrument),
    }
    if instrument.code:
        resource["code"] = list(instrument.code)
    return resource


def read_questionnaire(ctx: Context, resource_id: str) -> Resource:
    instrument = ALL.get(resource_id)
    if instrument is None:
        raise Http404("No such questionnaire.")
    return questionnaire_resource(ctx, instrument)


def search_questionnaires(ctx: Context, query: s.Query) -> s.Page:
    chosen = list(ALL.values())
    if codes := s.tokens(query, "code"):
        wanted = set()
        for token in codes:
            system, _, code = token.rpartition("|")
            if system not in ("", LOINC):
                raise invalid(f"code: only LOINC codes ({LOINC}) are used on questionnaires.")
            wanted.add(code)
        chosen = [i for i in chosen if {c["code"] for c in i.code} & wanted]
    return s.page_of_list([questionnaire_resource(ctx, i) for i in chosen], query)


QUESTIONNAIRE = ResourceType(
    "Questionnaire",
    f"{', '.join(i.short for i in instruments.REGISTRY)}, the red-flag screen, and `intake` "
    "(all of them as groups): what a QuestionnaireResponse answers.",
    (SearchParam("code", "token", "A LOINC code, e.g. 91349-1 (STarT Back)."),),
    read=read_questionnaire,
    search=search_questionnaires,
)
