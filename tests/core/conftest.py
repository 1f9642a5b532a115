import os
import sys

HERE = os.path.dirname(__file__)
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "..", "firmware", "lib"))
collect_ignore = ["mp_run.py"]


def pytest_generate_tests(metafunc):
    # A core test taking `case` runs once per entry of its module's PARAMS table (mp_run.py
    # does the same on MicroPython, which has no pytest).
    cases = getattr(metafunc.module, "PARAMS", {}).get(metafunc.function.__name__)
    if cases is not None:
        metafunc.parametrize("case", cases, ids=["%d-%s" % (i, c[1][0] if c[1] else "") for i, c in enumerate(cases)])
