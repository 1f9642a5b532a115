"""docs/performance.md from the results of one bench run (bench/run.py)."""

from __future__ import annotations

import os
import platform
import time
from collections.abc import Callable
from typing import Any

from host_tools.band import energy


def _ok(good: bool) -> str:
    return "met" if good else "**not met**"


def _kb(n: float) -> str:
    return "%.1f KB" % (n / 1024)


def _band(w: Callable[[str], None], hw: dict[str, Any]) -> None:
    """The figure for a band, per board (bench/run.py band_figure says how it is made)."""
    w("### A band's peak, per board")
    w("")
    w("Each board's module (`boards/BOARD.py`) imported whole over a stand-in `machine` and kept for the whole "
      "6-hour run on the 32-bit port, so its code shares the heap with the firmware's, as on a band. At every "
      "wake the heap is measured less what interned names hold; the bench's board stand-in and the stand-in "
      "`machine` (built into a band's firmware) are taken off. A band's names are counted as its port holds "
      "them: those the `.mpy` files the run loaded intern (their qstr tables), each module's file and short "
      "name, and `main.py`'s, less those the port has built in (its MicroPython stubs, and the names both the "
      "unix and the WebAssembly ports have built in: core MicroPython's). What they take (their pools and "
      "text) is measured by interning as many names of the same sizes into a fresh 32-bit interpreter "
      "(`bench/run.py` `band_figure`, `bench/portnames.py`).")
    w("")
    w("| board | peak, less names | less the stand-ins' code | a band's names (pools) | their heap "
      "| **a band's peak** | the same with 300 names |")
    w("| --- | --- | --- | --- | --- | --- | --- |")
    for board, b in sorted(hw["bands"].items()):
        w("| `%s`%s | %s | %s | %d (%d) | %s | **%s** | %s |" % (
            board, " (recommended)" if board == energy.RECOMMENDED else "", _kb(b["peak_unnamed"]),
            _kb(b["stand_in"] + b["machine"]), b["names"], b["pools"], _kb(b["names_heap"]), _kb(b["band"]),
            _kb(b["band_at_300"])))
    w("")
    worst = max(b["band"] for b in hw["bands"].values())
    most = max(b["names"] for b in hw["bands"].values())
    w("Goal: a peak of 24 KB or less on the boards, which are 32-bit: %s (%s at most, `.mpy` on the filesystem). "
      "MicroPython interns names in pools of 20, 40, 80, 160 and 320 slots; the fifth, about 2.2 KB on a "
      "32-bit port, comes with a band's 301st name. The last column is the band's peak had it only its first "
      "300 names (four pools): %s. The board module alone, "
      "imported into a fresh interpreter, takes %s (the recommended board's: its code, its names and "
      "`runwalk.edges`)." % (_ok(worst <= 24 * 1024), _kb(worst),
                             "what a diet of names alone could bring, code unchanged" if most > 300 else
                             "every band has %d names or fewer, so it is the peak itself, and a name more than "
                             "300 would add the fifth pool (docs/design.md, the firmware)" % most,
                             _kb(hw["board_heap"])))
    w("")
    for _, b in sorted(hw["bands"].items()):
        w("    " + b["command"])
    w("")


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
          "had to do at that moment. The board modules add their own wakes on real hardware (sleeps cut under a "
          "watchdog, the nRF's RTC1 overflow): the energy model below counts those from each sleep's length.")
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
        _memory(w, hp, res.get("heap_rom"), res.get("heap_wasm"))
        if res.get("heap_sim"):
            _sim_heap(w, res["heap_sim"])
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
        rr = res.get("ready_rom")
        w("| import to ready (import the app from `.mpy` on the filesystem, recover logs, load the config), "
          "median of %d | %.1f ms (max %.1f ms) |" % (rd["runs"], rd["median_ms"], rd["max_ms"]))
        if rr:
            w("| the same, the `.mpy` files in ROMFS (mounting the image included) | %.1f ms (max %.1f ms) |"
              % (rr["median_ms"], rr["max_ms"]))
        w("| the same from the filesystem, whole unix-port process from spawn to exit | %.0f ms |"
          % rd["process_median_ms"])
        w("")
        w("    " + rd["command"])
        if rr:
            w("    " + rr["command"])
        w("")
    en = res.get("energy")
    if en:
        w("## Energy")
        w("")
        w("The energy model (`host_tools/band/energy.py`) applied to the 4:1 trace above (the session, and the 2 idle "
          "hours after it), for each board's published current figures (sources in `host_tools/band/energy.py` and "
          "`boards/README.md`). The session ran the motor %.1f s, %.1f s at full-strength equivalent (cues at "
          "%d %%, heads-up taps at %d %%). Days between charges: a 100 mAh cell, three 45-minute sessions a week."
          % (en["motor_on_s"], en["motor_level_s"], en["intensity"], en["warn_level"]))
        w("")
        w("    " + en["command"])
        w("")
        w("| board | MCU wakes per workout hour (x the firmware's) | workout | motor share | idle | "
          "days between charges |")
        w("| --- | --- | --- | --- | --- | --- |")
        fw_h = en["firmware_wakes_per_h"]
        for key, b in en["boards"].items():
            mark = " (recommended)" if key == energy.RECOMMENDED else ""
            w("| %s%s | %.0f (%.2fx) | %.3f mAh/h | %.0f %% | %.3f mAh/day | %.0f |"
              % (b["name"], mark, b["mcu_wakes_per_h"], b["mcu_wakes_per_h"] / fw_h, b["workout_mah_per_h"],
                 100 * b["motor_share"], b["idle_mah_per_day"], b["days"]))
        w("")
        w("MCU wakes are the firmware's (%.0f per workout hour) plus those the board module or its port adds: "
          "%s. Goal: at most twice the firmware's on every board: %s."
          % (fw_h, "; ".join(b["extra"] for b in en["boards"].values()),
             _ok(all(b["mcu_wakes_per_h"] <= 2 * fw_h for b in en["boards"].values()))))
        w("")
        w("Idle, each board sleeps its light sleep for its first hours and then its deepest: %s. The days count "
          "three equal idle spells a week (%.0f h each), each ended by the click that starts a session."
          % ("; ".join(b["idle_how"] for b in en["boards"].values()), en["gap_h"]))
        rec = en["boards"][energy.RECOMMENDED]
        w("")
        w("Every session dated on the recommended board: its idle spells (%.0f h) stay under the %.0f days after "
          "which it would enter System OFF and lose the wall clock: %s."
          % (en["gap_h"], rec["off_after_h"] / 24, _ok(en["gap_h"] < rec["off_after_h"])))
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


