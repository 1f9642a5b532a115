"""What the band did, from a sim trace, as a runner would tell it: sessions,
segments, and every cue with the pulses the motor really played.

    python -m host_tools.sim.timeline TRACE.jsonl
    runwalk sim ... --until-idle --show
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

CUE_GAP_MS = 400  # a pause this long in the motor separates two cues (runwalk.cues.CUE_GAP)


def load(path: Path) -> list[dict[str, Any]]:
    out = []
    for line in Path(path).read_text().splitlines():
        try:
            out.append(json.loads(line))
        except ValueError:
            continue
    return out


def bursts(events: list[dict[str, Any]]) -> list[tuple[int, list[int]]]:
    """The motor's pulse trains: (start ms, [on, off, on, ...] durations)."""
    out: list[tuple[int, list[int]]] = []
    last_t = None
    on_since = None
    for e in events:
        if e.get("ev") != "motor":
            continue
        t = e["t"]
        if e["on"]:
            if on_since is not None:
                continue
            if last_t is not None and out and t - last_t < CUE_GAP_MS:
                out[-1][1].append(t - last_t)
            else:
                out.append((t, []))
            on_since = t
        elif on_since is not None:
            out[-1][1].append(t - on_since)
            on_since = None
            last_t = t
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

    for pattern, n in cues.NAMES.items():
        if n == name:
            return list(pattern)
    return []


def _cue_at(events: list[dict[str, Any]], n: int, name: str, default: int) -> int:
    """The `at` of the cue `name` among the few events after events[n]."""
    for e in events[n + 1 : n + 6]:
        if e.get("ev") == "cue" and e.get("name") == name:
            return int(e.get("at", default))
    return default


def describe(events: list[dict[str, Any]], measured: bool = True) -> list[str]:
    """One line per session change, segment and cue; times from the session start.

    measured: show the pulses the motor played (exact in headless runs); otherwise
    each cue's designed pattern (for real-time runs at high speed, where one real
    millisecond is many virtual ones)."""
    trains = bursts(events)
    used: set[int] = set()
    lines: list[str] = []
    t0 = None
    for n, e in enumerate(events):
        ev = e.get("ev")
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
            how = "completed" if e.get("completed") else "ended early (%s)" % e.get("reason", "?")
            lines.append("  %9s  session %s" % (when, how))
        elif ev == "cue":
            # The pulses it played: the next unused train from when it was due.
            at = e.get("at", e["t"])
            felt = "" if measured else pulses(designed(e["name"]))
            for i, (start, p) in enumerate(trains if measured else ()):
                if i not in used and start >= at:
                    used.add(i)
                    felt = pulses(p)
                    break
            lines.append("  %9s      cue %-7s %s" % (clock(at - t0), e["name"], felt))
    return lines


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
