"""`runwalk config show` on a band running a plan, whose config.json was replaced by hand since the band last
refused one: the band does not check its config.json again while the plan runs, so its config.err is about
the old file. config show says what the band will find in the file it holds now, as status does."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from simtools import SimBand

REFUSED = "The band refused its config.json: %s: must be text without control, hidden or direction-changing " \
          "characters or lone surrogates, got %s"


def workout(name: str, label: str = "hill") -> dict[str, Any]:
    return {"schema": 1, "name": name, "steps": [{"kind": "walk", "s": 60, "label": label}, {"kind": "run", "s": 60}]}


def test_config_show_reads_the_config_json_the_band_holds_now(make_band: Any, tmp_path: Path) -> None:
    band: SimBand = make_band(speed=20).start()
    band.push_config(workout("Hills", label="warm\u200bup"))  # refused: config.err names its label
    assert REFUSED % ("steps[0].label", "'warm\\u200bup'") in band.runwalk("config", "show").stdout
    plan = tmp_path / "plan.json"
    assert band.runwalk("plan", "build", "--weeks", "2", "-o", str(plan)).returncode == 0
    assert band.runwalk("plan", "push", str(plan)).returncode == 0

    # Before: "The band refused its config.json: steps[0].label: ... 'warm\u200bup'" for a valid file.
    band.push_config(workout("Good one"))
    r = band.runwalk("config", "show")
    assert r.returncode == 0, r.stderr
    assert "refused" not in r.stdout and "\nGood one\n" in r.stdout, r.stdout

    # Before: the old file's reason (its label), not this one's (its name).
    band.push_config(workout("Hill\u202e 5x"))
    r = band.runwalk("config", "show")
    assert r.returncode == 0, r.stderr
    assert REFUSED % ("name", "'Hill\\u202e 5x'") in r.stdout and "label" not in r.stdout, r.stdout
    status = band.runwalk("status").stdout
    assert "config.json refused: name: " in status, status  # status said it so already
