"""The movement of every library exercise: its start and end poses, the parts that move, the
arrow and the props (drawn by unknot.documents.figure; the poses are in poses_floor and
poses_upright)."""

from unknot.documents.figure import Movement
from unknot.plans.home.poses_floor import FLOOR_MOVEMENTS
from unknot.plans.home.poses_upright import UPRIGHT_MOVEMENTS

POSES: dict[str, Movement] = {**FLOOR_MOVEMENTS, **UPRIGHT_MOVEMENTS}
