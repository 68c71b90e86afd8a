"""The intake's questionnaires as FHIR Questionnaires, built from the intake's own wording.

Each question knows the intake page (section) and form field it fills, so a
QuestionnaireResponse is saved through the same forms and services as the web pages.
LOINC codes are given where RULES.md names them (STarT Back panel, Oswestry panel, NPRS);
item-level codes we could not verify are left out rather than guessed.
"""

from dataclasses import dataclass, field
from typing import Any

from django.http import Http404

from unknot.fhir import search as s
from unknot.fhir.http import invalid
from unknot.fhir.kinds import ResourceType, SearchParam
from unknot.fhir.refs import LOINC, Context, Resource, coding
from unknot.records.intake import questionnaires as q
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
class Instrument:
    id: str
    title: str
    questions: tuple[Question, ...]
    code: tuple[dict[str, str], ...] = ()
    groups: tuple[tuple[str, str, tuple[Question, ...]], ...] = field(default=())


def _choices(pairs: Any) -> tuple[Option, ...]:
    return tuple((str(code), str(display)) for code, display in pairs)


def _start_back() -> tuple[Question, ...]:
    agree = _choices(q.START_BACK_AGREE)
    items = [
        Question(f"start-back.{n}", text, "choice", "start-back", f"item_{n}", agree)
        for n, text in enumerate(q.START_BACK_ITEMS, start=1)
    ]
    bother = _choices(q.START_BACK_BOTHER_CHOICES)
    items.append(
        Question("start-back.9", q.START_BACK_BOTHER, "choice", "start-back", "item_9", bother)
    )
    return tuple(items)


def _odi() -> tuple[Question, ...]:
    return tuple(
        Question(f"odi.{n}", title, "choice", "daily-activities", f"section_{n}",
                 tuple((str(i), text) for i, text in enumerate(statements)))
        for n, (title, statements) in enumerate(q.ODI_SECTIONS, start=1)
    )  # fmt: skip


def _psfs() -> tuple[Question, ...]:
    rows = []
    for n in range(1, 6):
        rows.append(Question(f"psfs.{n}.activity", f"Activity {n}", "string",
                             "pain-and-activities", f"activity_{n}"))  # fmt: skip
        rows.append(Question(f"psfs.{n}.score", f"How well can you do activity {n} today? "
                             "(0 = not at all, 10 = as before)", "integer",
                             "pain-and-activities", f"score_{n}"))  # fmt: skip
    return tuple(rows)


def _fabq() -> tuple[Question, ...]:
    scale = _choices(q.FABQ_SCALE)
    return tuple(
        Question(f"fabq.{n}", text, "choice", "beliefs", f"item_{n}", scale)
        for n, text in enumerate(q.FABQ_ITEMS, start=1)
    )


def _red_flags() -> tuple[Question, ...]:
    pages = (("safety", wording.URGENT_FLAGS), ("more-safety", wording.OTHER_FLAGS))
    return tuple(
        Question(f"red-flags.{key}", text, "boolean", slug, key)
        for slug, flags in pages
        for key, text in flags.items()
    )


NPRS_CODE = coding(
    LOINC, "72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported"
)
NPRS = Question(
    "nprs.1", q.NPRS_QUESTION, "integer", "pain-and-activities", "nprs", code=(NPRS_CODE,)
)

INSTRUMENTS: dict[str, Instrument] = {
    i.id: i
    for i in (
        Instrument("start-back", "Keele STarT Back Screening Tool", _start_back(),
                   (coding(LOINC, "91349-1", "STarT Back Screening Tool panel"),)),
        Instrument("odi", "Oswestry Disability Index", _odi(),
                   (coding(LOINC, "97908-8", "Oswestry Disability Index panel"),)),
        Instrument("nprs", "Pain today (NPRS 0-10)", (NPRS,), (NPRS_CODE,)),
        Instrument("psfs", "Patient-Specific Functional Scale", _psfs()),
        Instrument("fabq", "Fear-Avoidance Beliefs Questionnaire", _fabq()),
        Instrument("red-flags", "Safety questions (red-flag screen)", _red_flags()),
    )
}  # fmt: skip
INTAKE = Instrument(
    "intake",
    "Intake: the scored questionnaires and the safety questions",
    tuple(question for i in INSTRUMENTS.values() for question in i.questions),
    groups=tuple((i.id, i.title, i.questions) for i in INSTRUMENTS.values()),
)
ALL: dict[str, Instrument] = {**INSTRUMENTS, INTAKE.id: INTAKE}


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


def _items(instrument: Instrument) -> list[Resource]:
    if not instrument.groups:
        return [_item(question) for question in instrument.questions]
    return [
        {"linkId": link_id, "text": title, "type": "group", "item": [_item(x) for x in questions]}
        for link_id, title, questions in instrument.groups
    ]


def questionnaire_resource(ctx: Context, instrument: Instrument) -> Resource:
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
    "STarT Back, Oswestry, NPRS, PSFS, FABQ, the red-flag screen, and `intake` (all of them "
    "as groups): what a QuestionnaireResponse answers.",
    (SearchParam("code", "token", "A LOINC code, e.g. 91349-1 (STarT Back)."),),
    read=read_questionnaire,
    search=search_questionnaires,
)
