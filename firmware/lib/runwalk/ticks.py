# Wrap-safe tick arithmetic. On MicroPython these are the port's own functions
# (period 2**30 on 32-bit boards, larger on the unix port); on CPython we mimic
# the 32-bit boards so host tests exercise a real wrap-around.
try:
    from time import ticks_add, ticks_diff  # type: ignore[attr-defined]
except ImportError:
    PERIOD = 1 << 30
    _HALF = PERIOD >> 1
    _MASK = PERIOD - 1

    def ticks_add(t, delta):
        return (t + delta) & _MASK

    def ticks_diff(a, b):
        return ((a - b + _HALF) & _MASK) - _HALF


def ticks_min(a, b):
    """The earlier of two deadlines; None means 'no deadline'."""
    if a is None:
        return b
    if b is None:
        return a
    return a if ticks_diff(a, b) <= 0 else b
