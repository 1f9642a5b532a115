"""The sim process: holds the image, serves the band's port and buttons, and runs
the select loop that ties them to the band's MicroPython process.

The pieces: `hostport` (the pty the host talks to), `buttons` (keys and
`--button-fifo`), `lifecycle` (the MicroPython child across resets), `child`
(one such process), `repl` (what a board does around its REPL).
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from host_tools.errors import RunwalkError
from host_tools.sim import buttons, deploy, flash, path_failed
from host_tools.sim import script as script_file
from host_tools.sim.hostport import HostPort
from host_tools.sim.lifecycle import Lifecycle


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

    def cell_mv(self) -> int:
        """The voltage the band's battery_mv() reads: --battery-mv, else a charged cell on battery or USB."""
        return self.battery_mv if self.battery_mv is not None else (3900 if self.battery else 4150)


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
        _distinct_files(opts)
        edges = script_file.load(opts.script) if opts.script else []
        config_text: str | None = None
        if opts.config is not None:
            try:
                config_text = opts.config.read_text()
            except OSError as e:
                why = path_failed("cannot read config", opts.config, "--config", e, making=False)
                raise RunwalkError(why) from None
            except UnicodeDecodeError:
                raise RunwalkError(f"cannot read config {opts.config}: not UTF-8 text") from None
        self.life: Lifecycle | None = None
        blocks, self.image_created = flash.ensure_image(opts.flash, opts.flash_size)
        self.rom_created = False
        if opts.romfs is not None:
            try:
                self.rom_created = flash.ensure_rom(opts.flash, opts.romfs)
            except RunwalkError:
                self.forget_new_image()
                raise
        else:
            unused = flash.unused_rom(opts.flash)
            if unused:
                # A board's ROM partition cannot be left out; this band's can: a firmware that
                # `runwalk deploy --romfs` put there (and took out of /lib) would seem gone.
                print("runwalk sim: " + unused, file=sys.stderr, flush=True)
        try:
            self.lock_fd = flash.lock_image(opts.flash)
        except RunwalkError:
            self.forget_new_image()
            raise
        self.tmp = tempfile.TemporaryDirectory(prefix="runwalk-sim-")
        self.port = HostPort(opts.link)
        self.life = Lifecycle(opts, self.port, Path(self.tmp.name), blocks, deploy.firmware_files(), config_text,
                              edges, self.forget_new_image)
        if opts.mpy and (self.image_created or opts.redeploy):
            try:
                self.life.files = deploy.compile_mpy(self.life.files, Path(self.tmp.name) / "mpy")
            except RunwalkError:
                self.forget_new_image()
                os.close(self.lock_fd)
                raise
        self.stop_requested = False
        self.fifo = buttons.ButtonFifo(opts.button_fifo) if opts.button_fifo is not None else None
        self.keys = buttons.Keys() if opts.keys else None
        self.trace_fd: int | None = None
        self.live = None
        if opts.live and opts.trace is not None:
            from host_tools.sim.live import Live

            self.live = Live(opts.trace)

    def forget_new_image(self) -> None:
        """A sim that fails before the band ever ran leaves no image it created."""
        if self.life is not None and self.life.ever_ready:
            return
        if self.image_created:
            with contextlib.suppress(OSError):
                self.o.flash.unlink()
        if self.rom_created:
            with contextlib.suppress(OSError):
                flash.rom_path(self.o.flash).unlink()

    # -- buttons ---------------------------------------------------------------------

    def press(self, name: str, source: str) -> None:
        """Send a whole gesture; the band plays its edges in virtual time."""
        c = self.life.child if self.life is not None else None
        if c is None:
            return
        if c.ready and c.at_prompt():
            # A host stopped the app (mpremote): the press reaches no one, say why.
            self.say_lost(name, source)
        c.send_gesture(buttons.edges_for(name, self.o.flash))

    def say_lost(self, name: str, source: str) -> None:
        why = ("the band is at its REPL (a USB host stopped the app): the button does nothing until a reset "
               "(mpremote reset, or any runwalk command)")
        if source == "keys":
            if not self.o.quiet:
                print("runwalk sim: " + why, flush=True)
        else:
            # Whoever writes the FIFO is not watching the sim's terminal: stderr, even with -q.
            print(f"runwalk sim: button fifo: {name} lost: {why}", file=sys.stderr, flush=True)

    def on_keys(self) -> None:
        assert self.keys is not None
        for word in self.keys.read():
            if word == buttons.QUIT:
                self.stop_requested = True
            else:
                self.press(word, "keys")

    # -- the run ----------------------------------------------------------------------

    def run(self) -> int:
        life = self.life
        assert life is not None
        sig_r, sig_w = os.pipe()
        os.set_blocking(sig_w, False)
        os.set_blocking(sig_r, False)
        old_wakeup = signal.set_wakeup_fd(sig_w)
        handlers = {}
        for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            handlers[s] = signal.signal(s, self._on_signal)
        try:
            try:
                self.port.open()
                if self.fifo is not None:
                    self.fifo.open()
                if self.o.trace:
                    life.trace_path = self.open_trace()
            except BaseException:
                self.forget_new_image()
                raise
            if not self.o.quiet:
                print("runwalk sim: band on " + self.port.where(), flush=True, file=self.say_to())
            if self.keys is not None:
                self.keys.open()
                if self.keys.fd is not None and not self.o.quiet:
                    print("runwalk sim: " + buttons.KEY_HELP, flush=True, file=self.say_to())
            life.spawn(main=True)
            return self.loop(sig_r)
        finally:
            life.close()
            if self.keys is not None:
                self.keys.close()
            self.port.close()
            if self.fifo is not None:
                self.fifo.close()
            if self.trace_fd is not None:
                os.close(self.trace_fd)
            os.close(self.lock_fd)
            signal.set_wakeup_fd(old_wakeup)
            for s, h in handlers.items():
                signal.signal(s, h)
            os.close(sig_r)
            os.close(sig_w)
            self.tmp.cleanup()

    def open_trace(self) -> str:
        """Start the trace empty; return the path the child opens. A pipe or terminal
        (`--trace /dev/stdout | jq`) reaches each child through an fd the sim holds: its
        own /dev/stdout would be the band's pty."""
        t = self.o.trace
        assert t is not None
        try:
            if t.exists() and not t.is_file():
                self.trace_fd = os.open(t, os.O_WRONLY | os.O_APPEND)
                return f"/proc/{os.getpid()}/fd/{self.trace_fd}"
            t.write_text("")
            return str(t.resolve())
        except OSError as e:
            raise RunwalkError(path_failed("cannot write trace", t, "--trace", e)) from None

    def say_to(self) -> TextIO:
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
        life, port = self.life, self.port
        assert life is not None
        while True:
            if self.stop_requested:
                return 0
            if life.exit_code is not None:
                return life.exit_code
            c = life.child
            assert c is not None
            if not life.check_boot():
                continue
            life.pump_raw_entry()
            life.pump_input()
            port.flush()
            if port.poll_unplug() and port.link is None and not self.o.quiet:
                print("runwalk sim: band on " + port.where() + " after its reset", flush=True, file=self.say_to())
            rd = [port.fd, sig_r, c.status_r]
            if port.can_take_more():
                rd.append(c.master)
            if c.pidfd is not None:
                rd.append(c.pidfd)
            if self.fifo is not None and self.fifo.fd is not None:
                rd.append(self.fifo.fd)
            if self.keys is not None and self.keys.fd is not None:
                rd.append(self.keys.fd)
            wr = [port.fd] if port.out else []
            timeout: float | None = None
            if life.waiting_on_child():
                timeout = 0.005  # the child's terminal mode changes without telling anyone
            elif not c.ready:
                timeout = 0.05
            if port.out or port.unplug_at is not None:
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
                    life.on_output(data)
            if c.status_r in r:
                life.read_status()
            if life.child is not c:
                continue
            if port.fd in r:
                port.read()
            if self.fifo is not None and self.fifo.fd in r:
                for word in self.fifo.read():
                    self.press(word, "fifo")
            if self.keys is not None and self.keys.fd is not None and self.keys.fd in r:
                self.on_keys()
            if not c.alive() and life.exit_code is None:
                life.on_exit()
