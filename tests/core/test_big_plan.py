# A long workout in plan.json (docs/plan-format.md): read as it streams, as config.json's
# (tests/core/test_big_workout.py). A module of its own: a fresh 64 KB heap.
from runwalk.plan import Plan
from runwalk.startup import plan_workout
from runwalk.store import Store
from support import rmtree, tmpdir
from test_big_workout import write_big


def test_a_long_plan_workout_is_read_as_a_stream_too():
    # A plan.json workout over 2 KB is read from its place in the plan, its labels
    # left there, as config.json's are.
    d = tmpdir()
    n = write_big(d + "/w.json", 29000)
    with open(d + "/plan.json", "wb") as f:
        f.write(b'{"schema": 1, "id": "big", "name": "Big plan", "workouts": [')
        with open(d + "/w.json", "rb") as w:
            while True:
                b = w.read(256)
                if not b:
                    break
                f.write(b)
        f.write(b'], "sessions": [{"workout": 0}]}')
    store = Store(d)
    store.log_names()
    p = Plan(store)
    r = plan_workout(p)
    assert r is not None, p.error
    w = r[0]
    assert p.error is None and p.active() and w.name == "Big" and len(w) == n
    for i in (0, 1, n - 1):
        lab = "step %d " % i
        assert w.label(i) == lab + "x" * (24 - len(lab)) and w.dur_ms(i) == (60 + i) * 1000
    rmtree(d)
