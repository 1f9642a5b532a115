"""One MicroPython unix-port process running the band, on a pty of its own.

The pty is the child's controlling terminal with ISIG on, so a Ctrl-C byte
written while code runs becomes SIGINT (the only way the unix port sees an
interrupt); at its prompts the port switches the pty to raw itself. The
child reports to the sim through a status pipe and reads button gestures from
another pipe (see bootstrap.py and boards/sim.py).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import platform
import pty
import signal
import subprocess
import sys
import termios
import time
from pathlib import Path

from host_tools.sim.deploy import BOOTSTRAP


def _configure(fd: int) -> None:
    # Raw bytes both ways, except that ISIG turns Ctrl-C into SIGINT. NOFLSH:
    # the interrupt must not throw away bytes queued behind it.
    a = termios.tcgetattr(fd)
    a[0] = 0
    a[1] = 0
    a[2] = (a[2] & ~(termios.CSIZE | termios.PARENB)) | termios.CS8 | termios.CREAD
    a[3] = termios.ISIG | termios.NOFLSH
    cc = a[6]
    for i in range(len(cc)):
        cc[i] = 0  # _POSIX_VDISABLE on Linux
    cc[termios.VINTR] = 3
    cc[termios.VMIN] = 1
    cc[termios.VTIME] = 0
    termios.tcsetattr(fd, termios.TCSANOW, a)


# With a ROM partition (`--romfs`) the child maps its file read-only before MicroPython
# starts and names the mapping in RUNWALK_ROM: VfsRom then runs bytecode in place from
# outside the heap, as a board runs it from memory-mapped flash (bootstrap.py Rom).
_ROM_LAUNCH = """
import ctypes, mmap, os, sys
fd = os.open(sys.argv[1], os.O_RDONLY)
n = os.fstat(fd).st_size
libc = ctypes.CDLL(None, use_errno=True)
libc.mmap.restype = ctypes.c_void_p
libc.mmap.argtypes = (ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_long)
a = libc.mmap(None, n, mmap.PROT_READ, mmap.MAP_SHARED, fd, 0)
if a is None or a == ctypes.c_void_p(-1).value:
    raise OSError(ctypes.get_errno(), "cannot map the ROM partition " + sys.argv[1])
os.environ["RUNWALK_ROM"] = "%d %d" % (a, n)
import micropython_run
sys.exit(micropython_run.run_main(sys.argv[2:]))
"""


# The read() system call's number, to see in /proc/PID/syscall that the port waits for input.
_READ_SYSCALL = {"x86_64": 0, "aarch64": 63, "riscv64": 63, "armv7l": 3, "armv6l": 3, "i686": 3}


def _make_ctty() -> None:
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


def compile_bootstrap(out: Path) -> Path | None:
    """bootstrap.py as bytecode, in a directory of its own, or None without mpy-cross. A
    board compiles nothing at power-on; compiling the 20 KB bootstrap took the port more
    than a 64 KB heap holds (`--heap 64k`)."""
    import subprocess

    from host_tools.errors import RunwalkError
    from host_tools.firmware_files import mpy_cross

    try:
        program = mpy_cross()
    except RunwalkError:
        return None
    out.mkdir(parents=True, exist_ok=True)
    launcher = out / (BOOT_MODULE + ".py")
    launcher.write_text(_LAUNCHER)
    for src, name in ((BOOTSTRAP, POWER_MODULE), (launcher, BOOT_MODULE)):
        r = subprocess.run([program, "-o", str(out / (name + ".mpy")), str(src)], capture_output=True)
        if r.returncode != 0:
            return None
    launcher.unlink()
    return out


BOOT_MODULE = "runwalk_sim_boot"
POWER_MODULE = "runwalk_sim_power"  # bootstrap.py
# bootstrap.py as a module of its own: once its import is over, its boot-only code
# leaves the heap (a module's code keeps all its functions' bytecode while it runs),
# and only then main.py runs, as on a board.
_LAUNCHER = """import sys
import runwalk_sim_power as p
go, h = p.go, p.h
p = None
del sys.modules["runwalk_sim_power"]
import gc
gc.collect()
if go is not None:
    go(h)
