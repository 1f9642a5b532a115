"""The band's life across resets: which MicroPython child runs now, what it says
through its status pipe, and what happens when it asks for a reset or ends.

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

import hashlib
import re
import select
import shlex
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from host_tools.sim import deploy, flash
from host_tools.sim.child import Child, compile_bootstrap
from host_tools.sim.hostport import HostPort
from host_tools.sim.repl import CTRL_C, ENTER_RAW, SOFT_REBOOT, OutputFilter

if TYPE_CHECKING:
    from host_tools.sim.supervisor import SimOptions

CRASH_WINDOW_S = 3.0  # a child that dies this soon after starting, this many times in a row,
CRASH_LIMIT = 3  # means the band cannot boot: the sim stops instead of looping
BOOT_TIMEOUT_S = 60  # a child that never says it is ready (even on a loaded machine) is not going to


class Lifecycle:
    def __init__(self, opts: SimOptions, port: HostPort, workdir: Path, blocks: int, files: list,
                 config_text: str | None, script: list[tuple[int, bool]], on_first_fail: Callable[[], None]) -> None:
        self.o = opts
        self.port = port
        self.workdir = workdir
        self.blocks = blocks
        self.files = files
        self.config_text = config_text
        self.trace_path: str | None = None  # what the child opens (the supervisor's open_trace)
        self.on_first_fail = on_first_fail  # a band that never ran leaves no image behind
        self.script = [[t, 1 if d else 0] for t, d in script]
        self.jump = opts.until_idle
        self.t0 = time.monotonic_ns() // 1000
        self.v_last = 0  # headless: the virtual ms the last child reached
        self.wall: list[int] | None = [opts.clock, 0] if opts.clock is not None else None
        self.spawns = 0
        self.quick_deaths = 0
        self.child: Child | None = None
        self.ever_ready = False
        self.filt = OutputFilter()
        self.pending_raw = False  # the restarted child must be taken to the raw REPL
        self.raw_sent = False
        self.recent = bytearray()  # the child's last output, shown when it fails headless
        self.exit_code: int | None = None
        self.boot_dir = compile_bootstrap(workdir / "boot")

    # -- virtual time -----------------------------------------------------------

    def now_v(self) -> int:
        if self.jump:
            return self.v_last
        return int((time.monotonic_ns() // 1000 - self.t0) * self.o.speed) // 1000

    def uid(self) -> str:
        return "sim-" + hashlib.sha1(str(self.o.flash.resolve()).encode()).hexdigest()[:8]

    # -- starting and restarting ------------------------------------------------------

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
            "script": self.script,
            "script_from": 0 if first else self.now_v(),
            "battery": o.battery,
            "battery_mv": o.cell_mv(),
            "uid": self.uid(),
            "rom": {"path": str(flash.rom_path(o.flash).resolve()), "block": flash.BLOCK_SIZE} if o.romfs else None,
            "wall": self.wall,
            "reset_cause": o.reset_cause if first else "soft",
        }

    def spawn(self, main: bool) -> None:
        p = self.params(main)
        self.spawns += 1
        self.child = Child(p, self.workdir / "params.json", self.o.heap, self.boot_dir)
        self.port.new_band()
        self.raw_sent = False

    def restart(self, main: bool, soft: bool) -> None:
        c = self.child
        if c is not None:
            quick = time.monotonic() - c.started < CRASH_WINDOW_S and not c.ready
            self.quick_deaths = self.quick_deaths + 1 if quick else 0
            self.drain()
            c.close()
            self.child = None
        if self.quick_deaths >= CRASH_LIMIT:
            if self.o.heap and b"MemoryError" in self.recent:
                # A heap too small for MicroPython itself: its "FATAL: uncaught NLR" lines say nothing more.
                self.recent[:] = b""
                self.fail(1, "the band does not boot: MemoryError (--heap %s is too small)" % self.o.heap)
                return
            self.fail(1, "the band does not boot (the MicroPython process died at start-up)")
            return
        if soft:
            self.port.send(SOFT_REBOOT)
            self.pending_raw = self.filt.raw
            if self.pending_raw:
                self.filt.hide_until_raw()
        else:
            self.pending_raw = False
            self.filt.reset()
            self.port.unplug()
        self.spawn(main)

    def close(self) -> None:
        if self.child is not None:
            self.child.close()

    # -- what the child says ------------------------------------------------------------

    def drain(self) -> None:
        c = self.child
        if c is None:
            return
        while True:
            data = c.read_output()
            if not data:
                break
            self.on_output(data)
        for line in c.read_status():
            self.on_status(line)

    def on_output(self, data: bytes) -> None:
        self.recent += data
        del self.recent[:-4096]
        self.port.send(self.filt.feed(data))

    def read_status(self) -> None:
        """The status pipe was readable: act on each line (a reset ends with the old child)."""
        c = self.child
        assert c is not None
        for line in c.read_status():
            self.on_status(line)
            if self.child is not c:
                break

    def on_status(self, line: str) -> None:
        c = self.child
        word, _, rest = line.partition(" ")
        if word == "ready" and c is not None:
            c.ready = True
            self.ever_ready = True
        elif word == "kbd" and c is not None:
            c.kbd_off = int(rest) != CTRL_C  # micropython.kbd_intr(rest)
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
            hint = ""
            if "28" in rest:
                # --mpy: the firmware as a deploy puts it on, in fewer blocks than its source.
                smaller = "" if self.o.mpy else ", or --mpy for the smaller firmware a deploy puts on"
                hint = f" (is the flash image too small for the firmware? see --flash-size{smaller})"
            self.recent.clear()  # the message says it all; the traceback is half-read
            self.fail(1, "the band did not boot: " + rest + hint)
        elif word == "main-end":
            if self.jump and not self.port.interrupted:
                self.settle_output()
                self.fail(1, f"the firmware stopped ({rest}){self.heap_hint(rest)} before the band was idle")
            elif rest not in ("ok", "KeyboardInterrupt", "SystemExit") and not self.port.interrupted:
                # Its traceback went to the port, which nobody may be reading: say it where the user looks.
                where = shlex.quote(str(self.port.link or self.port.tty_name))
                if rest == "OSError" and not self.has_main():
                    print("runwalk sim: the band has no main.py: it is at its REPL and the button does nothing; "
                          f"`runwalk deploy --port {where}` puts the firmware back", file=sys.stderr, flush=True)
                    return
                print(f"runwalk sim: main.py stopped ({rest}){self.heap_hint(rest)}: the band is at its REPL and "
                      f"the button does nothing; `mpremote connect {where} repl`, then Ctrl-D, shows the traceback",
                      file=sys.stderr, flush=True)

    def has_main(self) -> bool:
        """main.py is on the band's flash (a board without one goes to its REPL, saying nothing)."""
        try:
            return "main.py" in flash.list_dir(self.o.flash)
        except Exception:  # noqa: BLE001 - a flash caught mid-write: do not guess it away
            return True

    def heap_hint(self, error: str) -> str:
        if error == "MemoryError" and self.o.heap:
            more = ""
            if self.source_firmware():
                # A band's firmware is .mpy (runwalk deploy): from .py source the band compiles it
                # first, which takes more heap than the 64 KB the firmware is built for (design 5).
                more = (", or add --redeploy --mpy for the firmware as .mpy, as `runwalk deploy` puts it on a "
                        "band: from .py source the band compiles it first, which takes more heap")
            return f" (--heap {self.o.heap} is too small for this firmware and workout: give it more{more})"
        return ""

    def source_firmware(self) -> bool:
        """The band's /lib holds the firmware as .py source, not compiled."""
        try:
            names = flash.list_dir(self.o.flash, "/lib/runwalk")
        except Exception:  # noqa: BLE001 - no /lib/runwalk (ROMFS), or a flash caught mid-write: no advice
            return False
        return "app.py" in names and "app.mpy" not in names

    def settle_output(self) -> None:
        """Read what the child printed before its last status line: the pty hands it over a
        moment later than the status pipe (a traceback came cut after its first line)."""
        c = self.child
        while c is not None:
            r, _, _ = select.select([c.master], [], [], 0.05)
            data = c.read_output() if r else b""
            if not data:
                return
            self.on_output(data)

    def on_exit(self) -> None:
        """The unix port exited: a soft reset (or a crash, treated as one). As on a
        board, main.py runs again only if the soft reset came from the friendly REPL."""
        self.drain()
        if self.exit_code is not None or self.child is None or self.child.alive():
            return
        self.restart(main=not self.filt.raw, soft=True)

    # -- failing to boot ------------------------------------------------------------------

    def check_boot(self) -> bool:
        """False if the child failed to boot (the sim then ends with exit_code)."""
        c = self.child
        assert c is not None
        if not c.ready and c.at_prompt():
            # The REPL is up but the bootstrap never said ready: it failed (e.g. no heap).
            self.drain()  # its `ready` may be waiting in the pipe
            if not c.ready and self.exit_code is None and self.child is c:
                self.fail(1, self.boot_failure())
            return False
        if not c.ready and time.monotonic() - c.started > BOOT_TIMEOUT_S:
            self.fail(1, "the band did not boot within %d s" % BOOT_TIMEOUT_S)
            return False
        return True

    def boot_failure(self) -> str:
        """Why the bootstrap died before ready, from what it printed before the REPL's banner."""
        text = bytes(self.recent).decode(errors="replace")
        text = text.split("MicroPython ", 1)[0] if "\nMicroPython " in "\n" + text else text
        errors = [x.strip() for x in text.splitlines() if re.match(r"[A-Za-z_.]*(Error|Exception)\b", x.strip())]
        short = bool(errors) and errors[-1].startswith("MemoryError")  # the line below says it all
        # A traceback stays on stderr; the banner and prompt go, and so does a lone error line (said below).
        self.recent[:] = text.encode() if "File " in text and not short else b""
        if not errors:
            return "the band did not boot (see above)"
        hint = ""
        if short:
            hint = " (--heap %s is too small)" % self.o.heap if self.o.heap else ""
        return "the band did not boot: " + errors[-1] + hint

    def fail(self, code: int, msg: str) -> None:
        tail = bytes(self.recent).decode(errors="replace")
        # The REPL's banner and prompt after a traceback say nothing about the failure.
        tail = re.sub(r"\r?\nMicroPython [^\n]*\n[^\n]*help\(\)[^\n]*\n>>> ?$", "", tail.rstrip() + " ").strip()
        if tail:
            print(tail, file=sys.stderr)
        print("runwalk sim: " + msg, file=sys.stderr)
        self.exit_code = code
        if not self.ever_ready:
            # A failed first start leaves nothing behind.
            if self.child is not None:
                self.child.kill()
            self.on_first_fail()

    # -- host input to the child ---------------------------------------------------------

    def pump_input(self) -> None:
        c = self.child
        gate = self.port.gate
        if c is None or not c.ready or not c.alive() or self.pending_raw:
            return
        while gate.held:
            can_interrupt = c.catches_sigint()
            if CTRL_C in gate.held and not (c.kbd_off and not can_interrupt):
                # A Ctrl-C: for the REPL if it waits at a prompt, else an interrupt for the code
                # that runs. (Whether the port waits in read() costs a /proc look-up: asked only here.)
                at_prompt = c.at_prompt()
            else:
                # No Ctrl-C, or the code switched it off (micropython.kbd_intr(-1): mpremote mount
                # reading a binary file): bytes like any other, for whoever reads the raw terminal.
                at_prompt = c.raw_tty()
            data = gate.take(at_prompt, can_interrupt)
            if not data:
                return
            if not at_prompt:  # a Ctrl-C for running code
                c.interrupt()
                continue
            n = c.write_input(data)
            if n < len(data):
                gate.held[:0] = data[n:]
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

    def waiting_on_child(self) -> bool:
        """True while the child's terminal mode may change without telling anyone (poll it)."""
        c = self.child
        assert c is not None
        return bool((self.port.gate.held and c.ready) or (self.pending_raw and c.ready) or c.pidfd is None)
