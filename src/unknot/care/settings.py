"""Thresholds where sources disagree or a clinic may choose: defaults from the clinical rules."""

from dataclasses import dataclass, fields
from typing import Any


@dataclass(frozen=True)
class Settings:
    """Every threshold the core applies that a clinic may change. Defaults cite their source."""

    # ODI-MISSING: Fairbank & Pynsent 2000 allow scoring with a section missing; some
    # protocols allow 2. More missing than this and the score is refused.
    odi_max_missing_sections: int = 1
    # FABQ-PA / FABQ-WORK: elevated when the subscale is strictly above (George et al.).
    fabq_pa_cutoff: int = 14
    fabq_work_cutoff: int = 29
    # RF-AGE: a weak flag when age is strictly above / below these.
    age_over: int = 50
    age_under: int = 20
    # RF-FRACTURE: "older age" in the fragility picture (Downie 2013 used > 70; we are more
    # cautious by default and label it a heuristic).
    fracture_age: int = 65
    # MCID-*: Childs 2005 (NPRS 2); Ostelo 2008 (ODI 10 points or 30 %); Fritz & Irrgang 2001
    # (ODI 6 points: set odi_mcid_points=6 and odi_mcid_percent=0); PSFS 2 on the mean, 3 on one.
    nprs_mcid: float = 2
    odi_mcid_points: float = 10
    odi_mcid_percent: float = 30
    psfs_mcid_mean: float = 2
    psfs_mcid_single: float = 3

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))

    @classmethod
    def field_types(cls) -> dict[str, Any]:
        return {f.name: f.type for f in fields(cls)}


DEFAULT_SETTINGS = Settings()
