"""Exercise figures: a stick figure at the start and at the end of a movement, side by side.

A pose is the hip's place (across, and height above the floor) plus the absolute angle of every
body segment (degrees, 0 = to the right, 90 = up), so a figure always keeps its proportions
whatever the pose. A movement names its two poses, the parts that move (drawn in colour in both
panels) and how to draw the arrow; the end panel also shows the moving parts' start position,
faint and dashed, with the arrow running from there to where they end up.

The frame is fitted to the drawing: both panels share one floor line and one scale, and the
height is what the tallest pose needs, so no figure has a blank band. Coordinates are SVG
units, y growing downwards, the floor at y = 0.
"""

import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass

from unknot.documents.shapes import Circle, Drawable, Label, Line, Point, Shape, union

TRUNK, NECK, HEAD_R = 44.0, 7.0, 9.0
ARM = (22.0, 20.0)  # upper arm, forearm
LEG = (30.0, 29.0, 9.0)  # thigh, shin, foot
FLOOR = 0.0
INK, FAR_INK = "#1b1f23", "#7d8b93"
MOVING, FAR_MOVING, GHOST = "#c2410c", "#e58a5c", "#f0b193"  # the moving part, then faint
PROP_INK, PROP_FILL, FLOOR_INK = "#0b5563", "#d3e2e7", "#5f6b73"
LIMBS = ("near_arm", "far_arm", "near_leg", "far_leg")
PARTS = ("trunk", *LIMBS)

Joints = dict[str, Point]
Triple = tuple[float, float, float]


@dataclass(frozen=True)
class Pose:
    hip: Point  # across, and height above the floor
    trunk: float
    near_arm: tuple[float, float]
    far_arm: tuple[float, float]
    near_leg: tuple[float, float, float]
    far_leg: tuple[float, float, float]
    neck: float | None = None  # defaults to the trunk's angle
    bend: Point = (0.0, 0.0)  # pulls the middle of the back (SVG units), to round or arch it


@dataclass(frozen=True)
class Prop:
    """Equipment or surroundings, drawn from the pose's joints (a weight follows the hand)."""

    draw: Callable[[Joints], list[Drawable]]
    front: bool = False  # drawn over the body (something held), else behind it


@dataclass(frozen=True)
class Track:
    """The arrow follows this joint from the start pose to the end pose."""

    joint: str
    beyond: float = 8.0  # past the joint, along its segment, so the arrow clears the body
    shift: Point = (0.0, 0.0)


@dataclass(frozen=True)
class Path:
    """An arrow drawn through these (across, height) points, where no joint's path shows the
    movement (a small movement of the back, or a walk forward)."""

    points: tuple[Point, ...]


@dataclass(frozen=True)
class Movement:
    caption: str  # what to do, in plain words
    start: Pose
    end: Pose
    start_text: str  # the start position, for people who cannot see the picture
    end_text: str
    moving: tuple[str, ...]  # of PARTS
    arrows: tuple[Track | Path, ...]  # at least one
    props: tuple[Prop, ...] = ()

    @property
    def positions(self) -> str:
        return f"Start: {self.start_text} End: {self.end_text}"

    @property
    def description(self) -> str:
        return f"{self.caption} {self.positions}"


def step(p: Point, angle: float, length: float) -> Point:
    a = math.radians(angle)
    return (p[0] + length * math.cos(a), p[1] - length * math.sin(a))


def chain(start: Point, angles: tuple[float, ...], lengths: tuple[float, ...]) -> list[Point]:
    points = [start]
    for angle, length in zip(angles, lengths, strict=True):
        points.append(step(points[-1], angle, length))
    return points


def on_floor(x: float, height: float) -> Point:
    return (x, FLOOR - height)


def _head_angle(pose: Pose) -> float:
    return pose.trunk if pose.neck is None else pose.neck


def _back(pose: Pose, hip: Point, shoulder: Point) -> list[Point]:
    """The trunk as a quadratic curve from hip to shoulder, sampled."""
    cx = (hip[0] + shoulder[0]) / 2 + pose.bend[0]
    cy = (hip[1] + shoulder[1]) / 2 + pose.bend[1]
    return [
        (
            (1 - t) ** 2 * hip[0] + 2 * (1 - t) * t * cx + t**2 * shoulder[0],
            (1 - t) ** 2 * hip[1] + 2 * (1 - t) * t * cy + t**2 * shoulder[1],
        )
        for t in (i / 8 for i in range(9))
    ]


