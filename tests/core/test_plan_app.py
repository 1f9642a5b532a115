# runwalk.plan inside the app: which workout runs, what the log says, when the plan moves on.
# (Its own module: the app's modules would leave the plan tests too little of a 64 KB heap.)
import json
import os

from fakeboard import FakeBoard, run_app
from runwalk import logfmt
from runwalk.app import App
from support import read, tmpdir, write


def short_cfg(name):
    return {"schema": 1, "name": name, "warn_s": 0,
            "steps": [{"kind": "run", "s": 3}, {"kind": "walk", "s": 2}]}


def app_plan_setup(edges):
    doc = {"schema": 1, "id": "app", "name": "p", "workouts": [short_cfg("A"), short_cfg("B"), short_cfg("C")],
           "sessions": [{"workout": 0, "week": 1}, {"workout": 1, "week": 1}, {"workout": 2, "week": 2}]}
    d = tmpdir()
    write(d + "/plan.json", json.dumps(doc))
    write(d + "/config.json", json.dumps(short_cfg("Config")))
    b = QuietBoard(t0=5000, edges=edges)
    return d, App(b, d)


class QuietBoard(FakeBoard):
    """Keeps no motor log: five sessions of cues would take heap these tests need."""

    def motor(self, level):
        pass


def press(t, hold=120):
    return [(t, True), (t + hold, False)]


def headers_and_ends(d):
    # Imported here, not at the top: a module-level reference would keep the log
    # reader in the band's small heap after the app has let it go.
    from runwalk import logread

    out = []
    names = [n for n in os.listdir(d + "/logs") if n.endswith(".rwl")]
    names.sort()
    for n in names:
        dd = logread.decode(read(d + "/logs/" + n))
        h = dd["header"]
        out.append((h["name"], h.get("plan", {}).get("step"), logfmt.END_NAMES[dd["end"]]))
    return out


def test_app_runs_the_plan_and_moves_on_only_after_completed_sessions():
    # The host left plan.hold (a one-off workout pushed mid-plan): config.json runs first.
    # 1: one-off, ended early; 2: one-off, completes (the hold ends, the plan goes on, nothing counted);
    # 3: A completes. 4: B ended early with a long press. 5: B completes. 6: C completes (last step).
    # 7: the plan is done: config.json.
    edges = (press(1000) + press(2000, 2000) + press(10000) + press(20000) + press(30000) + press(31000, 2000)
             + press(40000) + press(50000) + press(60000))
    d, app = app_plan_setup(edges)
    write(d + "/plan.hold", "")
    run_app(app)
    assert headers_and_ends(d) == [
        ("Config", None, "stopped"), ("Config", None, "completed"),
        ("A", 0, "completed"), ("B", 1, "stopped"), ("B", 1, "completed"), ("C", 2, "completed"),
        ("Config", None, "completed")]
    assert json.loads(read(d + "/plan.pos"))["step"] == 3
    assert "plan.hold" not in os.listdir(d)
    assert app.workout.name == "Config"
