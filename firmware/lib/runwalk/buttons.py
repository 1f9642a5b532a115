# Button gestures from timestamped edges: click, double click, long press.
# Debounce: an edge closer than DEBOUNCE_MS to the previous raw edge is bounce.
# An edge after a quiet spell is taken at once (no added latency); after
# bounce, the level is taken once the line has been quiet for DEBOUNCE_MS.
# So chatter of any speed counts as one change, ending in the level the
# button really settled in.
from . import const, ticks_add, ticks_diff, ticks_min

_DEBOUNCE_MS = const(30)

_CLICK = const(1)
_DOUBLE = const(2)
_LONG = const(3)

if __debug__:  # the host and the tests; mpy-cross -O3 drops this block: each name would cost the band RAM
    CLICK = _CLICK
    DOUBLE = _DOUBLE
    LONG = _LONG


class Gestures:
    def __init__(self, long_ms=1500, double_ms=400):
        self.long_ms = long_ms
        self.double_ms = double_ms
        self.double_enabled = True  # in idle there is nothing to double-click: clicks are final at release
        self.down = False  # accepted (debounced) level
        self.raw_down = False
        self.settle_at = None  # when the line will have been quiet long enough, after bounce
        self.last_raw = None  # tick of the previous raw edge
        self.long_at = None  # long press fires here while held
        self.click_at = None  # single click is final here unless a second press comes
        self.release_t = 0  # when the pending single click was released
        self.second = False  # this press is the second of a double click
        self.long_fired = False
        self.pending = []  # gestures decoded and not yet taken

    def edge(self, down, t):
        """Feed one raw edge (True = pressed) at tick t."""
        self.tick(t)
        bounce = self.last_raw is not None and ticks_diff(t, self.last_raw) < _DEBOUNCE_MS
        self.last_raw = t
        self.raw_down = down
        if bounce:
            self.settle_at = ticks_add(t, _DEBOUNCE_MS)
            return
        self.settle_at = None
        if down != self.down:
            self._accept(down, t)

    def _accept(self, down, t):
        self.down = down
        if down:
            self.long_fired = False
            self.long_at = ticks_add(t, self.long_ms)
            if self.click_at is not None:
                self.click_at = None
                self.second = True
            else:
                self.second = False
        else:
            self.long_at = None
            if self.long_fired:
                self.long_fired = False
                self.second = False
            elif self.second:
                self.second = False
                self.pending.append((_DOUBLE, t))
            elif self.double_enabled:
                self.click_at = ticks_add(t, self.double_ms)
                self.release_t = t
            else:
                self.pending.append((_CLICK, t))

    def next_deadline(self):
        return ticks_min(ticks_min(self.settle_at, self.long_at), self.click_at)

    def tick(self, t):
        """Fire whatever timed out by tick t."""
        if self.settle_at is not None and ticks_diff(t, self.settle_at) >= 0:
            at = self.settle_at
            self.settle_at = None
            if self.raw_down != self.down:
                self._accept(self.raw_down, at)
        if self.long_at is not None and ticks_diff(t, self.long_at) >= 0:
            self.long_fired = True
            self.second = False
            self.pending.append((_LONG, self.long_at))
            self.long_at = None
        if self.click_at is not None and ticks_diff(t, self.click_at) >= 0:
            self.click_at = None
            self.pending.append((_CLICK, self.release_t))

    def take(self):
        """Pop the oldest decoded (gesture, tick) pair, or None.

        The tick is when the gesture happened: the release of a click or of a
        double click's second press, or the moment a long press reached long_ms.
        """
        if self.pending:
            return self.pending.pop(0)
        return None
