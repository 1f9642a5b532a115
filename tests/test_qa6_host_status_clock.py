"""`runwalk status` on a band whose clock is not set says which command sets it, and not status itself: it said
"`runwalk logs pull` or any command that connects sets it", and a second status, which connects, still found
it not set."""

from __future__ import annotations

from pathlib import Path

from simtools import SimBand


def test_status_does_not_claim_to_set_the_clock(tmp_path: Path) -> None:
    band = SimBand(tmp_path, speed=20)  # no --clock: the band's clock is not set
    with band.start():
        lines = []
        for _ in range(2):
            r = band.runwalk("status")
            assert r.returncode == 0, r.stderr
            lines.append(next(ln for ln in r.stdout.splitlines() if ln.strip().startswith("clock")))
        assert lines[0] == lines[1]  # status leaves the clock alone, as it says
        assert lines[1].split(None, 1)[1] == ("not set (sessions get no start time; `runwalk logs pull`, or any other "
                                              "command that talks to the band, sets it: status only reads it)")
        r = band.runwalk("config", "show")
        assert r.returncode == 0, r.stderr
        r = band.runwalk("status")
        clock = next(ln for ln in r.stdout.splitlines() if ln.strip().startswith("clock"))
        assert "not set" not in clock and "(in time)" in clock, clock
