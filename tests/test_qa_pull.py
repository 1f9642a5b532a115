"""`runwalk logs pull` cut short by the runner: what they are told, and what the next pull does."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
from simtools import RUNWALK, SimBand, rw

from bench.pull import seed


@pytest.fixture()
def sim(make_band: Any) -> SimBand:
    return make_band(speed=50).start()  # (conftest: switched off after the test)


def _stored(db: Path) -> int:
    try:
        return sqlite3.connect(db).execute("SELECT COUNT(*) FROM sessions").fetchone()[0]
    except sqlite3.OperationalError:  # not made yet, or mid-write
        return 0


def test_ctrl_c_mid_pull_says_how_many_were_stored_and_the_next_pull_gets_the_rest(
        sim: SimBand, tmp_path: Path) -> None:
    # Before: a Ctrl-C mid-pull said only "runwalk: interrupted", though some sessions were safe in the
    # store and the band still listed all of them as waiting.
    db = tmp_path / "s.sqlite"
    seed(sim.port, 80)
    proc = subprocess.Popen([RUNWALK, "logs", "pull", "--port", sim.port, "--db", str(db)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while _stored(db) < 3:  # Ctrl-C once some sessions are stored
        assert time.monotonic() < deadline and proc.poll() is None
        time.sleep(0.01)
    proc.send_signal(signal.SIGINT)
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("runwalk: interrupted; "), err
    n = _stored(db)
    assert 3 <= n < 80
    assert "%d of 80 new sessions were stored, run the pull again for the rest" % n in lines[0]
    # The band runs its app again, and the next pull takes the rest, nothing twice.
    sim.wait_until(lambda _: sim.app_running(), 0, 30, "start its app again")
    r = rw("logs", "pull", "--port", sim.port, "--db", str(db))
    assert r.returncode == 0, r.stderr
    assert "Pulled %d new sessions" % (80 - n) in r.stdout and "(%d already stored)" % n in r.stdout
    assert _stored(db) == 80


def test_a_pull_cut_short_after_storing_everything_says_all_are_stored(
        sim: SimBand, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Before: a Ctrl-C (or a lost cable) while the band marked the sessions pulled said only
    # "interrupted", as if nothing had been stored.
    from host_tools.band import bandfs
    from host_tools.commands import logs
    from host_tools.errors import RunwalkError
    from host_tools.store import db

    seed(sim.port, 3)

    def cut(*_: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(bandfs, "rename_all", cut)
    with db.Store(tmp_path / "s.sqlite") as store, pytest.raises((RunwalkError, KeyboardInterrupt)) as e:
        logs.pull(store, sim.port, progress=False)
    assert isinstance(e.value, RunwalkError) and e.value.exit_code == 130
    said = str(e.value)
    assert said.startswith("interrupted; all 3 new sessions were stored") and "run the pull again" in said
    monkeypatch.undo()
    r = rw("logs", "pull", "--port", sim.port, "--db", str(tmp_path / "s.sqlite"))
    assert r.returncode == 0 and "Pulled 0 new sessions" in r.stdout and "(3 already stored)" in r.stdout, r.stderr


def test_a_ctrl_c_just_after_a_session_is_committed_counts_it_as_stored(
        sim: SimBand, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Before: the Ctrl-C landed between the store's commit and the pull's own count, so it said
    # "2 of 80 were stored" over a store that held 3 (CI saw it in the test above).
    from host_tools.commands import logs
    from host_tools.errors import RunwalkError
    from host_tools.store import db

    seed(sim.port, 4)
    real_add = db.Store.add
    calls = []

    def add_then_cut(self: db.Store, *a: Any, **k: Any) -> Any:
        got = real_add(self, *a, **k)
        calls.append(got)
        if len(calls) == 2:
            raise KeyboardInterrupt  # committed, not yet counted
        return got

    monkeypatch.setattr(db.Store, "add", add_then_cut)
    with db.Store(tmp_path / "s.sqlite") as store, pytest.raises(RunwalkError) as e:
        logs.pull(store, sim.port, progress=False)
    assert e.value.exit_code == 130
    assert "interrupted; 2 of 4 new sessions were stored" in str(e.value)
    assert _stored(tmp_path / "s.sqlite") == 2
