"""What a blank image receives: the firmware, the sim board as /lib/runwalk_board.py, a default config."""

from __future__ import annotations

import json
from pathlib import Path

from host_tools.firmware_files import BOARDS, FIRMWARE, MPY_FLAGS, mpy_cross

BOARD = BOARDS / "sim.py"
BOOTSTRAP = Path(__file__).resolve().parent / "bootstrap.py"


def firmware_files() -> list[tuple[str, str]]:
    """(host path, device path) for every firmware file, and the board module."""
    files = []
    for p in sorted(FIRMWARE.rglob("*.py")):
        if "__pycache__" in p.parts:
            continue
        files.append((str(p), "/" + p.relative_to(FIRMWARE).as_posix()))
    files.append((str(BOARD), "/lib/runwalk_board.py"))
    return files


def compile_mpy(files: list[tuple[str, str]], out: Path) -> list[tuple[str, str]]:
    """The same files with lib/ modules compiled by mpy-cross: a third of the flash, as `runwalk deploy` does."""
    import subprocess

    from host_tools.errors import RunwalkError

    program = mpy_cross()
    result = []
    for src, dst in files:
        if not dst.startswith("/lib/"):
            result.append((src, dst))  # main.py stays source, as on a board
            continue
        dst = dst[: -len(".py")] + ".mpy"
        target = out / dst.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        # -s: the module's own name, as `runwalk deploy` does (interned anyway: no RAM of its own).
        name = dst[len("/lib/"): -len(".mpy")].replace("/", ".").removesuffix(".__init__")
        r = subprocess.run([program, *MPY_FLAGS, "-s", name, "-o", str(target), src],
                           capture_output=True, text=True)
        if r.returncode != 0:
            raise RunwalkError(f"mpy-cross failed on {src}: {r.stderr.strip()}")
        result.append((str(target), dst))
    return result


def default_config() -> str:
    from runwalk.config import DEFAULT_CONFIG

    return json.dumps(DEFAULT_CONFIG, indent=1) + "\n"