def joints(pose: Pose) -> Joints:
    hip = on_floor(*pose.hip)
    shoulder = step(hip, pose.trunk, TRUNK)
    neck = step(shoulder, _head_angle(pose), NECK)
    named = {"hip": hip, "shoulder": shoulder, "neck": neck}
    named["head"] = step(neck, _head_angle(pose), HEAD_R)
    named["waist"] = _back(pose, hip, shoulder)[3]
    for side in ("near", "far"):
        arm = chain(shoulder, getattr(pose, f"{side}_arm"), ARM)
        leg = chain(hip, getattr(pose, f"{side}_leg"), LEG)
        named.update({f"{side}_elbow": arm[1], f"{side}_hand": arm[2]})
        named.update({f"{side}_knee": leg[1], f"{side}_ankle": leg[2], f"{side}_toe": leg[3]})
    return named


def _part_points(pose: Pose, j: Joints, part: str) -> list[Point]:
    if part == "trunk":
        return _back(pose, j["hip"], j["shoulder"])
    side, limb = part.split("_")
    if limb == "arm":
        return [j["shoulder"], j[f"{side}_elbow"], j[f"{side}_hand"]]
    return [j["hip"], j[f"{side}_knee"], j[f"{side}_ankle"], j[f"{side}_toe"]]


def _colour(part: str, moving: tuple[str, ...]) -> str:
    far = part.startswith("far_")
    if part in moving:
        return FAR_MOVING if far else MOVING
    return FAR_INK if far else INK


def body(pose: Pose, moving: tuple[str, ...] = ()) -> list[Drawable]:
    """The figure, far limbs first (lighter), then trunk and head, then the near limbs."""
    j = joints(pose)
    trunk = _colour("trunk", moving)
    drawn: list[Drawable] = [
        Line(tuple(_part_points(pose, j, part)), _colour(part, moving))
        for part in ("far_arm", "far_leg")
    ]
    drawn.append(Line(tuple(_part_points(pose, j, "trunk")), trunk, 6.0))
    drawn.append(Line((j["shoulder"], j["neck"]), trunk))
    drawn.append(Circle(j["head"], HEAD_R, "#ffffff", trunk, 4.0))
    drawn += [
        Line(tuple(_part_points(pose, j, part)), _colour(part, moving))
        for part in ("near_leg", "near_arm")
    ]
    return drawn


def ghost(pose: Pose, moving: tuple[str, ...]) -> list[Drawable]:
    """Where the moving parts started, faint and dashed, under the end pose."""
    j = joints(pose)
    drawn: list[Drawable] = [
        Line(tuple(_part_points(pose, j, part)), GHOST, 4.0, dashed=True) for part in moving
    ]
    if "trunk" in moving:
        drawn.append(Line((j["shoulder"], j["neck"]), GHOST, 4.0, dashed=True))
        drawn.append(Circle(j["head"], HEAD_R, "none", GHOST, 3.0))
    return drawn


def between(a: Pose, b: Pose, t: float) -> Pose:
    """The pose a fraction t of the way from a to b (every angle turns evenly)."""

    def num(x: float, y: float) -> float:
        return x + (y - x) * t

    def pair(x: tuple[float, float], y: tuple[float, float]) -> tuple[float, float]:
        return (num(x[0], y[0]), num(x[1], y[1]))

    def leg(x: tuple[float, float, float], y: tuple[float, float, float]) -> Triple:
        return (num(x[0], y[0]), num(x[1], y[1]), num(x[2], y[2]))

    return Pose(
        hip=pair(a.hip, b.hip),
        trunk=num(a.trunk, b.trunk),
        near_arm=pair(a.near_arm, b.near_arm),
        far_arm=pair(a.far_arm, b.far_arm),
        near_leg=leg(a.near_leg, b.near_leg),
        far_leg=leg(a.far_leg, b.far_leg),
        neck=num(_head_angle(a), _head_angle(b)),
        bend=pair(a.bend, b.bend),
    )


def _tracked(track: Track, pose: Pose) -> Point:
    j = joints(pose)
    x, y = j[track.joint]
    before = {"head": "neck", "shoulder": "hip", "waist": "hip", "hip": None}
    side, _, name = track.joint.partition("_")
    previous = {
        "elbow": "shoulder",
        "hand": f"{side}_elbow",
        "knee": "hip",
        "ankle": f"{side}_knee",
        "toe": f"{side}_ankle",
    }
    origin = before.get(track.joint, previous.get(name))
    if origin is not None and track.beyond:
        ox, oy = j[origin]
        length = math.hypot(x - ox, y - oy) or 1.0
        x, y = x + (x - ox) / length * track.beyond, y + (y - oy) / length * track.beyond
    return (x + track.shift[0], y + track.shift[1])


