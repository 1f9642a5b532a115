# Runs the firmware's app loop under the MicroPython unix port the way the band
# does, with a small heap, for `make bench`:
#   micropython -X heapsize=N bench/bandrun.py ROOT SCRIPT MODE [ROMFS]
# The firmware and bench/bandboard.py come as .mpy files: from MICROPYPATH (the
# band's filesystem: bytecode is copied into the heap), or, given ROMFS, from
# that image mounted at /rom (bytecode runs in place, as from a board's ROMFS
# partition in flash). The image itself is read into the heap here, which no
# board does: its footprint is reported so the bench can take it off.
# ROOT holds config.json (the workout); SCRIPT has `<ms> down|up` lines; MODE:
#   heap   gc.collect() at every sleep, report the largest heap in use then
#   run    run to the end without help from the harness (for the heapsize bisect)
#   ready  stop at the app's "ready" note; report microseconds since start
# Prints one JSON line; a MemoryError exits 3.
# (A function, not module-level code: its locals take no interned names, and
# interned names are heap the firmware is measured for.)
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
    try:
        import bandboard
    except MemoryError:
        print('{"error": "MemoryError"}')
        sys.exit(3)
    bandboard.main(sys.argv[1:], t_start, image_heap)


main(time.ticks_us())
