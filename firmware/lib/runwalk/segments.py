# A validated workout: its settings and a cursor that walks the config's step
# tree (repeats unrolled on the fly). Nothing is flattened, so a 2000-segment
# workout costs the band no more RAM than a 2-segment one: the session only
# ever asks for the segment it is in and the one after it.
# Kept apart from the validator so the band can drop the validator after boot.
from . import const

_KINDS = const(("walk", "run", "sprint"))  # a segment's kind is its index here

if __debug__:  # the host and the tests; mpy-cross -O3 drops this block: each name would cost the band RAM
    KINDS = _KINDS
    WALK = 0
    RUN = 1
    SPRINT = 2


class Workout:
    """A validated workout: settings plus sequential access to its segments.

    kind(i), dur_ms(i) and label(i) are cheap for the current segment, the one
    before it and any later one; going further back walks again from the start.
    """

    def __init__(self, name, n, warn_s, intensity, long_ms, double_ms, steps):
        self.name = name
        self.warn_s = warn_s
        self.intensity = intensity
        self.long_ms = long_ms
        self.double_ms = double_ms
        self.steps = steps  # the validated "steps" list of config.json
        self.count = n  # segments in the workout
        self._stack = None  # cursor: [step list, next position, passes left] per level
        self._i = -1  # index of the segment in _cur
        self._cur = None  # (kind, seconds or None, label or None)
        self._prev = None  # the same for segment _i - 1

    def __len__(self):
        return self.count

    def _seg(self, i):
        if i == self._i:
            return self._cur
        if i == self._i - 1 and self._prev is not None:
            return self._prev
        if not 0 <= i < self.count:
            raise IndexError("segment index out of range")
        if i < self._i or self._stack is None:
            self._stack = [[self.steps, 0, 1]]
            self._i = -1
            self._cur = None
        st = self._stack
        while self._i < i:
            f = st[-1]
            if f[1] == len(f[0]):  # this level's list is done: again, or back up
                f[2] -= 1
                if f[2]:
                    f[1] = 0
                else:
                    st.pop()
                continue
            step = f[0][f[1]]
            f[1] += 1
            if "repeat" in step:
                st.append([step["steps"], 0, step["repeat"]])
            else:
                self._prev = self._cur
                self._cur = (_KINDS.index(step["kind"]), step["s"], step.get("label") or None)
                self._i += 1
        return self._cur

    def kind(self, i):
        return self._seg(i)[0]

    def kind_name(self, i):
        return _KINDS[self._seg(i)[0]]

    def dur_ms(self, i):
        """Planned length in ms, or None for an open segment."""
        s = self._seg(i)[1]
        return None if s is None else s * 1000

    def label(self, i):
        return self._seg(i)[2]
