"""`runwalk sim --heap` too small even for MicroPython: one line that names the option."""

from __future__ import annotations

import subprocess
from pathlib import Path

from simtools import RUNWALK


def test_a_heap_too_small_for_micropython_is_one_line(tmp_path: Path) -> None:
    # Before: MicroPython's own "MemoryError ... FATAL: uncaught NLR 0x..." lines, three times over, then
    # "the band does not boot (the MicroPython process died at start-up)", with no word of --heap.
    r = subprocess.run([RUNWALK, "sim", "--flash", str(tmp_path / "band.img"), "--heap", "1k", "--until-idle", "-q"],
                       capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert r.returncode == 1
    assert r.stderr.splitlines() == ["runwalk sim: the band does not boot: MemoryError (--heap 1k is too small)"]
    assert not (tmp_path / "band.img").exists()  # a failed first start leaves nothing behind
