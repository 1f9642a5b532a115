"""`runwalk status` on a band running a plan still says when its config.json is refused (copied by hand with a
right-to-left override in its name): it is what the band falls back on once the plan is done."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from simtools import SimBand

REFUSED = "config.json refused: name: must be text without control, hidden or direction-changing characters or " \
          "lone surrogates"


def test_status_says_the_config_is_refused_while_a_plan_runs(make_band: Any, tmp_path: Path) -> None:
    band: SimBand = make_band(speed=20).start()
    plan = tmp_path / "plan.json"
    r = band.runwalk("plan", "build", "--weeks", "2", "-o", str(plan))
    assert r.returncode == 0, r.stderr
    assert band.runwalk("plan", "push", str(plan)).returncode == 0
    band.push_config({"schema": 1, "name": "Hill\u202e 5x", "steps": [{"kind": "run", "s": 60}]})
    r = band.runwalk("status")
    assert r.returncode == 0, r.stderr
    lines = {line.split()[0]: line for line in r.stdout.splitlines() if line.startswith("  ")}
    # Before: "next ... from session 1 of the plan" and the plan's line, and nothing of config.json.
    assert "from session 1 of the plan" in lines["next"], r.stdout
    assert REFUSED in lines["plan"] and lines["plan"].endswith(
        "(after the plan the band runs its last good workout)"), r.stdout
    # The same band without the plan: as before, the refusal is in the next line.
    assert band.runwalk("plan", "stop").returncode == 0
    r = band.runwalk("status")
    assert r.returncode == 0 and "from its last good workout (%s" % REFUSED in r.stdout, r.stdout
