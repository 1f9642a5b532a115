"""Standard output that takes no more (`runwalk ... > out.txt` on a full disk): one line, never a traceback."""

from __future__ import annotations

import os
import subprocess

import pytest
from simtools import RUNWALK

pytestmark = pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full (a disk that is full)")


@pytest.mark.parametrize("args", [
    ["plan", "magic-mile", "10:00"],  # print()
    ["plan", "mile-test"],  # the config.json on standard output
    ["plan", "build", "--weeks", "2"],  # a table
])
def test_a_full_disk_behind_standard_output_is_one_line_and_exit_1(args: list[str]) -> None:
    # Before: a traceback ending in `OSError: [Errno 28] No space left on device`.
    with open("/dev/full", "w") as full:
        r = subprocess.run([RUNWALK, *args], stdout=full, stderr=subprocess.PIPE, text=True, timeout=60,
                           stdin=subprocess.DEVNULL)
    assert r.returncode == 1, r.stderr
    assert r.stderr.splitlines() == ["runwalk: cannot write standard output: No space left on device"], r.stderr
