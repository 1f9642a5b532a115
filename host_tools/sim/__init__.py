"""The virtual wristband (`runwalk sim`, design 4.4).

The real firmware runs in the real MicroPython unix port, on the `boards/sim.py`
board, with a littlefs2 image file as its flash, behind a pty that the
unmodified `mpremote` talks to as it would to a board.

Modules: `flash` (the image), `deploy` (what a blank image receives),
`bootstrap` (the MicroPython side: mounts the image, runs main.py),
`child` (one MicroPython process on its own pty), `lifecycle` (that process
across resets), `repl` (what a board does around its REPL: Ctrl-C, soft and
hard reset), `hostport` (the pty the host talks to), `buttons` (keys and
`--button-fifo`), `supervisor` (the sim process and its select loop).
"""

from __future__ import annotations

import errno
from pathlib import Path


def path_failed(what: str, path: Path, option: str, e: OSError, making: bool = True) -> str:
    """One line for a file the sim could not make (or read), saying what to do about it."""
    path = Path(path)
    if e.errno == errno.ENOENT and making and not path.parent.is_dir():
        return f"{what} {path}: directory {path.parent} does not exist: create it, or give {option} another path"
    if e.errno == errno.ENOENT:
        todo = f"check the {option} path"
    elif e.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        todo = f"give {option} a path you may {'write' if making else 'read'}"
    else:
        todo = f"give {option} another path"
    return f"{what} {path}: {e.strerror}: {todo}"
