"""Talking to the band over USB: mpremote's SerialTransport used as a library.

Connecting stops the band's app (Ctrl-C; the firmware first ends and saves a
session in progress), enters the raw REPL with a soft reset (a fresh
interpreter without main.py), and sets the band's clock from the laptop.
`restart_app()` starts the app again without a hard reset, so the clock it set
is the one the app runs on: a hard reset (`machine.reset()`) sets the rp2
port's RTC back to 2021 and loses the nrf board's software clock, and every
session after a `runwalk` command would be stored "(clock not set)". So the
command ends with a soft reset (a fresh heap, as at boot), the clock set again
in that interpreter, and `import main` typed at the friendly REPL: the band
runs its app as after power-on, and a later Ctrl-C leaves it at `>>>` as a
board whose main.py was interrupted.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import re
import signal
import stat
import sys
import time
from collections.abc import Callable, Iterator

import serial
import serial.tools.list_ports
from mpremote.transport import TransportError
from mpremote.transport_serial import SerialTransport

from host_tools.band import snippets
from host_tools.errors import RunwalkError

# USB vendor ids of boards that run MicroPython over native USB: MicroPython's
# own (f055), Raspberry Pi (RP2040), Espressif (ESP32-C3/S3), Adafruit (nRF52840).
MICROPYTHON_VIDS = {0xF055: "MicroPython", 0x2E8A: "Raspberry Pi", 0x303A: "Espressif", 0x239A: "Adafruit"}
# Serial devices of those vendors that are never a band: the Raspberry Pi Debug Probe's UART.
NOT_A_BAND = {(0x2E8A, 0x000C)}
PORT_ENV = "RUNWALK_PORT"  # what `--port auto` uses first, e.g. the virtual wristband's link


def looks_like_micropython(port: object) -> bool:
    """By USB id or by the names the board gives, never by the device path: that is /dev/ttyACM0 on
    Linux, /dev/cu.usbmodem1101 on macOS and COM3 on Windows (where the name is 'USB Serial Device')."""
    vid, pid = getattr(port, "vid", None), getattr(port, "pid", None)
    if (vid, pid) in NOT_A_BAND:
        return False
    names = (getattr(port, k, None) for k in ("manufacturer", "product", "description", "interface"))
    return vid in MICROPYTHON_VIDS or "micropython" in " ".join(n for n in names if n).lower()


def _natural(device: str) -> list[object]:
    # COM3 before COM10, ttyACM2 before ttyACM10
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", device)]


def find_ports() -> list[str]:
    """Serial ports that look like a MicroPython board on USB."""
    found = {p.device for p in serial.tools.list_ports.comports() if looks_like_micropython(p)}
    # One USB modem can be listed twice on macOS: /dev/cu.* (the one to use) and /dev/tty.*.
    found -= {d for d in found if d.startswith("/dev/tty.") and "/dev/cu." + d[len("/dev/tty."):] in found}
    return sorted(found, key=_natural)


def port_exists(port: str) -> bool:
    # Windows' COM ports are no files: ask the port list.
    return os.path.exists(port) or any(p.device == port for p in serial.tools.list_ports.comports())


def resolve_port(port: str | None) -> str:
    """The device path for `--port` (a path, or `auto`)."""
    if port and port != "auto":
        return port
    env = os.environ.get(PORT_ENV)
    if env:
        return env
    ports = find_ports()
    if not ports:
        raise RunwalkError("no runwalk band found on USB (plug it in, or name its port with --port)")
    if len(ports) > 1:
        raise RunwalkError("several MicroPython boards found (%s); choose one with --port" % ", ".join(ports))
    return ports[0]


def why_not_open(port: str) -> str:
    """Why a port does not open, in words that say what to do (mpremote says only 'failed to access')."""
    try:
        mode = os.stat(port).st_mode
    except OSError as e:
        return e.strerror or str(e)
    if not stat.S_ISCHR(mode):
        return "it is a %s, not a serial port (see --port)" % ("directory" if stat.S_ISDIR(mode) else "file")
    if not os.access(port, os.R_OK | os.W_OK):
        return "no permission to use it (on Linux: add yourself to the dialout group, then log in again)"
    try:
        probe = serial.serial_for_url(port, do_not_open=True, exclusive=True)
        probe.open()
        probe.close()
    except (serial.SerialException, OSError) as e:
        text = str(e)
        if getattr(e, "errno", None) == errno.EAGAIN or "lock" in text:
            return "another program has it open (mpremote, a serial terminal, another runwalk): close that first"
        if "Inappropriate ioctl" in text or getattr(e, "errno", None) == errno.ENOTTY:
            return "it is not a serial port (see --port)"
        return text.strip() or type(e).__name__
    return "it did not open (try again)"


def say(text: str) -> None:
    # stdout: on a failure, stderr carries only the one line that says what went wrong.
    print(text, flush=True)


def warn(text: str) -> None:
    print("warning: " + text, file=sys.stderr)


class Band:
    """A connected band in the raw REPL."""

    def __init__(self, port: str, transport: SerialTransport) -> None:
        self.port = port
        self.t = transport
        self.closed = False
        self.firmware = True  # False: a bare MicroPython board, no runwalk_board module to run the app
        self.sets_clock = True  # False: the command leaves the band's clock as it is
        self.ended_session: int | None = None  # the session in progress that connecting ended and saved

    # -- plumbing -------------------------------------------------------------------

    def lost(self, e: BaseException) -> RunwalkError:
        return RunwalkError("lost the band on %s (unplugged?): %s" % (self.port, str(e).strip() or type(e).__name__))

    def exec(self, code: str, timeout: float = 10, consumer: Callable[[bytes], None] | None = None) -> bytes:
        """Run code on the band; its output. A Python error on the band raises BandError."""
        try:
            with contextlib.redirect_stdout(io.StringIO()):  # mpremote prints on some failures
                self.t.exec_raw_no_follow(code)
                out, err = self.t.follow(timeout, consumer)
        except (TransportError, serial.SerialException, OSError) as e:
            raise self.lost(e) from None
        if err:
            raise BandError(err.decode(errors="replace"))
        return out

    def eval(self, expr: str) -> str:
        return self.exec("print(%s)" % expr).decode().strip()

    # -- life cycle -----------------------------------------------------------------

    def set_clock(self) -> None:
        """Set the band's clock to the laptop's (BandError if the band has no board module)."""
        self.exec(snippets.board(int(time.time())))

    def restart_app(self) -> None:
        """Run the band's app (main.py) again, on the clock just set. Ends the connection."""
        if self.closed:
            return
        with _held_signals():
            self._restart_app()

    def _restart_app(self) -> None:
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                self.t.enter_raw_repl(soft_reset=True, timeout_overall=5)  # a fresh heap for the app
            try:
                # The clock again, in the interpreter that runs the app (unless the command
                # leaves the clock alone: `runwalk status`); the import says if there is an app.
                self.exec(snippets.board(int(time.time()) if self.sets_clock else None))
            except BandError:
                # No board module (a bare board): nothing of runwalk to start; reset as a board would.
                self.t.exec_raw_no_follow(snippets.HARD_RESET)
                time.sleep(0.1)
                return
            self.t.exit_raw_repl()
            self.t.read_until(1, b">>> ", timeout=5)
            self.t.serial.write(START_APP)
            self.t.read_until(1, START_APP[:-1], timeout=2)  # echoed: the band has the line
        except (TransportError, serial.SerialException, OSError, RunwalkError):
            pass  # the band went away: at its next power-on it runs main.py anyway
        finally:
            self.close()

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        with contextlib.suppress(Exception):
            self.t.close()


