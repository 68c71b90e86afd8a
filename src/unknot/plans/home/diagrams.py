"""Figures of the library's exercises: the start and end poses of each movement, side by side
(poses.py, drawn by unknot.documents.figure; conventions in docs/home-programme.md).

The SVG files under static/plans/diagrams/ are generated from here and checked by a test, never
edited by hand; the page shows the file and the PDF handout embeds the same file:

    python -m unknot.plans.home.diagrams      # rewrites every file
"""

from functools import cache
from pathlib import Path

from unknot.documents.figure import size, svg
from unknot.documents.pdf import static_text, svg_data_uri
from unknot.plans.home.poses import POSES

OUT_DIR = Path(__file__).resolve().parent.parent / "static" / "plans" / "diagrams"
__all__ = [
    "OUT_DIR",
    "POSES",
    "diagram_size",
    "diagram_uri",
    "library_titles",
    "render_all",
    "write_all",
]


def diagram_uri(key: str) -> str:
    """The exercise's diagram as a data: URI, for a PDF (documents/pdf.py fetches nothing)."""
    try:
        return svg_data_uri(static_text(f"plans/diagrams/{key}.svg"))
    except FileNotFoundError:
        return ""  # an exercise outside the library: no picture rather than a broken one


@cache
def diagram_size(key: str) -> tuple[int, int]:
    """The figure's natural width and height (CSS pixels), so pages reserve its room and every
    figure is shown at one scale."""
    return size(POSES[key])


def render_all(titles: dict[str, str]) -> dict[str, str]:
    """{exercise key: SVG text} for every key in `titles` (the library's names)."""
    return {key: svg(title, POSES[key]) for key, title in titles.items()}


def library_titles() -> dict[str, str]:
    from unknot.care import exercise_library

    return {e.id: e.name for e in exercise_library()}


def write_all(out_dir: Path = OUT_DIR) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for key, text in render_all(library_titles()).items():
        path = out_dir / f"{key}.svg"
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    for path in write_all():
        print(path.name)
