import os

from fakeboard import FakeBoard, run_app
from runwalk import logfmt, logread
from runwalk.app import App
from support import read, rmtree, tmpdir, write

CFG = (
    '{"schema": 1, "name": "Short", "warn_s": 5,'
    ' "steps": [{"repeat": 2, "steps": [{"kind": "run", "s": 30}, {"kind": "walk", "s": 20}]}]}'
)


def click(t):
    return [(t, True), (t + 120, False)]


def setup(edges, cfg=CFG, mv=4000):
    d = tmpdir()
    if cfg is not None:
        write(d + "/config.json", cfg)
    b = FakeBoard(t0=5000, edges=edges, mv=mv)
    return d, b, App(b, d)


def pulses(motor_log):
    """[(on_rel, off_rel)] from the motor log."""
    out = []
    on = None
    for t, level in motor_log:
        if level and on is None:
            on = t
        elif not level and on is not None:
            out.append((on, t))
            on = None
    return out


def test_a_click_runs_the_workout_and_saves_the_log():
    d, b, app = setup(click(1000))
    run_app(app)
    logs = os.listdir(d + "/logs")
    closed = [n for n in logs if n.endswith(".rwl")]
    assert len(closed) == 1 and not [n for n in logs if n.endswith(".open")]
    dd = logread.decode(read(d + "/logs/" + closed[0]))
    assert dd["damage"] == []
    assert dd["header"]["name"] == "Short" and dd["header"]["uid"] == "test"
    assert [(s[0], s[1], s[2]) for s in dd["segments"]] == [
        (1, 0, 30000), (0, 30000, 50000), (1, 50000, 80000), (0, 80000, 100000)]
    assert dd["end"] == logfmt.END_COMPLETED
    # the run cue starts exactly at each run boundary (click released at 1120)
    on_times = [p[0] for p in pulses(b.motor_log)]
    for rel in (30000, 50000, 80000, 100000):
        assert 1120 + rel in on_times, rel
    rmtree(d)


def test_mpremote_interrupt_closes_the_session_first():
    d, b, app = setup(click(1000))

    class Interrupting(FakeBoard):
        pass

    def sleep_until(deadline, may_power_off=False, real=b.sleep_until):
        if b.rel() > 40000:
            raise KeyboardInterrupt
        real(deadline, may_power_off)

    b.sleep_until = sleep_until
    try:
        app.run()
    except KeyboardInterrupt:
        pass
    else:
        raise AssertionError("the interrupt must reach the REPL")
    names = os.listdir(d + "/logs")
    assert not [n for n in names if n.endswith(".open")]
    dd = logread.decode(read(d + "/logs/" + [n for n in names if n.endswith(".rwl")][0]))
    assert dd["end"] == logfmt.END_HOST and dd["damage"] == []
    assert len(dd["segments"]) == 2
    assert b.motor_log[-1][1] == 0  # motor left off
    rmtree(d)


def test_pause_and_long_press_are_logged():
    edges = click(1000) + click(11000) + click(21000) + [(31000, True), (33000, False)]
    d, b, app = setup(edges)
    run_app(app)
    dd = logread.decode(read(d + "/logs/" + [n for n in os.listdir(d + "/logs") if n.endswith(".rwl")][0]))
    # the single clicks are final 400 ms after their release, but count from the release
    assert dd["pauses"] == [[10000, 20000]]
    assert dd["end"] == logfmt.END_STOPPED and dd["end_ms"] == 31000 + 1500 - 1120
    rmtree(d)
