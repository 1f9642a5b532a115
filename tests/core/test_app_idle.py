# App behaviour outside a session: boot with a bad config, the battery check.
# (A module of its own: each core test module gets a fresh 64 KB heap.)
import os

from fakeboard import FakeBoard, run_app
from runwalk.app import App
from support import read, rmtree, tmpdir, write


def pulse_lengths(motor_log):
    out = []
    on = None
    for t, level in motor_log:
        if level and on is None:
            on = t
        elif not level and on is not None:
            out.append(t - on)
            on = None
    return out


def test_bad_config_gives_the_error_cue_and_keeps_a_workout():
    d = tmpdir()
    write(d + "/config.json", '{"schema": 1, "steps": [{"kind": "run", "s": -5}]}')
    b = FakeBoard(t0=5000)
    app = App(b, d)
    run_app(app)  # boot, buzz, then nothing more happens without the button
    assert pulse_lengths(b.motor_log) == [100] * 5  # the error buzz
    assert "steps[0].s" in read(d + "/config.err").decode()
    assert app.workout.name == "Galloway 4:1"  # the built-in workout is ready to run
    assert not os.listdir(d + "/logs")
    rmtree(d)


def test_long_press_in_idle_tells_the_battery_level():
    for mv, n in ((3400, 1), (3499, 1), (3500, 2), (3800, 3), (3900, 4), (4100, 4)):
        d = tmpdir()
        write(d + "/config.json", '{"schema": 1, "steps": [{"kind": "run", "s": 60}]}')
        b = FakeBoard(t0=5000, edges=[(1000, True), (3000, False)], mv=mv)
        run_app(App(b, d))
        assert pulse_lengths(b.motor_log) == [250] * n
        assert not os.listdir(d + "/logs")  # no session started
        rmtree(d)


def _sessions_started(d):
    return sorted(n for n in os.listdir(d + "/logs") if n.endswith(".rwl"))


def test_a_click_while_the_done_cue_plays_starts_no_new_session():
    # A 5 s workout: clicked at 1 s (starts at the release, 1.1 s), done at 6.1 s.
    # A click at 7 s (the done cue still playing) is not a new start; one at 10 s is.
    d = tmpdir()
    write(d + "/config.json", '{"schema": 1, "warn_s": 0, "steps": [{"kind": "run", "s": 5}]}')
    edges = [(1000, True), (1100, False), (7000, True), (7100, False)]
    b = FakeBoard(t0=5000, edges=edges)
    run_app(App(b, d))
    assert len(_sessions_started(d)) == 1
    rmtree(d)
    d = tmpdir()
    write(d + "/config.json", '{"schema": 1, "warn_s": 0, "steps": [{"kind": "run", "s": 5}]}')
    b = FakeBoard(t0=5000, edges=edges[:2] + [(10000, True), (10100, False)])
    run_app(App(b, d))
    assert len(_sessions_started(d)) == 2
    rmtree(d)


def test_a_click_a_week_after_a_session_starts_the_next():
    # A week is more than half the boards' tick period (2**30 ms): the time since the
    # last session's end must not read as "just ended" (CPython and the 32-bit port
    # wrap there).
    from runwalk import ticks_add

    d = tmpdir()
    write(d + "/config.json", '{"schema": 1, "warn_s": 0, "steps": [{"kind": "run", "s": 5}]}')
    b = FakeBoard(t0=5000, edges=[(1000, True), (1100, False)])
    app = App(b, d)
    run_app(app)
    assert len(_sessions_started(d)) == 1
    # The band sleeps a week with nothing to do, then the button.
    for _ in range(2):  # (a board's ticks_add refuses a step past half its period)
        b.t = ticks_add(b.t, 84 * 3600 * 1000)
    b.play([(0, True), (100, False)], b.t)
    try:
        while True:
            b.sleep_until(app.step())
    except StopIteration:
        pass
    assert len(_sessions_started(d)) == 2
    rmtree(d)
