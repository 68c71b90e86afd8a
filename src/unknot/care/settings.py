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
    # RF-FRACTURE: a "new or suddenly worse episode" (RULES section 1) when the pain started at
    # most this many days ago (heuristic: 6 weeks), or came on suddenly and severely.
    fracture_recent_days: int = 42
    # Postpartum (heuristic, RULES section 4 "the postpartum months"): ligaments stay lax for
    # months, so thrust is held and loading built up gently for this many weeks after birth;
    # the risk of a clot stays raised for about 12 weeks (RCOG Green-top Guideline 37a).
    postpartum_caution_weeks: int = 26
    postpartum_thrombosis_weeks: int = 12
    # MCID-*: Childs 2005 (NPRS 2); Ostelo 2008 (ODI 10 points or 30 %); Fritz & Irrgang 2001
    # (ODI 6 points: set odi_mcid_points=6 and odi_mcid_percent=0); PSFS 2 on the mean, 3 on one.
    nprs_mcid: float = 2
    odi_mcid_points: float = 10
    odi_mcid_percent: float = 30
    psfs_mcid_mean: float = 2
    psfs_mcid_single: float = 3
    # PROG-2 (heuristic, RULES section 3): active care -> return to full activity when pain
    # with activity is at most this, ODI at most this (%) or every PSFS activity at least this,
    # and the loaded programme has been tolerated this many weeks without a flare over 24 h.
    prog2_nprs_max: float = 2
    prog2_odi_max: float = 20
    prog2_psfs_min: float = 7
    prog2_tolerated_weeks: int = 2
    # COURSE-1 (heuristic, care/course.py): the review point of "no improvement after 4 weeks
    # of care" (RF-CANCER), and the week by which function (ODI) should have improved by its
    # meaningful change for each STarT Back risk group (later for higher risk: Hill 2011).
    course_review_weeks: int = 4
    course_function_weeks_low: int = 4
    course_function_weeks_medium: int = 6
    course_function_weeks_high: int = 8

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))

    @classmethod
    def field_types(cls) -> dict[str, Any]:
        return {f.name: f.type for f in fields(cls)}


DEFAULT_SETTINGS = Settings()