@contextlib.contextmanager
def _held_signals() -> Iterator[None]:
    """A Ctrl-C (or SIGTERM, SIGHUP) while the band's app restarts waits until it has: the command is ending
    anyway, and a second Ctrl-C pressed after the first (the runner in a hurry) broke off the restart and left
    the band at its REPL with the button dead. A third one breaks off all the same, for a band that hangs."""
    came: list[int] = []

    def note(signum: int, frame: object) -> None:
        came.append(signum)
        if len(came) >= 2:
            raise KeyboardInterrupt

    saved: dict[int, object] = {}
    for name in ("SIGINT", "SIGTERM", "SIGHUP"):
        sig = getattr(signal, name, None)
        with contextlib.suppress(ValueError, OSError, TypeError):  # not the main thread: nothing held
            if sig is not None and signal.getsignal(sig) not in (signal.SIG_IGN, None):
                saved[sig] = signal.signal(sig, note)
    try:
        yield
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)  # type: ignore[arg-type]


START_APP = b"import main\r"  # at the friendly REPL: the app runs as main.py does at power-on


class BandError(RunwalkError):
    """Python on the band raised: the traceback's last line is the message."""

    def __init__(self, traceback: str) -> None:
        lines = [x for x in traceback.strip().splitlines() if x.strip()]
        super().__init__(lines[-1] if lines else "the band reported an error")
        self.traceback = traceback


