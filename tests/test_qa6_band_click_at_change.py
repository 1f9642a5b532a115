"""A click to pause released just before the band changes segment by itself pauses the new
segment, from its start: the log's records stay in time order and the new segment keeps its
planned length.

A click is known only `double_ms` after its release. Before: the band changed segment in
between (its cue), then took the pause from the click's release, before that change: the log
held the PAUSE record after the new segment's SEG record but 100 ms before it, the pause
straddled the two segments, and the new segment ran its planned time plus those 100 ms.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from simtools import click, run_headless

from host_tools.sim import flash
from host_tools.store import model

CONFIG = {"schema": 1, "name": "edge", "steps": [{"kind": "run", "s": 10}, {"kind": "walk", "s": 10}], "warn_s": 0}
START = 1100  # the first click's release: the session's time 0


@pytest.mark.parametrize("before_change", [1, 100, 399])  # released within double_ms (400) of the change
def test_a_pause_clicked_just_before_a_change_pauses_the_new_segment(tmp_path: Path, before_change: int) -> None:
    change = START + 10_000
    resume = change + 5_000
    image = tmp_path / "band.img"
    h = run_headless(image, click(1000) + click(change - before_change - 100) + click(resume - 100), config=CONFIG)
    assert h.returncode == 0, h.stderr
    s = model.from_log(flash.read_file(image, "/logs/000001.rwl"))
    times = [e.t_ms for e in s.events]
    assert times == sorted(times), s.events
    # From the walk's start, which the band had made (its cue) by the time it knew the click,
    # to the resume click's release.
    assert [(p.start_ms, p.end_ms) for p in s.pauses] == [(10_000, 15_000)]
    walk = s.segments[1]
    assert (walk.start_ms, walk.end_ms) == (10_000, 25_000)  # 10 s moving, as planned
    assert s.segments[0].end_ms - s.segments[0].start_ms == 10_000  # the run was not paused


def test_a_pause_clicked_well_before_a_change_is_taken_at_its_release(tmp_path: Path) -> None:
    image = tmp_path / "band.img"
    h = run_headless(image, click(1000) + click(START + 5_000 - 100) + click(START + 8_000 - 100), config=CONFIG)
    assert h.returncode == 0, h.stderr
    s = model.from_log(flash.read_file(image, "/logs/000001.rwl"))
    assert [(p.start_ms, p.end_ms) for p in s.pauses] == [(5_000, 8_000)]


class _Out:
    def __init__(self) -> None:
        self.records: list[tuple[int, int, int]] = []

    def cue(self, pattern: object, strength: int, t: int) -> None:
        pass

    def cue_next(self, pattern: object, strength: int, t: int) -> None:
        pass

    def record(self, rtype: int, arg: int, t: int) -> None:
        self.records.append((rtype, arg, t))


def test_only_a_click_just_before_the_change_is_moved_to_it() -> None:
    # Ticks wrap (2**30 on the boards, as on CPython here): a click in an open segment 6.2 days
    # on reads as before its start. It is not taken for one released just before the change.
    from runwalk import logfmt, ticks_add
    from runwalk import workout as wk
    from runwalk.buttons import CLICK
    from runwalk.session import Session

    w = wk.validate({"schema": 1, "steps": [{"kind": "run", "s": None}]})
    out = _Out()
    s = Session(w, out)
    s.start(0)
    late = ticks_add(0, (1 << 29) + 5000)
    s.gesture(CLICK, late)
    assert out.records[-1] == (logfmt.PAUSE, 0, late)
