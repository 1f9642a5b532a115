# Helpers shared by the core tests; plain code that runs on MicroPython too.
import os

from runwalk import logfmt, ticks_add, ticks_diff

_counter = [0]


def tmpdir():
    """A fresh empty directory for one test."""
    base = "/tmp/runwalk-core-tests-" + str(os.getpid() if hasattr(os, "getpid") else 0)
    try:
        os.mkdir(base)
    except OSError:
        pass
    _counter[0] += 1
    d = base + "/" + str(_counter[0])
    rmtree(d)
    os.mkdir(d)
    return d


def rmtree(path):
    try:
        names = os.listdir(path)
    except OSError:
        return
    for n in names:
        p = path + "/" + n
        try:
            os.remove(p)
        except OSError:
            rmtree(p)
    os.rmdir(path)


def write(path, data):
    with open(path, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


def read(path):
    """A file's bytes, in one allocation of its exact size (f.read() grows its
    buffer in steps, which a small fragmented heap may not satisfy)."""
    buf = bytearray(os.stat(path)[6])
    with open(path, "rb") as f:
        f.readinto(buf)
    return bytes(buf) if len(buf) < 4096 else buf


class Recorder:
    """The Session's out port, recording what it asked for (times relative to t0)."""

    def __init__(self, t0=0):
        self.t0 = t0
        self.cues = []  # (pattern, strength, t_rel)
        self.recs = []  # (rtype, arg, t_rel)

    def cue(self, pattern, strength, t):
        self.cues.append((pattern, strength, ticks_diff(t, self.t0)))

    def cue_next(self, pattern, strength, t):
        self.cues.append((pattern, strength, ticks_diff(t, self.t0)))

    def record(self, rtype, arg, t):
        self.recs.append((rtype, arg, ticks_diff(t, self.t0)))

    def seg_times(self):
        return [t for (r, a, t) in self.recs if r == logfmt.SEG]

    def cue_times(self, pattern):
        return [t for (p, s, t) in self.cues if p == pattern]


def drive(session, t0, until_rel, presses=()):
    """Run a session's deadlines like the app loop would, waking exactly on each
    deadline, with gestures injected at relative times: presses = [(t_rel, g)].
    Returns the number of wakes."""
    presses = list(presses)
    wakes = 0
    now = t0
    while True:
        d = session.next_deadline()
        nxt = None if not presses else ticks_add(t0, presses[0][0])
        if d is None and nxt is None:
            return wakes
        if nxt is not None and (d is None or ticks_diff(nxt, d) < 0):
            rel, g = presses.pop(0)
            session.gesture(g, ticks_add(t0, rel))
            now = ticks_add(t0, rel)
        else:
            if ticks_diff(d, ticks_add(t0, until_rel)) > 0:
                return wakes
            now = d
            session.on_time(now)
        wakes += 1
