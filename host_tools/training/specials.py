"""Workouts for training features: the Magic Mile test, free mode and sprint intervals.

All are schema-1 configs checked with the firmware's validator. Open segments
(`"s": null`) last until the runner double-clicks; the log keeps each one's
real start and end, which is how the band times the Magic Mile.
"""

from __future__ import annotations

from typing import Any

from runwalk import workout as wk

from host_tools.training.ratios import Ratio
from host_tools.training.workouts import check

MILE_LABEL = "mile"
READY_LABEL = "ready"
RECOVERY_S = 300  # the Magic Mile's recovery walk
STRIDE_S = 20
STRIDE_WALK_S = 40
FREE_REPEATS = wk.MAX_REPEAT  # the most the validator takes (1998 open segments): more switches than any run needs


def magic_mile(strides: int = 4, warn_s: int = 0) -> dict[str, Any]:
    """Warm-up (open), strides, then the mile between two double-clicks, then a 5-minute walk.

    Without strides the double-click that ends the warm-up starts the mile. With them, each
    stride but the last is followed by a 40 s walk that ends with the next stride's cue; the
    last stride's walk is the open "ready" walk, whose double-click starts the mile (so the
    runner never meets two walk cues in a row, and a walk that does not end is the ready one).
    """
    steps: list[dict[str, Any]] = [{"kind": "walk", "s": None, "label": "warmup"}]
    stride = {"kind": "sprint", "s": STRIDE_S, "label": "stride"}
    if strides > 1:
        steps.append({"repeat": strides - 1, "steps": [
            stride, {"kind": "walk", "s": STRIDE_WALK_S, "label": "stride walk"}]})
    if strides:
        steps.append(dict(stride))
        steps.append({"kind": "walk", "s": None, "label": READY_LABEL})
    steps.append({"kind": "run", "s": None, "label": MILE_LABEL})
    steps.append({"kind": "walk", "s": RECOVERY_S, "label": "recovery"})
    cfg = {"schema": 1, "name": "Magic Mile", "steps": steps, "warn_s": warn_s}
    check(cfg)
    return cfg


def magic_mile_gestures(strides: int) -> list[str]:
    """What the runner does on the band for magic_mile(strides), every gesture in order."""
    lines = ["click: the warm-up walk starts; it has no set end"]
    if strides:
        lines.append("double-click when warmed up: %d stride%s of %d s (the sprint cue)%s"
                     % (strides, "" if strides == 1 else "s", STRIDE_S,
                        ", each but the last followed by a %d s walk" % STRIDE_WALK_S if strides > 1 else ""))
        lines.append("after the last stride comes the ready walk (the walk cue, no set end): "
                     "double-click as you start the mile")
    else:
        lines.append("double-click as you start the mile (it ends the warm-up)")
    lines.append("double-click as you finish the mile: a %d-minute recovery walk follows and ends the session "
                 "by itself" % (RECOVERY_S // 60))
    lines.append("a long press ends the test at any time")
    return lines


def free_mode(start: str = "run", name: str | None = None) -> dict[str, Any]:
    """Open run and walk segments alternating: double-click switches, a long press ends."""
    other = "walk" if start == "run" else "run"
    cfg = {"schema": 1, "name": name or "Free run-walk", "warn_s": 0, "steps": [
        {"repeat": FREE_REPEATS, "steps": [{"kind": start, "s": None}, {"kind": other, "s": None}]},
    ]}
    check(cfg)
    return cfg


def sprints(sprint_s: int, recover_s: int, repeats: int = 8, warmup_s: int = 300, cooldown_s: int = 300,
            warn_s: int = 5, name: str | None = None) -> dict[str, Any]:
    """Sprint intervals: warm-up walk, repeats x (sprint, recovery walk), cool-down walk."""
    steps: list[dict[str, Any]] = []
    if warmup_s:
        steps.append({"kind": "walk", "s": warmup_s, "label": "warmup"})
    steps.append({"repeat": repeats, "steps": [
        {"kind": "sprint", "s": sprint_s}, {"kind": "walk", "s": recover_s, "label": "recover"}]})
    if cooldown_s:
        steps.append({"kind": "walk", "s": cooldown_s, "label": "cooldown"})
    # (1m30s sprints were named "Sprints 90s:40s x8": ratios are written one way, as plans write them.)
    cfg = {"schema": 1, "name": name or "Sprints %s x%d" % (Ratio(sprint_s, recover_s).text(), repeats), "steps": steps,
           "warn_s": warn_s}
    check(cfg)
    return cfg
