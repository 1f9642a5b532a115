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
    out = []
    names = [n for n in os.listdir(d + "/logs") if n.endswith(".rwl")]
    names.sort()
    for n in names:
        dd = logfmt.decode(read(d + "/logs/" + n))
        h = dd["header"]
        out.append((h["name"], h.get("plan", {}).get("step"), logfmt.END_NAMES[dd["end"]]))
    return out


def test_app_runs_the_plan_and_moves_on_only_after_completed_sessions():
    # 1: completes. 2: ended early with a long press. 3: completes. 4: completes (last step). 5: plan done.
    edges = press(1000) + press(10000) + press(11000, 2000) + press(20000) + press(30000) + press(40000)
    d, app = app_plan_setup(edges)
    run_app(app)
    assert headers_and_ends(d) == [
        ("A", 0, "completed"), ("B", 1, "stopped"), ("B", 1, "completed"), ("C", 2, "completed"),
        ("Config", None, "completed")]
    assert json.loads(read(d + "/plan.pos"))["step"] == 3
    assert app.workout.name == "Config"
