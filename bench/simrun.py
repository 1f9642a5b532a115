"""Run the virtual wristband headless for the bench: a fresh band, a workout, a script, a trace."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RUNWALK = Path(sys.executable).parent / "runwalk"


@dataclass
class SimRun:
    image: Path
    trace: list[dict[str, Any]]
    command: str  # the command line that produced the trace
    seconds: float  # real time it took


def show(cmd: list[str]) -> str:
    """A command line as a reader would type it (the venv's runwalk as `runwalk`)."""
    parts = ["runwalk" if c == str(RUNWALK) else c.replace(str(ROOT) + "/", "") for c in cmd]
    return " ".join(shlex.quote(p) for p in parts)


def run(work: Path, name: str, config: dict[str, Any], script: str, extra: list[str] | None = None) -> SimRun:
    import time

    image = work / (name + ".img")
    image.unlink(missing_ok=True)  # a fresh band: the sim puts the firmware on it
    config_path = work / (name + ".json")
    config_path.write_text(json.dumps(config, indent=1) + "\n")
    script_path = work / (name + ".script")
    script_path.write_text(script)
    trace_path = work / (name + ".jsonl")
    cmd = [str(RUNWALK), "sim", "--flash", str(image), "--config", str(config_path), "--battery",
           "--script", str(script_path), "--until-idle", "--trace", str(trace_path), "-q"] + (extra or [])
    t0 = time.perf_counter()
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=900, cwd=ROOT)
    took = time.perf_counter() - t0
    if out.returncode != 0:
        raise RuntimeError("sim run %s failed (%d): %s" % (name, out.returncode, out.stderr.strip()))
    trace = [json.loads(line) for line in trace_path.read_text().splitlines() if line.strip()]
    return SimRun(image=image, trace=trace, command=show(cmd), seconds=took)


def click(at_ms: int) -> str:
    return "%d down\n%d up\n" % (at_ms, at_ms + 120)


def long_press(at_ms: int) -> str:
    return "%d down\n%d up\n" % (at_ms, at_ms + 1700)
