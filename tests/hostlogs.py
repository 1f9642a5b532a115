"""Real session logs for host-tool tests, written by the real firmware core.

The app runs on the core tests' FakeBoard (a virtual clock that jumps from
deadline to deadline) with a temporary directory as its flash.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "core"))

from fakeboard import FakeBoard, run_app  # noqa: E402
from runwalk.app import App  # noqa: E402

SHORT = {
    "schema": 1,
    "name": "Test 1:0.5",
    "steps": [
        {"kind": "walk", "s": 60, "label": "warmup"},
        {"repeat": 2, "steps": [{"kind": "run", "s": 60}, {"kind": "walk", "s": 30}]},
        {"kind": "walk", "s": 60, "label": "cooldown"},
    ],
    "warn_s": 5,
}


def click(t_ms: int) -> list[tuple[int, bool]]:
    return [(t_ms, True), (t_ms + 80, False)]


def long_press(t_ms: int) -> list[tuple[int, bool]]:
    return [(t_ms, True), (t_ms + 2000, False)]


def double_click(t_ms: int) -> list[tuple[int, bool]]:
    return [(t_ms, True), (t_ms + 60, False), (t_ms + 160, True), (t_ms + 220, False)]


def make_log(cfg: dict[str, Any] | None = None, edges: list[tuple[int, bool]] | None = None,
             wall_s: int | None = 1700000000, uid: str = "test", seq: int = 1) -> bytes:
    """Run one session on the real app and return its closed log file's bytes.

    Default edges: start at 1 s, and nothing else (the workout completes).
    """
    with tempfile.TemporaryDirectory() as root:
        Path(root, "config.json").write_text(json.dumps(cfg or SHORT))
        Path(root, "logs").mkdir()
        Path(root, "logs", "seq").write_text(str(seq - 1))
        board = FakeBoard(edges=edges if edges is not None else click(1000))
        board.wall_s = lambda: wall_s  # type: ignore[method-assign]
        board.uid = lambda: uid  # type: ignore[method-assign]
        run_app(App(board, root))
        logs = sorted(Path(root, "logs").glob("*.rwl"))
        assert len(logs) == 1, logs
        return logs[0].read_bytes()


def paused_log(seq: int = 1) -> bytes:
    """Start at 1 s, pause 70 s in (during the first run), resume 20 s later, double-click
    in the second run to skip it, and let the rest complete."""
    return make_log(edges=click(1000) + click(71000) + click(91000) + double_click(200000), seq=seq)


def stopped_log(seq: int = 1) -> bytes:
    """Start at 1 s, long press 100 s in: ended by the runner."""
    return make_log(edges=click(1000) + long_press(101000), seq=seq)
