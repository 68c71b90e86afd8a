"""Reads of clinical records. Every read starts from the acting user."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from unknot.accounts.access import is_read_only, staff_role
from unknot.clinics.selectors import clinics_visible_to
from unknot.records.models import Episode, EpisodeStatus


def episodes_visible_to(user: Any) -> QuerySet[Episode]:
    """Staff: episodes at their clinics. A patient: their own. Anyone else: nothing."""
    base = Episode.objects.select_related("patient", "clinic", "therapist__user")
    if user is None or not user.is_authenticated or not user.is_active:
        return base.none()
    if staff_role(user) is not None:
        return base.filter(clinic__in=clinics_visible_to(user))
    return base.filter(patient__user=user)


def get_episode_for(user: Any, episode_id: int) -> Episode:
    """The access helper for episodes (and everything inside them): the row or 404."""
    episode = episodes_visible_to(user).filter(pk=episode_id).first()
    if episode is None:
        raise Http404("No such episode.")
    return episode


def get_episode_for_rw(user: Any, episode_id: int) -> Episode:
    episode = get_episode_for(user, episode_id)
    if is_read_only(user) or staff_role(user) is None:
        raise PermissionDenied("Your role may read this record but not change it.")
    return episode


def own_open_episode(user: Any) -> Episode | None:
    """The portal's current episode: the signed-in patient's latest open one."""
    if staff_role(user) is not None:
        return None
    return episodes_visible_to(user).filter(status=EpisodeStatus.OPEN).first()
