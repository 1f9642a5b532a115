# Shared by the long-and-odd session tests (test_odd*.py): the fake board counting
# instead of keeping every event, its button edges from generators, so an hour of
# chatter or 2000 segments fit MicroPython's 64 KB heap.
import os

from fakeboard import FakeBoard
from runwalk import logfmt, logread
from runwalk.app import App
from support import read, rmtree, tmpdir, write

START = 1120  # board-relative tick of the session start: the release of the first click
HOUR = 3600000
WALK = 0  # segment kinds as the log stores them (runwalk.segments.KINDS)
RUN = 1


def click(t):
    yield (t, True)
    yield (t + 120, False)


def double(t):
    """A double click whose second release is at t."""
    yield (t - 300, True)
    yield (t - 200, False)
    yield (t - 100, True)
    yield (t, False)


def session_click(t):
    """A click in a session whose release (the moment it counts) is at session time t."""
    return click(START + t - 120)


def hold(t, ms):
    yield (t, True)
    yield (t + ms, False)


def chatter(t, ms):
    """A button chattering at 100 Hz for `ms` from board time t, ending released."""
    for i in range(ms // 10):
        yield (t + i * 10, True)
        yield (t + i * 10 + 5, False)


def chain(*parts):
    for p in parts:
        for e in p:
            yield e


def run(cfg, edges, t0=5000):
    """Boot the app on `cfg`, play the edges, run until nothing more happens.
    Returns the board and the closed session logs (bytes), oldest first."""
    d = tmpdir()
    write(d + "/config.json", cfg)
    b = FakeBoard(t0, edges, keep_motor=False, keep_cues=40, uid="odd")
    app = App(b, d)
    app.boot()
    assert b.error is None, b.error
    try:
        while True:
            b.sleep_until(app.step())
    except StopIteration:
        pass
    del app
    b.cue_at = [(t - START, n) for (t, n) in b.cue_at]  # session-relative
    names = os.listdir(d + "/logs")
    assert not [n for n in names if n.endswith(".open")], names
    names.sort()
    logs = [read(d + "/logs/" + n) for n in names if n.endswith(".rwl")]
    rmtree(d)
    return b, logs


def records(data):
    """Every record but the header as (type, arg, t_ms), and the damage found."""
    damage = []
    out = [(r, a, t) for (r, a, t, p) in logread.records(data, damage) if r != logfmt.HEADER]
    return out, damage
