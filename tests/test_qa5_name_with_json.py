"""`runwalk config push --file FILE.json --name NAME`: --name does not apply to a config.json, and that is
said first, not only once the runner has fixed a character in a name that is refused anyway."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from host_tools.commands import cli


def test_name_with_a_config_json_is_a_usage_error_first(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "w.json"
    src.write_text(json.dumps({"schema": 1, "name": "Hills", "steps": [{"kind": "run", "s": 60}]}))
    # Before: "runwalk: --name: character 2 is U+202E RIGHT-TO-LEFT OVERRIDE, ...; remove it" (exit 1).
    assert cli.main(["config", "push", "--file", str(src), "--name", "X\u202eY", "--port", "/nonexistent/band"]) == 2
    err = capsys.readouterr().err
    assert "--name does not apply to a config.json" in err and "U+202E" not in err, err


def test_name_with_intervals_icu_text_is_still_checked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "w.txt"
    src.write_text("- Walk 5m Z1\n- Run 1m Z2\n")
    assert cli.main(["config", "push", "--file", str(src), "--name", "X\u202eY", "--port", "/nonexistent/band"]) == 1
    assert "--name: character 2 is U+202E RIGHT-TO-LEFT OVERRIDE" in capsys.readouterr().err