def _sim_heap(w: Any, hs: dict[str, Any]) -> None:
    w("### The virtual band at 64 KB")
    w("")
    w("The smallest `--heap` (1 KB steps) in which a fresh virtual band (`runwalk sim --mpy`: the firmware as "
      "`.mpy` on its littlefs, the sim's own objects in the same 64-bit heap, docs/sim.md) boots its workout "
      "without an error and records a whole session:")
    w("")
    w("| workout | smallest heap | at `--heap 64k` |")
    w("| --- | --- | --- |")
    for key, name in (("default", "the built-in default (Galloway 4:1), a click then a long press"),
                      ("long", "the 6-hour 15 s : 15 s, a click, to its end")):
        f = hs[key]
        w("| %s | %s | %s |" % (name, "%d KB" % f["min_kb"] if f["min_kb"] else "more than 96 KB",
                                 "boots and records" if f["at_64k"] else "**fails**"))
    w("")
    for key in ("default", "long"):
        w("    " + hs[key]["command"])
    w("")


def _memory(w: Any, hp: dict[str, Any], hr: dict[str, Any] | None, hw: dict[str, Any] | None) -> None:
    cols = [("64-bit unix port, `.mpy` on the filesystem", hp)]
    if hr:
        cols.append(("64-bit unix port, `.mpy` in ROMFS", hr))
    if hw:
        cols.append(("32-bit WebAssembly port, `.mpy` on the filesystem", hw))
    w("## Memory")
    w("")
    w("The 6-hour 15 s : 15 s workout (1440 segments) through the firmware's app loop, started by a click, the "
      "firmware imported from `.mpy` files (mpy-cross), on a headless board stand-in (`bench/bandboard.py` on the "
      "core tests' fake board, `tests/core/fakeboard.py`, both compiled to `.mpy` like the firmware). The heap in "
      "use is read after a garbage collection at every "
      "sleep (%d of them); the peak is the largest. Three interpreters:" % hp["sleeps"])
    w("")
    w("- **64-bit unix port, filesystem**: the band's littlefs, as `runwalk deploy` puts the files; importing "
      "copies their bytecode into the heap.")
    w("- **64-bit unix port, ROMFS**: a ROMFS image (`mpremote.romfs.make_romfs`) mounted with `vfs.VfsRom`; "
      "bytecode and constants run in place, as from a board's ROMFS flash partition. The harness reads the image "
      "into the heap, which a board does not (its partition is memory-mapped flash): that block is measured and "
      "taken off every ROMFS figure.")
    w("- **32-bit WebAssembly port, filesystem** (`@micropython/micropython-webassembly-pyscript` from npm, in "
      "Node.js): pointers and object headers of 4 bytes, as on the Pico, the XIAO ESP32-C3 and the XIAO "
      "nRF52840, so this is the figure for the boards. It collects garbage only between calls from JavaScript, "
      "so `bench/wasmband.mjs` runs one wake of the app loop per call and measures between them. Its heap "
      "grows on demand, so it has no smallest-heap figure.")
    w("")
    w("| figure | " + " | ".join(c[0] for c in cols) + " |")
    w("| --- |" + " --- |" * len(cols))

    def row(name: str, key: str) -> None:
        w("| %s | %s |" % (name, " | ".join(_kb(c[1][key]) if c[1].get(key) is not None else "-" for c in cols)))

    row("**peak heap in use**", "peak_live")
    row("the same, with the names of the recommended board's module (`boards/%s.py`) interned too"
        % energy.RECOMMENDED, "board_peak_live")
    row("smallest heap (`-X heapsize`) the workout completes in (bisection, 256-byte steps)", "min_heapsize")
    row("in use after importing the app", "import_heap")
    row("in use at ready (config loaded, boot-only modules gone)", "ready_heap")
    row("of these, the board stand-in's own code and names (`import bandboard`, before the firmware)", "stand_in_heap")
    for label, n, pools in (("", "qstrs", "qstr_pools"),
                            (", with the board module's names", "board_qstrs", "board_qstr_pools")):
        w("| interned names (qstrs) at the end%s, and the pools holding them | %s |" % (label, " | ".join(
            "%d in %d" % (c[1][n], c[1][pools]) if c[1].get(n) is not None else "-" for c in cols)))
    w("")
    if hw:
        _band(w, hw)
    for _, c in cols:
        for k in ("command_peak", "command_bisect", "command", "command_board", "command_board_heap"):
            if c.get(k):
                w("    " + c[k])
    w("")
    if hr:
        w("The ROMFS image is %d bytes; read into the harness's heap it took %d bytes, taken off above."
          % (hr["image_bytes"], hr["image_heap"]))
        w("")
    w("What the figures include: the board stand-in and everything the firmware keeps during a session. A real "
      "board module interns more names than the stand-in: the second row loads the recommended board's module "
      "for its names (its import stops at the first `machine` name the port lacks, after all its names are "
      "interned). The segments are not stored: the band walks the step tree with a cursor, so a workout's "
      "length does not change its RAM. Boot-only modules (the validator, the log reader, the plan reader, "
      "start-up) leave the heap before the first session, but the names they intern stay for good, so they are "
      "kept few. The interned-name pools hold 20, 40, 80, 160 and 320 names: a fifth pool comes with the 301st "
      "name (%s)." % ("which is most of the step between the first two rows"
                      if hw and hw.get("qstr_pools") != hw.get("board_qstr_pools")
                      else "the firmware and the stand-in alone have more than 300, so both rows hold five pools"))
    w("")
    w("Not measured: a board itself. The WebAssembly port is MicroPython 1.27 (the boards' firmware may differ); "
      "its object layout is a 32-bit one, but a board's port has its own static names and heap settings.")
    w("")
