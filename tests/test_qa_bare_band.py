"""A maker's first steps: MicroPython on the board, no runwalk firmware yet, and a workout or plan pushed."""

from __future__ import annotations

from pathlib import Path

from simtools import SimBand

from host_tools.training import plans


def test_a_push_to_a_band_without_firmware_does_not_claim_its_app_restarted(tmp_path: Path) -> None:
    # Before: "Pushed to the band (its app restarted):" under the warning that the band has no firmware
    # (there is no app to restart); the same for `plan push`.
    plan = tmp_path / "plan.json"
    plan.write_bytes(plans.to_bytes(plans.build((30, 30), (60, 30), 2, 2, 10, None)))
    band = SimBand(tmp_path, speed=20)
    with band.start():
        band.mpremote("fs", "rm", "-r", ":lib")
        r = band.runwalk("config", "push", "2:1")
        assert r.returncode == 0, r.stderr
        assert "its app restarted" not in r.stdout
        assert ("Pushed to the band (no runwalk firmware on the band runs it yet: `runwalk deploy` puts it on):"
                in r.stdout.splitlines())
        r = band.runwalk("plan", "push", str(plan))
        assert r.returncode == 0, r.stderr
        assert "its app restarted" not in r.stdout
        assert "The plan is on the band (no runwalk firmware on the band runs it yet" in r.stdout
        # With the firmware back, it is the band's app again.
        r = band.runwalk("deploy")
        assert r.returncode == 0, r.stderr
        r = band.runwalk("config", "push", "2:1")
        assert r.returncode == 0 and "Pushed to the band (its app restarted):" in r.stdout, r.stderr
