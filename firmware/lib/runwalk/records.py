# A long workout's steps as records (written by runwalk.cfgstream), read back
# like config.json's step list: runwalk.segments.Workout walks them, the log
# header (runwalk.loghead) and runwalk.plan iterate them, as they do the list.
# Labels stay in the file (config.json, or plan.json) as JSON text, decoded when
# asked for. Only a workout read as a stream brings this module in.
#
# A record is 6 bytes: v (4 bytes, low first) and b (2 bytes). A step: v =
# seconds (0: open) | kind << 17 | its label's length in the file << 19, b = the
# file offset of its label (its opening quote), or NONE. A repeat block:
# v = passes | REPEAT << 17, b = how many records its body takes (they follow it).
import json

from . import const
from .segments import Workout

_REC = const(6)
_NONE = const(0xFFFF)
_REPEAT = const(3)
_KINDS = const(("walk", "run", "sprint"))  # runwalk.segments.KINDS

if __debug__:  # the host and the tests; mpy-cross -O3 drops this block: each name would cost the band RAM
    REC = _REC
    NONE = _NONE
    REPEAT = _REPEAT

# The file the labels are read from while Steps.hold() keeps it open (the log header
# reads every label twice: opening the file for each would take littlefs a path
# look-up each time, about a second for the longest workout while the start cue buzzes).
_held = None


class Steps:
    """Records lo..hi, read like a list of steps: len(), [j] (going forward is
    cheap), iteration. Each step is a small fresh object, as in config.json:
    {"kind", "s", "label"} or {"repeat", "steps"}."""

    def __init__(self, recs, path, lo, hi):
        self.recs = recs
        self.path = path
        self.lo = lo
        self.hi = hi
        self._j = 0  # the step at record _at, where the last look-up left off
        self._at = lo
        n = 0
        while lo < hi:
            lo = self._next(lo)
            n += 1
        self.n = n

    def __len__(self):
        return self.n

    def _rec(self, p):
        r = self.recs
        o = _REC * p
        return r[o] | r[o + 1] << 8 | r[o + 2] << 16 | r[o + 3] << 24, r[o + 4] | r[o + 5] << 8

    def _next(self, p):
        """The record of the step after the one at record p."""
        v, b = self._rec(p)
        return p + 1 + (b if (v >> 17) & 3 == _REPEAT else 0)

    def __getitem__(self, j):
        if not 0 <= j < self.n:
            raise IndexError
        if j < self._j:
            self._j = 0
            self._at = self.lo
        while self._j < j:
            self._at = self._next(self._at)
            self._j += 1
        p = self._at
        v, b = self._rec(p)
        k = (v >> 17) & 3
        if k == _REPEAT:
            return {"repeat": v & 0x1FFFF, "steps": Steps(self.recs, self.path, p + 1, p + 1 + b)}
        st = {"kind": _KINDS[k], "s": (v & 0x1FFFF) or None}
        if b != _NONE:
            # From the file, which no one changes while the band runs: the host
            # writes it with the band's program stopped, then resets the band.
            f = _held
            try:
                if f is None:
                    with open(self.path, "rb") as f:
                        st["label"] = _label(f, b, v >> 19)
                else:
                    st["label"] = _label(f, b, v >> 19)
            except (OSError, ValueError):
                pass  # (changed all the same: the segment runs without its label)
        return st  # (iterating goes through here too: [0], [1], ... until IndexError)

    def hold(self):
        """Keep the labels' file open until release(): for reading many labels at once."""
        global _held
        self.release()
        try:
            _held = open(self.path, "rb")
        except OSError:
            pass  # each label then tries on its own (and runs without it if it cannot)

    def release(self):
        global _held
        f = _held
        _held = None
        if f is not None:
            f.close()


def _label(f, at, n):
    f.seek(at)
    return json.loads(f.read(n))


def workout(found, path):
    """The Workout of what runwalk.cfgstream.read() found in the file at path."""
    r = found
    return Workout(r[0], r[1], r[2], r[3], r[4], r[5], Steps(r[6], path, 0, r[7]))
