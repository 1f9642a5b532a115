"""Run a board-module scenario (tests/boards/scenarios.py) under the MicroPython unix port."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
MICROPYTHON = ROOT / ".venv" / "bin" / "micropython"


def scenario(board: str, name: str) -> dict[str, Any]:
    env = dict(os.environ)
    env["MICROPYPATH"] = ":".join(str(ROOT / p) for p in ("tests/boards", "boards", "firmware/lib"))
    out = subprocess.run(
        [str(MICROPYTHON), "-X", "heapsize=2m", str(ROOT / "tests" / "boards" / "scenarios.py"), board, name],
        capture_output=True, text=True, env=env, timeout=60, cwd=ROOT / "tests" / "boards",
    )
    assert out.returncode == 0, out.stdout + out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def events(result: dict[str, Any], what: str) -> list[Any]:
    return [a for (_t, w, a) in result["log"] if w == what]
