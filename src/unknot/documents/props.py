"""What the exercise figures use besides the body: mat, chair, wall, post and band, cushion,
box, weight, strap and stick. Places are (across, height above the floor), as for the hip;
props held by the person follow the joints of each pose.
"""

import math

from unknot.documents.figure import FAR_INK, PROP_FILL, PROP_INK, Joints, Prop, on_floor, step
from unknot.documents.shapes import Circle, Drawable, Line, Point, Shape

WOOD, WOOD_EDGE = "#e9d8b4", "#8a6d2c"


def _rect(left: float, bottom: float, width: float, height: float) -> tuple[Point, ...]:
    return (
        on_floor(left, bottom),
        on_floor(left + width, bottom),
        on_floor(left + width, bottom + height),
        on_floor(left, bottom + height),
    )


def mat(left: float, right: float) -> Prop:
    return Prop(lambda j: [Shape(_rect(left, 0, right - left, 3), PROP_FILL)])


def cushion(x: float, width: float = 24.0) -> Prop:
    return Prop(lambda j: [Shape(_rect(x - width / 2, 0, width, 6), PROP_FILL, PROP_INK, 1.5)])


def box(x: float, width: float = 30.0, height: float = 24.0) -> Prop:
    """A box standing on the floor, its middle at x."""
    outline = _rect(x - width / 2, 0, width, height)
    return Prop(lambda j: [Shape(outline, WOOD, WOOD_EDGE, 1.5)])


def held_box(width: float = 30.0, height: float = 24.0) -> Prop:
    """A box gripped at its sides: its middle is at the near hand, drawn behind the arm."""

    def draw(j: Joints) -> list[Drawable]:
        hx, hy = j["near_hand"]
        corners = (
            (hx - width / 2, hy - height / 2),
            (hx + width / 2, hy - height / 2),
            (hx + width / 2, hy + height / 2),
            (hx - width / 2, hy + height / 2),
        )
        return [Shape(corners, WOOD, WOOD_EDGE, 1.5)]

    return Prop(draw)


def chair(x: float, seat: float = 28.0, facing: int = 1) -> Prop:
    """A plain chair seen from the side, its back at x; the sitter faces `facing` (1 = right)."""
    front = x + facing * 30
    seat_line = (on_floor(x, seat), on_floor(front, seat))
    legs = [(on_floor(x, 0), on_floor(x, seat + 40)), (on_floor(front, 0), on_floor(front, seat))]
    drawn: list[Drawable] = [Line(seat_line, PROP_INK, 4.0)]
    drawn += [Line(leg, PROP_INK, 3.0) for leg in legs]
    return Prop(lambda j: drawn)


def wall(x: float, height: float = 150.0, side: int = -1) -> Prop:
    """A wall face at x; the hatching is on `side` of it (-1 = left), away from the person."""
    face = Line((on_floor(x, 0), on_floor(x, height)), PROP_INK, 3.0)
    hatch = [
        Line((on_floor(x, h), on_floor(x + side * 7, h - 7)), PROP_INK, 1.5)
        for h in range(14, int(height) + 1, 14)
    ]
    return Prop(lambda j: [face, *hatch])


def band_post(x: float, anchor: float, height: float = 130.0) -> Prop:
    """A post beside the person (so drawn faint) with a band tied at `anchor` to the hands."""

    def draw(j: Joints) -> list[Drawable]:
        post = Line((on_floor(x, 0), on_floor(x, height)), FAR_INK, 4.0)
        return [post, Line((on_floor(x, anchor), j["near_hand"]), PROP_INK, 2.5)]

    return Prop(draw)


def weight(hanging: bool = True) -> Prop:
    """A kettlebell in the near hand: hanging below it, or held against the chest."""

    def draw(j: Joints) -> list[Drawable]:
        hx, hy = j["near_hand"]
        centre = (hx, hy + 8.5) if hanging else (hx + 4, hy)
        return [Circle(centre, 7.5, PROP_INK)]

    return Prop(draw, front=True)


def strap() -> Prop:
    """A strap looped round the near foot, held in the hands."""
    return Prop(lambda j: [Line((j["near_hand"], j["near_ankle"]), PROP_INK, 2.5)], front=True)


def stick() -> Prop:
    """A stick held along the back, touching the head, the upper back and the tailbone."""

    def draw(j: Joints) -> list[Drawable]:
        (hx, hy), (sx, sy) = j["hip"], j["shoulder"]
        angle = math.degrees(math.atan2(hy - sy, sx - hx))  # the trunk's angle
        low = step(step(j["hip"], angle + 90, 6), angle, -10)
        high = step(step(j["shoulder"], angle + 90, 7), angle, 30)
        return [Line((low, high), WOOD_EDGE, 3.5)]

    return Prop(draw, front=True)
