"""A session cut short by something other than the runner:

- mpremote connecting in the middle (USB attached): the band closes the session
  cleanly first (END_HOST), never leaving a half-written log; the runwalk
  commands warn before they connect;
- a hang in the app loop, ended by the board's watchdog: the sim has no
  watchdog, so the test does what one would (the band stops dead, then resets
  without a chance to close anything, and its reset-reason register says
  watchdog: `--reset-cause watchdog`); the next boot closes the session as a
  fault (not a power cut) with every record written before the hang.
"""

from __future__ import annotations

import json
import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from runwalk import logfmt, logread
from simtools import SimBand

from torture.campaign import _descendants, sessions

WORKOUT = {"schema": 1, "name": "Short 20:10", "warn_s": 0,
           "steps": [{"repeat": 20, "steps": [{"kind": "run", "s": 20}, {"kind": "walk", "s": 10}]}]}


@pytest.fixture
def band(tmp_path: Path) -> Iterator[SimBand]:
    b = SimBand(tmp_path, speed=20).start()
    (tmp_path / "w.json").write_text(json.dumps(WORKOUT))
    r = b.runwalk("config", "push", "--file", str(tmp_path / "w.json"))
    assert r.returncode == 0, r.stderr
    b.wait_for(lambda e: e["ev"] == "ready" and e["workout"] == "Short 20:10")
    yield b
    b.stop()


def run_a_while(band: SimBand, segments: int = 3) -> int:
    """Start a session and let `segments` segments begin. Returns its number."""
    mark = len(band.events())
    start = band.start_session()
    band.wait_for(lambda e: e["ev"] == "segment" and e["index"] == segments - 1, after=mark, timeout=60)
    return start["seq"]


def segments_traced(band: SimBand) -> int:
    return sum(1 for e in band.events() if e["ev"] == "segment")


def test_mpremote_in_the_middle_closes_the_session_first(band: SimBand) -> None:
    seq = run_a_while(band)
    # The unmodified mpremote, default options: its Ctrl-C reaches the app first.
    r = band.mpremote("fs", "ls", ":logs")
    assert r.returncode == 0, r.stderr
    name = "%06d" % seq
    assert name + ".rwl" in r.stdout and name + ".open" not in r.stdout, r.stdout
    end = band.wait_for(lambda e: e["ev"] == "session" and e["what"] == "end")
    assert end["reason"] == "host"
    traced = segments_traced(band)
    band.stop()
    data = sessions(band.files())[seq]
    d = logread.decode(data[1])
    assert data[0] == "rwl" and d["damage"] == []
    assert d["end"] == logfmt.END_HOST
    assert len(d["segments"]) == traced  # nothing the band had logged is missing


def test_runwalk_warns_before_it_interrupts_a_session(band: SimBand) -> None:
    seq = run_a_while(band, 2)
    r = band.runwalk("logs", "pull", "--db", str(band.tmp / "s.sqlite"))
    assert r.returncode == 0, r.stderr
    first = r.stdout.splitlines()[0]
    assert "a session in progress is ended and saved" in first  # said before anything happens
    band.stop()
    ext, data = sessions(band.files())[seq]
    assert ext == "rwp"  # closed by the band, then pulled whole
    assert logread.decode(data)["end"] == logfmt.END_HOST


def test_a_hang_reset_by_the_watchdog_closes_the_session_at_next_boot(band: SimBand) -> None:
    seq = run_a_while(band, 3)
    traced = segments_traced(band)
    # Hang: the band's interpreter stops dead in its loop (nothing runs, nothing is closed).
    assert band.proc is not None
    kids = _descendants(band.proc.pid)
    assert kids
    for pid in kids:
        os.kill(pid, signal.SIGSTOP)
    for pid in kids:
        _wait_stopped(pid)
    assert sessions(band.files())[seq][0] == "open"
    # The watchdog resets it: RAM gone, flash as the hang left it; main.py runs again, and
    # the board's reset-reason register says watchdog (the sim is told so).
    band.kill()
    band.start(extra=("--reset-cause", "watchdog"))
    band.stop()
    ext, data = sessions(band.files())[seq]
    d = logread.decode(data)
    assert ext == "rwl" and d["damage"] == []
    assert d["end"] == logfmt.END_FAULT  # the firmware hung; the power never went
    assert len(d["segments"]) == traced


def _wait_stopped(pid: int, timeout: float = 10) -> None:
    """Until the process is stopped (state T in /proc), as SIGSTOP leaves it."""
    end = time.monotonic() + timeout
    while Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] not in ("T", "t"):
        assert time.monotonic() < end, f"process {pid} did not stop"
        time.sleep(0.01)
