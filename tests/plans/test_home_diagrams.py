"""Every exercise of the library has its own generated diagram, accessible and up to date."""

import xml.etree.ElementTree as ET

from unknot.care import exercise_library
from unknot.plans.home import diagrams

SVG = "{http://www.w3.org/2000/svg}"


def test_every_library_exercise_has_a_diagram_file() -> None:
    keys = {exercise.id for exercise in exercise_library()}
    files = {path.stem for path in diagrams.OUT_DIR.glob("*.svg")}
    assert keys <= files, f"missing diagrams: {sorted(keys - files)}"


def test_diagram_files_are_what_the_generator_draws() -> None:
    rendered = diagrams.render_all(diagrams.library_titles())
    for key, text in rendered.items():
        on_disk = (diagrams.OUT_DIR / f"{key}.svg").read_text(encoding="utf-8")
        assert on_disk == text, f"{key}.svg is stale: run python -m unknot.plans.home.diagrams"


def test_diagrams_are_valid_svg_with_a_title_and_a_description() -> None:
    for key, text in diagrams.render_all(diagrams.library_titles()).items():
        root = ET.fromstring(text)  # noqa: S314 - our own generated markup
        assert root.tag == f"{SVG}svg", key
        assert root.find(f"{SVG}title") is not None and root.find(f"{SVG}desc") is not None, key
        assert "style=" not in text, f"{key}: inline styles are refused by our CSP"
