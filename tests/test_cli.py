"""The `runwalk` command's own behaviour: help, and usage errors as one line."""

from __future__ import annotations

import subprocess
import sys

import pytest

RUNWALK = [sys.executable, "-m", "host_tools.cli"]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(RUNWALK + list(args), capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize(
    "args, says",
    [
        (["bogus"], "invalid choice: 'bogus'"),
        (["logs"], "required: ACTION"),
        (["logs", "export", "1", "--format", "gpx", "-o", "x.gpx"], "invalid choice: 'gpx'"),
        (["logs", "pull", "--port"], "expected one argument"),
    ],
)
def test_usage_errors_are_one_line_that_points_to_help(args: list[str], says: str) -> None:
    r = run(*args)
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert says in lines[0] and "--help" in lines[0]
    assert r.stdout == ""


def test_help_lists_every_command() -> None:
    r = run("--help")
    assert r.returncode == 0
    for name in ("sim", "config", "logs", "deploy", "plan"):
        assert name in r.stdout
