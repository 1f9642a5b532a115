"""Drive the virtual wristband from tests: real `runwalk sim` processes, the
unmodified `mpremote` command, the trace, and the flash image read from outside.

    band = SimBand(tmp_path).start()          # interactive, on tmp_path/band
    band.mpremote("fs", "ls", ":")
    band.push_config({...})                   # mpremote fs cp + reset
    band.press("click")                       # through --button-fifo
    band.wait_event("segment")
    band.wait_for(lambda e: e["ev"] == "cue", after=mark)
    band.runwalk("logs", "pull", ...)         # the runwalk command on this band's port
    band.power_cut()                          # SIGKILL: the image keeps what reached it
    band.read_file("logs/000001.rwl"), band.files()

    run = run_headless(image, "0 down\\n100 up\\n", trace=tmp_path / "t.jsonl")
    run.returncode, run.events
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from host_tools.sim import flash

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # the torture package (the power-cut campaign) lives at the top
BOOT_S = 60  # a band's start on a loaded 2-core machine running tests in parallel
BIN = Path(sys.executable).parent
RUNWALK = str(BIN / "runwalk")
MPREMOTE = str(BIN / "mpremote")


def read_trace(path: Path) -> list[dict[str, Any]]:
    """Every complete event of a trace file."""
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return []
    out = []
    for line in text.split("\n"):  # not splitlines(): a label may hold U+2028
        with contextlib.suppress(ValueError):
            out.append(json.loads(line))
    return out


def script_text(edges: list[tuple[int, str]]) -> str:
    return "".join(f"{t} {e}\n" for t, e in edges)


def click(t: int, hold: int = 100) -> list[tuple[int, str]]:
    return [(t, "down"), (t + hold, "up")]


def long_press(t: int, hold: int = 2000) -> list[tuple[int, str]]:
    return [(t, "down"), (t + hold, "up")]


@dataclass
class Headless:
    returncode: int
    events: list[dict[str, Any]]
    stdout: str
    stderr: str
    seconds: float

    def of(self, ev: str) -> list[dict[str, Any]]:
        return [e for e in self.events if e["ev"] == ev]


def run_headless(
    image: Path,
    script: str | list[tuple[int, str]] = "",
    trace: Path | None = None,
    extra: tuple[str, ...] = (),
    timeout: float = 120,
    config: dict[str, Any] | str | None = None,
) -> Headless:
    """`runwalk sim --until-idle` on image with this script; returns the trace.

    config: written as the band's config.json before power-on (`--config`)."""
    image = Path(image)
    if isinstance(script, list):
        script = script_text(script)
    trace = trace or image.with_suffix(".trace.jsonl")
    sfile = image.with_suffix(".script")
    sfile.write_text(script)
    args = [RUNWALK, "sim", "--flash", str(image), "--script", str(sfile), "--trace", str(trace)]
    if config is not None:
        cfile = image.with_suffix(".config.json")
        cfile.write_text(config if isinstance(config, str) else json.dumps(config))
        args += ["--config", str(cfile)]
    args += ["--until-idle", "-q", *extra]
    t = time.monotonic()
    p = subprocess.run(args, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)
    return Headless(p.returncode, read_trace(trace), p.stdout, p.stderr, time.monotonic() - t)


