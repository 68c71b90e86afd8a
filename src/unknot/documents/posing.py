"""Helpers for writing poses: the angles that put a hand or a foot where it belongs, so a
foot stays planted (or a hand on the thigh) while the rest of the body moves."""

import math

from unknot.documents.figure import ARM, LEG, TRUNK, Point

STANDING_HIP = LEG[0] + LEG[1] + 2.5  # straight legs, the ankle just above the floor


def aim(
    origin: Point, target: Point, lengths: tuple[float, float], bend: int
) -> tuple[float, float]:
    """The two segment angles that reach from origin to target ((across, height) points).

    bend=+1 puts the middle joint on the counterclockwise side of the straight line (a knee in
    front of a figure facing right), -1 on the other side. Out of reach: straight at it."""
    dx, dy = target[0] - origin[0], target[1] - origin[1]
    first_len, second_len = lengths
    distance = min(math.hypot(dx, dy), first_len + second_len - 1e-6)
    cosine = (first_len**2 + distance**2 - second_len**2) / (2 * first_len * distance)
    first = math.degrees(math.atan2(dy, dx) + bend * math.acos(max(-1.0, min(1.0, cosine))))
    middle = (
        origin[0] + first_len * math.cos(math.radians(first)),
        origin[1] + first_len * math.sin(math.radians(first)),
    )
    second = math.degrees(math.atan2(target[1] - middle[1], target[0] - middle[0]))
    return (round(first, 2), round(second, 2))


def leg(hip: Point, ankle: Point, bend: int = 1, foot: float = 0.0) -> tuple[float, float, float]:
    return (*aim(hip, ankle, (LEG[0], LEG[1]), bend), foot)


def shoulder(hip: Point, trunk: float) -> Point:
    a = math.radians(trunk)
    return (hip[0] + TRUNK * math.cos(a), hip[1] + TRUNK * math.sin(a))


def arm(hip: Point, trunk: float, hand: Point, bend: int = -1) -> tuple[float, float]:
    return aim(shoulder(hip, trunk), hand, ARM, bend)


def toward(a: Point, b: Point) -> float:
    """The angle of the segment from a to b."""
    return round(math.degrees(math.atan2(b[1] - a[1], b[0] - a[0])), 2)


def on_trunk(hip: Point, trunk: float, along: float, behind: float = 0.0) -> Point:
    """A point on the trunk, `along` of the way from hip to shoulder, moved `behind` it (the
    back of a figure facing right; negative: in front)."""
    a, b = math.radians(trunk), math.radians(trunk + 90)
    return (
        hip[0] + TRUNK * along * math.cos(a) + behind * math.cos(b),
        hip[1] + TRUNK * along * math.sin(a) + behind * math.sin(b),
    )
