"""`unknot assess` end to end, the reviewed worked cases, and the no-Django guarantee."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from unknot.cli import main

ROOT = Path(__file__).resolve().parents[2]
CASES = sorted(
    p for p in (ROOT / "docs" / "cases").glob("*.json") if not p.name.endswith(".out.json")
)
SCRIPT = Path(sys.executable).with_name("unknot")


def cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "unknot.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )


def test_there_are_at_least_twenty_worked_cases() -> None:
    assert len(CASES) >= 20
    for case in CASES:
        assert case.with_suffix(".out.json").exists(), f"{case.name} has no reviewed output"


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_worked_case_matches_reviewed_output(case: Path) -> None:
    result = cli("assess", str(case))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout == case.with_suffix(".out.json").read_text(encoding="utf-8")


def test_installed_console_script() -> None:
    # `make test` installs the project, console script included; its absence is a failure.
    result = subprocess.run(
        [str(SCRIPT), "assess", str(CASES[0])], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0
    assert result.stdout == CASES[0].with_suffix(".out.json").read_text(encoding="utf-8")


def test_stdin() -> None:
    result = cli("assess", "-", stdin=CASES[0].read_text(encoding="utf-8"))
    assert result.returncode == 0
    assert result.stdout == CASES[0].with_suffix(".out.json").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("stdin", "words"),
    [
        ('{"patient": {"age": 200}}', "patient.age: must be at most 120"),
        ('{"questionnaires": {"odi": [1, 2]}}', "questionnaires.odi: must have at least 10"),
        ('{"red_flags": {"saddle": true}}', "red_flags.saddle: is not a known field"),
        ("[1]", "(case): must be object"),
        ("{not json", "not valid JSON"),
    ],
)
def test_bad_input_exit_2_message_on_stderr_only(stdin: str, words: str) -> None:
    result = cli("assess", "-", stdin=stdin)
    assert result.returncode == 2
    assert result.stdout == ""
    assert words in result.stderr


def test_missing_file() -> None:
    result = cli("assess", "no-such-case.json")
    assert (result.returncode, result.stdout) == (2, "")
    assert "cannot read" in result.stderr


def test_schema() -> None:
    result = cli("assess", "--schema")
    assert result.returncode == 0
    schema = json.loads(result.stdout)
    assert schema["$schema"].endswith("2020-12/schema")
    assert "questionnaires" in schema["properties"]


def test_schema_shows_the_new_inputs() -> None:
    props = json.loads(cli("assess", "--schema").stdout)["properties"]
    assert {"postpartum_weeks", "bone_density_t_score"} <= set(props["patient"]["properties"])
    assert {"distal_to_buttock", "care_received"} <= set(props["episode"]["properties"])
    flags = set(props["red_flags"]["properties"])
    assert {"non_mechanical_pain", "pain_not_relieved_by_lying", "night_pain",
            "thrombosis_risk", "sudden_severe_central_pain"} <= flags  # fmt: skip
    assert {"diabetes", "prior_fragility_fracture"} <= set(props["conditions"]["items"]["enum"])
    assert {"source", "odi_percent", "start_back_risk"} <= set(props["reported"]["properties"])
    assert {"awaiting", "cleared", "restrictions"} <= set(props["clearance"]["properties"])
    assert "loads_tolerated_weeks" in props["exam"]["properties"]


def test_an_empty_case_is_screening_incomplete_with_every_domain_listed() -> None:
    result = cli("assess", "-", stdin="{}")
    assert (result.returncode, result.stderr) == (0, "")
    out = json.loads(result.stdout)
    assert out["triage"]["tier"] == "SCREENING_INCOMPLETE"
    assert "proceed" not in out["triage"]["action"]
    screen = out["triage"]["screen"]
    assert screen["complete"] is False
    assert [d["domain"] for d in screen["domains"] if d["status"] == "not_asked"] == [
        "cauda_equina", "fracture", "malignancy", "infection", "vascular", "inflammatory",
        "neurological"]  # fmt: skip
    assert out["plan"]["status"] == "provisional"


def test_no_file_and_no_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["assess"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "FILE" in captured.err


def test_care_imports_nothing_from_django() -> None:
    code = (
        "import sys, unknot.care, unknot.cli\n"
        "from unknot.care import assess, parse_case, to_json\n"
        "to_json(assess(parse_case({'patient': {'age': 40}})))\n"
        "bad = [m for m in sys.modules if m == 'django' or m.startswith('django.')]\n"
        "print(bad)\n"
        "sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
