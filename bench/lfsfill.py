"""How many copies of a file a 64 KB littlefs takes: `python -m bench.lfsfill FILE` prints the count.

Runs in its own process: littlefs-python aborts the interpreter (a C assertion) when a
file whose close failed for lack of space is finalised, so the child leaves with
os._exit before anything is finalised.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from littlefs import LittleFS, LittleFSError

from host_tools.sim import flash

_KEEP: list[object] = []  # open file objects: never finalised before os._exit


def fill(data: bytes, size: int = 65536) -> int:
    # cache_size as MicroPython's VfsLfs2 sets it (4 x max(read, prog)): it bounds inline files.
    fs = LittleFS(block_size=flash.BLOCK_SIZE, block_count=size // flash.BLOCK_SIZE, read_size=flash.READ_SIZE,
                  prog_size=flash.PROG_SIZE, lookahead_size=flash.LOOKAHEAD,
                  cache_size=4 * max(flash.READ_SIZE, flash.PROG_SIZE))
    _KEEP.append(fs)
    fs.mkdir("logs")
    n = 0
    while True:
        try:
            f = fs.open("logs/%06d.rwl" % (n + 1), "wb")
            _KEEP.append(f)
            f.write(data)
            f.close()
        except LittleFSError:
            return n
        n += 1


if __name__ == "__main__":
    print(fill(Path(sys.argv[1]).read_bytes()), flush=True)
    os._exit(0)
