"""What the band did, from a sim trace, as a runner would tell it: sessions,
segments, and every cue with the pulses the motor really played.

    python -m host_tools.sim.timeline TRACE.jsonl
    runwalk sim ... --until-idle --show
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

from host_tools import bandtext

CUE_GAP_MS = 400  # a pause this long in the motor separates two cues (runwalk.cues._CUE_GAP)


def load(path: Path) -> list[dict[str, Any]]:
    out = []
    for line in bandtext.decode(Path(path).read_bytes()).split("\n"):  # not splitlines: U+2028 is text
        try:
            out.append(bandtext.cleaned(json.loads(line)))
        except ValueError:
            continue
    return out


def _motor_changes(events: list[dict[str, Any]]) -> list[tuple[int, bool]]:
    """(t, on) each time the motor switched on or off (level changes while on are one pulse)."""
    out: list[tuple[int, bool]] = []
    for e in events:
        if e.get("ev") == "motor" and (not out or out[-1][1] != bool(e["on"])):
            out.append((e["t"], bool(e["on"])))
    return out


def _played(changes: list[tuple[int, bool]], start: int, end: float, size: int) -> tuple[list[int], int, bool]:
    """The pulses played from `start` until `end` (a newer cue took the motor), or until the
    pattern is over: `size` on/off steps played (0: unknown), or the motor off CUE_GAP_MS.
    Returns them, when they ended, and whether the newer cue cut them short."""
    on = False
    for t, state in changes:
        if t > start:
            break
        on = state
    p: list[int] = []
    since = start if on else None  # a cue that replaces another starts while the motor may be on
    last = start
    for t, state in changes:
        if t <= start:
            continue
        if t >= end or (size and len(p) >= size):
            break
        if state and since is None:
            if t - last >= (CUE_GAP_MS if p else 2 * CUE_GAP_MS):
                break  # a gap ends the pattern; a cue plays at once (a queued one after the gap)
            if p:
                p.append(t - last)
            since = t
        elif not state and since is not None:
            p.append(t - since)
            since = None
            last = t
    cut = bool(size) and len(p) < size
    if since is not None and end != float("inf") and end > since:
        # Still on when the next cue took over: it was cut there.
        p.append(int(end) - since)
        last = int(end)
        cut = True
    return p, last, cut


def felt(events: list[dict[str, Any]]) -> dict[int, tuple[list[int], bool, int]]:
    """For each `cue` event (by its index in events): the pulses the motor played for it,
    whether a newer cue cut them short, and when it began to play.

    A cue owns the motor from its `at` until the next cue that is not queued (a new
    cue cuts the one playing); a queued cue starts once the one before it is over."""
    changes = _motor_changes(events)
    cues = [(n, e) for n, e in enumerate(events) if e.get("ev") == "cue"]
    out: dict[int, tuple[list[int], bool, int]] = {}
    prev_end = None
    for k, (n, e) in enumerate(cues):
        start = int(e.get("at", e["t"]))
        if e.get("queued") and prev_end is not None:
            start = max(start, prev_end)
        end: float = float("inf")
        for _, later in cues[k + 1 :]:
            if not later.get("queued"):
                end = int(later.get("at", later["t"]))
                break
        p, prev_end, cut = _played(changes, start, end, len(designed(e["name"])))
        began = int(e.get("at", e["t"]))
        if e.get("queued") and p:
            # Felt once the cue before it is over, not at its `at` (the session's time 0).
            began = next((t for t, state in changes if state and start <= t < end), began)
        out[n] = (p, cut, began)
    return out


def clock(ms: int) -> str:
    s, ms = divmod(max(ms, 0), 1000)
    h, s = divmod(s, 3600)
    m, s = divmod(s, 60)
    text = "%d:%02d:%02d" % (h, m, s) if h else "%d:%02d" % (m, s)
    return text + ".%d" % (ms // 100)


def pulses(p: list[int]) -> str:
    """[400, 200, 400] -> '400 _200_ 400' (buzz, pause, buzz in ms)."""
    return " ".join(str(d) if i % 2 == 0 else "_%d_" % d for i, d in enumerate(p))


def designed(name: str) -> list[int]:
    """A cue's pattern as the firmware defines it (runwalk.cues)."""
    from runwalk import cues

    if name in cues.NAMES:
        return list(cues.pattern(cues.NAMES.index(name)))
    return []


def ended(e: dict[str, Any]) -> str:
    """A session `end` event in the words `runwalk logs show` uses: 'ended early (long press)'."""
    from host_tools.store.model import END_WORDS

    if e.get("completed"):
        return "completed"
    reason = str(e.get("reason", "?"))
    return END_WORDS.get(reason, "ended early (%s)" % reason)


def storage_trouble(e: dict[str, Any]) -> str:
    """A `full` or `log_error` event in words."""
    if e.get("ev") == "full":
        return "flash full: no session started (%s bytes free; runwalk logs pull frees it)" % e.get("free", "?")
    err = str(e.get("error"))  # MicroPython's OSError prints as its bare errno
    if err.isdigit():
        err = "%s (errno %s)" % (os.strerror(int(err)), err)
    return "session log error: %s: the session is not recorded" % err


