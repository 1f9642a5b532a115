"""A click released just before a workout ends by itself starts nothing.

A click is known only `double_ms` after its release (a second press would make it a double
click). Before: a runner who clicked to pause in the last `double_ms` of the workout got the
done cue, cut short after a moment by the start cue of a new session that nobody asked for,
dated from the click, before the first session's end. The README's rule ("for 3 s after a
session ends, presses start nothing") holds for that click too: the band ends the workout,
plays the whole done cue, and stays idle.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from simtools import click, run_headless

CONFIG = {"schema": 1, "name": "edge", "steps": [{"kind": "run", "s": 10}], "warn_s": 0}


@pytest.mark.parametrize("before_end", [1, 100, 399])  # released within double_ms (400) of the end
def test_a_click_just_before_the_end_is_not_a_new_session(tmp_path: Path, before_end: int) -> None:
    start = 1100  # the first click's release: the session's time 0
    end = start + 10_000
    h = run_headless(tmp_path / "band.img", click(1000) + click(end - before_end - 100), config=CONFIG)
    assert h.returncode == 0, h.stderr
    starts = [e for e in h.events if e["ev"] == "session" and e["what"] == "start"]
    ends = [e for e in h.events if e["ev"] == "session" and e["what"] == "end"]
    assert len(starts) == 1, starts
    assert [(e["t"], e["reason"]) for e in ends] == [(end, "completed")]
    # The done cue plays whole: three pulses from the end, no other cue after it.
    cues = [e for e in h.events if e["ev"] == "cue" and e["at"] >= end]
    assert [c["name"] for c in cues] == ["done"], cues
    ons = [e for e in h.events if e["ev"] == "motor" and e["on"] and e["t"] >= end]
    assert len(ons) == 3, ons


def test_a_click_after_the_quiet_spell_still_starts_the_next(tmp_path: Path) -> None:
    end = 1100 + 10_000
    h = run_headless(tmp_path / "band.img", click(1000) + click(end + 3500), config=CONFIG)
    starts = [e for e in h.events if e["ev"] == "session" and e["what"] == "start"]
    assert [e["t"] for e in starts] == [1100, end + 3600]
