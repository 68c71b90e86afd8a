"""Every exercise in the care library has a figure a person can follow: a start and an end pose,
the moving part in colour with an arrow, labels, an accessible name; valid SVG, nothing outside
its frame and, rendered as the PDF handout renders it, no blank band."""

import base64
import math
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PIL import Image

from unknot.care import exercise_library
from unknot.documents import figure
from unknot.documents.shapes import LETTER_WIDTH
from unknot.plans.home import diagrams

SVG = "{http://www.w3.org/2000/svg}"
KEYS = [e.id for e in exercise_library()]
NAMES = {e.id: e.name for e in exercise_library()}
BLANK_BAND = 0.12  # the tallest run of blank rows a figure may have, as a share of its height


def _root(key: str) -> ET.Element:
    return ET.fromstring((diagrams.OUT_DIR / f"{key}.svg").read_text("utf-8"))  # noqa: S314 - ours


def test_a_movement_for_every_library_exercise_and_no_strays() -> None:
    assert set(diagrams.POSES) == set(KEYS)


@pytest.mark.parametrize("key", KEYS)
def test_movement_has_two_poses_a_moving_part_and_plain_words(key: str) -> None:
    movement = diagrams.POSES[key]
    assert movement.start != movement.end
    assert movement.moving and set(movement.moving) <= set(figure.PARTS)
    assert movement.arrows, "an arrow shows the direction of movement"
    for text in (movement.caption, movement.start_text, movement.end_text):
        assert len(text) > 10 and text.endswith(".")
    assert len(movement.caption) <= 90, "a short caption"


def _part(pose: figure.Pose, part: str) -> list[figure.Point]:
    return figure._part_points(pose, figure.joints(pose), part)


@pytest.mark.parametrize("key", KEYS)
def test_the_marked_part_really_moves_and_the_arrow_is_long_enough_to_see(key: str) -> None:
    movement = diagrams.POSES[key]
    for part in movement.moving:
        start, end = _part(movement.start, part), _part(movement.end, part)
        assert max(math.dist(p, q) for p, q in zip(start, end, strict=True)) >= 3, part
    for how in movement.arrows:
        assert figure.path_length(figure.arrow_path(movement, how)) >= 12


@pytest.mark.parametrize("key", KEYS)
def test_diagram_file_is_valid_titled_svg_with_start_end_and_the_moving_part(key: str) -> None:
    root = _root(key)
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and title.text == NAMES[key]
    assert desc is not None and desc.text == diagrams.POSES[key].description
    labelled = (root.get("aria-labelledby") or "").split()
    assert labelled == [title.get("id"), desc.get("id")]
    assert [t.text for t in root.iter(f"{SVG}text")] == ["Start", "End"]
    strokes = [e.get("stroke") for e in root.iter(f"{SVG}polyline")]
    assert figure.MOVING in strokes or figure.FAR_MOVING in strokes, "the moving part in colour"
    assert figure.GHOST in strokes, "the start position, faint, under the end pose"
    assert any(e.get("fill") == figure.MOVING for e in root.iter(f"{SVG}polygon")), "arrowhead"
    width, height = int(root.get("width") or 0), int(root.get("height") or 0)
    _, _, view_w, view_h = (float(n) for n in (root.get("viewBox") or "").split())
    assert (width, height) == diagrams.diagram_size(key)
    assert (width, height) == (round(view_w * figure.SHOWN), round(view_h * figure.SHOWN))


def _extent(element: ET.Element) -> tuple[float, float, float, float]:
    """The element's box, stroke included, read back from the file alone."""
    half = float(element.get("stroke-width", "0")) / 2
    tag = element.tag.removeprefix(SVG)
    if tag in ("polyline", "polygon"):
        numbers = [float(n) for n in re.split(r"[ ,]+", element.get("points", "").strip())]
        xs, ys = numbers[0::2], numbers[1::2]
        return (min(xs) - half, min(ys) - half, max(xs) + half, max(ys) + half)
    if tag == "circle":
        cx, cy = float(element.get("cx", "0")), float(element.get("cy", "0"))
        r = float(element.get("r", "0")) + half
        return (cx - r, cy - r, cx + r, cy + r)
    if tag == "text":
        size, x, y = (float(element.get(a, "0")) for a in ("font-size", "x", "y"))
        return (x, y - size, x + LETTER_WIDTH * size * len(element.text or ""), y + 0.25 * size)
    assert tag == "rect", f"an element this test cannot measure: {tag}"
    x, y = float(element.get("x", "0")), float(element.get("y", "0"))
    return (x, y, x + float(element.get("width", "0")), y + float(element.get("height", "0")))


