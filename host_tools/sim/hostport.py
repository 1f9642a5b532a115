"""The band's USB port as the host sees it: a pty, optionally behind a `--link`
symlink. Output waits here for a host that reads slowly (and is dropped when
nobody reads, as a board's USB drops it); input waits here until the band reads
(repl.InputGate)."""

from __future__ import annotations

import contextlib
import os
import pty
import re
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


def sim_serving(tty_path: str) -> int | None:
    """The pid of a runwalk sim that holds the master side of this pty, if any (Linux /proc)."""
    m = re.fullmatch(r"/dev/pts/(\d+)", tty_path)
    if m is None:
        return None
    want = "tty-index:\t" + m.group(1) + "\n"
    for pid_dir in Path("/proc").glob("[0-9]*"):
        try:
            args = (pid_dir / "cmdline").read_bytes().split(b"\0")
            if b"sim" not in args or not any(a.endswith(b"runwalk") or b"host_tools" in a for a in args):
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


class HostPort:
    def __init__(self, link: Path | None) -> None:
        self.link = link
        self.link_made = False
        self.fd = -1  # the master side: what the sim reads and writes
        self.slave = -1
        self.tty_name = ""
        self.out = bytearray()
        self.out_stuck_since: float | None = None
        self.gate = InputGate()
        self.interrupted = False  # the host sent Ctrl-C to the running band

    def open(self) -> None:
        self.fd, self.slave = pty.openpty()
        tty.setraw(self.slave)
        os.set_blocking(self.fd, False)
        self.tty_name = os.ttyname(self.slave)
        link = self.link
        if link is None:
            return
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
            link.symlink_to(self.tty_name)
        except OSError as e:
            raise RunwalkError(path_failed("cannot create link", link, "--link", e)) from None
        self.link_made = True

    def close(self) -> None:
        if self.link_made and self.link is not None:
            with contextlib.suppress(OSError):
                if os.readlink(self.link) == self.tty_name:
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
