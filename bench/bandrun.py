# Runs the firmware's app loop under the MicroPython unix port the way the band
# does, with a small heap, for `make bench` (bench/run.py compiles this file to
# bench-out/start/bandrun.mpy, and the firmware to bench-out/mpy/):
#   [BOARD_NAMES=1] MICROPYPATH=... micropython -X heapsize=N -m bandrun ROOT SCRIPT MODE [ROMFS]
# The firmware and bench/bandboard.py come as .mpy files: from MICROPYPATH (the
# band's filesystem: bytecode is copied into the heap), or, given ROMFS, from
# that image mounted at /rom (bytecode runs in place, as from a board's ROMFS
# partition in flash). The image itself is read into the heap here, which no
# board does: its footprint is reported so the bench can take it off.
# ROOT holds config.json (the workout); SCRIPT has `<ms> down|up` lines; MODE:
#   heap   gc.collect() at every sleep, report the largest heap in use then
#   run    run to the end without help from the harness (for the heapsize bisect)
#   ready  stop at the app's "ready" note; report microseconds since start
# BOARD_NAMES=1 also loads runwalk_board.mpy, a real board module: its import
# fails here (the unix port has no machine.ADC), but loading it interns all its
# names, as the band's board module does; the bench's stand-in has fewer.
# Prints one JSON line; a MemoryError exits 3.
# Compiled, and a function, not module-level code: its locals take no interned
# names (source would intern every identifier), so the harness costs the heap
# little more than a band's three-line main.py.
import sys
import time


def main(t_start):
    import gc

    image_heap = 0
    if len(sys.argv) > 4:
        import vfs

        gc.collect()
        before = gc.mem_alloc()
        with open(sys.argv[4], "rb") as f:
            image = f.read()
        gc.collect()
        image_heap = gc.mem_alloc() - before
        vfs.mount(vfs.VfsRom(image), "/rom")
        sys.path.insert(0, "/rom/lib")
    import os

    if os.getenv("BOARD_NAMES"):
        try:
            import runwalk_board  # noqa: F401
        except Exception:  # noqa: BLE001 - ImportError here, but any failure leaves the names interned
            pass
        sys.modules.pop("runwalk_board", None)
        gc.collect()
    gc.collect()
    before = gc.mem_alloc()
    try:
        import bandboard
    except MemoryError:
        print('{"error": "MemoryError"}')
        sys.exit(3)
    gc.collect()
    bandboard.main(sys.argv[1:], t_start, image_heap, gc.mem_alloc() - before)


main(time.ticks_us())