# What a command that put something on a band without firmware says instead of "its app restarted".
NOT_RUN_YET = "no runwalk firmware on the band runs it yet: `runwalk deploy` puts it on"

NO_FIRMWARE = ("the band on %s has no current runwalk firmware (no runwalk_board module): put it on with "
               "`runwalk deploy`")


_ENDED = re.compile(rb"runwalk: session (\d+) ended and saved")


def _stop_app(t: SerialTransport) -> int | None:
    """Ctrl-C, as mpremote's raw REPL entry sends it, but reading what the band says until its
    prompt (mpremote throws that away): the app that ends a session in progress names it.
    The number of that session, or None."""
    t.serial.write(b"\r\x03")
    # An app or a script stops at the friendly prompt; a band already in the raw REPL
    # prints no prompt: the short wait ends then with nothing said.
    said = t.read_until(1, b">>> ", timeout=0.3, timeout_overall=3)
    m = _ENDED.search(said)
    return int(m.group(1)) if m else None


def open_band(port_arg: str | None, set_clock: bool = True, notify: Callable[[str], None] = say,
              expect_firmware: bool = True, pulling: bool = False, check_room: bool = True) -> Band:
    """pulling: the command is a pull, which stores a session it ended itself (said so).
    check_room=False: the command says itself whether the flash is full (deploy, which frees room)."""
    port = resolve_port(port_arg)
    if not port_exists(port):
        if (not port_arg or port_arg == "auto") and os.environ.get(PORT_ENV):
            # An environment variable set long ago is easy to forget: name it.
            raise RunwalkError("no band at %s, the port $%s names (it does not exist; unset %s to find the band "
                               "on USB, or give --port)" % (port, PORT_ENV, PORT_ENV))
        raise RunwalkError("no band at %s (that port does not exist; is the band plugged in?)" % port)
    try:
        # A read timeout, so a port where nothing answers fails instead of hanging.
        t = SerialTransport(port, baudrate=115200, timeout=2)
    except (TransportError, serial.SerialException, OSError):
        raise RunwalkError("cannot open %s: %s" % (port, why_not_open(port))) from None
    notify("Connecting to the band on %s: its app pauses while we talk (a session in progress is ended and saved)."
           % port)
    band = Band(port, t)
    band.sets_clock = set_clock
    try:
        _connect(band, port, set_clock, notify, expect_firmware, pulling, check_room)
    except KeyboardInterrupt:
        # A Ctrl-C (or SIGTERM, SIGHUP) while connecting: the app may be stopped already; run it again,
        # as a command does at its end, rather than leave the band at its REPL with the button dead.
        band.restart_app()
        raise
    return band


def _connect(band: Band, port: str, set_clock: bool, notify: Callable[[str], None], expect_firmware: bool,
             pulling: bool, check_room: bool) -> None:
    t = band.t
    try:
        band.ended_session = _stop_app(t)
        with contextlib.redirect_stdout(io.StringIO()):
            t.enter_raw_repl(soft_reset=True, timeout_overall=5)
    except (TransportError, serial.SerialException, OSError) as e:
        band.close()
        raise RunwalkError("no MicroPython band answers on %s (%s)" % (port, str(e).strip() or "no reply")) from None
    if band.ended_session is not None:
        notify("The band was recording session %d: it is ended and saved (%s stores it)."
               % (band.ended_session, "this pull" if pulling else "`runwalk logs pull`"))
    if set_clock:
        try:
            band.set_clock()
        except BandError as e:
            if "runwalk_board" in str(e):  # ImportError: a bare board, not a clock problem
                band.firmware = False
                if expect_firmware:
                    warn(NO_FIRMWARE % port)
            else:
                warn("could not set the band's clock (%s); new sessions will have no start time" % e)
    if check_room:
        full = room_warning(band)
        if full:
            warn(full)


def room_warning(band: Band) -> str | None:
    """The band's full-flash warning (it refuses to record when full), or None when its next session fits."""
    try:
        from host_tools.band import room

        return room.check(band)
    except (BandError, ValueError, IndexError):
        return None


@contextlib.contextmanager
def connected(port_arg: str | None, restart: bool = True, set_clock: bool = True,
              expect_firmware: bool = True, pulling: bool = False, check_room: bool = True) -> Iterator[Band]:
    """A band for the duration of a command; its app restarts at the end, failed or not.

    expect_firmware=False: the command itself says what a band without firmware means (or installs it).
    """
    band = open_band(port_arg, set_clock=set_clock, expect_firmware=expect_firmware, pulling=pulling,
                     check_room=check_room)
    try:
        yield band
    finally:
        if restart:
            band.restart_app()
        else:
            band.close()
