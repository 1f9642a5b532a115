# How the app drives the motor, on a fake board.
# (A module of its own: each core test module gets a fresh 64 KB heap.)
import os

from fakeboard import run_app
from runwalk import cues, logread
from support import read, rmtree
from test_app import click, pulses, setup


def test_run_and_walk_cues_feel_different_on_the_motor():
    d, b, app = setup(click(1000))
    run_app(app)
    p = pulses(b.motor_log)
    walk = [x for x in p if x[0] >= 1120 + 30000 and x[0] < 1120 + 31000]
    run = [x for x in p if x[0] >= 1120 + 50000 and x[0] < 1120 + 51000]
    assert len(walk) == 1 and walk[0][1] - walk[0][0] == cues.pattern(cues.WALK)[0]
    assert len(run) == 2 and [y - x for x, y in run] == [cues.pattern(cues.RUN)[0], cues.pattern(cues.RUN)[2]]
    rmtree(d)


def test_sleeps_only_until_the_next_event():
    d, b, app = setup(click(1000))
    run_app(app)
    edges = len(b.motor_log)
    # each wake is a motor edge, a boundary, a heads-up, a button edge or a gesture timeout
    dd = logread.decode(read(d + "/logs/" + os.listdir(d + "/logs")[-1]))
    assert b.sleeps <= edges + len(dd["segments"]) + 4 + 2 + 2 + 2
    rmtree(d)
