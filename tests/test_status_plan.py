"""`runwalk status`'s plan line, decided from the band's files as the band's start-up decides."""

from __future__ import annotations

import json

from runwalk.store import CONFIG, PLAN, PLAN_HOLD, PLAN_POS

from host_tools.commands.status import Snapshot, next_workout
from host_tools.training import plans, workouts

CFG = {"schema": 1, "name": "Own 2:1", "steps": [{"kind": "run", "s": 120}, {"kind": "walk", "s": 60}]}


def snap(step: int, held: bool) -> Snapshot:
    doc = plans.build((30, 30), (60, 30), 2, 2, 10)
    files: dict[str, bytes | int] = {CONFIG: workouts.to_bytes(CFG), PLAN: plans.to_bytes(doc),
                                     PLAN_POS: json.dumps({"id": doc["id"], "step": step}).encode()}
    if held:
        files[PLAN_HOLD] = b""
    return Snapshot({}, files)


def test_a_one_off_held_before_a_running_plan_runs_first_once() -> None:
    nxt = next_workout(snap(1, held=True))
    assert nxt.source == "config.json" and nxt.workout is not None and nxt.workout.name == "Own 2:1"
    assert "next is session 2 of 4" in nxt.plan_line and nxt.plan_line.endswith("first the workout pushed "
                                                                                 "last runs, once")


def test_a_finished_plan_with_a_hold_left_says_config_json_runs_from_now_on() -> None:
    # Before: "...finished...; the band runs its config.json; first the workout pushed last runs, once",
    # on a band a hand or an older runwalk left a plan.hold on beside a finished plan.
    nxt = next_workout(snap(4, held=True))
    assert nxt.source == "config.json" and nxt.workout is not None and nxt.workout.name == "Own 2:1"
    assert "finished" in nxt.plan_line and "once" not in nxt.plan_line
