"""Reads of clinical records. Every read starts from the acting user."""

from django.core.exceptions import PermissionDenied
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from unknot.accounts.access import ensure_may_write, may_read_chart, staff_role
from unknot.accounts.models import AnyUser, User
from unknot.accounts.roles import CLINICAL_ROLES
from unknot.audit.reads import one_visible_or_404
from unknot.breakglass import enforce as emergency
from unknot.clinics.models import StaffMember
from unknot.clinics.selectors import clinics_visible_to
from unknot.records.models import Episode, EpisodeStatus, OutcomeScore, Visit


def episodes_visible_to(user: AnyUser) -> QuerySet[Episode]:
    """Staff who read the chart: episodes at their clinics. A patient: their own. Anyone else
    (the biller too: every page, API, FHIR read and export of the record starts here): nothing."""
    base = Episode.objects.select_related("patient", "clinic", "therapist__user")
    if user is None or not user.is_authenticated or not user.is_active:
        return base.none()
    if staff_role(user) is not None:
        if not may_read_chart(user):
            return base.none()
        mine = Q(clinic__in=clinics_visible_to(user))
        # A patient this request already opened through break-glass (get_patient_for or
        # get_episode_for let them through on a read-only page): their episodes too.
        opened = emergency.opened_patient_ids(user)
        return base.filter(mine | Q(patient_id__in=opened) if opened else mine)
    return base.filter(patient__user=user)


def get_episode_for(user: AnyUser, episode_id: int, *, break_glass: bool = True) -> Episode:
    """The access helper for episodes (and everything inside them): the row or 404.

    As get_patient_for: an active break-glass opening of the episode's patient lets a read
    through on the record's read-only pages, recorded as `break_glass`; never for _rw.
    """
    opening = emergency.episode_for if break_glass else None
    return one_visible_or_404(
        episodes_visible_to(user), user, "episode", episode_id, emergency=opening
    )


def get_episode_for_rw(user: AnyUser, episode_id: int) -> Episode:
    episode = get_episode_for(user, episode_id, break_glass=False)
    ensure_may_write(user)
    return episode


def ensure_clinician(by: User, episode: Episode) -> StaffMember:
    """Their staff profile, or 403 unless `by` is a therapist or clinic manager at the
    episode's clinic: who writes the clinical record (evaluations, referrals, plans, notes)."""
    if staff_role(by) not in CLINICAL_ROLES:
        raise PermissionDenied("Only a therapist or clinic manager changes the clinical record.")
    if not episodes_visible_to(by).filter(pk=episode.pk).exists():
        raise PermissionDenied("This episode is not at your clinics.")
    return by.staff_member


def own_open_episode(user: AnyUser) -> Episode | None:
    """The portal's current episode: the signed-in patient's latest open one."""
    if staff_role(user) is not None:
        return None
    return episodes_visible_to(user).filter(status=EpisodeStatus.OPEN).first()


def episode_score(instrument: str, *, latest: bool, value: str = "value") -> Subquery:
    """For a list of episodes: `value` of each one's first (or latest) score of `instrument`,
    ties broken by the order they were stored (None when never measured)."""
    rows = OutcomeScore.objects.filter(episode_id=OuterRef("pk"), instrument=instrument)
    order = ("-measured_on", "-pk") if latest else ("measured_on", "pk")
    return Subquery(rows.order_by(*order).values(value)[:1])


def visit_count() -> Coalesce:
    """For a list of episodes: how many visits each had, as a subquery (a join and a count
    would group the list's other subqueries along with it)."""
    visits = Visit.objects.filter(episode_id=OuterRef("pk")).values("episode_id")
    counted = visits.annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)
