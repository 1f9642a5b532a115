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


def test_a_reader_that_stops_early_gets_no_traceback() -> None:
    # `runwalk plan magic-mile 10:00 | head -1`: the pipe is closed before runwalk writes.
    p = subprocess.Popen(RUNWALK + ["plan", "magic-mile", "10:00"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert p.stdout is not None and p.stderr is not None
    p.stdout.close()
    err = p.stderr.read().decode()
    assert p.wait(timeout=60) != 0
    assert "Traceback" not in err and "Exception ignored" not in err, err
