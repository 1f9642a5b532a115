"""The virtual wristband as a new user meets it: odd button timing told right by
`--show`, odd option values refused in one line, mpremote and runwalk against it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from simtools import click, run_headless

BUTTON = {"long_ms": 1500, "double_ms": 400}


def config(steps: list[dict[str, Any]], warn_s: int = 5) -> dict[str, Any]:
    return {"schema": 1, "name": "test", "steps": steps, "warn_s": warn_s, "intensity": 80, "button": BUTTON}


def double(t: int) -> list[tuple[int, str]]:
    return [*click(t, 100), *click(t + 200, 100)]


def test_show_tells_the_pulses_of_cues_cut_short_by_the_next(tmp_path: Path) -> None:
    from host_tools.sim import timeline

    # Session time 0 is the release at 100 ms. A double click straddles the walk->run
    # boundary at 20 s: it skips the run 150 ms into its cue. A click right at the
    # next boundary (30.15 s) pauses 500 ms into the run cue.
    steps = [{"kind": "walk", "s": 20}, {"kind": "run", "s": 30}, {"kind": "walk", "s": 10}, {"kind": "run", "s": 10}]
    script = [*click(0), *double(19950), *click(30250), *click(40000)]
    run = run_headless(tmp_path / "band.img", script, config=config(steps), extra=("--show",))
    assert run.returncode == 0, run.stderr
    lines = [" ".join(x.split()) for x in timeline.describe(run.events)]
    assert "0:20.0 cue run 150 (cut short by the next cue)" in lines
    assert "0:20.1 cue walk 900" in lines  # the walk cue in full, not the run cue's leftovers
    assert "0:30.1 cue run 400 (cut short by the next cue)" in lines
    assert "0:30.6 cue pause 700 _250_ 150" in lines
    assert "0:40.4 cue resume 150 _250_ 700" in lines
    # Every later cue is its own pattern: nothing shifted by one.
    assert lines[-1] == "0:49.9 cue done 600 _300_ 600 _300_ 600"
    # --show prints the same story.
    assert [" ".join(x.split()) for x in run.stdout.splitlines()] == lines
