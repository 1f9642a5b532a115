# Shared by the long-and-odd session tests (test_odd*.py): a fake board that
# counts instead of keeping every event, and takes its button edges from a
# generator, so an hour of chatter or 2000 segments fit MicroPython's 64 KB heap.
import os

from runwalk import logfmt, logread
from runwalk.app import App
from runwalk.ticks import ticks_add, ticks_diff
from support import read, rmtree, tmpdir, write

START = 1120  # board-relative tick of the session start: the release of the first click
HOUR = 3600000
WALK = 0  # segment kinds as the log stores them (runwalk.segments.KINDS)
RUN = 1


class Board:
    """The board interface (runwalk.app) on a virtual clock that jumps to each deadline."""

    def __init__(self, edges, t0=5000):
        self.t0 = t0
        self.t = t0
        self.src = edges  # yields (board-relative tick, down), in order
        self.nxt = None
        self._pull()
        self.sleeps = 0
        self.cues = {}
        self.cue_at = []  # (session-relative tick, name) of the first 40 cues
        self.pulses = 0
        self.level = 0
        self.error = "never booted"

    def _pull(self):
        for rel, down in self.src:
            self.nxt = (down, ticks_add(self.t0, rel))
            return
        self.nxt = None

    def ticks_ms(self):
        return self.t

    def edge(self):
        e = self.nxt
        if e is not None and ticks_diff(e[1], self.t) <= 0:
            self._pull()
            return e
        return None

    def sleep_until(self, deadline, may_power_off=False):
        self.sleeps += 1
        nxt = None if self.nxt is None else self.nxt[1]
        if deadline is None and nxt is None:
            raise StopIteration  # nothing more would ever happen
        if deadline is None or (nxt is not None and ticks_diff(nxt, deadline) < 0):
            self.t = nxt
        elif ticks_diff(deadline, self.t) > 0:
            self.t = deadline

    def motor(self, level):
        if level and not self.level:
            self.pulses += 1
        self.level = level

    def battery_mv(self):
        return 4000

    def wall_s(self):
        return 1700000000

    def uid(self):
        return "odd"

    def note(self, ev, fields):
        if ev == "ready":
            self.error = fields["error"]
        elif ev == "cue":
            n = fields["name"]
            self.cues[n] = self.cues.get(n, 0) + 1
            if len(self.cue_at) < 40:
                self.cue_at.append((ticks_diff(fields["at"], self.t0) - START, n))


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
    b = Board(edges, t0)
    app = App(b, d)
    app.boot()
    assert b.error is None, b.error
    try:
        while True:
            b.sleep_until(app.step())
    except StopIteration:
        pass
    del app
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
