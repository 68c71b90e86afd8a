"""The outcome questionnaires, one module each, and their registry in one order.

    REGISTRY             every instrument, in the order a person meets them in the intake
    by_key("odi")        one instrument (KeyError for an unknown key)
    MEASURES             every stored measure (OutcomeScore key), in the same order
    measure("fabq_pa")   one measure
    PAGES                the intake pages they are asked on, in order
    FOLLOWED             the measures followed over an episode (baseline, goals, change at visits)
    remeasured_at(REASSESSMENT)   the instruments asked again at visits (or EVERY_VISIT)

Adding a questionnaire: one module defining its `INSTRUMENT`, and one line here.
"""

from . import fabq, nprs, odi, peg, psfs, start_back
from .base import EVERY_VISIT, REASSESSMENT, Instrument, Measure, NotScored, Page

REGISTRY: tuple[Instrument, ...] = (
    start_back.INSTRUMENT,
    odi.INSTRUMENT,
    nprs.INSTRUMENT,
    psfs.INSTRUMENT,
    peg.INSTRUMENT,
    fabq.INSTRUMENT,
)

_BY_KEY = {i.key: i for i in REGISTRY}
MEASURES: tuple[Measure, ...] = tuple(m for i in REGISTRY for m in i.measures)
_MEASURE = {m.key: m for m in MEASURES}
PAGES: tuple[Page, ...] = tuple(dict.fromkeys(i.page for i in REGISTRY))
# The measures with a meaningful change, those taken at every visit first: each has a baseline,
# may be given a goal, and is judged against its baseline when it is measured again.
FOLLOWED: tuple[Measure, ...] = tuple(
    m
    for i in sorted(REGISTRY, key=lambda i: i.remeasured != EVERY_VISIT)
    for m in i.measures
    if m.mcid is not None
)


def by_key(key: str) -> Instrument:
    return _BY_KEY[key]


def measure(key: str) -> Measure:
    return _MEASURE[key]


def on_page(slug: str) -> tuple[Instrument, ...]:
    return tuple(i for i in REGISTRY if i.page.slug == slug)


def remeasured_at(when: str) -> tuple[Instrument, ...]:
    """The instruments asked again at visits: `EVERY_VISIT` or `REASSESSMENT`, in order."""
    return tuple(i for i in REGISTRY if i.remeasured == when)


def instrument_of(measure_key: str) -> Instrument:
    """The instrument that stores a measure."""
    return next(i for i in REGISTRY if any(m.key == measure_key for m in i.measures))


__all__ = [
    "EVERY_VISIT",
    "FOLLOWED",
    "MEASURES",
    "PAGES",
    "REASSESSMENT",
    "REGISTRY",
    "Instrument",
    "Measure",
    "NotScored",
    "Page",
    "by_key",
    "instrument_of",
    "measure",
    "on_page",
    "remeasured_at",
]
