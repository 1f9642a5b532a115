"""The band's USB port as the host sees it: a pty, optionally behind a `--link`
symlink. Output waits here for a host that reads slowly (and is dropped when
nobody reads, as a board's USB drops it); input waits here until the band reads
(repl.InputGate).

The link names the pty through the sim's own /proc entry (`/proc/PID/fd/N`), not
as /dev/pts/K: a sim killed with -9 cannot remove its link, and the kernel gives
pty number K to the next pty opened anywhere, often another sim's port or its
MicroPython child's terminal. A host that opened the dead band's link then talked
to that other band, and opening a child's terminal throws away the input it has
not read yet (pyserial flushes it): bytes went missing from another host's
`mpremote exec` (CI: `ValueError: incorrect padding` in bench.pull.seed while the
power-cut campaign's host commands opened the links of bands it had just cut).
Through /proc the link dies with the sim, as a board's port goes when it is
unplugged. N is drawn at random so that a pid reused later does not name
another sim's port either."""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import random
import re
import resource
import struct
import termios
import time
import tty
from pathlib import Path

from host_tools.errors import RunwalkError
from host_tools.sim import path_failed
from host_tools.sim.repl import CTRL_C, InputGate

IN_LIMIT = 1 << 18  # host bytes held for a band that does not read; more are dropped (Ctrl-C excepted)
OUT_LIMIT = 1 << 16  # bytes queued for a host that does not read before the band stops printing
STALE_S = 2.0  # output nobody read for this long is dropped, as a USB port with no host would
# A hard reset hangs up a host that had the port open then and still has it this much later (a
# board's USB device goes). Not at once: `mpremote reset` and `exec --no-follow` close the port
# right after the reset (a board is still re-enumerating then), which takes a loaded host a while.
UNPLUG_S = 1.0


def _is_sim(pid_dir: Path) -> bool:
    args = (pid_dir / "cmdline").read_bytes().split(b"\0")
    return b"sim" in args and any(a.endswith(b"runwalk") or b"host_tools" in a for a in args)


def sim_serving(target: str) -> int | None:
    """The pid of a runwalk sim whose port a link target names, if any (Linux /proc): a
    `/proc/PID/fd/N` of a live sim, or a /dev/pts/K (links made by older sims) whose
    master side a sim holds."""
    m = re.fullmatch(r"/proc/(\d+)/fd/\d+", target)
    if m is not None:
        try:
            return int(m.group(1)) if os.path.exists(target) and _is_sim(Path("/proc", m.group(1))) else None
        except OSError:
            return None
    m = re.fullmatch(r"/dev/pts/(\d+)", target)
    if m is None:
        return None
    want = "tty-index:\t" + m.group(1) + "\n"
    for pid_dir in Path("/proc").glob("[0-9]*"):
        try:
            if not _is_sim(pid_dir):
                continue
            for fd in os.listdir(pid_dir / "fdinfo"):
                if want in (pid_dir / "fdinfo" / fd).read_text():
                    return int(pid_dir.name)
        except OSError:
            continue
    return None


def names_link(pid: int, link: Path) -> bool:
    """True if runwalk sim `pid` was started with --link naming this path (Linux /proc). A sim
    that serves the pty a link names without having made it (a killed sim's pty number, reused)
    does not own that link."""
    try:
        args = [a.decode(errors="replace") for a in Path("/proc/%d/cmdline" % pid).read_bytes().split(b"\0")]
        cwd = os.readlink("/proc/%d/cwd" % pid)
    except OSError:
        return True  # cannot tell: keep the link, as before
    want = os.path.abspath(link)
    for i, a in enumerate(args):
        value = args[i + 1] if a == "--link" and i + 1 < len(args) else a[7:] if a.startswith("--link=") else None
        if value is not None and os.path.abspath(os.path.join(cwd, value)) == want:
            return True
    return False


def _random_fd(fd: int) -> int:
    """fd moved to a free descriptor number drawn at random (see the module's docstring)."""
    high = min(resource.getrlimit(resource.RLIMIT_NOFILE)[0], 4096) - 1  # above the few the sim opens
    for _ in range(50 if high > 100 else 0):
        n = random.randint(100, high)
        try:
            os.fstat(n)  # taken
        except OSError:
            os.dup2(fd, n, inheritable=False)
            os.close(fd)
            return n
    return fd


