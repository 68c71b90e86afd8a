"""Stick figures from joint angles, as standalone SVG (the home programme draws its exercise
diagrams with it, from poses of its own).

A pose is a hip position plus the absolute angle of every body segment (degrees, 0 = to the
right, 90 = up), so a figure always keeps its proportions whatever the pose.
"""

import math
from dataclasses import dataclass

FLOOR = 126.0
SHIFT = 22.0  # head room for standing figures
TRUNK, NECK, HEAD_R = 44.0, 7.0, 9.0
ARM = (22.0, 20.0)  # upper arm, forearm
LEG = (30.0, 29.0, 9.0)  # thigh, shin, foot
INK, FAR_INK, PROP_INK, FLOOR_INK = "#1b1f23", "#8a979f", "#0b5563", "#9aa5ab"

Point = tuple[float, float]


@dataclass(frozen=True)
class Pose:
    desc: str  # what the picture shows, for people who cannot see it
    hip: Point
    trunk: float
    near_arm: tuple[float, float]
    far_arm: tuple[float, float]
    near_leg: tuple[float, float, float]
    far_leg: tuple[float, float, float]
    neck: float | None = None  # defaults to the trunk's angle
    bend: Point = (0.0, 0.0)  # pulls the middle of the back, for rounding and arching
    props: tuple[str, ...] = ()  # extra SVG elements (mat, chair, strap ...), in figure units
    arrows: tuple[str, ...] = ()  # path data of movement arrows
    strap: bool = False  # a strap from the near hand to the near foot


def step(p: Point, angle: float, length: float) -> Point:
    a = math.radians(angle)
    return (p[0] + length * math.cos(a), p[1] - length * math.sin(a))


def chain(start: Point, angles: tuple[float, ...], lengths: tuple[float, ...]) -> list[Point]:
    points = [start]
    for angle, length in zip(angles, lengths, strict=True):
        points.append(step(points[-1], angle, length))
    return points


def _fmt(points: list[Point]) -> str:
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in points)


def _line(points: list[Point], colour: str, width: float = 5) -> str:
    return (
        f'<polyline points="{_fmt(points)}" fill="none" stroke="{colour}" '
        f'stroke-width="{width:g}" stroke-linecap="round" stroke-linejoin="round"/>'
    )


def _trunk(pose: Pose, shoulder: Point) -> str:
    (hx, hy), (sx, sy) = pose.hip, shoulder
    cx, cy = (hx + sx) / 2 + pose.bend[0], (hy + sy) / 2 + pose.bend[1]
    return (
        f'<path d="M{hx:.1f},{hy:.1f} Q{cx:.1f},{cy:.1f} {sx:.1f},{sy:.1f}" fill="none" '
        f'stroke="{INK}" stroke-width="6" stroke-linecap="round"/>'
    )


def _head(shoulder: Point, angle: float) -> str:
    neck = step(shoulder, angle, NECK)
    cx, cy = step(neck, angle, HEAD_R)
    return _line([shoulder, neck], INK) + (
        f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{HEAD_R:g}" fill="#ffffff" stroke="{INK}" '
        f'stroke-width="4"/>'
    )


def figure(pose: Pose) -> str:
    """The figure's SVG elements: far limbs first (lighter), then trunk, head, near limbs."""
    shoulder = step(pose.hip, pose.trunk, TRUNK)
    far_arm = chain(shoulder, pose.far_arm, ARM)
    far_leg = chain(pose.hip, pose.far_leg, LEG)
    near_arm = chain(shoulder, pose.near_arm, ARM)
    near_leg = chain(pose.hip, pose.near_leg, LEG)
    parts = [_line(far_arm, FAR_INK), _line(far_leg, FAR_INK), *pose.props]
    head_angle = pose.trunk if pose.neck is None else pose.neck
    parts += [_trunk(pose, shoulder), _head(shoulder, head_angle)]
    if pose.strap:
        parts.append(_line([near_arm[-1], near_leg[-1]], PROP_INK, 2.5))
    parts += [_line(near_leg, INK), _line(near_arm, INK)]
    parts += [_arrow(d) for d in pose.arrows]
    return "".join(parts)


def _arrow(d: str) -> str:
    return (
        f'<path d="{d}" fill="none" stroke="{PROP_INK}" stroke-width="2.5" '
        f'stroke-linecap="round" marker-end="url(#arrowhead)"/>'
    )


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def svg(title: str, pose: Pose) -> str:
    """A complete, standalone SVG document: titled, described, presentation attributes only."""
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 160" width="200" '
        'height="160" role="img" aria-labelledby="title desc">'
        f'<title id="title">{_escape(title)}</title><desc id="desc">{_escape(pose.desc)}</desc>'
        '<defs><marker id="arrowhead" viewBox="0 0 10 10" refX="8" refY="5" markerWidth="5" '
        f'markerHeight="5" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="{PROP_INK}"/>'
        "</marker></defs>"
        '<rect x="0" y="0" width="200" height="160" fill="#ffffff"/>'
        # The figures are drawn on a floor at y=FLOOR; the group leaves head room above them.
        f'<g transform="translate(0 {SHIFT:g})">'
        f'<line x1="8" y1="{FLOOR + 2:g}" x2="192" y2="{FLOOR + 2:g}" stroke="{FLOOR_INK}" '
        'stroke-width="2"/>'
        f"{figure(pose)}</g></svg>\n"
    )
