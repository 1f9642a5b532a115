"""`--button-fifo`'s (and the keys') long press holds long enough for the workout the band runs,
also when that is a plan's.

The sim holds a long press for 3 s, or `long_ms` + 1 s when a workout sets it longer. It read
`long_ms` from config.json and config.good.json only: on a band running a plan whose workout
sets `"long_ms": 5000`, `echo long > FIFO` held the button 3 s, and the band took it as a
click: it paused the session instead of ending it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cfgdocs import plan, write

WORKOUT = {"schema": 1, "name": "Long hold", "steps": [{"kind": "run", "s": 600}, {"kind": "walk", "s": 60}],
           "warn_s": 0, "button": {"long_ms": 5000, "double_ms": 400}}


def test_long_press_ends_a_plan_session_whose_long_ms_is_longer(make_band: Any, tmp_path: Path) -> None:
    band = make_band(tmp_path, speed=10).start()
    r = band.runwalk("plan", "push", write(tmp_path / "plan.json", plan(first=WORKOUT)), "--port", band.port)
    assert r.returncode == 0, r.stderr
    band.wait_event("ready", timeout=60, workout="Long hold")  # the plan's, not config.json's
    band.start_session()
    mark = len(band.events())
    band.press("long")
    g = band.wait_event("gesture", since=mark, timeout=30)
    assert g["name"] == "long", g
    end = band.wait_event("session", since=mark, what="end")
    assert end["reason"] == "stopped", end
