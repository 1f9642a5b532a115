# Drift-free scheduling over a long workout, in its own module: the band's
# heap is small and this test needs most of it.
from runwalk import logfmt, ticks_add, ticks_diff
from runwalk import workout as wk
from runwalk.session import Session
from support import drive


class Checker:
    """An out port that checks segment starts as they come instead of keeping them."""

    def __init__(self, t0, step_ms):
        self.t0 = t0
        self.step = step_ms
        self.segs = 0
        self.bad = 0
        self.end = None

    def cue(self, pattern, strength, t):
        pass

    def cue_next(self, pattern, strength, t):
        pass

    def record(self, rtype, arg, t):
        rel = ticks_diff(t, self.t0)
        if rtype == logfmt.SEG:
            if rel != self.step * self.segs:
                self.bad += 1
            self.segs += 1
        elif rtype == logfmt.END:
            self.end = (arg, rel)


def test_2000th_boundary_is_exact_across_a_ticks_wrap():
    half = {"repeat": 500, "steps": [{"kind": "run", "s": 15}, {"kind": "walk", "s": 15}]}
    cfg = {"schema": 1, "warn_s": 5, "steps": [half, half]}
    t0 = ticks_add(0, -123457)  # the tick counter wraps two minutes into the session
    out = Checker(t0, 15000)
    s = Session(wk.validate(cfg), out)
    s.start(t0)
    wakes = drive(s, t0, 10 ** 8)
    assert out.segs == 2000 and out.bad == 0
    assert out.end == (logfmt.END_COMPLETED, 30000000)
    assert wakes == 2000 + 1999  # one wake per boundary and per heads-up (none after the last), no more
