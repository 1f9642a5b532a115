"""`runwalk status` on the virtual wristband: one screen, nothing changed on the band, any config."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

from simtools import RUNWALK, SimBand, run_headless

TIMEOUT = 120


def status(port: str) -> tuple[dict[str, str], float]:
    """The status screen's lines by their first word, and how long the command took."""
    t = time.monotonic()
    r = subprocess.run([RUNWALK, "status", "--port", port], capture_output=True, text=True, timeout=TIMEOUT)
    took = time.monotonic() - t
    assert r.returncode == 0, r.stderr
    lines = {}
    for ln in r.stdout.splitlines():
        if ln.startswith("  "):
            key, _, rest = ln.strip().partition(" ")
            lines[key] = rest.strip()
        elif ln.startswith("Band on"):
            lines["band"] = ln
    return lines, took


def rw(*args: str) -> str:
    r = subprocess.run([RUNWALK, *args], capture_output=True, text=True, timeout=TIMEOUT)
    assert r.returncode == 0, r.stderr
    return r.stdout


def test_status_says_it_all_and_changes_nothing(tmp_path: Path) -> None:
    band = SimBand(tmp_path, speed=20)
    with band.start():
        rw("plan", "build", "--from", "30s:30s", "--to", "1:1", "--weeks", "2", "--per-week", "1", "--minutes", "5",
           "--warmup", "0", "--cooldown", "0", "--push", "--port", band.port)
    # One session on the band, not pulled (scripted gestures: a click, and the workout runs out).
    assert run_headless(band.image, [(5000, "down"), (5080, "up")]).returncode == 0
    before = band.image.read_bytes()
    with band.start():
        got, took = status(band.port)
    assert band.image.read_bytes() == before  # not one byte written (no clock set: that is not on flash anyway)
    assert "sim, MicroPython 1." in got["band"]
    assert got["firmware"].startswith("1.0.0 on the band, 1.0.0 installed here")
    assert " mV, about " in got["battery"]
    assert "KB free" in got["flash"] and "room for" in got["flash"]
    assert got["sessions"].startswith("1 session waiting: `runwalk logs pull`")
    assert got["clock"].startswith("not set")  # status reads the clock; it does not set it
    assert got["next"].startswith("Week 2/2 1m:1m, from session 2 of the plan")
    assert "next is session 2 of 2" in got["plan"]
    assert took < 10, took  # about a second on an idle machine; generous for a loaded one


def test_status_after_deploy_and_with_a_damaged_or_missing_config(tmp_path: Path) -> None:
    band = SimBand(tmp_path, speed=20)
    junk = tmp_path / "junk.json"
    junk.write_bytes(b'{"schema": 1, "steps": [{"kind": "swim", "s": 5}]}')
    with band.start():
        rw("deploy", "--port", band.port)
        got, _ = status(band.port)
        assert got["firmware"].endswith("up to date (`runwalk deploy` would change nothing)")
        # Copied behind the band's back (it checks config.json only when it starts): refused then.
        band.mpremote("fs", "cp", str(junk), ":config.json")
        got, _ = status(band.port)
        assert got["next"].startswith("Galloway 4:1, from its last good workout (config.json refused: ")
        assert "swim" in got["next"]
        # (The band restarted after the last status and refused it: config.err says why. All gone now.)
        band.mpremote("fs", "rm", ":config.json", ":config.good.json", ":config.err")
        got, _ = status(band.port)
        assert got["next"].startswith("Galloway 4:1, from its built-in workout (no config.json)")
        assert got["plan"] == "no plan on the band"


def test_status_mid_session_says_that_connecting_ended_and_saved_it(tmp_path: Path) -> None:
    # Connecting stops the app, which ends and saves a session in progress (docs/design.md
    # 4.4: Ctrl-C closes the log): status cannot leave it running, so it names it.
    band = SimBand(tmp_path, speed=20)
    with band.start():
        seq = band.start_session()["seq"]
        r = subprocess.run([RUNWALK, "status", "--port", band.port], capture_output=True, text=True, timeout=TIMEOUT)
        assert r.returncode == 0, r.stderr
        assert "The band was recording session %d: it is ended and saved" % seq in r.stdout
        assert "connecting ended and saved session %d" % seq in r.stdout.splitlines()[-1]
        assert "nothing on the band was changed" not in r.stdout
        ends = band.events("session")
        assert ends[-1]["what"] == "end" and ends[-1]["reason"] == "host"
        assert "logs/%06d.rwl" % seq in band.files()  # closed, whole, waiting to be pulled
        # Idle, status changes nothing and says so.
        again, _ = status(band.port)
        assert again["sessions"].startswith("1 session waiting")
