"""The few SVG shapes the figures are drawn with, each knowing its own extent.

Knowing the extent is what lets a figure's frame be fitted to its drawing (no blank bands) and
lets a test prove nothing is drawn outside the frame. Shapes are written with absolute
coordinates and presentation attributes only (no transform, no style attribute), so the same
file draws the same in a browser and in WeasyPrint.
"""

from dataclasses import dataclass
from html import escape

Point = tuple[float, float]
Box = tuple[float, float, float, float]  # left, top, right, bottom


def _n(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def _points(points: tuple[Point, ...], dx: float, dy: float) -> str:
    return " ".join(f"{_n(x + dx)},{_n(y + dy)}" for x, y in points)


def union(boxes: list[Box]) -> Box:
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def _grow(box: Box, by: float) -> Box:
    return (box[0] - by, box[1] - by, box[2] + by, box[3] + by)


@dataclass(frozen=True)
class Line:
    """An open polyline with round ends: limbs, the trunk, props, arrow shafts."""

    points: tuple[Point, ...]
    colour: str
    width: float = 5.0
    dashed: bool = False

    def box(self) -> Box:
        xs, ys = [p[0] for p in self.points], [p[1] for p in self.points]
        return _grow((min(xs), min(ys), max(xs), max(ys)), self.width / 2)

    def svg(self, dx: float = 0, dy: float = 0) -> str:
        dash = f' stroke-dasharray="{_n(self.width * 1.2)} {_n(self.width * 1.1)}"'
        return (
            f'<polyline points="{_points(self.points, dx, dy)}" fill="none" '
            f'stroke="{self.colour}" stroke-width="{_n(self.width)}" stroke-linecap="round" '
            f'stroke-linejoin="round"{dash if self.dashed else ""}/>'
        )


@dataclass(frozen=True)
class Shape:
    """A closed polygon: arrowheads, mats, boxes, chair seats."""

    points: tuple[Point, ...]
    fill: str
    stroke: str = "none"
    width: float = 0.0

    def box(self) -> Box:
        xs, ys = [p[0] for p in self.points], [p[1] for p in self.points]
        return _grow((min(xs), min(ys), max(xs), max(ys)), self.width / 2)

    def svg(self, dx: float = 0, dy: float = 0) -> str:
        stroke = f' stroke="{self.stroke}" stroke-width="{_n(self.width)}"' if self.width else ""
        return (
            f'<polygon points="{_points(self.points, dx, dy)}" fill="{self.fill}"'
            f'{stroke} stroke-linejoin="round"/>'
        )


@dataclass(frozen=True)
class Circle:
    centre: Point
    r: float
    fill: str
    stroke: str = "none"
    width: float = 0.0

    def box(self) -> Box:
        (x, y), reach = self.centre, self.r + self.width / 2
        return (x - reach, y - reach, x + reach, y + reach)

    def svg(self, dx: float = 0, dy: float = 0) -> str:
        x, y = self.centre
        stroke = f' stroke="{self.stroke}" stroke-width="{_n(self.width)}"' if self.width else ""
        return (
            f'<circle cx="{_n(x + dx)}" cy="{_n(y + dy)}" r="{_n(self.r)}" '
            f'fill="{self.fill}"{stroke}/>'
        )


# DejaVu Sans Bold is about 0.7 em wide per letter of these labels; the box errs wide.
LETTER_WIDTH = 0.72


@dataclass(frozen=True)
class Label:
    """Text with its top-left corner at `at` (the baseline sits one cap height lower)."""

    at: Point
    text: str
    size: float
    colour: str

    def box(self) -> Box:
        x, y = self.at
        return (x, y, x + LETTER_WIDTH * self.size * len(self.text), y + self.size)

    def svg(self, dx: float = 0, dy: float = 0) -> str:
        x, y = self.at
        baseline = y + 0.8 * self.size
        return (
            f'<text x="{_n(x + dx)}" y="{_n(baseline + dy)}" font-family="DejaVu Sans, Verdana, '
            f'sans-serif" font-size="{_n(self.size)}" font-weight="bold" '
            f'fill="{self.colour}">{escape(self.text)}</text>'
        )


Drawable = Line | Shape | Circle | Label
