"""SCREEN-2 in the record: a referral puts the episode on hold until a medical clearance.

When an intake, an evaluation's plan proposal or a treatment visit triages to an emergency or
urgent referral, the episode is on hold (`hold_open`): later visits record findings and
education only. A therapist records the clearance (`hold_clear`): who cleared it, when, and the
physician's restrictions. `clearance_for` hands all of it to the care core, which holds the
treatment while a referral waits, keeps the restrictions in every later safety check, and does
not raise a cleared referral again for the same findings (new findings do).
"""

import datetime as dt
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from unknot import audit
from unknot.accounts.models import User
from unknot.audit.models import Action
from unknot.care import vocab
from unknot.care.labels import RESTRICTION_LABELS, RULE_LABELS, TIER_LABELS, fact_label
from unknot.care.triage import REFERRAL_TIERS, Triage
from unknot.common.errors import Refused
from unknot.records.models import Episode, MedicalHold, Visit
from unknot.records.selectors import ensure_clinician


class ClearanceError(Refused):
    """A clearance that cannot be recorded; `message` is written for the therapist."""


def holds_of(episode: Episode) -> list[MedicalHold]:
    return list(episode.holds.select_related("opened_by__user", "cleared_by__user", "visit"))


def open_hold(episode: Episode) -> MedicalHold | None:
    return episode.holds.filter(cleared_at__isnull=True).first()


def clearance_for(
    episode: Episode, new_findings: Collection[str] = (), holds: Iterable[MedicalHold] | None = None
) -> dict[str, Any]:
    """The care core's "clearance" section for this episode, {} when it never had a referral.

    `new_findings` are red flags recorded as present at this visit: a physician cleared what
    was known then, so a finding reported again now is not covered by that clearance.
    """
    rows = list(holds if holds is not None else episode.holds.all())
    cleared = [h for h in rows if not h.is_open]
    if not rows:
        return {}
    findings = {f for h in cleared for f in h.findings} - set(new_findings)
    return {
        "awaiting": sorted({r for h in rows if h.is_open for r in h.rules}),
        "cleared": sorted({r for h in cleared for r in h.rules}),
        "cleared_findings": sorted(findings),
        "restrictions": sorted({r for h in cleared for r in h.restrictions}),
    }


def referrals(triage: Triage) -> list[Any]:
    """The fired rules that refer the person on (emergency or urgent), not already cleared."""
    return [rule for rule in triage.active if rule.tier in REFERRAL_TIERS]


def hold_open(
    *,
    by: User | None,
    episode: Episode,
    triage: Triage,
    source: str,
    now: dt.datetime,
    visit: Visit | None = None,
) -> MedicalHold | None:
    """Puts the episode on hold for this triage's referrals, in the caller's transaction.

    None when nothing refers. A referral while a hold is open joins that hold (one open hold
    per episode), so the clearance covers everything that was known when it was given.
    """
    rules = referrals(triage)
    if not rules:
        return None
    hold = episode.holds.select_for_update().filter(cleared_at__isnull=True).first()
    ids = {r.rule_id for r in rules}
    findings = {f for r in rules for f in r.findings}
    if hold is None:
        hold = MedicalHold(episode=episode, source=source, visit=visit, tier=triage.tier,
                           opened_at=now, opened_by=getattr(by, "staff_member", None))  # fmt: skip
    elif ids <= set(hold.rules) and findings <= set(hold.findings):
        return hold
    hold.rules = sorted(ids | set(hold.rules))
    hold.findings = sorted(findings | set(hold.findings))
    action = Action.CREATE if hold.pk is None else Action.UPDATE
    hold.save()
    _recorded(by, hold, action, f"opened_{source}")
    return hold


@dataclass(frozen=True)
class ClearanceInput:
    physician: str  # who cleared it: the physician or service
    cleared_on: dt.date  # when they cleared it
    restrictions: tuple[str, ...] = ()
    note: str = ""


def _check(data: ClearanceInput, hold: MedicalHold, today: dt.date) -> None:
    if not data.physician.strip():
        raise ClearanceError("Say who cleared the person: the physician or the service.")
    if data.cleared_on > today:
        raise ClearanceError("The clearance date is in the future; please check it.")
    if data.cleared_on < hold.opened_at.date() - dt.timedelta(days=1):
        raise ClearanceError("The clearance date is before the referral; please check it.")
    unknown = set(data.restrictions) - set(vocab.RESTRICTIONS)
    if unknown:
        raise ClearanceError("Choose the restrictions from the list.")


@transaction.atomic
def hold_clear(
    *, by: User, hold: MedicalHold, data: ClearanceInput, now: dt.datetime, today: dt.date
) -> MedicalHold:
    """Records the medical clearance of an open hold; a cleared hold is never changed again."""
    ensure_clinician(by, hold.episode)
    locked = MedicalHold.objects.select_for_update().select_related("episode").get(pk=hold.pk)
    if not locked.is_open:
        raise ClearanceError("This referral was already cleared; nothing changed.")
    _check(data, locked, today)
    locked.cleared_at, locked.cleared_by = now, by.staff_member
    locked.clearing_physician = data.physician.strip()[:200]
    locked.cleared_on = data.cleared_on
    locked.restrictions = sorted(set(data.restrictions))
    locked.clearance_note = data.note.strip()[:2000]
    locked.save()
    _recorded(by, locked, Action.UPDATE, "cleared")
    return locked


def summary(hold: MedicalHold) -> dict[str, Any]:
    """What a hold says, in words: the referral, its findings, the restrictions."""
    return {
        "hold": hold,
        "tier": TIER_LABELS.get(hold.tier, hold.tier),
        "rules": [RULE_LABELS.get(r, r) for r in hold.rules],
        "findings": [fact_label(f) for f in hold.findings],
        "restrictions": [RESTRICTION_LABELS.get(r, r) for r in hold.restrictions],
        "source": hold.get_source_display(),
    }


def _recorded(by: User | None, hold: MedicalHold, action: str, reason: str) -> None:
    """The audit row of a hold write, in its transaction (codes only, never the findings)."""
    audit.record(
        action, by=by, object_type="medical_hold", object_id=hold.pk,
        patient_id=hold.episode.patient_id, clinic_id=hold.episode.clinic_id, reason=reason,
    )  # fmt: skip
