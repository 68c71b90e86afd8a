"""Reads of clinical records. Every read starts from the acting user."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from unknot.accounts.access import is_read_only, staff_role
from unknot.audit import services as audit
from unknot.breakglass import enforce as emergency
from unknot.clinics.selectors import clinics_visible_to
from unknot.records.models import Episode, EpisodeStatus


def episodes_visible_to(user: Any) -> QuerySet[Episode]:
    """Staff: episodes at their clinics. A patient: their own. Anyone else: nothing."""
    base = Episode.objects.select_related("patient", "clinic", "therapist__user")
    if user is None or not user.is_authenticated or not user.is_active:
        return base.none()
    if staff_role(user) is not None:
        mine = Q(clinic__in=clinics_visible_to(user))
        # A patient this request already opened through break-glass (get_patient_for or
        # get_episode_for let them through on a read-only page): their episodes too.
        opened = emergency.opened_patient_ids(user)
        return base.filter(mine | Q(patient_id__in=opened) if opened else mine)
    return base.filter(patient__user=user)


def get_episode_for(user: Any, episode_id: int, *, break_glass: bool = True) -> Episode:
    """The access helper for episodes (and everything inside them): the row or 404.

    As get_patient_for: an active break-glass opening of the episode's patient lets a read
    through on the record's read-only pages, recorded as `break_glass`; never for _rw.
    """
    episode = episodes_visible_to(user).filter(pk=episode_id).first()
    if episode is None and break_glass:
        opened = emergency.episode_for(user, episode_id)
        if opened is not None:
            return opened
    audit.access(user, "episode", episode_id, episode)
    if episode is None:
        raise Http404("No such episode.")
    return episode


def get_episode_for_rw(user: Any, episode_id: int) -> Episode:
    episode = get_episode_for(user, episode_id, break_glass=False)
    if is_read_only(user) or staff_role(user) is None:
        raise PermissionDenied("Your role may read this record but not change it.")
    return episode


def own_open_episode(user: Any) -> Episode | None:
    """The portal's current episode: the signed-in patient's latest open one."""
    if staff_role(user) is not None:
        return None
    return episodes_visible_to(user).filter(status=EpisodeStatus.OPEN).first()
