"""A virtual wristband for the reliability tests: one `runwalk sim` on a pty link,
its trace, its flash read from outside, and the unmodified mpremote and runwalk
commands pointed at it."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from host_tools.sim import flash

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # the torture package (the power-cut campaign) lives at the top
BIN = Path(sys.executable).parent
RUNWALK = str(BIN / "runwalk")
MPREMOTE = str(BIN / "mpremote")


class Band:
    def __init__(self, tmp: Path, size: str | None = None, battery: bool = False) -> None:
        self.tmp = tmp
        self.image = tmp / "band.img"
        self.link = tmp / "band"
        self.fifo = tmp / "button"
        self.trace = tmp / "trace.jsonl"
        self.size = size
        self.battery = battery
        self.proc: subprocess.Popen[bytes] | None = None

    # -- life cycle ----------------------------------------------------------------------

    def start(self, speed: int = 20, extra: tuple[str, ...] = ()) -> Band:
        with contextlib.suppress(FileNotFoundError):
            self.link.unlink()
        args = [RUNWALK, "sim", "--flash", str(self.image), "--link", str(self.link), "--speed", str(speed),
                "--button-fifo", str(self.fifo), "--no-keys", "--trace", str(self.trace), "-q", *extra]
        if self.size and not self.image.exists():
            args += ["--flash-size", self.size]
        if self.battery:
            args.append("--battery")
        with contextlib.suppress(FileNotFoundError):
            self.trace.unlink()  # one trace per power-on (the sim starts it afresh anyway)
        self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE, start_new_session=True)
        deadline = time.monotonic() + 30
        while not (self.link.exists() and self.fifo.exists()):
            assert self.proc.poll() is None, self.proc.stderr.read().decode() if self.proc.stderr else ""
            assert time.monotonic() < deadline, "the sim did not come up"
            time.sleep(0.02)
        self.wait_for(lambda e: e["ev"] == "ready")
        return self

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()
        if self.proc is not None and self.proc.stderr is not None:
            self.proc.stderr.close()
        self.proc = None

    def kill(self) -> None:
        """Power cut: SIGKILL the band's processes and the sim."""
        from torture.campaign import power_off

        if self.proc is not None:
            power_off(self.proc)
            if self.proc.stderr is not None:
                self.proc.stderr.close()
        self.proc = None

    # -- what the band did ------------------------------------------------------------------

    def events(self) -> list[dict]:
        out = []
        with contextlib.suppress(OSError):
            for line in self.trace.read_text(errors="replace").splitlines():
                with contextlib.suppress(ValueError):
                    out.append(json.loads(line))
        return out

    def wait_for(self, pred: Callable[[dict], bool], after: int = 0, timeout: float = 30) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for e in self.events()[after:]:
                if pred(e):
                    return e
            time.sleep(0.02)
        raise AssertionError("the band never did that; trace tail: %s" % self.events()[-8:])

    def press(self, what: str) -> None:
        with open(self.fifo, "w") as f:
            f.write(what + "\n")

    def files(self) -> dict[str, bytes]:
        from torture.campaign import snapshot

        return snapshot(self.image)

    # -- host commands -----------------------------------------------------------------------

    def runwalk(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        return subprocess.run([RUNWALK, *args], capture_output=True, text=True, timeout=timeout,
                              env=dict(os.environ, RUNWALK_PORT=str(self.link)))

    def mpremote(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        return subprocess.run([MPREMOTE, "connect", str(self.link), *args], capture_output=True, text=True,
                              timeout=timeout)


def all_files(image: Path) -> dict[str, bytes]:
    """Every file on a flash image, by path."""
    fs = flash.open_image(image)
    out = {}
    for root, _dirs, files in fs.walk("/"):
        for n in files:
            p = root.rstrip("/") + "/" + n
            with fs.open(p, "rb") as f:
                out[p.lstrip("/")] = f.read()
    return out


def make_image(image: Path, size: int, files: dict[str, bytes]) -> None:
    """A formatted littlefs image holding these files (as a flash programmer would write it)."""
    from littlefs import LittleFS, UserContext

    raw = bytearray(b"\xff" * size)
    fs = LittleFS(context=UserContext(buffer=raw), block_size=flash.BLOCK_SIZE, block_count=size // flash.BLOCK_SIZE,
                  read_size=flash.READ_SIZE, prog_size=flash.PROG_SIZE, lookahead_size=flash.LOOKAHEAD)
    for p, data in sorted(files.items()):
        if "/" in p:
            fs.makedirs(p.rsplit("/", 1)[0], exist_ok=True)
        with fs.open(p, "wb") as f:
            f.write(data)
    fs.unmount()
    image.write_bytes(bytes(fs.context.buffer))


def kill_group(proc: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
