"""Advice from the runner's own plan sessions (host_tools/training/advice.py): sessions of each pattern
run by the real firmware core with a plan on its flash, stored in a real session store, then read
back by `runwalk logs list` and the advice the plan commands print."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hostlogs import App, FakeBoard, click, long_press, run_app

from host_tools.commands.cli import main
from host_tools.store import db
from host_tools.training import advice, plans

GAP = 10 * 60_000  # each plan session here lasts 5 minutes


def plan_doc() -> dict:
    # 3 weeks, 2 sessions a week, 3 ratios: 30s:30s, then 40s:30s, then 1m:30s; 5-minute sessions.
    return plans.build((30, 30), (60, 30), 3, 2, 5, warmup_s=0, cooldown_s=0)


def run_sessions(tmp: Path, doc: dict, sessions: list[list[tuple[int, bool]]], step: int = 0) -> Path:
    """Run the sessions (each its edges from its own start) on the real app with the plan on its flash,
    starting at plan session `step`; store every log; the store's path."""
    root = tmp / "band"
    (root / "logs").mkdir(parents=True)
    (root / "plan.json").write_bytes(plans.to_bytes(doc))
    (root / "plan.pos").write_text(json.dumps({"id": doc["id"], "step": step, "seq": 0}))
    edges: list[tuple[int, bool]] = []
    for i, s in enumerate(sessions):
        edges += [(1000 + i * GAP + t, down) for t, down in s]
    run_app(App(FakeBoard(edges=edges), str(root)))
    path = tmp / "s.sqlite"
    with db.Store(path) as store:
        for f in sorted((root / "logs").glob("*.rwl")):
            store.add(f.name, f.read_bytes())
    return path


COMPLETED = click(0)
ENDED_EARLY = click(0) + long_press(60_000)
PAUSED = click(0) + click(20_000) + click(30_000) + click(60_000) + click(70_000) + click(100_000) + click(110_000)


@pytest.mark.parametrize("sessions, step, action, says", [
    ([COMPLETED] * 3, 0, "go on", "3 completed"),
    ([COMPLETED, COMPLETED, ENDED_EARLY], 0, "repeat-week", "1 ended early (long press)"),
    ([PAUSED, PAUSED, COMPLETED], 0, "repeat-week", "2 paused a lot"),
    # Two ended early in week 2 (ratio 40s:30s): one ratio step back, to 30s:30s.
    ([COMPLETED, ENDED_EARLY, ENDED_EARLY], 2, "back", "2 ended early (long press)"),
    # Two ended early at the first ratio: nothing to go back to, so the week again.
    ([COMPLETED, ENDED_EARLY, ENDED_EARLY], 0, "repeat-week", "2 ended early"),
])
def test_advice_follows_how_the_last_sessions_went(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                   sessions: list, step: int, action: str, says: str) -> None:
    doc = plan_doc()
    path = run_sessions(tmp_path, doc, sessions, step)
    with db.Store(path) as store:
        found = advice.recent(store, doc)
    assert len(found) == 3
    due = step + sum(o.done for o in found)
    a = advice.advise(found, advice.ratio_step_back(doc, due) is not None)
    assert a is not None and a.action == action and says in a.summary, a
    command = {"go on": "moves to the next session by itself", "repeat-week": "`runwalk plan repeat-week`",
               "back": "`runwalk plan back`"}[action]
    assert command in a.line
    # `runwalk logs list` ends with the same advice.
    assert main(["logs", "list", "--db", str(path)]) == 0
    out = capsys.readouterr().out
    assert says in out and command in out


def test_a_long_press_ends_an_open_ended_plan_session_as_done_not_early(tmp_path: Path) -> None:
    doc = plan_doc()
    doc["workouts"][0] = {"schema": 1, "name": "Free", "warn_s": 0, "steps": [
        {"repeat": 10, "steps": [{"kind": "run", "s": None}, {"kind": "walk", "s": None}]}]}
    doc = plans.load_text(plans.to_bytes(doc), "plan")
    path = run_sessions(tmp_path, doc, [ENDED_EARLY, ENDED_EARLY])
    with db.Store(path) as store:
        found = advice.recent(store, doc)
    assert [(o.step, o.done, o.ended_early) for o in found] == [(0, True, False), (1, True, False)]


def test_repeat_week_and_back_land_on_the_first_session_of_their_week_or_ratio() -> None:
    doc = plan_doc()  # sessions 0-1 week 1 (30s:30s), 2-3 week 2 (40s:30s), 4-5 week 3 (1m:30s)
    assert [plans.ratio_text(doc["workouts"][s["workout"]]) for s in doc["sessions"]] == [
        "30s:30s", "30s:30s", "40s:30s", "40s:30s", "1m:30s", "1m:30s"]
    # Mid-week: that week again; between weeks: the week just finished.
    assert [advice.week_start(doc, step) for step in range(7)] == [0, 0, 0, 2, 2, 4, 4]
    assert [advice.ratio_step_back(doc, step) for step in range(7)] == [None, None, 0, 0, 2, 2, 2]