class HostPort:
    def __init__(self, link: Path | None) -> None:
        self.link = link
        self.link_made = False
        self.fd = -1  # the master side: what the sim reads and writes
        self.slave = -1
        self.tty_name = ""
        self.target = ""  # what the link names: the slave through this process's /proc entry
        self.out = bytearray()
        self.out_stuck_since: float | None = None
        self.gate = InputGate()
        self.interrupted = False  # the host sent Ctrl-C to the running band
        self.unplug_at: float | None = None  # a hard reset: when the port goes (poll_unplug)
        self.holders: set[int] = set()  # the processes that had the port open at that reset

    def open(self) -> None:
        self.fd, self.slave = pty.openpty()
        tty.setraw(self.slave)
        os.set_blocking(self.fd, False)
        self.tty_name = os.ttyname(self.slave)
        link = self.link
        if link is None:
            return
        if os.path.isdir("/proc/self/fd"):
            self.slave = _random_fd(self.slave)
            self.target = "/proc/%d/fd/%d" % (os.getpid(), self.slave)
        else:  # macOS: no /proc, so the tty's own name (a killed sim's link may outlive it there)
            self.target = self.tty_name
        if link.is_symlink():
            target = os.readlink(link)
            pid = sim_serving(target)
            # A killed sim's stale link may name a pty number reused since: by this sim's own
            # new pty, or by another sim with a link of its own. Only the sim the link is for
            # keeps it.
            if pid is not None and pid != os.getpid() and names_link(pid, link):
                # Taking the link would hide that band (a stale link, whose pty now serves
                # something else, is replaced).
                raise RunwalkError(f"{link} is the port of a band still running ({target}, runwalk sim pid {pid}): "
                                   "stop that sim, or choose another --link path")
            link.unlink()
        elif link.exists():
            raise RunwalkError(f"{link} exists and is not a link: choose another --link path")
        try:
            link.symlink_to(self.target)
        except OSError as e:
            raise RunwalkError(path_failed("cannot create link", link, "--link", e)) from None
        self.link_made = True

    def unplug(self) -> None:
        """A hard reset: the band's USB device goes, as a board's does. A host that has the port
        open now (the one that reset the band, a terminal) is hung up UNPLUG_S later unless it
        let go by then; a host that opens the port after the reset keeps it."""
        self.unplug_at = None
        self.holders = self._holders() if self.fd >= 0 else set()
        if self.holders:
            self.unplug_at = time.monotonic() + UNPLUG_S

    def poll_unplug(self) -> bool:
        """Hang up a host still on the port once it is due; True if the port is a new pty."""
        now = time.monotonic()
        if self.unplug_at is None or now < self.unplug_at:
            return False
        if (self.out or self._unread() > 0) and now < self.unplug_at + STALE_S:
            return False  # the host reads what the band said first
        self.unplug_at = None
        if not self._holders() & self.holders:
            return False  # it let go: nobody sees the port go
        self.replug()
        return True

    def _unread(self) -> int:
        """Bytes the band sent that the host has not read yet."""
        try:
            return struct.unpack("i", fcntl.ioctl(self.slave, termios.FIONREAD, b"\0" * 4))[0]
        except OSError:
            return 0

    def _holders(self) -> set[int]:
        """The other processes that have the port open (Linux /proc: tens of ms, twice per hard
        reset at most)."""
        me = str(os.getpid())
        found = set()
        for pid_dir in Path("/proc").glob("[0-9]*"):
            if pid_dir.name == me:
                continue
            try:
                if any(os.readlink(fd.path) == self.tty_name for fd in os.scandir(pid_dir / "fd")):
                    found.add(int(pid_dir.name))
            except OSError:
                continue
        return found

    def replug(self) -> None:
        """The band's USB device goes away and comes back, as a board's does at a hard reset:
        every host that had the port open is hung up (its reads see an unplugged board, and
        `mpremote exec "machine.reset()"` says so instead of waiting forever) and the port is
        a new pty, which the link names from now on."""
        os.close(self.fd)  # the kernel hangs up the slave side: every host's open port
        self.out.clear()
        self.out_stuck_since = None
        fd, slave = pty.openpty()
        tty.setraw(slave)
        os.set_blocking(fd, False)
        self.fd = fd
        if self.link_made:
            os.dup2(slave, self.slave, inheritable=False)  # the same /proc/PID/fd/N: the link stays
            os.close(slave)
        else:
            os.close(self.slave)
            self.slave = slave
        self.tty_name = os.ttyname(self.slave)

    def close(self) -> None:
        if self.link_made and self.link is not None:
            with contextlib.suppress(OSError):
                if os.readlink(self.link) == self.target:
                    self.link.unlink()
        for fd in (self.fd, self.slave):
            if fd >= 0:
                with contextlib.suppress(OSError):
                    os.close(fd)

    def where(self) -> str:
        return str(self.link) + " -> " + self.tty_name if self.link else self.tty_name

    def new_band(self) -> None:
        """A new MicroPython process: what the host sent the last one is gone with it."""
        self.gate.clear()
        self.interrupted = False

    # -- band -> host ------------------------------------------------------------------

    def send(self, data: bytes) -> None:
        if data:
            self.out += data
        self.flush()

    def can_take_more(self) -> bool:
        return len(self.out) < OUT_LIMIT

    def flush(self) -> None:
        moved = False
        while self.out:
            try:
                n = os.write(self.fd, self.out)
            except OSError:  # BlockingIOError included
                n = 0
            del self.out[:n]
            if n == 0:
                break
            moved = True
        now = time.monotonic()
        if not self.out:
            self.out_stuck_since = None
        elif self.out_stuck_since is None or moved:
            # Stuck means nobody reads; a host that reads slower than the band prints loses nothing.
            self.out_stuck_since = now
        elif now - self.out_stuck_since > STALE_S:
            # Nobody reads the port: drop what waits there, as a board's USB does.
            termios.tcflush(self.slave, termios.TCIFLUSH)
            self.out_stuck_since = now

    # -- host -> band ------------------------------------------------------------------

    def read(self) -> None:
        """Take what the host wrote (the port was readable)."""
        try:
            data = os.read(self.fd, 65536)
        except OSError:
            data = b""
        if not data:
            return
        if CTRL_C in data:
            self.interrupted = True
        if len(self.gate.held) + len(data) > IN_LIMIT:
            # Nothing reads (the app runs) and the host floods: keep only its Ctrl-Cs, so memory
            # stays bounded and the REPL does not chew through megabytes once it is back.
            data = bytes(data.count(CTRL_C) * [CTRL_C])
        self.gate.push(data)
