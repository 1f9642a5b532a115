# runwalk firmware core: pure logic, runs on MicroPython and CPython alike.
# The package holds what every module uses: its version, forget(), wrap-safe tick
# arithmetic and const() (here, not a module of their own: each module costs the band
# three interned names for good).
VERSION = "1.0.0"

# Wrap-safe tick arithmetic, and const(). On MicroPython these are the port's own
# (ticks period 2**30 on 32-bit boards, larger on the unix port); on CPython we
# mimic the 32-bit boards so host tests exercise a real wrap-around.
# The firmware takes const from here: MicroPython's compiler folds `_X = const(v)`
# by its name alone (no name left in RAM), and CPython needs a stand-in.
try:
    from time import ticks_add, ticks_diff  # type: ignore[attr-defined]

    from micropython import const
except ImportError:

    # (Parameter names the band interns anyway: its RAM holds each name once.)
    def const(a):
        return a

    def ticks_add(a, b):
        return (a + b) & 0x3FFFFFFF

    def ticks_diff(a, b):
        return ((a - b + 0x20000000) & 0x3FFFFFFF) - 0x20000000


def ticks_min(a, b):
    """The earlier of two deadlines; None means 'no deadline'."""
    if a is None:
        return b
    if b is None:
        return a
    return a if ticks_diff(a, b) <= 0 else b


def forget(names):
    """Drop modules from the heap (their code and data; not their interned names)."""
    import gc
    import sys

    pkg = sys.modules.get("runwalk")
    for n in names:
        if n in sys.modules:
            del sys.modules[n]
            # The package keeps its submodules as attributes, too.
            short = n.split(".")[-1]
            if pkg is not None and short in pkg.__dict__:
                delattr(pkg, short)
    # On a band the heap they held is wanted back now, in one piece. CPython (the host's tests
    # and tools) frees them as the last reference goes; its full collection of a big host
    # process took 13 ms or more a call.
    if sys.implementation.name == "micropython":
        gc.collect()
