"""A plan at its end, and a band with no plan, as a runner meets them with `runwalk plan ...` and
`runwalk config push` on the virtual wristband."""

from __future__ import annotations

import json
from pathlib import Path

from simtools import SimBand

ONE_SESSION = {
    "schema": 1, "id": "qa2-one", "name": "One session",
    "workouts": [{"schema": 1, "name": "Short", "steps": [{"kind": "run", "s": 2}], "warn_s": 0}],
    "sessions": [{"workout": 0, "week": 1}],
}


def ok(band: SimBand, *args: str) -> str:
    r = band.runwalk(*args)
    assert r.returncode == 0, r.stderr
    return r.stdout


def fails(band: SimBand, *args: str) -> str:
    r = band.runwalk(*args)
    lines = r.stderr.strip().splitlines()
    assert r.returncode == 1 and len(lines) == 1 and lines[0].startswith("runwalk: "), r.stderr
    return lines[0]


def plan_run_once(make_band: type[SimBand], tmp_path: Path, doc: dict) -> tuple[SimBand, Path]:
    """A band with the plan pushed and its first session run to its end; the band and the plan's file."""
    band = make_band(tmp_path, speed=50).start()
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(doc))
    ok(band, "plan", "push", str(plan))
    mark = len(band.events())
    band.start_session()
    band.wait_event("session", since=mark, timeout=60, what="end", reason="completed")
    return band, plan


def test_a_finished_plan_and_no_plan_say_what_runs_and_what_to_do(make_band: type[SimBand],
                                                                 tmp_path: Path) -> None:
    band, plan = plan_run_once(make_band, tmp_path, ONE_SESSION)
    show = ok(band, "plan", "show")
    assert "finished (1 of 1 sessions done); the band runs its config.json" in show

    # Before: "A plan is active on the band: this workout runs next, once; ... the plan goes on", of a plan
    # that is over (the band runs config.json every time), and `plan show` then said the same.
    pushed = ok(band, "config", "push", "4:1")
    assert "runs next, once" not in pushed and "plan goes on" not in pushed
    assert "The plan on the band is finished, so the band runs this workout from now on" in pushed
    show = ok(band, "plan", "show")
    assert "runs, once" not in show and "finished (1 of 1 sessions done)" in show
    # Nothing held for the plan (runwalk status said "...; first the workout pushed last runs, once").
    assert "plan.hold" not in band.list_dir("/")
    assert "runs, once" not in ok(band, "status")
    # Before: "runwalk: the plan is already finished", and nothing on what to do.
    said = fails(band, "plan", "advance")
    assert "the plan is finished" in said and "`runwalk plan repeat-week`" in said and "`runwalk plan build" in said

    # Before: "runwalk: no plan on the band", and nothing on what to do.
    ok(band, "plan", "stop")
    for action in ("advance", "back", "repeat-week"):
        said = fails(band, "plan", action)
        assert said.startswith("runwalk: no plan on the band") and "`runwalk plan build ... --push`" in said, said

    # A plan still running: the one-off runs once, then the plan goes on (unchanged).
    ok(band, "plan", "push", str(plan))
    pushed = ok(band, "config", "push", "2:1")
    assert "this workout runs next, once" in pushed and "is finished" not in pushed


def test_repeat_week_before_any_session_counted_moves_nothing(make_band: type[SimBand], tmp_path: Path) -> None:
    band = make_band(tmp_path, speed=50).start()
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(ONE_SESSION))
    ok(band, "plan", "push", str(plan))
    before = band.files()
    said = ok(band, "plan", "repeat-week")
    # Before: "Back to session 1.", of the session that was next all along.
    assert "Back to" not in said and "Session 1 is next already, the first of its week" in said, said
    assert band.files().get("plan.pos") == before.get("plan.pos")


TWO_SESSIONS = dict(ONE_SESSION, id="qa2-two", name="Two sessions", sessions=[{"workout": 0, "week": 1}] * 2)


def test_moving_the_plan_back_says_a_one_off_still_runs_first(make_band: type[SimBand], tmp_path: Path) -> None:
    band, _ = plan_run_once(make_band, tmp_path, TWO_SESSIONS)
    ok(band, "config", "push", "4:1")  # a one-off: it runs next, once
    said = ok(band, "plan", "repeat-week")
    # Before: only "Back to session 1. ... next is session 1 of 2", though the band runs the one-off first.
    assert "Back to session 1." in said and "First the workout pushed last (config.json) runs, once" in said, said
    assert "First the workout pushed last" in ok(band, "plan", "show")


def test_pushing_the_same_plan_again_says_where_it_was(make_band: type[SimBand], tmp_path: Path) -> None:
    band = make_band(tmp_path, speed=50).start()
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(TWO_SESSIONS))
    assert "It was at session" not in ok(band, "plan", "push", str(plan))
    mark = len(band.events())
    band.start_session()
    band.wait_event("session", since=mark, timeout=60, what="end", reason="completed")
    # Before: only "its next session is session 1", the runner's place in the plan lost without a word.
    said = ok(band, "plan", "push", str(plan))
    assert "its next session is session 1" in said
    assert "It was at session 2 of this same plan: pushing a plan starts it again from session 1." in said
    mark = len(band.events())
    band.start_session()
    band.wait_event("session", since=mark, timeout=60, what="end", reason="completed")
    band.wait_until(lambda _: band.app_running(), 0, 30, "start its app")
    mark = len(band.events())
    band.start_session()
    band.wait_event("session", since=mark, timeout=60, what="end", reason="completed")
    assert "It had finished this same plan: pushing a plan starts it again" in ok(band, "plan", "push", str(plan))
    other = tmp_path / "other.json"
    other.write_text(json.dumps(dict(TWO_SESSIONS, id="qa2-other")))
    assert "It was at session" not in ok(band, "plan", "push", str(other))  # another plan: nothing of it lost
