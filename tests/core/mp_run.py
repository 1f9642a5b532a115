# Runs the firmware core's test modules under any interpreter (MicroPython's unix
# port in `make test`, CPython too): plain functions named test_*, plain asserts.
# Usage: micropython -X heapsize=64k tests/core/mp_run.py [module ...]
# (tests/core/wasm_run.mjs calls main() on the 32-bit WebAssembly port.)
# `make core-mp` puts .mpy builds of the firmware and the tests first on the path
# (MICROPYPATH), as the band imports them; the sources here are the fallback.
import gc
import os
import sys

HERE = __file__.rsplit("/", 1)[0] if "/" in __file__ else "."
sys.path.append(HERE)
sys.path.append(HERE + "/../../firmware/lib")


def modules():
    names = [n[:-3] for n in os.listdir(HERE) if n.startswith("test_") and n.endswith(".py")]
    names.sort()
    return names


def main(argv):
    names = argv or modules()
    passed = failed = 0
    for name in names:
        before = list(sys.modules)
        try:
            mod = __import__(name)
        except Exception as e:
            failed += 1
            print("FAIL", name, "does not import:", type(e).__name__, e)
            continue
        tests = [k for k in dir(mod) if k.startswith("test_")]
        tests.sort()
        params = getattr(mod, "PARAMS", {})
        for t in tests:
            fn = getattr(mod, t)
            # A test taking `case` runs once per entry of the module's PARAMS table, as pytest
            # parametrizes it (tests/core/conftest.py): one failing case hides none of the rest.
            cases = params.get(t)
            runs = [(t, ())] if cases is None else [(t + "[" + str(i) + "]", (c,)) for i, c in enumerate(cases)]
            for label, args in runs:
                gc.collect()
                try:
                    fn(*args)
                    passed += 1
                except Exception as e:  # report every failure, keep going
                    failed += 1
                    print("FAIL", name + "." + label + ":", type(e).__name__, e)
                    if hasattr(sys, "print_exception"):
                        sys.print_exception(e)
        # Drop what the module imported so the next one gets the heap: it is small.
        del mod
        for k in list(sys.modules):
            if k not in before:
                del sys.modules[k]
        gc.collect()
        if "-v" in sys.argv:
            print(name, "done; heap free", gc.mem_free(), list(sys.modules))
    impl = sys.implementation.name
    print("core tests on " + impl + ": " + str(passed) + " passed, " + str(failed) + " failed")
    return 1 if failed or not passed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
