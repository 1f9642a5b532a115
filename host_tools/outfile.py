"""Write an output file the way the runner means it (`logs export -o`, `logs plot -o`, `plan export -o`).

- a new path or a regular file: the whole file or nothing. The bytes go to a new file
  beside it, which is then renamed over it, so a failed write never leaves half a file;
  an existing file keeps its permissions;
- a symlink: the same, at the file it points to (the link stays a link);
- a FIFO, a character device (/dev/stdout, /dev/null, /dev/full) or one of our own
  file descriptors (/dev/fd/N): written straight into, never replaced;
- an existing SQLite file (the session store named by mistake) is never written over;
- any failed write (a full disk, a reader that went away) is one RunwalkError, so the
  command says what went wrong and exits non-zero instead of "Wrote".
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import sys
import tempfile
from pathlib import Path

from host_tools.errors import RunwalkError


def _fail(path: str, e: OSError) -> RunwalkError:
    folder = os.path.dirname(os.path.abspath(path))
    if e.errno == errno.EPIPE:
        why = "its reader went away before all was written"
    elif e.errno == errno.ENOENT and not os.path.isdir(folder):  # (a typo in it, or not made yet)
        why = "there is no folder %s (make it first, or give another)" % os.path.dirname(path)
    else:
        why = e.strerror or str(e)
    return RunwalkError("cannot write %s: %s" % (path, why))


def _straight(path: str, data: bytes) -> None:
    """Into a FIFO or a device as it is: no temporary file, no rename, nothing created."""
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_NOCTTY)
    try:
        view = memoryview(data)
        while view:
            n = os.write(fd, view)
            view = view[n:]
    finally:
        os.close(fd)


def _replace(target: str, data: bytes, mode: int | None) -> None:
    """A new file beside target, complete on the disk, then renamed over it."""
    where = Path(target)
    fd, tmp = tempfile.mkstemp(dir=str(where.parent), prefix=".runwalk-", suffix=where.suffix)
    try:
        if mode is None:  # what a new file gets (mkstemp makes it 0600)
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())  # a full disk shows here, before the old file is replaced
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


# Our own file descriptors by name: /dev/stdout, /dev/fd/1, /proc/self/fd/1.
_OWN_FD = re.compile(r"/(?:dev/(?:std(?:in|out|err)|fd/\d+)|proc/(?:self|thread-self|\d+)/fd/\d+)")


def _own_descriptor(path: str) -> bool:
    """True if path, or a symlink it leads through, names one of our open descriptors: written
    straight into, a `>> log` redirection appends (a rename would put a new file in its place)."""
    p = os.path.abspath(path)
    for _ in range(40):  # the kernel's own limit on a symlink chain
        if _OWN_FD.fullmatch(p):
            return True
        if not os.path.islink(p):
            return False
        p = os.path.normpath(os.path.join(os.path.dirname(p), os.readlink(p)))
    return False


def _is_database(path: str) -> bool:
    try:
        with open(path, "rb") as f:
            return f.read(16) == b"SQLite format 3\x00"
    except OSError:
        return False  # unreadable: the write says why


def write(path: str, data: bytes) -> bool:
    """Write data to path (see the module's notes); a RunwalkError if it did not all arrive.

    True if it is a file now; False for a stream (a FIFO, /dev/stdout), where a "Wrote ..." line
    would only get in the way (it could land in the same stream)."""
    try:
        try:
            st: os.stat_result | None = os.stat(path)  # through symlinks: what the bytes would go into
        except FileNotFoundError:
            st = None  # a new file, or a symlink to one
        if st is not None and stat.S_ISDIR(st.st_mode):
            raise RunwalkError("%s is a directory; give a file name" % path)
        if st is not None and stat.S_ISREG(st.st_mode) and _is_database(path):
            # The session store named by mistake (names swapped in a script, a link to it): an
            # export written over it would lose every stored session.
            raise RunwalkError("%s is a database (the session store, or another SQLite file); runwalk writes "
                               "nothing over one: give another file name" % path)
        if st is not None and (not stat.S_ISREG(st.st_mode) or _own_descriptor(path)):
            # A FIFO, a device, or our own descriptor (/dev/stdout redirected to a file).
            _straight(path, data)
            return False
        _replace(os.path.realpath(path), data, None if st is None else stat.S_IMODE(st.st_mode))
        return True
    except OSError as e:
        raise _fail(path, e) from None


def to_stdout(data: bytes, binary: str | None = None) -> None:
    """`-o -`: the bytes on standard output. A reader that left early (`| head`) ends the command
    quietly, as for any output (runwalk.commands.cli); any other failed write is a RunwalkError.

    binary: a file name to suggest (`run.fit`) when the bytes are no text: they are refused on a
    terminal, which they would fill with noise and escape sequences that can leave it garbled."""
    if binary is not None and sys.stdout.isatty():
        raise RunwalkError("%s is binary: it is not written to a terminal; give -o a file name (e.g. -o %s), "
                           "or send - to a file or a pipe" % (Path(binary).suffix.lstrip(".").upper(), binary))
    try:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as e:
        raise _fail("standard output", e) from None
