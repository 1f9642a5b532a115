"""The sim process: serves the band's pty, runs and restarts the MicroPython child.

A board is powered on once and then reset in two ways; the child process is
restarted for each, because the unix port has neither:
- hard reset (`machine.reset()`, `mpremote reset`): the band asks through its
  status pipe; the sim kills the child and starts a new one that runs main.py;
- soft reset (Ctrl-D at a REPL, `sys.exit()`): the unix port exits; the sim
  prints `soft reboot` and starts a new child. From the raw REPL (mpremote) it
  does not run main.py and the sim takes it back to the raw REPL; from the
  friendly REPL it runs main.py, as a board does.
"""

from __future__ import annotations

import contextlib
import hashlib
import heapq
import json
import os
import pty
import re
import select
import signal
import stat
import sys
import tempfile
import termios
import time
import tty
from dataclasses import dataclass
from pathlib import Path

from host_tools.errors import RunwalkError
from host_tools.sim import deploy, flash
from host_tools.sim import script as script_file
from host_tools.sim.child import Child
from host_tools.sim.repl import CTRL_C, ENTER_RAW, SOFT_REBOOT, InputGate, OutputFilter

CLICK_MS = 120  # virtual ms the button is held for a click
LONG_MS = 3000  # held at least this long for a long press (longer if the band's long_ms asks)
DOUBLE_GAP_MS = 150
IN_LIMIT = 1 << 18  # host bytes held for a band that does not read; more are dropped (Ctrl-C excepted)
OUT_LIMIT = 1 << 16  # bytes queued for a host that does not read before the band stops printing
STALE_S = 2.0  # output nobody read for this long is dropped, as a USB port with no host would
CRASH_WINDOW_S = 3.0  # a child that dies this soon after starting, this many times in a row,
CRASH_LIMIT = 3  # means the band cannot boot: the sim stops instead of looping
BOOT_TIMEOUT_S = 60  # a child that never says it is ready (even on a loaded machine) is not going to
KEY_HELP = "keys: b or space = click, d = double click, l = long press, q = quit"


@dataclass
class SimOptions:
    flash: Path
    link: Path | None = None
    script: Path | None = None
    trace: Path | None = None
    speed: float = 1.0
    until_idle: bool = False
    battery: bool = False
    battery_mv: int | None = None
    flash_size: int | None = None
    wrap_after: int | None = None
    heap: str | None = None
    redeploy: bool = False
    button_fifo: Path | None = None
    keys: bool = False
    clock: int | None = None
    reset_cause: str = "power"  # at power-on; a soft reset is a soft reset
    config: Path | None = None
    mpy: bool = False
    romfs: int | None = None  # bytes of the ROM partition (vfs.rom_ioctl); None: none, as stock firmware
    live: bool = False  # print what the band does as it happens (needs a trace)
    quiet: bool = False


