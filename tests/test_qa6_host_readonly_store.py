"""`runwalk logs pull` into a store it cannot write (a read-only file, folder or disk): it says so before it
touches the band, so a session in progress runs on, and the advice is not to "run the pull again"."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from simtools import SimBand, one_line_failure, rw

from host_tools.store import db


@contextlib.contextmanager
def read_only(path: Path) -> Iterator[None]:
    """path read-only for this user: chmod, or for root (whom chmod does not stop) the immutable flag."""
    if os.geteuid() == 0:
        try:
            locked = subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode == 0
        except FileNotFoundError:
            locked = False
        if not locked:
            pytest.skip("no way to make a file read-only for root here")
    else:
        mode = path.stat().st_mode
        path.chmod(mode & 0o555)
    try:
        yield
    finally:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(path)], capture_output=True)
        else:
            path.chmod(mode)


@pytest.fixture()
def sim(make_band: Any) -> SimBand:
    return make_band(speed=20).start()  # (conftest: switched off after the test)


@pytest.mark.parametrize("locked", ["file", "folder"])
def test_a_read_only_store_leaves_the_band_and_its_session_alone(sim: SimBand, tmp_path: Path, locked: str) -> None:
    folder = tmp_path / "store"
    folder.mkdir()
    store = folder / "runs.sqlite"
    with db.Store(store):
        pass  # an empty store, made before it was locked
    before = store.read_bytes()
    sim.start_session()
    mark = len(sim.events())
    with read_only(store if locked == "file" else folder):
        r = rw("logs", "pull", "--port", sim.port, "--db", str(store))
    # Before: it connected, which stopped the app and ended the run in progress, then failed on the first
    # session with "attempt to write a readonly database; 0 of 1 new sessions were stored, run the pull again
    # for the rest", which can never help.
    one_line_failure(r, "runwalk: cannot write the session store %s (" % store)
    assert "make it writable, or give --db another file; nothing was pulled" in r.stderr
    assert "run the pull again" not in r.stderr
    if locked == "folder":
        assert "(its folder %s is read-only)" % folder in r.stderr
    assert "Connecting" not in r.stdout  # the band was not touched
    assert store.read_bytes() == before
    # The runner's session goes on: nothing stopped the app or ended the session.
    assert not [e for e in sim.events(since=mark) if e["ev"] in ("interrupted", "boot")
                or (e["ev"] == "session" and e.get("what") == "end")]
    assert sim.app_running()


def test_a_new_store_in_a_read_only_folder_says_where_to_put_it(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    with read_only(folder):
        r = rw("logs", "pull", "--port", str(tmp_path / "no-band"), "--db", str(folder / "runs.sqlite"))
    # Before: "cannot open the session store .../runs.sqlite: unable to open database file".
    one_line_failure(r, "runwalk: cannot make the session store %s: %s is read-only for you (give --db a file "
                        "in a folder you can write)" % (folder / "runs.sqlite", folder))
    assert not (folder / "runs.sqlite").exists()


def test_a_store_another_program_is_writing_says_to_pull_again_later(sim: SimBand, tmp_path: Path) -> None:
    store = tmp_path / "runs.sqlite"
    with db.Store(store):
        pass
    sim.start_session()
    mark = len(sim.events())
    other = sqlite3.connect(store, isolation_level=None)  # a database browser with changes not yet saved
    other.execute("BEGIN IMMEDIATE")
    try:
        r = rw("logs", "pull", "--port", sim.port, "--db", str(store))
    finally:
        other.rollback()
        other.close()
    # Before: the band's app stopped and the run ended, then "database is locked; 0 of 1 new sessions were stored".
    one_line_failure(r, "runwalk: cannot write the session store %s: another program is writing to it (another "
                        "pull, a database browser): run the pull again once it is done; nothing was pulled" % store)
    assert "Connecting" not in r.stdout
    assert not [e for e in sim.events(since=mark) if e["ev"] in ("interrupted", "boot")
                or (e["ev"] == "session" and e.get("what") == "end")]
