"""`runwalk logs pull` into a store on a disk that fills up: one line, what is stored stays, the rest later."""

from __future__ import annotations

import resource
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

import pytest
from simtools import RUNWALK, SimBand, rw

from bench.pull import seed

LIMIT = 24 * 1024  # bytes any one file of the pulling process may reach: a disk that fills up mid-pull


@pytest.fixture()
def sim(make_band: Any) -> SimBand:
    return make_band(speed=50).start()  # (conftest: switched off after the test)


def _small_files() -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (LIMIT, LIMIT))


def test_a_store_that_cannot_grow_is_one_line_and_keeps_what_it_stored(sim: SimBand, tmp_path: Path) -> None:
    # Before: a traceback ending in `sqlite3.OperationalError: database or disk is full`.
    db = tmp_path / "s.sqlite"
    seed(sim.port, 40)
    r = subprocess.run([RUNWALK, "logs", "pull", "--port", sim.port, "--db", str(db)], capture_output=True,
                       text=True, timeout=120, stdin=subprocess.DEVNULL, preexec_fn=_small_files)
    assert r.returncode == 1
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("runwalk: cannot write the session store %s: " % db), r.stderr
    stored = sqlite3.connect(db).execute("SELECT COUNT(*) FROM sessions").fetchone()[0]
    assert 0 < stored < 40
    assert "; %d of 40 new sessions were stored, run the pull again for the rest" % stored in lines[0]
    # Room again: the next pull takes the rest.
    sim.wait_until(lambda _: sim.app_running(), 0, 30, "start its app again")
    r = rw("logs", "pull", "--port", sim.port, "--db", str(db))
    assert r.returncode == 0 and "Pulled %d new sessions" % (40 - stored) in r.stdout, r.stderr
