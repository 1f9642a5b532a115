# The bench's stand-in for the board module: the core tests' fake board, whose
# clock jumps to each deadline, and the loop main.py runs. Compiled to .mpy with
# tests/core/fakeboard.py and imported like the firmware (from the filesystem, or
# from the ROMFS image): on a band the board module is deployed the same way.
# bench/bandrun.py is the entry point.
import gc
import json
import sys
import time

from fakeboard import FakeBoard


class BenchBoard(FakeBoard):
    """The core tests' fake board (tests/core/fakeboard.py), keeping counts only, that
    also measures the heap at every sleep and the time to the app's ready note."""

    def __init__(self, edges, collect):
        FakeBoard.__init__(self, 0, edges, mv=3900, keep_motor=False, wall=None, uid="bench")
        self.collect = collect  # measure the heap at every sleep (bench/wasmband.mjs measures between calls)
        self.peak = 0
        self.peak_at = 0
        self.ready_us = None
        self.ready_heap = None
        self.import_heap = None
        self.ended = False
        self.stop_at_ready = False
        self.t_start = 0

    def sleep_until(self, deadline, may_power_off=False):
        if self.collect:
            gc.collect()
        used = gc.mem_alloc()
        if used > self.peak:
            self.peak = used
            self.peak_at = self.t
        FakeBoard.sleep_until(self, deadline, may_power_off)

    def note(self, ev, fields):
        FakeBoard.note(self, ev, fields)
        if ev == "ready" and self.ready_us is None:
            self.ready_us = time.ticks_diff(time.ticks_us(), self.t_start)
            if self.collect:
                gc.collect()
                self.ready_heap = gc.mem_alloc()
            if self.stop_at_ready:
                raise StopIteration
        elif ev == "session" and fields.get("what") == "end":
            self.ended = True


def read_script(path):
    edges = []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                ms, what = line.split()
                edges.append((int(ms), what == "down"))
    return edges


def main(argv, t_start, image_heap, stand_in_heap):
    root, script, mode = argv[0], argv[1], argv[2]
    board = BenchBoard(read_script(script), mode == "heap")
    board.t_start = t_start
    board.stop_at_ready = mode == "ready"
    try:
        from runwalk.app import App

        if board.collect:
            gc.collect()
            board.import_heap = gc.mem_alloc()
        app = App(board, root)
        try:
            app.boot()
            while True:
                board.sleep_until(app.step())
        except StopIteration:
            pass
    except MemoryError:
        print(json.dumps({"error": "MemoryError", "t": board.t}))
        sys.exit(3)
    if board.collect:
        import micropython

        micropython.qstr_info()  # interned names and their pools, for the bench's Memory section
    print(json.dumps({"peak": board.peak, "peak_at": board.peak_at, "ready_us": board.ready_us,
                      "ended": board.ended, "t": board.t, "sleeps": board.sleeps,
                      "import_heap": board.import_heap, "ready_heap": board.ready_heap,
                      "image_heap": image_heap, "stand_in_heap": stand_in_heap}))
