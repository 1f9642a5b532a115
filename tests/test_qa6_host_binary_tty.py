"""`-o -` with a FIT file on a terminal is refused with what to do instead: the binary bytes went to the
runner's terminal, a screen of noise with escape sequences that can leave it garbled. Piped, they go out."""

from __future__ import annotations

import json
import os
import pty
import subprocess
from pathlib import Path

import pytest
from hostlogs import make_log
from simtools import RUNWALK

from host_tools.store import db


def _on_a_terminal(*args: str) -> tuple[int, bytes, str]:
    """runwalk with its standard output on a terminal (a pty): exit code, what reached the terminal, stderr."""
    master, slave = pty.openpty()
    try:
        p = subprocess.run([RUNWALK, *args], stdout=slave, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                           timeout=60)
        os.close(slave)
        slave = -1
        shown = b""
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the terminal's other side is closed and drained
                break
            if not chunk:
                break
            shown += chunk
    finally:
        if slave >= 0:
            os.close(slave)
        os.close(master)
    return p.returncode, shown, p.stderr.decode()


@pytest.fixture()
def store(tmp_path: Path) -> Path:
    path = tmp_path / "s.sqlite"
    with db.Store(path) as s:
        s.add("000001.rwl", make_log(), fallback_seq=1)
    return path


def test_a_fit_export_to_a_terminal_is_refused(store: Path) -> None:
    rc, shown, err = _on_a_terminal("logs", "export", "last", "--format", "fit", "-o", "-", "--db", str(store))
    assert rc == 1 and b".FIT" not in shown
    assert err.strip().splitlines() == [
        "runwalk: FIT is binary: it is not written to a terminal; give -o a file name (e.g. -o run.fit), or send - "
        "to a file or a pipe"]


def test_a_workout_fit_to_a_terminal_is_refused(tmp_path: Path) -> None:
    cfg = tmp_path / "w.json"
    steps = [{"kind": "run", "s": 60}, {"kind": "walk", "s": 60}]
    cfg.write_text(json.dumps({"schema": 1, "name": "w", "steps": steps}))
    rc, shown, err = _on_a_terminal("plan", "export", str(cfg), "--format", "fit", "-o", "-")
    assert rc == 1 and b".FIT" not in shown
    assert "e.g. -o workout.fit" in err


def test_text_formats_still_go_to_a_terminal_and_fit_to_a_pipe(store: Path) -> None:
    rc, shown, err = _on_a_terminal("logs", "export", "last", "--format", "csv", "-o", "-", "--db", str(store))
    assert rc == 0 and shown.startswith(b"session,started,"), err
    piped = subprocess.run([RUNWALK, "logs", "export", "last", "--format", "fit", "-o", "-", "--db", str(store)],
                           capture_output=True, timeout=60)
    assert piped.returncode == 0 and piped.stdout[8:12] == b".FIT", piped.stderr
