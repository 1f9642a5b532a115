"""`runwalk sim` options a maker gets wrong: the message names what is wrong."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from simtools import RUNWALK


@pytest.mark.parametrize("extra, code, says", [
    # Before: both said "--flash-write-ms: a whole number of ms, with --until-idle (it runs in virtual time)",
    # which for -5 with --until-idle named neither the sign nor anything the maker had left out.
    (["--flash-write-ms", "-5", "--until-idle"], 1, "runwalk: --flash-write-ms must be 0 or more ms, got -5"),
    # (a usage error: it points to the command's --help, exit 2)
    (["--flash-write-ms", "5"], 2, "runwalk sim: --flash-write-ms works only with --until-idle (it runs in virtual "
                                   "time) (see `runwalk sim --help`)"),
])
def test_flash_write_ms_says_what_is_wrong(tmp_path: Path, extra: list[str], code: int, says: str) -> None:
    r = subprocess.run([RUNWALK, "sim", "--flash", str(tmp_path / "band.img"), "-q", *extra], capture_output=True,
                       text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert r.returncode == code and r.stderr.splitlines() == [says], r.stderr
    assert not (tmp_path / "band.img").exists()
