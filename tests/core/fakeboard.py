# The one fake board: the board interface (runwalk.app) on a virtual clock that
# jumps to each deadline or button edge. The core tests (CPython, the unix port at
# 64 KB, the 32-bit wasm port), the host tests' session logs (tests/hostlogs.py)
# and the bench's board stand-in (bench/bandboard.py) all run the app on it.
from runwalk import ticks_add, ticks_diff


class FakeBoard:
    """Button edges come from any iterable of (ms after the base tick, down) in time
    order, taken one at a time: a generator keeps an hour of chatter out of a small
    heap. Counts what the app does (sleeps, motor pulses, cues by name, the config
    error at ready); keeps the motor levels, the notes and the first cues' times
    only if asked (keep_motor, keep_notes, keep_cues), as the heap is small."""

    def __init__(self, t0=0, edges=(), mv=4000, keep_motor=True, keep_notes=False, keep_cues=0,
                 wall=1700000000, uid="test"):
        self.t = t0
        self.t0 = t0
        self.motor_log = [] if keep_motor else None  # (t_rel, level)
        self.notes = [] if keep_notes else None  # (t_rel, ev, fields)
        self.keep_cues = keep_cues
        self.cue_at = []  # (t_rel, name) of the first keep_cues cues
        self.cues = {}  # name: how many
        self.sleeps = 0
        self.pulses = 0
        self.level = 0
        self.error = "never booted"
        self.mv = mv
        self.wall = wall
        self.name = uid
        self.play(edges)

    def play(self, edges, base=None):
        """Take the button's edges from here on: (ms after base, down); base: t0."""
        self.src = iter(edges)
        self.base = self.t0 if base is None else base
        self._pull()

    def _pull(self):
        for rel, down in self.src:
            self.nxt = (down, ticks_add(self.base, rel))
            return
        self.nxt = None

    def rel(self):
        return ticks_diff(self.t, self.t0)

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
        if self.motor_log is not None:
            self.motor_log.append((self.rel(), level))

    def battery_mv(self):
        return self.mv

    def wall_s(self):
        return self.wall

    def uid(self):
        return self.name

    def note(self, ev, fields):
        if ev == "ready":
            self.error = fields["error"]
        elif ev == "cue":
            n = fields["name"]
            self.cues[n] = self.cues.get(n, 0) + 1
            if len(self.cue_at) < self.keep_cues:
                self.cue_at.append((ticks_diff(fields["at"], self.t0), n))
        if self.notes is not None:
            self.notes.append((self.rel(), ev, fields))


def run_app(app):
    """Run the app loop until nothing more can happen."""
    app.boot()
    try:
        while True:
            app.board.sleep_until(app.step())
    except StopIteration:
        pass