@dataclass
class SimBand:
    """One interactive `runwalk sim` on a link in a test's tmp dir."""

    tmp: Path
    name: str = "band"
    speed: float = 1.0
    battery: bool = False
    flash_size: str | None = None
    extra: tuple[str, ...] = ()
    proc: subprocess.Popen[str] | None = field(default=None, init=False)
    err: str = field(default="", init=False)  # what the sim said on stderr so far (wait_stderr)

    @property
    def image(self) -> Path:
        return self.tmp / (self.name + ".img")

    @property
    def link(self) -> Path:
        return self.tmp / self.name

    @property
    def port(self) -> str:
        return str(self.link)

    @property
    def trace(self) -> Path:
        return self.tmp / (self.name + ".trace.jsonl")

    @property
    def fifo(self) -> Path:
        return self.tmp / (self.name + ".button")

    # -- life cycle --------------------------------------------------------------------

    def start(self, wait: bool = True, extra: tuple[str, ...] = ()) -> SimBand:
        """Power the band on; wait until the firmware is up (its `ready` event)."""
        args = [RUNWALK, "sim", "--flash", str(self.image), "--link", self.port, "--trace", str(self.trace)]
        args += ["--speed", str(self.speed), "--button-fifo", str(self.fifo), "--no-keys", "-q"]
        if self.battery:
            args.append("--battery")
        if self.flash_size and not self.image.exists():
            args += ["--flash-size", self.flash_size]
        args += [*self.extra, *extra]
        with contextlib.suppress(FileNotFoundError):
            self.trace.unlink()  # a new sim starts a new trace: never wait on the last one's events
        self.err = ""
        self.proc = subprocess.Popen(
            args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            start_new_session=True,
        )
        if wait:
            try:
                self.wait_event("ready", timeout=BOOT_S)
            except BaseException:
                self.stop()
                raise
        return self

    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self, timeout: float = 10) -> int:
        """Switch the band off (SIGTERM: the sim cuts the child's power and removes the link)."""
        p = self.proc
        if p is None:
            return 0
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(timeout)
            except subprocess.TimeoutExpired:
                self.power_cut()
        self._close()
        return p.returncode

    def kill(self) -> None:
        """Power cut (as power_cut)."""
        self.power_cut()

    def power_cut(self) -> None:
        """SIGKILL the sim and its MicroPython child at once: the image keeps what reached it."""
        p = self.proc
        if p is None:
            return
        kids = _children(p.pid)
        for pid in [*kids, p.pid]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        p.wait()
        for pid in kids:
            _wait_gone(pid)
        with contextlib.suppress(OSError):
            self.link.unlink()
        self._close()

    def _close(self) -> None:
        p = self.proc
        if p is not None:
            for s in (p.stdout, p.stderr):
                if s is not None:
                    s.close()

    def __enter__(self) -> SimBand:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.running():
            self.stop()

    # -- talking to it --------------------------------------------------------------------

    def mpremote(self, *args: str, check: bool = True, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        """The unmodified mpremote CLI on this band (default options: it soft-resets first)."""
        p = subprocess.run(
            [MPREMOTE, "connect", self.port, *args], capture_output=True, text=True, timeout=timeout,
            stdin=subprocess.DEVNULL,
        )
        if check and p.returncode != 0:
            raise AssertionError(f"mpremote {' '.join(args)} failed ({p.returncode}): {p.stdout}{p.stderr}")
        return p

    def exec(self, code: str) -> str:
        return self.mpremote("exec", code).stdout

    def runwalk(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        """The runwalk command on this band's port (through $RUNWALK_PORT)."""
        return subprocess.run([RUNWALK, *args], capture_output=True, text=True, timeout=timeout,
                              stdin=subprocess.DEVNULL, env=dict(os.environ, RUNWALK_PORT=self.port))

    def push_config(self, cfg: dict[str, Any] | str) -> None:
        """Copy a config.json with `mpremote fs cp`, then hard-reset so the app loads it."""
        text = cfg if isinstance(cfg, str) else json.dumps(cfg)
        src = self.tmp / (self.name + ".config.json")
        src.write_text(text)
        mark = len(self.events())
        self.mpremote("fs", "cp", str(src), ":config.json")
        self.mpremote("reset")
        self.wait_event("ready", since=mark, timeout=BOOT_S)

    def press(self, gesture: str) -> None:
        """click, double, long, down or up, through the sim's --button-fifo."""
        fd = os.open(self.fifo, os.O_WRONLY | os.O_NONBLOCK)
        try:
            os.write(fd, (gesture + "\n").encode())
        finally:
            os.close(fd)

    def app_running(self) -> bool:
        """The band's app runs: its last start-up said ready, and nothing stopped it since
        (a host's Ctrl-C is `interrupted`, a reset a new `boot`)."""
        marks = [e["ev"] for e in self.events() if e["ev"] in ("boot", "ready", "interrupted")]
        return bool(marks) and marks[-1] == "ready"

    def start_session(self, timeout: float = 30) -> dict[str, Any]:
        """Click until the workout starts; its `session` start event.

        A click can reach the band when it must not start anything, and the trace says so:
        before its app runs again after a host command (no `ready` yet), or within the 3 s
        after a session ended (the band takes it for the end of that one). The first is
        waited out; the second pressed again, which lands later in the band's time."""
        end = time.monotonic() + timeout
        while True:
            self.wait_until(lambda _: self.app_running(), 0, max(0.1, end - time.monotonic()), "start its app")
            mark = len(self.events())
            self.press("click")
            # The band starts the session (or, within the end's guard, does not) in the step that
            # takes the click, before it sleeps again: the first of the two after the click says
            # which. (Not reckoned from the end event's time: the band times its guard from the
            # end's own tick, a few ms earlier, and a click on the edge read as guarded was pressed
            # again, pausing the session it had started.)
            # (index + 1: 0 would read as "not yet")
            at = self.wait_until(lambda evs: next((i + 1 for i, e in enumerate(evs)
                                                   if e["ev"] == "gesture" and e["name"] == "click"), None),
                                 mark, max(0.1, end - time.monotonic()), "take the click")
            got = self.wait_for(lambda e: (e["ev"] == "session" and e["what"] == "start") or e["ev"] == "sleep",
                                mark + at, max(0.1, end - time.monotonic()))
            if got["ev"] == "sleep":
                continue  # the end's guard took it: press again
            # The band notes the start as the start cue begins, and writes the log's header
            # right after: a test that reads the image at once could find none (or half) of it.
            seq = got["seq"]

            def recorded(evs: list[dict[str, Any]], seq: int = seq) -> bool:
                return self.header_on_flash(seq) or any(
                    e["ev"] in ("full", "log_error") or (e["ev"] == "session" and e.get("reason") == "unrecorded")
                    for e in evs)

            self.wait_until(recorded, mark, max(0.1, end - time.monotonic()), "write the session's header")
            return got

    def header_on_flash(self, seq: int) -> bool:
        """True once session seq's log on the image holds its whole header."""
        from runwalk import logread

        try:
            name = next((n for n in self.list_dir("logs") if n.startswith("%06d." % seq)), None)
            return name is not None and logread.decode(self.read_file("logs/" + name))["header"] is not None
        except Exception:  # noqa: BLE001 - an image caught mid-write reads as not yet
            return False

    # -- what it did ------------------------------------------------------------------------

    def events(self, ev: str | None = None, since: int = 0) -> list[dict[str, Any]]:
        evs = read_trace(self.trace)[since:]
        return evs if ev is None else [e for e in evs if e["ev"] == ev]

    def wait_event(self, ev: str, since: int = 0, timeout: float = 10, **match: Any) -> dict[str, Any]:
        """The first event `ev` (with these field values) at or after index `since`."""
        end = time.monotonic() + timeout
        while True:
            for e in self.events(ev, since):
                if all(e.get(k) == v for k, v in match.items()):
                    return e
            if not self.running():
                raise AssertionError(f"the sim exited ({self.proc.returncode if self.proc else None}): {self.stderr()}")
            if time.monotonic() > end:
                last = "\n".join(json.dumps(e) for e in self.events()[-8:])
                raise AssertionError(f"no {ev} {match or ''} event within {timeout} s; the trace ends:\n{last}")
            time.sleep(0.02)

    def wait_until(self, cond: Callable[[list[dict[str, Any]]], Any], since: int = 0, timeout: float = 30,
                   what: str = "that") -> Any:
        """cond's first true answer on the events at or after index `since`, as the trace grows."""
        end = time.monotonic() + timeout
        while True:
            got = cond(self.events(since=since))
            if got:
                return got
            if not self.running():
                raise AssertionError(f"the sim exited ({self.proc.returncode if self.proc else None}): {self.stderr()}")
            if time.monotonic() > end:
                raise AssertionError(f"the band never did {what} within {timeout} s; the trace ends:\n"
                                     + "\n".join(json.dumps(e) for e in self.events()[-8:]))
            time.sleep(0.02)

    def wait_for(self, pred: Callable[[dict[str, Any]], bool], after: int = 0, timeout: float = 30) -> dict[str, Any]:
        """The first event at or after index `after` for which pred is true."""
        return self.wait_until(lambda evs: next((e for e in evs if pred(e)), None), after, timeout)

    def wait_events(
        self, ev: str, count: int, since: int = 0, timeout: float = 30, **match: Any
    ) -> list[dict[str, Any]]:
        """The first `count` events `ev` (with these field values) at or after index `since`."""

        def found(evs: list[dict[str, Any]]) -> list[dict[str, Any]] | None:
            hits = [e for e in evs if e["ev"] == ev and all(e.get(k) == v for k, v in match.items())]
            return hits[:count] if len(hits) >= count else None

        return self.wait_until(found, since, timeout, f"{count} {ev} {match or ''} events")

    def stderr(self) -> str:
        """What the sim has said on stderr so far (without waiting)."""
        p = self.proc
        if p is not None and p.stderr is not None and not p.stderr.closed:
            fd = p.stderr.fileno()
            while select.select([fd], [], [], 0)[0]:
                chunk = os.read(fd, 65536)
                if not chunk:
                    break
                self.err += chunk.decode(errors="replace")
        return self.err

    def wait_stderr(self, text: str, timeout: float = 20) -> str:
        """The first line the sim wrote on stderr holding text."""
        end = time.monotonic() + timeout
        while True:
            for line in self.stderr().splitlines():
                if text in line:
                    return line
            if time.monotonic() > end:
                raise AssertionError(f"the sim never said {text!r} on stderr; it said: {self.err!r}")
            time.sleep(0.02)

    def files(self) -> dict[str, bytes]:
        """config files and logs/* on the flash, as littlefs presents them (also after a power cut)."""
        from torture.campaign import snapshot

        return snapshot(self.image)

    def read_file(self, name: str) -> bytes:
        """A file on the band's flash, read from the image (works while the sim runs)."""
        return flash.read_file(self.image, name)

    def list_dir(self, name: str = "/") -> list[str]:
        return flash.list_dir(self.image, name)


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


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(x) for x in text.split()]


def _wait_gone(pid: int, timeout: float = 5) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.01)


