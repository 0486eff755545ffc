"""``pilotage engagement | friction | voice | journey-map`` on the small demo company: one
JSON document with --format json, tables and CSV for people, bad options exit 2 with the
field named."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pilotage.interfaces.cli.main import main

pytestmark = pytest.mark.slow


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_engagement_json_and_tables(small_demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "engagement", "-w", str(small_demo), "--format", "json")
    assert code == 0
    doc = json.loads(out)
    assert doc["unit"] == "person" and doc["series"]
    assert doc["purchase"]["caution"].startswith("Association, not cause")
    code, out, _ = run(capsys, "engagement", "-w", str(small_demo), "--view", "adoption")
    assert code == 0 and out.splitlines()[0].split()[:3] == ["feature", "users", "adoption"]
    code, out, _ = run(
        capsys, "engagement", "-w", str(small_demo), "--view", "churn", "--format", "csv"
    )
    assert code == 0 and out.startswith("feature,users_with,rate_with")


def test_friction_voice_and_map(small_demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "friction", "-w", str(small_demo), "--view", "stages")
    assert code == 0 and "lead→mql" in out
    code, out, _ = run(capsys, "friction", "-w", str(small_demo), "--format", "json")
    assert code == 0 and "Revenue lost" in json.loads(out)["formula"]
    code, out, _ = run(capsys, "voice", "-w", str(small_demo), "--view", "scores")
    assert code == 0 and "journey_stage" in out and "nps_low" in out
    code, out, _ = run(capsys, "voice", "-w", str(small_demo), "--format", "json", "--lang", "fr")
    assert code == 0 and json.loads(out)["caution"].startswith("Association, pas causalité")
    code, out, _ = run(capsys, "voice", "-w", str(small_demo), "--view", "dictionary")
    assert code == 0 and "pricing" in out
    code, out, _ = run(capsys, "journey-map", "-w", str(small_demo), "--format", "json")
    assert code == 0 and json.loads(out)["stages"][0]["stage"] == "lead"


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["engagement", "--feature", "colour"], "no feature column 'colour'"),
        (["engagement", "--churn-horizon", "0"], "churn horizon 0"),
        (["friction", "--threshold", "-1"], "threshold -1"),
        (["voice", "--topics", "0"], "topics must be between 1 and 30"),
        (["voice", "--from", "2026-05-01", "--to", "2026-01-01"], "start"),
    ],
)
def test_bad_options_exit_2_with_the_field_named(
    small_demo: Path, capsys: pytest.CaptureFixture[str], args: list[str], needle: str
) -> None:
    code, out, err = run(capsys, *args, "-w", str(small_demo))
    assert code == 2 and out == ""
    assert needle in err


def test_a_folder_without_workspace_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "voice", "-w", str(tmp_path / "nowhere"))
    assert code == 2 and "does not exist" in err


def test_a_fresh_workspace_says_what_to_load(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "fresh"
    assert main(["init", str(root)]) == 0
    code, _, err = run(capsys, "engagement", "-w", str(root))
    assert code == 2 and "load product_events" in err
    code, _, err = run(capsys, "friction", "-w", str(root))
    assert code == 2 and "load people" in err
    code, out, err = run(capsys, "journey-map", "-w", str(root))
    assert code == 0 and out.splitlines()[2].startswith("Lead")
    assert "note: engagement: there is no product activity" in err
    code, out, _ = run(capsys, "voice", "-w", str(root), "--format", "json")
    assert code == 0 and json.loads(out)["texts"] == 0
