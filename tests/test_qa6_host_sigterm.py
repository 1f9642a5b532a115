"""A `runwalk` command ended by SIGTERM or SIGHUP (a `kill`, the terminal window closed, a logout) ends as a
Ctrl-C does: the band's app runs again and a pull says what it stored. Before, the command died on the spot
and left the band at its REPL, the button dead until the band was reset."""

from __future__ import annotations

import re
import signal
import sqlite3
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
from simtools import RUNWALK, SimBand

from bench.pull import seed


@pytest.fixture()
def sim(make_band: Any) -> SimBand:
    return make_band(speed=50).start()  # (conftest: switched off after the test)


def _stored(db: Path) -> int:
    try:
        return int(sqlite3.connect(db).execute("SELECT COUNT(*) FROM sessions").fetchone()[0])
    except sqlite3.Error:  # not made yet
        return 0


@pytest.mark.parametrize("when", ["connecting", "pulling"])
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP])
def test_a_pull_ended_by_a_signal_restarts_the_band(sim: SimBand, tmp_path: Path, sig: int, when: str) -> None:
    db = tmp_path / "s.sqlite"
    seed(sim.port, 100)
    sim.wait_until(lambda _: sim.app_running(), 0, 30, "start its app again after the seeding")
    p = subprocess.Popen([RUNWALK, "logs", "pull", "--port", sim.port, "--db", str(db)], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True)
    assert p.stdout is not None
    first = p.stdout.readline()
    assert first.startswith("Connecting to the band"), first
    if when == "pulling":
        end = time.monotonic() + 30
        while _stored(db) == 0 and p.poll() is None and time.monotonic() < end:
            time.sleep(0.005)
    assert p.poll() is None, "the pull ended before the signal"
    p.send_signal(sig)
    _, err = p.communicate(timeout=60)
    assert p.returncode == 130, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("runwalk: interrupted"), err
    m = re.search(r"; (\d+) of 100 new sessions were stored, run the pull again for the rest$", lines[0])
    if when == "pulling":  # (a signal while connecting, before any session was read, says only "interrupted")
        assert m is not None and 0 < int(m.group(1)) < 100 and _stored(db) == int(m.group(1)), err
    # The band runs its app again, as after a Ctrl-C (or never stopped it, for a signal that came first).
    sim.wait_until(lambda _: sim.app_running(), 0, 30, "start its app again")


def test_a_second_ctrl_c_while_the_band_restarts_waits_for_it(sim: SimBand, tmp_path: Path) -> None:
    # The runner in a hurry presses Ctrl-C twice. Before, the second broke off the app's restart: the band
    # stayed at its REPL with the button dead, and the message lost how many sessions were stored.
    db = tmp_path / "s.sqlite"
    seed(sim.port, 100)
    sim.wait_until(lambda _: sim.app_running(), 0, 30, "start its app again after the seeding")
    p = subprocess.Popen([RUNWALK, "logs", "pull", "--port", sim.port, "--db", str(db)], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True)
    end = time.monotonic() + 30
    while _stored(db) == 0 and p.poll() is None and time.monotonic() < end:
        time.sleep(0.005)
    assert p.poll() is None, "the pull ended before the Ctrl-C"
    mark = len(sim.events())
    p.send_signal(signal.SIGINT)
    # The restart begins with a soft reset (a `boot` without main.py): the second Ctrl-C comes during it.
    sim.wait_event("boot", since=mark, timeout=30)
    p.send_signal(signal.SIGINT)
    _, err = p.communicate(timeout=60)
    assert p.returncode == 130, err
    lines = err.strip().splitlines()
    m = re.fullmatch(r"runwalk: interrupted; (\d+) of 100 new sessions were stored, run the pull again for the rest",
                     lines[-1])
    assert len(lines) == 1 and m is not None, err
    assert _stored(db) == int(m.group(1))
    sim.wait_until(lambda _: sim.app_running(), 0, 30, "start its app again")