def rw(*args: str) -> subprocess.CompletedProcess[str]:
    """The runwalk command, as a user runs it (every call names its port: no $RUNWALK_PORT)."""
    env = {k: v for k, v in os.environ.items() if k != "RUNWALK_PORT"}
    return subprocess.run([RUNWALK, *args], capture_output=True, text=True, timeout=120, env=env)


def largest_labelled(wrap: Callable[[list[dict[str, Any]]], dict[str, Any]], limit: int,
                     separators: tuple[str, str] = (", ", ": ")) -> bytes:
    """The JSON text of wrap(steps) with as many labelled steps (run and walk in turn, each
    a second longer) as keep it within limit bytes: the largest workouts the limits allow."""
    from runwalk import workout as wk

    steps: list[dict[str, Any]] = []
    text = b""
    while True:
        i = len(steps)
        steps.append({"kind": wk.KINDS[i % 2], "s": 60 + i, "label": ("step %d " % i).ljust(24, "x")})
        t = json.dumps(wrap(steps), separators=separators).encode()
        if len(t) > limit:
            return text
        text = t


def whole_log_header(image: Path, w: Any, end: int) -> dict[str, Any]:
    """Session 1's log on the image, read as the host reads it: undamaged, ended `end`, and its
    header's steps the workout w, label and duration of every segment. Its header."""
    from runwalk import logread
    from runwalk import workout as wk

    d = logread.decode(flash.read_file(image, "logs/000001.rwl"))
    assert d["damage"] == [] and d["end"] == end and len(d["segments"]) > 5
    h = d["header"]
    got = wk.validate({"schema": 1, "name": h["name"], "steps": h["steps"]})
    assert [got.label(i) for i in range(len(got))] == [w.label(i) for i in range(len(w))]
    assert [got.dur_ms(i) for i in range(len(got))] == [w.dur_ms(i) for i in range(len(w))]
    return h


def mpy_band_with(image: Path, name: str, data: bytes) -> Path:
    """A fresh band at image with the firmware as .mpy, and data put straight on its flash as name."""
    r = run_headless(image, [], extra=("--mpy",))
    assert r.returncode == 0, r.stderr
    fs = flash.open_image(image)
    with fs.open(name, "wb") as f:
        f.write(data)
    fs.unmount()
    image.write_bytes(bytes(fs.context.buffer))
    return image


def one_line_failure(r: subprocess.CompletedProcess[str], says: str) -> None:
    """One line on stderr: `runwalk: ...` (exit 1), or a usage error that names the command
    and its --help (`runwalk config push: ... (see ...)`, exit 2)."""
    assert r.returncode != 0
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    usage = r.returncode == 2 and lines[0].startswith("runwalk ") and lines[0].endswith(" --help`)")
    assert (lines[0].startswith("runwalk: ") or usage) and says in lines[0], lines[0]
