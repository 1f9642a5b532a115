# A board for app tests: a virtual clock that jumps to each deadline.
from runwalk.ticks import ticks_add, ticks_diff


class FakeBoard:
    """A board for app tests: a virtual clock that jumps to each deadline and
    scripted button edges. Records motor levels with their ticks."""

    def __init__(self, t0=0, edges=(), mv=4000, keep_notes=False):
        self.t = t0
        self.t0 = t0
        self.edges = [(down, ticks_add(t0, rel)) for (rel, down) in edges]
        self.motor_log = []  # (t_rel, level)
        self.notes = [] if keep_notes else None  # (t_rel, ev, fields); opt-in: the heap is small
        self.sleeps = 0
        self.mv = mv

    def ticks_ms(self):
        return self.t

    def rel(self):
        return ticks_diff(self.t, self.t0)

    def edge(self):
        if self.edges and ticks_diff(self.edges[0][1], self.t) <= 0:
            return self.edges.pop(0)
        return None

    def sleep_until(self, deadline, may_power_off=False):
        self.sleeps += 1
        nxt = self.edges[0][1] if self.edges else None
        if deadline is None and nxt is None:
            raise StopIteration  # nothing more would ever happen
        if deadline is None or (nxt is not None and ticks_diff(nxt, deadline) < 0):
            self.t = nxt
        elif ticks_diff(deadline, self.t) > 0:
            self.t = deadline

    def motor(self, level):
        self.motor_log.append((self.rel(), level))

    def battery_mv(self):
        return self.mv

    def wall_s(self):
        return 1700000000

    def uid(self):
        return "test"

    def note(self, ev, fields):
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
