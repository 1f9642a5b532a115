"""The largest valid plan on the virtual band (docs/plan-format.md): a plan.json at its size
limit (32 KB), most of it one workout of some 430 labelled steps (the size of the largest
config.json, tests/test_big_config.py) and a year of sessions, starts its workout and
records a log the host reads whole, with the firmware as .mpy, at the heap below.

The band reads plan.json in one pass of 256-byte chunks (runwalk.planload) and that
workout as it streams (runwalk.cfgstream) into records of a few bytes a step, its
labels left in plan.json; the plan's own state (runwalk.plan) stays beside the session."""

from __future__ import annotations

from pathlib import Path

import pytest
from runwalk import logfmt, logread
from runwalk import workout as wk
from runwalk.store import MAX_PLAN_BYTES
from simtools import click, largest_labelled, long_press, mpy_band_with, run_headless, whole_log_header

from host_tools.sim import flash
from host_tools.training import plans

SESSIONS = 52 * 7  # a year, every day


def largest_plan() -> bytes:
    """A valid plan.json as close to MAX_PLAN_BYTES as labelled steps get it."""
    sessions = [{"workout": 0, "week": 1 + i // 7} for i in range(SESSIONS)]
    return largest_labelled(lambda steps: {
        "schema": 1, "id": "big", "name": "Big plan", "per_week": 7,
        "workouts": [{"schema": 1, "name": "Big", "warn_s": 0, "steps": steps}], "sessions": sessions},
        MAX_PLAN_BYTES, (",", ":"))


@pytest.fixture(scope="module")
def image(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A band with the firmware as .mpy and the largest plan (put straight on its flash)."""
    return mpy_band_with(tmp_path_factory.mktemp("bigplan") / "band.img", "plan.json", largest_plan())


# The sim's own objects take about 12.5 KB of the heap it is given (docs/sim.md, RAM), so a
# band's 64 KB is --heap 72k on the sim (tests/test_big_config.py, BAND_64K). The largest
# plan starts and records from --heap 65k (docs/reliability.md, Damaged flash, limits); tested
# with 2 KB to spare:
PLAN_HEAP = "67k"


def test_the_largest_plan_starts_its_workout_and_records_whole(image: Path, tmp_path: Path) -> None:
    doc = plans.load_text(largest_plan(), "the largest plan")  # the host's own checks take it
    assert len(largest_plan()) > MAX_PLAN_BYTES - 100 and len(doc["sessions"]) == SESSIONS
    w = wk.validate(doc["workouts"][0])
    img = tmp_path / "band.img"
    img.write_bytes(image.read_bytes())
    r = run_headless(img, [*click(1000), *long_press(700_000)], extra=("--heap", PLAN_HEAP, "--mpy"))
    assert r.returncode == 0, r.stderr
    assert r.of("plan")[0]["error"] is None and r.of("plan")[0]["of"] == SESSIONS
    ready = r.of("ready")[0]
    assert ready["workout"] == "Big" and ready["error"] is None and ready["segments"] == len(w) > 400
    assert r.of("log_error") == [] and not r.of("full")
    h = whole_log_header(img, w, logfmt.END_STOPPED)
    assert h["name"] == "Big" and h["plan"] == {"id": "big", "step": 0, "of": SESSIONS}
    assert [s["label"] for s in r.of("segment")[:3]] == [w.label(0), w.label(1), w.label(2)]


@pytest.mark.parametrize("heap", ["62k", "64k"])
def test_below_that_the_band_never_runs_into_the_boot_guard(image: Path, tmp_path: Path, heap: str) -> None:
    """Tighter than that (the sim's 64k is a band's 64 KB less the sim's 12.5 KB): the plan is
    held for the heap (the plan event says plan.json did not fit) and config.json runs, or the
    plan's workout runs; never the boot guard's built-in workout. A click records a whole
    session, or, where the heap has no room left for its log, gives the flash-full cue and
    writes nothing."""
    img = tmp_path / "band.img"
    img.write_bytes(image.read_bytes())
    r = run_headless(img, [*click(1000), *long_press(20_000)], extra=("--heap", heap, "--mpy"))
    assert r.returncode == 0, r.stderr
    plan = r.of("plan")
    ready = r.of("ready")
    assert len(plan) == 1 and len(ready) == 1 and "could not start" not in (ready[0]["error"] or ""), ready
    if plan[0]["error"] is None:
        assert ready[0]["workout"] == "Big"
    else:
        assert "plan.json" in plan[0]["error"] and "memory" in plan[0]["error"] and ready[0]["workout"] != "Big"
    logs = [n for n in flash.list_dir(img, "/logs") if n != "seq"]
    if r.of("full"):
        assert logs == [] and [e["reason"] for e in r.of("session") if e["what"] == "end"] in ([], ["unrecorded"])
    else:
        assert [e["reason"] for e in r.of("session") if e["what"] == "end"] == ["stopped"]
        d = logread.decode(flash.read_file(img, "logs/000001.rwl"))
        assert d["damage"] == [] and d["header"]["name"] == ready[0]["workout"]
