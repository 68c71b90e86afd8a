"""The Django side reads the care core's instrument registry instead of lists of its own."""

from unknot.care import instruments
from unknot.fhir.questionnaires import INSTRUMENTS
from unknot.plans.home import progress
from unknot.records.intake import sections
from unknot.records.models import Instrument


def test_every_questionnaire_page_is_an_intake_section_in_registry_order() -> None:
    slugs = [s.slug for s in sections.SECTIONS]
    pages = [p.slug for p in instruments.PAGES]
    assert slugs[-len(pages) :] == pages
    for page in instruments.PAGES:
        form = sections.BY_SLUG[page.slug].form(today=None)
        asked = {item.field for i in instruments.on_page(page.slug) for item in i.items}
        assert asked <= set(form.fields), page.slug


def test_stored_measures_are_the_registry_measures() -> None:
    assert Instrument.choices == [(m.key, m.label) for m in instruments.MEASURES]


def test_fhir_serves_one_questionnaire_per_instrument() -> None:
    served = [key for key in INSTRUMENTS if key != "red-flags"]
    assert served == [i.fhir_id for i in instruments.REGISTRY]


def test_charts_are_the_measures_with_a_meaningful_change() -> None:
    charted = {m.key for m in instruments.MEASURES if m.mcid is not None}
    assert set(progress.MEASURES) == charted
    assert next(iter(progress.MEASURES)) == "nprs"  # asked at every visit: first