def gesture_edges(name: str, long_ms: int = 1500, double_ms: int = 400) -> list[tuple[int, bool]]:
    """A named gesture as (virtual ms from now, down) edges, for a band with these button settings."""
    if name in ("down", "up"):
        return [(0, name == "down")]
    if name == "click":
        return [(0, True), (CLICK_MS, False)]
    if name == "long":
        return [(0, True), (max(LONG_MS, long_ms + 1000), False)]
    if name == "double":
        gap = min(DOUBLE_GAP_MS, double_ms // 2)  # the second press must come within double_ms
        return [(0, True), (CLICK_MS, False), (CLICK_MS + gap, True), (2 * CLICK_MS + gap, False)]
    raise ValueError(name)


def button_settings(image: Path) -> tuple[int, int]:
    """(long_ms, double_ms) of the workouts on the image (config.json, and the last good one
    the band falls back to): the longest hold and the shortest gap, so a gesture works with either."""
    longs, doubles = [1500], [400]
    found = False
    for name in ("config.json", "config.good.json"):
        try:
            button = json.loads(flash.read_file(image, name)).get("button") or {}
            long_ms, double_ms = button.get("long_ms", 1500), button.get("double_ms", 400)
        except Exception:  # missing, half-written or not a workout: the band will not use it either
            continue
        if isinstance(long_ms, int) and isinstance(double_ms, int):
            if not found:
                longs, doubles, found = [], [], True
            longs.append(long_ms)
            doubles.append(double_ms)
    return max(longs), min(doubles)


KEYS = {b"b": "click", b" ": "click", b"d": "double", b"l": "long"}


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


def _distinct_files(o: SimOptions) -> None:
    """One file, two jobs would destroy one of them (a --trace on the image empties the flash)."""
    seen: dict[Path, str] = {}
    for opt, path in (("--flash", o.flash), ("--script", o.script), ("--config", o.config), ("--trace", o.trace),
                      ("--button-fifo", o.button_fifo), ("--link", o.link)):
        if path is None:
            continue
        key = path.resolve() if opt != "--link" else path.absolute()
        if key in seen:
            raise RunwalkError(f"{opt} and {seen[key]} name the same file ({path}): give each its own")
        seen[key] = opt


class Sim:
    def __init__(self, opts: SimOptions) -> None:
        if opts.speed <= 0:
            raise RunwalkError("--speed must be above 0")
        self.o = opts
        self.ever_ready = False
        _distinct_files(opts)
        self.edges = script_file.load(opts.script) if opts.script else []
        self.config_text: str | None = None
        if opts.config is not None:
            try:
                self.config_text = opts.config.read_text()
            except OSError as e:
                raise RunwalkError(f"cannot read config {opts.config}: {e.strerror}") from None
            except UnicodeDecodeError:
                raise RunwalkError(f"cannot read config {opts.config}: not UTF-8 text") from None
        self.blocks, self.image_created = flash.ensure_image(opts.flash, opts.flash_size)
        self.rom_created = False
        if opts.romfs is not None:
            try:
                self.rom_created = flash.ensure_rom(opts.flash, opts.romfs)
            except RunwalkError:
                self.forget_new_image()
                raise
        try:
            self.lock_fd = flash.lock_image(opts.flash)
        except RunwalkError:
            self.forget_new_image()
            raise
        self.jump = opts.until_idle
        self.t0 = time.monotonic_ns() // 1000
        self.v_last = 0  # headless: the virtual ms the last child reached
        self.wall: list[int] | None = None
        if opts.clock is not None:
            self.wall = [opts.clock, 0]
        self.tmp = tempfile.TemporaryDirectory(prefix="runwalk-sim-")
        self.files = deploy.firmware_files()
        if opts.mpy and (self.image_created or opts.redeploy):
            try:
                self.files = deploy.compile_mpy(self.files, Path(self.tmp.name) / "mpy")
            except RunwalkError:
                self.forget_new_image()
                os.close(self.lock_fd)
                raise
        self.spawns = 0
        self.quick_deaths = 0
        self.child: Child | None = None
        self.gate = InputGate()
        self.filt = OutputFilter()
        self.out = bytearray()
        self.out_stuck_since: float | None = None
        self.pending_raw = False  # the restarted child must be taken to the raw REPL
        self.raw_sent = False
        self.host_interrupted = False
        self.timers: list[tuple[float, int, bool]] = []  # (monotonic s, seq, down): button edges to send
        self.timer_seq = 0
        self.recent = bytearray()  # the child's last output, shown when it fails headless
        self.exit_code: int | None = None
        self.stop_requested = False
        self.fifo_fd: int | None = None
        self.fifo_buf = b""
        self.keys_fd: int | None = None
        self.keys_saved: list | None = None
        self.link_made = False
        self.ever_ready = False
        self.trace_fd: int | None = None
        self.trace_path: str | None = None  # what the child opens (set by open_trace)
        self.live = None
        if opts.live and opts.trace is not None:
            from host_tools.sim.live import Live

            self.live = Live(opts.trace)

    # -- virtual time -----------------------------------------------------------

    def now_v(self) -> int:
        if self.jump:
            return self.v_last
        return int((time.monotonic_ns() // 1000 - self.t0) * self.o.speed) // 1000

    def uid(self) -> str:
        return "sim-" + hashlib.sha1(str(self.o.flash.resolve()).encode()).hexdigest()[:8]

    # -- the child ----------------------------------------------------------------

    def params(self, main: bool) -> dict:
        o = self.o
        first = self.spawns == 0
        return {
            "flash": str(o.flash.resolve()),
            "block_size": flash.BLOCK_SIZE,
            "blocks": self.blocks,
            "deploy": self.files,
            "redeploy": o.redeploy and first,
            "files": {"/config.json": deploy.default_config()},
            "config": self.config_text if first else None,
            "main": main,
            "trace": self.trace_path,
            "jump": self.jump,
            "speed": o.speed,
            "v0": self.v_last,
            "v_spawn": self.now_v(),
            "t0_us": self.t0,
            "host_us": time.monotonic_ns() // 1000,
            "wrap_after": o.wrap_after,
            "script": [[t, 1 if d else 0] for t, d in self.edges],
            "script_from": 0 if first else self.now_v(),
            "battery": o.battery,
            "battery_mv": o.battery_mv if o.battery_mv is not None else (3900 if o.battery else 4150),
            "uid": self.uid(),
            "rom": {"path": str(flash.rom_path(o.flash).resolve()), "block": flash.BLOCK_SIZE} if o.romfs else None,
            "wall": self.wall,
            "reset_cause": o.reset_cause if first else "soft",
        }

    def spawn(self, main: bool) -> None:
        p = self.params(main)
        self.spawns += 1
        self.child = Child(p, Path(self.tmp.name) / "params.json", self.o.heap)
        self.gate.clear()
        self.raw_sent = False
        self.host_interrupted = False

    def restart(self, main: bool, soft: bool) -> None:
        c = self.child
        if c is not None:
            quick = time.monotonic() - c.started < CRASH_WINDOW_S and not c.ready
            self.quick_deaths = self.quick_deaths + 1 if quick else 0
            self.drain_child()
            c.close()
            self.child = None
        if self.quick_deaths >= CRASH_LIMIT:
            self.fail(1, "the band does not boot (the MicroPython process died at start-up)")
            return
        if soft:
            self.send_host(SOFT_REBOOT)
            self.pending_raw = self.filt.raw
            if self.pending_raw:
                self.filt.hide_until_raw()
        else:
            self.pending_raw = False
            self.filt.reset()
        self.spawn(main)

    def drain_child(self) -> None:
        c = self.child
        if c is None:
            return
        while True:
            data = c.read_output()
            if not data:
                break
            self.on_child_output(data)
        for line in c.read_status():
            self.on_status(line)

    def on_child_output(self, data: bytes) -> None:
        self.recent += data
        del self.recent[:-4096]
        self.send_host(self.filt.feed(data))

    def on_status(self, line: str) -> None:
        c = self.child
        word, _, rest = line.partition(" ")
        if word == "ready" and c is not None:
            c.ready = True
            self.ever_ready = True
        elif word == "clock":
            self.v_last = int(rest)
        elif word == "wall":
            s, v = rest.split()
            self.wall = [int(s), int(v)]
        elif word == "reset":
            self.restart(main=True, soft=False)
        elif word == "exit":
            code, _, msg = rest.partition(" ")
            if msg:
                print("runwalk sim: " + msg, file=sys.stderr)
            self.exit_code = int(code)
        elif word == "fail":
            hint = " (is the flash image too small for the firmware? see --flash-size)" if "28" in rest else ""
            self.recent.clear()  # the message says it all; the traceback is half-read
            self.fail(1, "the band did not boot: " + rest + hint)
        elif word == "main-end":
            if self.jump and not self.host_interrupted:
                self.settle_output()
                self.fail(1, f"the firmware stopped ({rest}) before the band was idle")

    def settle_output(self) -> None:
        """Read what the child printed before its last status line: the pty hands it over a
        moment later than the status pipe (a traceback came cut after its first line)."""
        c = self.child
        while c is not None:
            r, _, _ = select.select([c.master], [], [], 0.05)
            data = c.read_output() if r else b""
            if not data:
                return
            self.on_child_output(data)

    def boot_failure(self) -> str:
        """Why the bootstrap died before ready, from what it printed before the REPL's banner."""
        text = bytes(self.recent).decode(errors="replace")
        text = text.split("MicroPython ", 1)[0] if "\nMicroPython " in "\n" + text else text
        # A traceback stays on stderr; the banner and prompt go, and so does a lone error line (said below).
        self.recent[:] = text.encode() if "File " in text else b""
        errors = [x.strip() for x in text.splitlines() if re.match(r"[A-Za-z_.]*(Error|Exception)\b", x.strip())]
        if not errors:
            return "the band did not boot (see above)"
        hint = ""
        if errors[-1].startswith("MemoryError"):
            hint = " (--heap %s is too small)" % self.o.heap if self.o.heap else ""
        return "the band did not boot: " + errors[-1] + hint

    def forget_new_image(self) -> None:
        """A sim that fails before the band ever ran leaves no image it created."""
        if self.image_created and not self.ever_ready:
            with contextlib.suppress(OSError):
                self.o.flash.unlink()
        if getattr(self, "rom_created", False) and not self.ever_ready:
            with contextlib.suppress(OSError):
                flash.rom_path(self.o.flash).unlink()

    def fail(self, code: int, msg: str) -> None:
        tail = bytes(self.recent).decode(errors="replace")
        # The REPL's banner and prompt after a traceback say nothing about the failure.
        tail = re.sub(r"\r?\nMicroPython [^\n]*\n[^\n]*help\(\)[^\n]*\n>>> ?$", "", tail.rstrip() + " ").strip()
        if tail:
            print(tail, file=sys.stderr)
        print("runwalk sim: " + msg, file=sys.stderr)
        self.exit_code = code
        if self.image_created and not self.ever_ready:
            # A failed first start leaves nothing behind.
            if self.child is not None:
                self.child.kill()
            self.forget_new_image()

    def on_child_exit(self) -> None:
        """The unix port exited: a soft reset (or a crash, treated as one). As on a
        board, main.py runs again only if the soft reset came from the friendly REPL."""
        self.drain_child()
        if self.exit_code is not None or self.child is None or self.child.alive():
            return
        self.restart(main=not self.filt.raw, soft=True)

    # -- the host side -------------------------------------------------------------

    def open_link(self) -> None:
        self.m1, self.s1 = pty.openpty()
        tty.setraw(self.s1)
        os.set_blocking(self.m1, False)
        self.tty_name = os.ttyname(self.s1)
        link = self.o.link
        if link is None:
            return
        if link.is_symlink():
            target = os.readlink(link)
            pid = sim_serving(target)
            if pid is not None:
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
            raise RunwalkError(f"cannot create link {link}: {e.strerror}") from None
        self.link_made = True

    def close_link(self) -> None:
        if self.link_made and self.o.link is not None:
            with contextlib.suppress(OSError):
                if os.readlink(self.o.link) == self.tty_name:
                    self.o.link.unlink()
        for fd in (self.m1, self.s1):
            with contextlib.suppress(OSError):
                os.close(fd)

    def send_host(self, data: bytes) -> None:
        if data:
            self.out += data
        self.flush_host()

    def flush_host(self) -> None:
        moved = False
        while self.out:
            try:
                n = os.write(self.m1, self.out)
            except BlockingIOError:
                n = 0
            except OSError:
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
            termios.tcflush(self.s1, termios.TCIFLUSH)
            self.out_stuck_since = now

    def on_host_input(self, data: bytes) -> None:
        if 3 in data:
            self.host_interrupted = True
        if len(self.gate.held) + len(data) > IN_LIMIT:
            # Nothing reads (the app runs) and the host floods: keep only its Ctrl-Cs, so memory
            # stays bounded and the REPL does not chew through megabytes once it is back.
            data = bytes(data.count(CTRL_C) * [CTRL_C])
        self.gate.push(data)

    def pump_input(self) -> None:
        c = self.child
        if c is None or not c.ready or not c.alive() or self.pending_raw:
            return
        while self.gate.held:
            # Whether the port waits in read() costs a /proc look-up: ask only when a Ctrl-C
            # waits, as only a Ctrl-C is treated differently while code runs.
            at_prompt = c.at_prompt() if CTRL_C in self.gate.held else c.raw_tty()
            data = self.gate.take(at_prompt, c.catches_sigint())
            if not data:
                return
            if not at_prompt:  # a Ctrl-C for running code
                c.interrupt()
                continue
            n = c.write_input(data)
            if n < len(data):
                self.gate.held[:0] = data[n:]
                return

    def pump_raw_entry(self) -> None:
        """After a soft reset from the raw REPL: take the new child there."""
        c = self.child
        if not self.pending_raw or c is None or not c.ready:
            return
        if not self.raw_sent and c.at_prompt():
            c.write_input(ENTER_RAW)
            self.raw_sent = True
        if self.raw_sent and not self.filt.hiding:
            self.pending_raw = False

    # -- buttons ---------------------------------------------------------------------

    def press(self, name: str) -> None:
        timing = button_settings(self.o.flash) if name in ("long", "double") else ()
        now = time.monotonic()
        for dt, down in gesture_edges(name, *timing):
            self.timer_seq += 1
            heapq.heappush(self.timers, (now + dt / 1000 / self.o.speed, self.timer_seq, down))

    def fire_timers(self) -> None:
        now = time.monotonic()
        while self.timers and self.timers[0][0] <= now:
            _, _, down = heapq.heappop(self.timers)
            if self.child is not None:
                self.child.send_edge(down)

    def open_fifo(self) -> None:
        p = self.o.button_fifo
        if p is None:
            return
        if p.exists() and not stat.S_ISFIFO(p.stat().st_mode):
            raise RunwalkError(f"{p} exists and is not a FIFO")
        try:
            if not p.exists():
                os.mkfifo(p)
            # Read and write: the FIFO never reports end-of-file between writers.
            self.fifo_fd = os.open(p, os.O_RDWR | os.O_NONBLOCK)
        except OSError as e:
            raise RunwalkError(f"cannot create the button FIFO {p}: {e.strerror}") from None
        import fcntl

        try:
            # Two sims reading one FIFO would each get some of the presses.
            fcntl.flock(self.fifo_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(self.fifo_fd)
            self.fifo_fd = None
            raise RunwalkError(
                f"{p} is the button FIFO of another runwalk sim: choose another --button-fifo path"
            ) from None

    def on_fifo(self) -> None:
        assert self.fifo_fd is not None
        with contextlib.suppress(BlockingIOError):
            self.fifo_buf += os.read(self.fifo_fd, 4096)
        *lines, self.fifo_buf = self.fifo_buf.split(b"\n")
        for line in lines:
            word = line.decode(errors="replace").strip()
            if word in ("click", "double", "long", "down", "up"):
                self.press(word)
            elif word:
                print(f"runwalk sim: button fifo: unknown {word!r} (click, double, long, down, up)", file=sys.stderr)

    def open_keys(self) -> None:
        if not self.o.keys or not sys.stdin.isatty():
            return
        fd = sys.stdin.fileno()
        try:
            foreground = os.tcgetpgrp(fd) == os.getpgrp()
        except OSError:  # a terminal that is not ours
            foreground = False
        if not foreground:
            # Started in the background (`runwalk sim ... &`): the terminal is the shell's, and
            # touching it would stop the sim (SIGTTOU/SIGTTIN) and with it the band.
            return
        # Sent to the background later (Ctrl-Z, bg): reads fail instead of stopping the band.
        signal.signal(signal.SIGTTIN, signal.SIG_IGN)
        signal.signal(signal.SIGTTOU, signal.SIG_IGN)
        self.keys_fd = fd
        self.keys_saved = termios.tcgetattr(self.keys_fd)
        tty.setcbreak(self.keys_fd)

    def on_key(self) -> None:
        assert self.keys_fd is not None
        try:
            data = os.read(self.keys_fd, 64)
        except OSError:
            data = b""
        if not data:  # in the background now, or the terminal is gone: no more keys
            self.close_keys()
            self.keys_fd = None
            return
        for i in range(len(data)):
            k = data[i : i + 1]
            if k == b"q":
                self.stop_requested = True
            elif k in KEYS:
                self.press(KEYS[k])
                c = self.child
                if c is not None and c.ready and c.at_prompt() and not self.o.quiet:
                    # A host stopped the app (mpremote): the press reaches no one, say why.
                    print("runwalk sim: the band is at its REPL (a USB host stopped the app): the button does "
                          "nothing until a reset (mpremote reset, or any runwalk command)", flush=True)

    def close_keys(self) -> None:
        if self.keys_fd is not None and self.keys_saved is not None:
            with contextlib.suppress(termios.error, OSError):
                termios.tcsetattr(self.keys_fd, termios.TCSADRAIN, self.keys_saved)

    # -- the loop ----------------------------------------------------------------------

    def run(self) -> int:
        sig_r, sig_w = os.pipe()
        os.set_blocking(sig_w, False)
        os.set_blocking(sig_r, False)
        old_wakeup = signal.set_wakeup_fd(sig_w)
        handlers = {}
        for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            handlers[s] = signal.signal(s, self._on_signal)
        try:
            try:
                self.open_link()
                self.open_fifo()
                if self.o.trace:
                    self.open_trace()
            except BaseException:
                self.forget_new_image()
                raise
            if not self.o.quiet:
                where = str(self.o.link) + " -> " + self.tty_name if self.o.link else self.tty_name
                print("runwalk sim: band on " + where, flush=True, file=self.say_to())
            self.open_keys()
            if self.keys_fd is not None and not self.o.quiet:
                print("runwalk sim: " + KEY_HELP, flush=True, file=self.say_to())
            self.spawn(main=True)
            return self.loop(sig_r)
        finally:
            if self.child is not None:
                self.child.close()
            self.close_keys()
            self.close_link()
            if self.fifo_fd is not None:
                os.close(self.fifo_fd)
            if self.trace_fd is not None:
                os.close(self.trace_fd)
            os.close(self.lock_fd)
            signal.set_wakeup_fd(old_wakeup)
            for s, h in handlers.items():
                signal.signal(s, h)
            os.close(sig_r)
            os.close(sig_w)
            self.tmp.cleanup()

    def open_trace(self) -> None:
        """Start the trace empty. A pipe or terminal (`--trace /dev/stdout | jq`) reaches each
        child through an fd the sim holds: its own /dev/stdout would be the band's pty."""
        t = self.o.trace
        assert t is not None
        try:
            if t.exists() and not t.is_file():
                self.trace_fd = os.open(t, os.O_WRONLY | os.O_APPEND)
                self.trace_path = f"/proc/{os.getpid()}/fd/{self.trace_fd}"
            else:
                t.write_text("")
                self.trace_path = str(t.resolve())
        except OSError as e:
            raise RunwalkError(f"cannot write trace {t}: {e.strerror}") from None

    def say_to(self) -> object:
        """Where the sim's own lines go: stdout, unless the trace goes there (`--trace /dev/stdout`)."""
        if self.o.trace is not None:
            with contextlib.suppress(OSError, ValueError):
                a, b = os.stat(self.o.trace), os.fstat(sys.stdout.fileno())
                if (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino):
                    return sys.stderr
        return sys.stdout

    def _on_signal(self, signum: int, frame: object) -> None:
        self.stop_requested = True

    def loop(self, sig_r: int) -> int:
        while True:
            if self.stop_requested:
                return 0
            if self.exit_code is not None:
                return self.exit_code
            c = self.child
            assert c is not None
            if not c.ready and c.at_prompt():
                # The REPL is up but the bootstrap never said ready: it failed (e.g. no heap).
                self.drain_child()  # its `ready` may be waiting in the pipe
                if not c.ready and self.exit_code is None and self.child is c:
                    self.fail(1, self.boot_failure())
                continue
            if not c.ready and time.monotonic() - c.started > BOOT_TIMEOUT_S:
                self.fail(1, "the band did not boot within %d s" % BOOT_TIMEOUT_S)
                continue
            self.pump_raw_entry()
            self.pump_input()
            self.fire_timers()
            self.flush_host()
            rd = [self.m1, sig_r, c.status_r]
            if len(self.out) < OUT_LIMIT:
                rd.append(c.master)
            if c.pidfd is not None:
                rd.append(c.pidfd)
            if self.fifo_fd is not None:
                rd.append(self.fifo_fd)
            if self.keys_fd is not None:
                rd.append(self.keys_fd)
            wr = [self.m1] if self.out else []
            timeout: float | None = None
            if (self.gate.held and c.ready) or (self.pending_raw and c.ready) or c.pidfd is None:
                timeout = 0.005  # the child's terminal mode changes without telling anyone
            elif not c.ready:
                timeout = 0.05
            if self.timers:
                t = max(0.0, self.timers[0][0] - time.monotonic())
                timeout = t if timeout is None else min(timeout, t)
            if self.out:
                timeout = 0.05 if timeout is None else min(timeout, 0.05)
            if self.live is not None:
                for line in self.live.lines():
                    print(line, flush=True)
                timeout = 0.1 if timeout is None else min(timeout, 0.1)
            try:
                r, _, _ = select.select(rd, wr, [], timeout)
            except InterruptedError:
                continue
            if sig_r in r:
                with contextlib.suppress(BlockingIOError):
                    os.read(sig_r, 64)
            if c.master in r:
                data = c.read_output()
                if data:
                    self.on_child_output(data)
            if c.status_r in r:
                for line in c.read_status():
                    self.on_status(line)
                    if self.child is not c:
                        break
            if self.child is not c:
                continue
            if self.m1 in r:
                try:
                    data = os.read(self.m1, 65536)
                except (BlockingIOError, OSError):
                    data = b""
                if data:
                    self.on_host_input(data)
            if self.fifo_fd is not None and self.fifo_fd in r:
                self.on_fifo()
            if self.keys_fd is not None and self.keys_fd in r:
                self.on_key()
            if not c.alive() and self.exit_code is None:
                self.on_child_exit()
