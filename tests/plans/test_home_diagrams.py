"""Every exercise in the care library has its own generated stick-figure diagram."""

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from unknot.care import exercise_library
from unknot.plans.home import diagrams

SVG = "{http://www.w3.org/2000/svg}"
KEYS = [e.id for e in exercise_library()]


def test_a_pose_for_every_library_exercise_and_no_strays() -> None:
    assert set(diagrams.POSES) == set(KEYS)


@pytest.mark.parametrize("key", KEYS)
def test_diagram_file_is_valid_titled_svg(key: str) -> None:
    path = diagrams.OUT_DIR / f"{key}.svg"
    root = ET.fromstring(path.read_text("utf-8"))  # noqa: S314 - our own generated file
    assert root.tag == f"{SVG}svg"
    assert root.get("viewBox") == "0 0 200 160"
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and title.text == next(
        e.name for e in exercise_library() if e.id == key
    )
    assert desc is not None and len(desc.text or "") > 20
    assert root.findall(f".//{SVG}polyline"), "a figure is drawn"


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
