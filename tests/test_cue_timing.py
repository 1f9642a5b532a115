"""Cues on time with a slow flash (README, The cues; docs/performance.md): the motor is switched on before the
log record is written, at every boundary and at the start click, so a flash write
never makes a cue late. The virtual band's flash takes N ms of virtual time for each
block write or erase (`runwalk sim --flash-write-ms N`, host_tools/sim/bootstrap.py),
so the trace's times are exact and the test repeatable."""

from __future__ import annotations

from pathlib import Path

import pytest
from simtools import Headless, click, long_press, run_headless

WRITE_MS = 12  # per block write or erase: a slow SPI flash, and several writes a record
CONFIG = {"schema": 1, "name": "Timing", "warn_s": 5,
          "steps": [{"kind": "walk", "s": 20}, {"repeat": 3, "steps": [{"kind": "run", "s": 30},
                                                                      {"kind": "sprint", "s": 15}]},
                    {"kind": "walk", "s": 20}]}
RELEASE = 1100  # the start click's release (virtual ms)
SLOW = ("--flash-write-ms", str(WRITE_MS))


def _on(r: Headless) -> list[int]:
    return [e["t"] for e in r.of("motor") if e["on"]]


def _first_on_after(r: Headless, t: int) -> int:
    return min(x for x in _on(r) if x >= t)


@pytest.fixture(scope="module")
def slow(tmp_path_factory: pytest.TempPathFactory) -> Headless:
    image = tmp_path_factory.mktemp("slow") / "band.img"
    # A pause at 60 s and a resume at 70 s, then the workout runs out.
    r = run_headless(image, [*click(1000), *click(60000), *click(70000)], config=CONFIG, extra=SLOW)
    assert r.returncode == 0, r.stderr
    return r


def test_the_flash_is_slow(slow: Headless) -> None:
    # The writes after the start cue took virtual time: the band's next sleep begins
    # after them (so a cue switched on after the writes would be late).
    sleeps = [e["t"] for e in slow.events if e["ev"] == "sleep" and e["t"] >= RELEASE]
    assert sleeps[0] >= RELEASE + 3 * WRITE_MS, sleeps[:3]


def test_the_start_cue_starts_within_20_ms_of_the_release(slow: Headless) -> None:
    start = [e for e in slow.of("session") if e["what"] == "start"]
    assert len(start) == 1
    assert RELEASE <= _first_on_after(slow, RELEASE) <= RELEASE + 20


def test_every_boundary_cue_starts_within_10_ms_of_its_deadline(slow: Headless) -> None:
    # The deadlines from the workout itself: the start, the segments' lengths, the pause.
    lengths = [20] + [30, 15] * 3 + [20]
    pause_at = next(e["at"] for e in slow.of("gesture") if e["at"] > 50000)
    resume_at = next(e["at"] for e in slow.of("gesture") if e["at"] > 65000)
    t = RELEASE
    deadlines = []
    for s in lengths:
        t += s * 1000
        if t > pause_at and not deadlines or deadlines and deadlines[-1] <= pause_at < t:
            t += resume_at - pause_at  # the segment the pause fell in ends that much later
        deadlines.append(t)
    segs = slow.of("segment")
    assert len(segs) == len(lengths)
    late = []
    for d in deadlines:  # each change, and the end (the done cue)
        on = _first_on_after(slow, d)
        if on - d > 10:
            late.append((d, on - d))
    assert late == [], "cues late (deadline, ms late): %s" % late
    # Heads-ups, the pause and the resume cue: on within 10 ms of the moment they are due.
    for c in slow.of("cue"):
        if not c.get("queued"):
            assert _first_on_after(slow, c["at"]) - c["at"] <= 10, c


def test_the_session_is_recorded_whole(slow: Headless, tmp_path: Path) -> None:
    end = [e for e in slow.of("session") if e["what"] == "end"]
    assert len(end) == 1 and end[0]["completed"] and slow.of("log_error") == []


def test_a_long_press_stop_gives_the_done_cue_at_once(tmp_path: Path) -> None:
    r = run_headless(tmp_path / "band.img", [*click(1000), *long_press(30000)], config=CONFIG, extra=SLOW)
    assert r.returncode == 0, r.stderr
    long_at = next(e["at"] for e in r.of("gesture") if e["name"] == "long")
    assert _first_on_after(r, long_at) - long_at <= 10