@pytest.mark.parametrize("key", KEYS)
def test_nothing_is_drawn_outside_the_view_box(key: str) -> None:
    root = _root(key)
    _, _, width, height = (float(n) for n in (root.get("viewBox") or "").split())
    drawn = [e for e in root.iter() if e.tag.removeprefix(SVG) not in ("svg", "title", "desc")]
    assert len(drawn) > 10
    for element in drawn:
        assert "transform" not in element.attrib  # coordinates are absolute, so this check holds
        left, top, right, bottom = _extent(element)
        assert left >= 0 and top >= 0 and right <= width and bottom <= height, element.attrib


@pytest.mark.parametrize("key", KEYS)
def test_diagram_is_self_contained_and_csp_friendly(key: str) -> None:
    text = (diagrams.OUT_DIR / f"{key}.svg").read_text("utf-8")
    assert "style=" not in text and "<style" not in text and "<script" not in text
    assert "href" not in text and "http://" not in text.replace("http://www.w3.org/2000/svg", "")


def test_files_are_exactly_what_the_generator_draws(tmp_path: Path) -> None:
    # Nobody edits the SVGs by hand: regenerate with `python -m unknot.plans.home.diagrams`.
    diagrams.write_all(tmp_path)
    for key in KEYS:
        fresh = (tmp_path / f"{key}.svg").read_text("utf-8")
        assert (diagrams.OUT_DIR / f"{key}.svg").read_text("utf-8") == fresh, key


def _pdftoppm() -> str:
    tool = shutil.which("pdftoppm")
    if tool is None:
        if os.environ.get("UNKNOT_REQUIRE_BROWSER") == "1":  # .ci/run installs poppler-utils
            pytest.fail("pdftoppm (poppler-utils) is required but not installed.")
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    return tool


def rasterized(svg_text: str, size: tuple[int, int], tmp_path: Path) -> Image.Image:
    """The figure alone on a page of its own size, drawn by WeasyPrint (as in the handout)
    and rasterized by poppler at 2 pixels per unit."""
    from weasyprint import HTML

    uri = "data:image/svg+xml;base64," + base64.b64encode(svg_text.encode()).decode()
    page = (
        f"<style>@page {{ size: {size[0]}px {size[1]}px; margin: 0 }} "
        f"body {{ margin: 0 }} img {{ display: block }}</style><img src='{uri}'>"
    )
    HTML(string=page).write_pdf(tmp_path / "figure.pdf")
    subprocess.run(
        [
            _pdftoppm(),
            "-r",
            "192",
            "-png",
            "-singlefile",
            str(tmp_path / "figure.pdf"),
            str(tmp_path / "figure"),
        ],
        check=True,
    )
    return Image.open(tmp_path / "figure.png").convert("L")


def tallest_blank_band(image: Image.Image, skip_columns: range) -> int:
    """The most rows in a row with nothing drawn (all near white), `skip_columns` aside."""
    width, height = image.size
    pixels = image.load()
    columns = [x for x in range(width) if x not in skip_columns]
    tallest = run = 0
    for y in range(height):
        blank = all(pixels[x, y] > 240 for x in columns)  # type: ignore[index]
        run = run + 1 if blank else 0
        tallest = max(tallest, run)
    return tallest


@pytest.mark.parametrize("key", KEYS)
def test_the_drawing_fills_its_frame_with_no_blank_band(key: str, tmp_path: Path) -> None:
    size = diagrams.diagram_size(key)
    image = rasterized((diagrams.OUT_DIR / f"{key}.svg").read_text("utf-8"), size, tmp_path)
    scale = image.size[0] / size[0] * figure.SHOWN  # pixels per figure unit
    panel = (
        size[0] / figure.SHOWN - figure.GAP
    ) / 2  # the divider between the panels spans every row
    divider = range(int(panel * scale), int((panel + figure.GAP) * scale) + 1)
    assert tallest_blank_band(image, divider) < BLANK_BAND * image.size[1], key


def test_the_blank_band_check_catches_a_figure_with_head_room(tmp_path: Path) -> None:
    # The same drawing in a frame 60 % taller (as the figures used to be): the check fails it.
    text = (diagrams.OUT_DIR / "bridge.svg").read_text("utf-8")
    root = ET.fromstring(text)  # noqa: S314 - ours
    width, height = diagrams.diagram_size("bridge")
    _, _, view_w, view_h = (float(n) for n in (root.get("viewBox") or "").split())
    taller = text.replace(
        f'viewBox="0 0 {view_w:g} {view_h:g}"',
        f'viewBox="0 -{view_h * 0.6:g} {view_w:g} {view_h * 1.6:g}"',
    )
    taller = taller.replace(f'height="{height}" role', f'height="{height * 1.6:g}" role')
    assert 'viewBox="0 -' in taller
    image = rasterized(taller, (width, round(height * 1.6)), tmp_path)
    assert tallest_blank_band(image, range(0)) > BLANK_BAND * image.size[1]
