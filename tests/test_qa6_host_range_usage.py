"""A number outside an option's range is a usage error (exit 2, pointing to --help), as a
number that is no number is: `--repeats 0` exited 1 while `--repeats 2.5` exited 2."""

from __future__ import annotations

import subprocess

import pytest
from simtools import RUNWALK


@pytest.mark.parametrize("args", [
    ("config", "push", "1:1", "--repeats", "0"),
    ("plan", "build", "--to", "4:1", "--weeks", "0"),
    ("plan", "build", "--to", "4:1", "--per-week", "99"),
    ("plan", "build", "--to", "4:1", "--minutes", "1"),
])
def test_an_option_out_of_range_is_a_usage_error(args: tuple[str, ...]) -> None:
    r = subprocess.run([RUNWALK, *args], capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
                       env={"PATH": "/usr/bin:/bin", "RUNWALK_PORT": "/nonexistent"})
    assert r.returncode == 2, r.stderr
    line = r.stderr.strip()
    assert args[-2] + " must be from" in line and "--help" in line and len(line.splitlines()) == 1
