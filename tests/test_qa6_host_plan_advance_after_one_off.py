"""`runwalk plan advance` after a plan session ended early and a one-off run after it says the session was run
but cannot be counted any more (only the band's last session counts), rather than "session 1 of the plan has
not been run yet", which sent the runner looking for a session they had run."""

from __future__ import annotations

import subprocess
from pathlib import Path

from simtools import RUNWALK, SimBand, run_headless


def _rw(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([RUNWALK, *args], capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)


def _run(image: Path, edges: list[tuple[int, str]]) -> None:
    r = run_headless(image, sorted(edges), timeout=120)
    assert r.returncode == 0, r.stderr


def test_advance_names_the_session_a_one_off_came_after(tmp_path: Path) -> None:
    band = SimBand(tmp_path, speed=100)
    with band.start():
        r = _rw("plan", "build", "--from", "30s:30s", "--to", "1:1", "--weeks", "2", "--per-week", "1",
                "--minutes", "5", "--warmup", "0", "--cooldown", "0", "--push", "--port", band.port)
        assert r.returncode == 0, r.stderr
    # Session 1 of the plan, ended early by a long press.
    _run(band.image, [(5000, "down"), (5100, "up"), (65_000, "down"), (67_000, "up")])
    with band.start():
        r = _rw("config", "push", "1:1", "--repeats", "1", "--warmup", "0", "--cooldown", "0", "--port", band.port)
        assert r.returncode == 0 and "A plan is active" in r.stdout, r.stderr
    _run(band.image, [(5000, "down"), (5100, "up")])  # the one-off, run to its end: the plan goes on
    with band.start():
        r = _rw("plan", "advance", "--port", band.port)
    assert r.returncode == 1
    assert r.stderr.strip().splitlines() == [
        "runwalk: session 1 of the plan was run (session 1 on the band), but session 2 came after it, so it cannot be "
        "counted any more: only the band's last session counts. Run it again; if you end it early, `runwalk plan "
        "advance` then counts it"]