def refusals(events: list[dict[str, Any]]) -> list[str]:
    """Why the band refused its config.json, for each power-on that did: the reason and what it runs."""
    return ["%s; it runs '%s'" % (e["error"], e.get("workout")) for e in events if e.get("ev") == "ready"
            and e.get("error")]


def _cue_at(events: list[dict[str, Any]], n: int, name: str, default: int) -> int:
    """The `at` of the cue `name` among the few events after events[n]."""
    for e in events[n + 1 : n + 6]:
        if e.get("ev") == "cue" and e.get("name") == name:
            return int(e.get("at", default))
    return default


def describe(events: list[dict[str, Any]], measured: bool = True, battery_mv: int | None = None) -> list[str]:
    """One line per session change, segment and cue; times from the session start.

    measured: show the pulses the motor played (exact in headless runs); otherwise
    each cue's designed pattern (for real-time runs at high speed, where one real
    millisecond is many virtual ones), or what was played of it if it was cut short.
    battery_mv: the cell's voltage, which designs the battery check's pattern (without
    it the check shows what was measured, whose gaps a busy host can stretch)."""
    played = felt(events)
    lines: list[str] = []
    t0 = None
    idle_at = -1  # len(lines) after the last idle cue: the next one right after it shares its heading
    for n, e in enumerate(events):
        ev = e.get("ev")
        if ev == "ready" and e.get("error"):
            lines.append("")
            lines.append("config.json refused: " + refusals([e])[0])
        if ev == "full":
            lines.append("")
            lines.append("at sim time %s, %s" % (clock(e["t"]), storage_trouble(e)))
        if ev == "log_error" and t0 is not None:
            lines.append("  %9s  %s" % (clock(e["t"] - t0), storage_trouble(e)))
        if ev == "session" and e.get("what") == "start":
            # Cue times (`at`) are the band's exact ticks; `t` is when it woke to act,
            # later in real time at high speed. The first segment's cue, queued
            # behind the start cue, carries the session's time 0.
            t0 = e["t"]
            for x in events[n + 1 : n + 6]:
                if x.get("ev") == "cue" and x.get("queued"):
                    t0 = int(x.get("at", t0))
                    break
            lines.append("")
            lines.append("session %s  (sim time %s)" % (e.get("seq", "?"), clock(t0)))
        if ev == "cue" and e.get("name") in IDLE_CUES:
            # Played with no session running (a long press in idle, a refused config at power-on,
            # a click on a full flash): told at the sim's time, not as part of the last session.
            if idle_at != len(lines) and not (e["name"] == "full" and lines and "flash full" in lines[-1]):
                lines.append("")
                lines.append("idle  (sim time)")
            at = played.get(n, ([], False, e.get("at", e["t"])))[2]
            lines.append("  %9s      cue %-7s %s" % (clock(at), e["name"], _cue_text(e, played.get(n), measured,
                                                                                     battery_mv)))
            idle_at = len(lines)
            continue
        if t0 is None:
            continue
        when = clock(e["t"] - t0)
        if ev == "segment":
            when = clock(_cue_at(events, n, e["kind"], e["t"]) - t0)
            label = " (%s)" % e["label"] if e.get("label") else ""
            lines.append("  %9s  segment %d: %s%s" % (when, e["index"] + 1, e["kind"], label))
        elif ev == "session" and e.get("what") in ("pause", "resume"):
            lines.append("  %9s  %s" % (when, e["what"]))
        elif ev == "session" and e.get("what") == "end":
            lines.append("  %9s  session %s" % (when, ended(e)))
        elif ev == "cue":
            at = played.get(n, ([], False, e.get("at", e["t"])))[2]
            lines.append("  %9s      cue %-7s %s" % (clock(at - t0), e["name"], _cue_text(e, played.get(n), measured,
                                                                                         battery_mv)))
    return lines


# The cues a band plays with no session running: the battery check (a long press in idle), the
# error cue (config.json refused at power-on) and the flash-full cue (a click with no room).
IDLE_CUES = ("battery", "error", "full")


def _cue_text(e: dict[str, Any], felt_: tuple[list[int], bool, int] | None, measured: bool,
              battery_mv: int | None) -> str:
    """The pulses a cue played (felt): fewer than designed when a newer cue took over."""
    p, cut, _ = felt_ or ([], False, 0)
    plan = designed(e["name"])  # none for the battery check: its pulses depend on the charge
    if not plan and e["name"] == "battery" and battery_mv is not None:
        from runwalk import cues

        plan = list(cues.pattern(cues.battery(battery_mv)))
    how = pulses(p if measured or cut or not plan else plan)
    if not p:
        how = "(not played: a newer cue took the motor)"
    elif cut:
        how += "  (cut short by the next cue)"
    return how


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m host_tools.sim.timeline TRACE.jsonl", file=sys.stderr)
        return 2
    for line in describe(load(Path(args[0]))):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
