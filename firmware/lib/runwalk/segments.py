# A validated workout: settings plus the flattened segment list, in compact
# arrays (not a list of objects): 4 bytes a segment, so a 2000-segment workout
# costs 8 KB. The arrays come in chunks of 128 segments: one 8 KB block may
# not be found in a small fragmented heap, many half-KB ones are.
# Kept apart from the validator so the band can drop the validator after boot.
from array import array

KINDS = ("walk", "run", "sprint")
WALK = 0
RUN = 1
SPRINT = 2

OPEN = -1  # duration of an open segment: it lasts until the runner double-clicks
_OPEN = 0xFFFF  # stored forms of OPEN and of durations beyond 16 bits
_LONG = 0xFFFE
_CHUNK = 128


class Workout:
    """A validated workout: settings plus the flattened segment list."""

    def __init__(self, name, n, warn_s, intensity, long_ms, double_ms):
        self.name = name
        self.warn_s = warn_s
        self.intensity = intensity
        self.long_ms = long_ms
        self.double_ms = double_ms
        self._kinds = []  # chunks of bytearray: kind of each segment
        self._durs = []  # chunks of array H: seconds; _OPEN, or _LONG: see long_durs
        self._labs = []  # chunks of bytearray: 0 = no label, else 1 + index into labels
        self.long_durs = None  # {index: seconds} for the rare segments over 18 hours
        self.labels = []
        self._n = 0  # segments filled in so far
        self.count = n  # segments in the workout

    def _add(self, kind, s, label):
        i = self._n
        c = i // _CHUNK
        j = i % _CHUNK
        if j == 0:
            self._kinds.append(bytearray(_CHUNK))
            self._durs.append(array("H", bytes(2 * _CHUNK)))
            self._labs.append(bytearray(_CHUNK))
        self._kinds[c][j] = KINDS.index(kind)
        if s is None:
            d = _OPEN
        elif s >= _LONG:
            if self.long_durs is None:
                self.long_durs = {}
            self.long_durs[i] = s
            d = _LONG
        else:
            d = s
        self._durs[c][j] = d
        if label:
            if label not in self.labels:
                self.labels.append(label)
            self._labs[c][j] = self.labels.index(label) + 1
        self._n = i + 1

    def _flatten(self, steps):
        for step in steps:
            if "repeat" in step:
                for _ in range(step["repeat"]):
                    self._flatten(step["steps"])
            else:
                self._add(step["kind"], step["s"], step.get("label"))

    def fill(self, steps):
        """Flatten the (validated) steps into the segment arrays, if not done yet.

        The band validates at boot with fill deferred, drops the validator's
        modules, then fills: the two never share the heap.
        """
        if self._n == 0:
            self._flatten(steps)

    def __len__(self):
        return self.count

    def kind(self, i):
        return self._kinds[i // _CHUNK][i % _CHUNK]

    def kind_name(self, i):
        return KINDS[self.kind(i)]

    def dur_ms(self, i):
        """Planned length in ms, or None for an open segment."""
        s = self._durs[i // _CHUNK][i % _CHUNK]
        if s == _OPEN:
            return None
        if s == _LONG:
            s = self.long_durs[i]
        return s * 1000

    def label(self, i):
        j = self._labs[i // _CHUNK][i % _CHUNK]
        return self.labels[j - 1] if j else None

    def total_ms(self):
        """Planned length of the whole workout, or None if it has open segments."""
        t = 0
        for i in range(self.count):
            d = self.dur_ms(i)
            if d is None:
                return None
            t += d
        return t
