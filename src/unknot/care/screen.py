"""SCREEN-1: is the red-flag screen complete? Three states per domain, never a guess.

A domain is "flagged" when a triage rule of that domain fired, "clear" when every question it
needs has an answer and nothing fired, and "not asked" otherwise. An unanswered question is
unknown, never "no": the screen is complete only when no domain has a question left open, and
that depends only on which questions were answered, never on the answers, so answering "yes"
to a question already asked can never lift the holds of an incomplete screen.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from . import vocab
from .facts import care_history_facts
from .model import Case
from .settings import DEFAULT_SETTINGS, Settings

NOT_ASKED, CLEAR, FLAGGED = "not_asked", "clear", "flagged"

# The domain(s) of each triage rule; RF-AGE is a general weak flag, in no domain.
RULE_DOMAINS: dict[str, tuple[str, ...]] = {
    "RF-CES": ("cauda_equina",),
    "RF-NEURO": ("neurological",),
    "RF-INFECTION": ("infection",),
    "RF-AAA": ("vascular",),
    "RF-DVT": ("vascular",),
    "RF-DVT-RISK": ("vascular",),
    "RF-TRAUMA": ("fracture",),
    "RF-FRACTURE": ("fracture",),
    "RF-FRACTURE-NEURO": ("fracture", "neurological"),
    "RF-CANCER": ("malignancy",),
    "RF-NONMECH": ("malignancy",),
    "RF-MSCC": ("malignancy", "neurological"),
    "RF-AXSPA": ("inflammatory",),
}
HISTORY, AGE = "history", "age"


@dataclass(frozen=True)
class DomainScreen:
    domain: str
    status: str  # not_asked | clear | flagged
    open_questions: tuple[str, ...]  # red-flag keys with no answer, then "history" / "age"
    rules: tuple[str, ...]  # the rules of this domain that fired


@dataclass(frozen=True)
class Screen:
    complete: bool
    domains: tuple[DomainScreen, ...]

    @property
    def open_domains(self) -> tuple[str, ...]:
        return tuple(d.domain for d in self.domains if d.open_questions)


def answered_by_history(case: Case, key: str, settings: Settings) -> bool:
    """RF-CANCER's "no improvement after 4 weeks of care" is known from the care received:
    it cannot be true before 4 weeks of care, and after 4 weeks the pain scores tell."""
    if key != "no_improvement_4_weeks" or case.episode.care_weeks is None:
        return False
    return case.episode.care_weeks < 4 or key in care_history_facts(case, settings)


def _needs_open(case: Case, domain: str) -> list[str]:
    needs = vocab.DOMAIN_NEEDS.get(domain, ())
    history_known = case.conditions_asked and case.medicines_asked
    return [n for n, known in ((HISTORY, history_known), (AGE, case.patient.age is not None))
            if n in needs and not known]  # fmt: skip


def open_questions(
    case: Case, domain: str, settings: Settings = DEFAULT_SETTINGS
) -> tuple[str, ...]:
    keys = [k for k in vocab.DOMAINS[domain]
            if not case.answered(k) and not answered_by_history(case, k, settings)]  # fmt: skip
    return tuple(keys + _needs_open(case, domain))


def screen(case: Case, fired_rules: Iterable[str], settings: Settings = DEFAULT_SETTINGS) -> Screen:
    fired = list(fired_rules)
    domains = []
    for domain in vocab.DOMAINS:
        rules = tuple(r for r in fired if domain in RULE_DOMAINS.get(r, ()))
        still_open = open_questions(case, domain, settings)
        status = FLAGGED if rules else (NOT_ASKED if still_open else CLEAR)
        domains.append(DomainScreen(domain, status, still_open, rules))
    return Screen(all(not d.open_questions for d in domains), tuple(domains))
