"""A file option given an empty name (`-o "$OUT"` with OUT unset) is a usage error that says so.

Before: `plan build -o ''` and `plan mile-test -o ''` wrote nothing and exited 0, `plan export PLAN -o ''`
wrote the plan's files into the current directory, `logs export -o ''` said " is a directory",
`config push --file ''` asked for a RATIO, `logs list --db ''` read the default store, and the sim's
options said "." is a directory."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from simtools import RUNWALK

from host_tools.training import plans


@pytest.mark.parametrize("args, option", [
    (["logs", "export", "last", "-o", ""], "-o/--output"),
    (["logs", "plot", "last", "-o", ""], "-o/--output"),
    (["logs", "list", "--db", ""], "--db"),
    (["logs", "pull", "--db", "", "--port", "/nonexistent"], "--db"),
    (["plan", "build", "-o", ""], "-o/--output"),
    (["plan", "mile-test", "-o", ""], "-o/--output"),
    (["plan", "export", "plan.json", "--format", "icu", "-o", ""], "-o/--output"),
    (["plan", "export", "", "--format", "icu", "-o", "-"], "FILE"),
    (["plan", "push", ""], "FILE"),
    (["plan", "show", "--file", ""], "--file"),
    (["plan", "magic-mile", "--from-session", "last", "--db", ""], "--db"),
    (["config", "push", "--file", ""], "--file"),
    (["sim", "--flash", ""], "--flash"),
    (["sim", "--flash", "band.img", "--trace", "", "--until-idle"], "--trace"),
    (["sim", "--flash", "band.img", "--link", "", "--until-idle"], "--link"),
])
def test_an_empty_file_name_is_a_usage_error(tmp_path: Path, args: list[str], option: str) -> None:
    (tmp_path / "plan.json").write_bytes(plans.to_bytes(plans.build((30, 30), (240, 60), 2, 2, 30, None)))
    env = dict(os.environ, XDG_DATA_HOME=str(tmp_path / "data"))
    env.pop("RUNWALK_PORT", None)
    r = subprocess.run([RUNWALK, *args], capture_output=True, text=True, timeout=60, cwd=tmp_path, env=env,
                       stdin=subprocess.DEVNULL)
    assert r.returncode == 2, r.stdout + r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "argument %s: an empty file name" % option in lines[0] and "--help" in lines[0]
    assert r.stdout == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.json"]  # nothing written anywhere



@pytest.mark.parametrize("args", [["status"], ["logs", "pull"], ["config", "show"], ["config", "push", "4:1"],
                                  ["deploy"], ["plan", "show"], ["plan", "advance"]])
def test_an_empty_port_is_a_usage_error_not_auto(tmp_path: Path, args: list[str]) -> None:
    # Before: `--port "$PORT"` with PORT unset read as auto and talked to whichever band was on USB.
    env = dict(os.environ, XDG_DATA_HOME=str(tmp_path / "data"))
    r = subprocess.run([RUNWALK, *args, "--port", ""], capture_output=True, text=True, timeout=60, cwd=tmp_path,
                       env=env, stdin=subprocess.DEVNULL)
    assert r.returncode == 2, r.stdout + r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "argument --port: an empty port name" in lines[0] and "--help" in lines[0], lines
    assert r.stdout == "" and list(tmp_path.iterdir()) == []