def arrow_path(movement: Movement, how: Track | Path) -> list[Point]:
    if isinstance(how, Path):
        return [on_floor(*p) for p in how.points]
    ends = [0.12 + 0.76 * i / 10 for i in range(11)]  # clear of the ghost and of the end pose
    return [_tracked(how, between(movement.start, movement.end, t)) for t in ends]


def arrow(points: list[Point], colour: str = MOVING) -> list[Drawable]:
    (x0, y0), (x1, y1) = points[-2], points[-1]
    length = math.hypot(x1 - x0, y1 - y0) or 1.0
    ux, uy = (x1 - x0) / length, (y1 - y0) / length
    head, half = 10.0, 5.5
    base = (x1 - ux * head, y1 - uy * head)
    tip_shape = Shape(
        (
            (x1, y1),
            (base[0] - uy * half, base[1] + ux * half),
            (base[0] + uy * half, base[1] - ux * half),
        ),
        colour,
    )
    shaft = Line((*points[:-1], (x1 - ux * head * 0.6, y1 - uy * head * 0.6)), colour, 3.0)
    return [shaft, tip_shape]


def path_length(points: list[Point]) -> float:
    return sum(math.dist(p, q) for p, q in itertools.pairwise(points))


# The frame: a label band above each panel, a margin around, one floor line across both.
LABEL_SIZE, PAD, GAP, MIN_PANEL = 12.0, 6.0, 12.0, 120.0
LABEL_BAND = LABEL_SIZE + 6.0


@dataclass(frozen=True)
class Panels:
    start: list[Drawable]
    end: list[Drawable]


def panels(movement: Movement) -> Panels:
    def scene(pose: Pose, extra: list[Drawable]) -> list[Drawable]:
        j = joints(pose)
        back = [shape for prop in movement.props if not prop.front for shape in prop.draw(j)]
        front = [shape for prop in movement.props if prop.front for shape in prop.draw(j)]
        return [*back, *extra, *body(pose, movement.moving), *front]

    start = scene(movement.start, [])
    end = scene(movement.end, ghost(movement.start, movement.moving))
    arrows = [shape for how in movement.arrows for shape in arrow(arrow_path(movement, how))]
    return Panels(start, end + arrows)


@dataclass(frozen=True)
class Frame:
    width: float
    height: float
    panel: float  # the width of one panel
    dx: float  # moves figure units into the start panel
    dy: float


def frame(drawn: Panels) -> Frame:
    left, top, right, bottom = union([s.box() for s in drawn.start + drawn.end])
    bottom = max(bottom, FLOOR + 2.0)
    panel = max(right - left + 2 * PAD, MIN_PANEL)
    dx = (panel - (right - left)) / 2 - left
    dy = LABEL_BAND - top
    return Frame(2 * panel + GAP, dy + bottom + PAD, panel, dx, dy)


def _furniture(f: Frame) -> list[Drawable]:
    """The floor under each panel, the divider between them and the two labels."""
    floor_y = FLOOR + f.dy + 1.0
    drawn: list[Drawable] = []
    for x0, text in ((0.0, "Start"), (f.panel + GAP, "End")):
        drawn.append(Line(((x0 + 3, floor_y), (x0 + f.panel - 3, floor_y)), FLOOR_INK, 2.0))
        drawn.append(Label((x0 + PAD, 4.0), text, LABEL_SIZE, INK))
    middle = f.panel + GAP / 2
    drawn.append(Line(((middle, 4.0), (middle, f.height - 4.0)), "#c9d3d8", 1.5))
    return drawn


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def svg(title: str, movement: Movement) -> str:
    """A complete, standalone SVG document: titled, described, presentation attributes only."""
    drawn = panels(movement)
    f = frame(drawn)
    second = f.dx + f.panel + GAP
    body_svg = "".join(s.svg(f.dx, f.dy) for s in drawn.start)
    body_svg += "".join(s.svg(second, f.dy) for s in drawn.end)
    w, h = math.ceil(f.width), math.ceil(f.height)
    shown_w, shown_h = size(movement)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{shown_w}" '
        f'height="{shown_h}" role="img" aria-labelledby="title desc">'
        f'<title id="title">{_escape(title)}</title>'
        f'<desc id="desc">{_escape(movement.description)}</desc>'
        f'<rect x="0" y="0" width="{w}" height="{h}" fill="#ffffff"/>'
        f"{''.join(s.svg() for s in _furniture(f))}{body_svg}</svg>\n"
    )


SHOWN = 1.25  # CSS pixels per figure unit: the one scale every figure is shown at


def size(movement: Movement) -> tuple[int, int]:
    """The figure's natural width and height in CSS pixels (its width and height attributes)."""
    f = frame(panels(movement))
    return round(math.ceil(f.width) * SHOWN), round(math.ceil(f.height) * SHOWN)
