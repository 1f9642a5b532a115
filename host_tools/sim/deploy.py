"""What a blank image receives: the firmware, the sim board as /lib/board.py, a default config."""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIRMWARE = ROOT / "firmware"
BOARD = ROOT / "boards" / "sim.py"
BOOTSTRAP = Path(__file__).resolve().parent / "bootstrap.py"


def firmware_files() -> list[tuple[str, str]]:
    """(host path, device path) for every firmware file, and the board module."""
    files = []
    for p in sorted(FIRMWARE.rglob("*.py")):
        if "__pycache__" in p.parts:
            continue
        files.append((str(p), "/" + p.relative_to(FIRMWARE).as_posix()))
    files.append((str(BOARD), "/lib/board.py"))
    return files


def default_config() -> str:
    try:
        from runwalk.config import DEFAULT_CONFIG
    except ImportError:  # older layout of the firmware package
        from runwalk.store import DEFAULT_CONFIG  # type: ignore[attr-defined,no-redef]

    return json.dumps(DEFAULT_CONFIG, indent=1) + "\n"