"""


def _link(workdir: Path, name: str, target: str) -> str:
    link = workdir / name
    link.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(FileNotFoundError):
        link.unlink()
    link.symlink_to(target)
    return name


def _short_names(params: dict, workdir: Path) -> dict:
    """params with every host path the band opens replaced by a fixed name in workdir (the
    child's directory), linked to the real one. Path strings live on the band's heap (its
    sys.path, its open files, its boot-time JSON): with the host's own paths there the heap
    the firmware is left with would change with where the user keeps the flash image, how
    long the venv's path is, or which pytest run this is, and a workout at a board's
    64 KB edge would load or not with it. With fixed names it is the same on every machine."""
    p = dict(params)
    p["flash"] = _link(workdir, "flash", p["flash"])
    if p.get("trace"):
        p["trace"] = _link(workdir, "trace", p["trace"])
    if p.get("rom"):
        p["rom"] = dict(p["rom"], path=_link(workdir, "rom", p["rom"]["path"]))
    # The child's own fds, opened through /proc/self in the child (the link resolves there).
    p["status_fd"] = _link(workdir, "status", "/proc/self/fd/%d" % p["status_fd"])
    if p.get("button_fd") is not None:
        p["button_fd"] = _link(workdir, "button", "/proc/self/fd/%d" % p["button_fd"])
    if p.get("deploy"):
        p["deploy"] = [(_link(workdir, "fw/%02d" % i, src), dst) for i, (src, dst) in enumerate(p["deploy"])]
    return p


class Child:
    def __init__(self, params: dict, params_path: Path, heap: str | None, boot_dir: Path | None = None) -> None:
        self.master, self.slave = pty.openpty()
        _configure(self.slave)
        # Nobody else opens the band's own terminal (except root): an open flushes the input
        # the band has not read yet, as pyserial does (see hostport's docstring).
        fcntl.ioctl(self.slave, termios.TIOCEXCL)
        self.status_r, status_w = os.pipe()
        button_r, self.button_w = os.pipe()
        params = _short_names(dict(params, status_fd=status_w, button_fd=button_r), params_path.parent)
        # As UTF-8, not \u escapes: MicroPython's json reads an escaped emoji as two lone
        # surrogates, and the band refused a --config named with one.
        params_path.write_text(json.dumps(params, ensure_ascii=False), encoding="utf-8")
        argv = [sys.executable, "-m", "micropython_unix"]
        if params.get("rom"):
            argv = [sys.executable, "-c", _ROM_LAUNCH, params["rom"]["path"], "micropython"]
        if heap:
            argv += ["-X", "heapsize=" + heap]
        env = dict(os.environ, RUNWALK_SIM=params_path.name)  # the child starts in params_path's directory
        if boot_dir is not None:
            # The REPL follows (-i) with globals of its own, as a board's REPL starts empty.
            argv += ["-i", "-m", BOOT_MODULE]
            env["MICROPYPATH"] = os.path.relpath(boot_dir, params_path.parent)
        else:
            argv += ["-i", str(BOOTSTRAP)]
        self.started = time.monotonic()
        self.proc = subprocess.Popen(
            argv,
            stdin=self.slave,
            stdout=self.slave,
            stderr=self.slave,
            pass_fds=(status_w, button_r),
            env=env,
            # A board has no host directory: started in the user's, the port would look for
            # modules there first, and what it found (or the looking) changed the band's heap.
            cwd=str(params_path.parent),
            start_new_session=True,
            preexec_fn=_make_ctty,  # safe: the sim has no threads
        )
        os.close(status_w)
        os.close(button_r)
        for fd in (self.master, self.status_r, self.button_w):
            os.set_blocking(fd, False)
        try:
            self.pidfd: int | None = os.pidfd_open(self.proc.pid)
        except (AttributeError, OSError):
            self.pidfd = None
        self._status_buf = b""
        self.ready = False
        self.kbd_off = False  # the code said micropython.kbd_intr(-1): Ctrl-C is a byte, not an interrupt

    @property
    def pid(self) -> int:
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc.poll() is None

    def raw_tty(self) -> bool:
        """True once the port has switched the pty to raw (no ISIG: a Ctrl-C byte is just a byte)."""
        try:
            return not termios.tcgetattr(self.slave)[3] & termios.ISIG
        except termios.error:
            return False

    def at_prompt(self) -> bool:
        """True while the REPL reads input: the pty is raw and the port waits in read() on stdin.
        Raw alone is not enough: code the raw REPL runs (mpremote exec) keeps the pty raw."""
        return self.raw_tty() and self.reading_stdin()

    def reading_stdin(self) -> bool:
        nr = _READ_SYSCALL.get(platform.machine())
        if nr is None:
            return True  # cannot tell on this machine: the terminal mode decides
        try:
            words = Path(f"/proc/{self.pid}/syscall").read_text().split()
        except OSError:
            return True
        return len(words) > 1 and words[0] == str(nr) and int(words[1], 16) == 0

    def interrupt(self) -> None:
        """Ctrl-C while code runs: through the pty's ISIG if on, else as a signal (the raw REPL's code)."""
        if self.raw_tty():
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGINT)
        else:
            self.write_input(b"\x03")

    def catches_sigint(self) -> bool:
        """True if SIGINT would raise KeyboardInterrupt (outside a prompt the port
        sometimes leaves SIGINT at its default, which would kill the band)."""
        try:
            text = Path(f"/proc/{self.pid}/status").read_text()
        except OSError:
            return False
        for line in text.splitlines():
            if line.startswith("SigCgt:"):
                return bool(int(line.split()[1], 16) & (1 << (signal.SIGINT - 1)))
        return False

    def read_output(self) -> bytes:
        try:
            return os.read(self.master, 65536)
        except (BlockingIOError, OSError):
            return b""

    def write_input(self, data: bytes) -> int:
        try:
            return os.write(self.master, data)
        except (BlockingIOError, OSError):
            return 0

    def read_status(self) -> list[str]:
        """Complete status lines the band sent."""
        try:
            while True:
                chunk = os.read(self.status_r, 65536)
                if not chunk:
                    break
                self._status_buf += chunk
        except (BlockingIOError, OSError):
            pass
        *lines, self._status_buf = self._status_buf.split(b"\n")
        return [x.decode(errors="replace") for x in lines]

    def send_gesture(self, edges: list[tuple[int, bool]]) -> None:
        """A whole gesture in one line, `<ms> d|u` per edge: the band times the edges itself,
        in virtual ms from when it reads the line (boards/sim.py)."""
        line = " ".join("%d %s" % (t, "d" if down else "u") for t, down in edges) + "\n"
        with contextlib.suppress(OSError):
            os.write(self.button_w, line.encode())

    def kill(self) -> None:
        """Power off: SIGKILL, as abrupt as a power cut."""
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()

    def close(self) -> None:
        self.kill()
        for fd in (self.master, self.slave, self.status_r, self.button_w, self.pidfd):
            if fd is not None:
                with contextlib.suppress(OSError):
                    os.close(fd)
