# runwalk firmware core: pure logic, runs on MicroPython and CPython alike.
VERSION = "1.0.0"


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
