"""A sim option naming a file the sim cannot make or read fails in one line that says what to do.

Before: "runwalk: cannot create link nodir/link: No such file or directory" (and the same for
--trace, --button-fifo and --script): the error named the path, not the missing directory, and
did not say what to do about it.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from simtools import RUNWALK


@pytest.mark.parametrize("option", ["--link", "--trace", "--button-fifo"])
def test_a_file_in_a_missing_directory(tmp_path: Path, option: str) -> None:
    where = tmp_path / "no such dir" / "f"
    r = subprocess.run([RUNWALK, "sim", "--flash", str(tmp_path / "band.img"), "--until-idle", "-q", option,
                        str(where)], capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert r.returncode == 1
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].endswith(
        f"{where}: directory {where.parent} does not exist: create it, or give {option} another path"), r.stderr
    assert not (tmp_path / "band.img").exists()


def test_a_script_that_is_not_there(tmp_path: Path) -> None:
    script = tmp_path / "s.txt"
    r = subprocess.run([RUNWALK, "sim", "--flash", str(tmp_path / "band.img"), "--until-idle", "-q", "--script",
                        str(script)], capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert r.returncode == 1
    assert r.stderr.strip().splitlines() == [
        f"runwalk: cannot read script {script}: No such file or directory: check the --script path"]


def test_a_config_that_is_a_directory(tmp_path: Path) -> None:
    """Before: "cannot read config DIR: Is a directory", with nothing to do about it."""
    r = subprocess.run([RUNWALK, "sim", "--flash", str(tmp_path / "band.img"), "--until-idle", "-q", "--config",
                        str(tmp_path)], capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert r.returncode == 1
    assert r.stderr.strip().splitlines() == [
        f"runwalk: cannot read config {tmp_path}: Is a directory: give --config another path"]
    assert not (tmp_path / "band.img").exists()
