"""`runwalk status` in the words of a runner: a band with MicroPython but no runwalk firmware, counts of one."""

from __future__ import annotations

import subprocess
from pathlib import Path

from simtools import RUNWALK, SimBand, run_headless


def lines_of(port: str) -> dict[str, str]:
    r = subprocess.run([RUNWALK, "status", "--port", port], capture_output=True, text=True, timeout=120,
                       stdin=subprocess.DEVNULL)
    assert r.returncode == 0, r.stderr
    return {ln.strip().partition(" ")[0]: ln.strip().partition(" ")[2].strip()
            for ln in r.stdout.splitlines() if ln.startswith("  ")}


def test_status_of_a_band_without_firmware_says_so_not_a_python_error(tmp_path: Path) -> None:
    # Before: "battery    unknown (ImportError(\"no module named 'runwalk_board'\",))", and "clock  not set
    # (... `runwalk logs pull` or any command that connects sets it)", which no command can do there.
    band = SimBand(tmp_path, speed=20)
    with band.start():
        band.mpremote("fs", "rm", "-r", ":lib")  # MicroPython as it comes, with a config.json left behind
        got = lines_of(band.port)
    assert got["firmware"].startswith("none on the band")
    for key in ("battery", "clock"):
        assert got[key] == "unknown (no runwalk firmware on the band to read it: `runwalk deploy` puts it on)", got


def test_one_session_is_counted_as_one(tmp_path: Path) -> None:
    # Before: "1 session waiting: `runwalk logs pull` stores them", and a pulled log under 1 KB was
    # "(+0 KB of 1 pulled sessions it frees as needed)".
    band = SimBand(tmp_path, speed=20)
    script = [(1000, "down"), (1100, "up"), (5000, "down"), (7000, "up")]  # a click, and a long press ends it
    assert run_headless(band.image, script).returncode == 0
    with band.start():
        assert lines_of(band.port)["sessions"] == "1 session waiting: `runwalk logs pull` stores it"
        r = band.runwalk("logs", "pull", "--db", str(tmp_path / "s.sqlite"))
        assert r.returncode == 0, r.stderr
        flash = lines_of(band.port)["flash"]
    assert "(+1 KB of 1 pulled session it frees as needed)" in flash, flash
