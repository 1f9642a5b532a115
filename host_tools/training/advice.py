"""Advice from the runner's own sessions of a plan: go on, repeat the week, or go back one ratio step.

Galloway's rule is to adjust to how the runs go: more walking when tired, progress when the runs
finish easily. The last sessions of the plan (up to a week's worth, at least 3) say which:

- two or more ended early (a long press before the end): go back one ratio step (`runwalk plan back`);
- one ended early, or half of them paused a lot: repeat the week (`runwalk plan repeat-week`);
- otherwise: go on (the band moves on by itself).

"Paused a lot": PAUSES_A_LOT pauses or more, or paused for a tenth of the session or more. Sessions a
power cut or the USB connection ended say nothing about the runner and are left out. A session is
done as the band counts it (runwalk.plan.done: a long press is the end of an open-ended workout).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from runwalk import logfmt, logread
from runwalk.plan import done

from host_tools.store import db, model
from host_tools.training import plans

PAUSES_A_LOT = 3
PAUSED_SHARE = 10  # percent of the session
LOOK_BACK = 3  # sessions at least (a week's worth if the plan has more a week)


@dataclass(frozen=True)
class Outcome:
    step: int  # the plan session it ran, from 0
    done: bool
    ended_early: bool
    pauses: int
    paused_a_lot: bool
    ratio: str | None  # the run:walk ratio of its workout


@dataclass(frozen=True)
class Advice:
    summary: str  # what the last sessions were
    action: str  # "go on", "repeat-week" or "back"
    line: str  # the next step, in words, with the command


def outcome(raw: bytes, plan_id: str) -> Outcome | None:
    """How one stored session of the plan went, or None if it is not one of its sessions."""
    try:
        header = logread.decode(raw)["header"]
    except (ValueError, KeyError, TypeError):
        return None
    plan = header.get("plan") if isinstance(header, dict) else None
    if not isinstance(plan, dict) or plan.get("id") != plan_id or type(plan.get("step")) is not int:
        return None
    s = model.from_log(raw)
    if s.end_reason not in ("completed", "stopped"):
        return None  # a power cut, the USB connection, a fault: nothing about how the run went
    reason = logfmt.END_NAMES.index(s.end_reason)
    ok = done(reason, header.get("steps") or [])
    paused = s.paused_ms()
    a_lot = len(s.pauses) >= PAUSES_A_LOT or (s.duration_ms > 0 and paused * 100 >= PAUSED_SHARE * s.duration_ms)
    return Outcome(plan["step"], ok, not ok, len(s.pauses), a_lot, _header_ratio(header))


def _header_ratio(header: dict[str, Any]) -> str | None:
    from host_tools.errors import RunwalkError
    from host_tools.training import plans

    try:
        return plans.ratio_text({"schema": 1, "name": header.get("name") or "workout", "steps": header["steps"]})
    except (RunwalkError, KeyError, TypeError, ValueError):
        return None


def since_moved_back(found: list[Outcome], step: int | None = None) -> list[Outcome]:
    """The outcomes since the plan was last moved back (`plan back`, `plan repeat-week`, pushed again),
    oldest first; `step`, the session due now, if known. The band only moves a plan forward (one step
    after a session done), so a session that ran an earlier step than the one before it left due, or a
    step due now before that of the newest, marks a move back: the sessions before it are being run
    again, and the advice they gave has been taken (`plan show` said "go back one ratio step" again
    after `plan back`, and again after the first sessions at the earlier ratio went well)."""
    def after(o: Outcome) -> int:  # the step due after o, unless the plan was moved back
        return o.step + 1 if o.done else o.step

    if step is not None and found and step < after(found[-1]):
        return []
    i = len(found) - 1
    while i > 0 and found[i].step >= after(found[i - 1]):
        i -= 1
    return found[max(i, 0):]


def recent(store: db.Store, doc: dict[str, Any], step: int | None = None) -> list[Outcome]:
    """The plan's last sessions in the store since it was last moved back (since_moved_back; `step`: the
    session due now), oldest first (as many as a week holds, at least LOOK_BACK)."""
    found = [o for o in (outcome(r.raw, doc["id"]) for r in store.all()) if o is not None]
    return since_moved_back(found, step)[-max(LOOK_BACK, plans.per_week(doc)):]


def advise(outcomes: list[Outcome], can_go_back: bool) -> Advice | None:
    if not outcomes:
        return None
    n = len(outcomes)
    early = sum(o.ended_early for o in outcomes)
    paused = sum(o.paused_a_lot for o in outcomes)
    parts = ["%d completed" % (n - early)]
    if early:
        parts.append("%d ended early (long press)" % early)
    if paused:
        parts.append("%d paused a lot" % paused)
    summary = "Your last %d session%s of this plan: %s." % (n, "" if n == 1 else "s", ", ".join(parts))
    if early >= 2 and can_go_back:
        return Advice(summary, "back", "Next step: go back one ratio step, more walking for a while "
                                       "(`runwalk plan back`).")
    if early or 2 * paused >= n and paused:
        return Advice(summary, "repeat-week", "Next step: repeat the week before moving on "
                                              "(`runwalk plan repeat-week`).")
    return Advice(summary, "go on", "Next step: go on; the band moves to the next session by itself.")


# -- moving the plan back -----------------------------------------------------------------


def week_start(doc: dict[str, Any], step: int) -> int:
    """The first session of the week of the last session counted (session step - 1): mid-week that
    week starts again; between weeks the week just finished runs once more."""
    sessions = doc["sessions"]
    i = min(max(step - 1, 0), len(sessions) - 1)
    week = sessions[i].get("week", 1)
    while i > 0 and sessions[i - 1].get("week", 1) == week:
        i -= 1
    return i


def _ratio(doc: dict[str, Any], i: int) -> str:
    from host_tools.training import plans

    return plans.ratio_text(doc["workouts"][doc["sessions"][i]["workout"]])


def ratio_step_back(doc: dict[str, Any], step: int) -> int | None:
    """The first session of the ratio before the one due (session `step`, or the last one when the plan
    is finished), or None at the plan's first ratio."""
    i = min(step, len(doc["sessions"]) - 1)
    ratio = _ratio(doc, i)
    while i > 0 and _ratio(doc, i - 1) == ratio:
        i -= 1  # the start of that ratio's sessions
    if i == 0:
        return None
    i -= 1
    prev = _ratio(doc, i)
    while i > 0 and _ratio(doc, i - 1) == prev:
        i -= 1
    return i


def latest_in(rows: list[db.Stored]) -> tuple[list[Outcome], bool] | None:
    """For `runwalk logs list`, without the plan itself: the outcomes of the plan the newest stored plan
    session ran, and whether a ratio step back exists (its ratio is not that of the plan's first session)."""
    for r in reversed(rows):
        try:
            plan = logread.decode(r.raw)["header"].get("plan")
        except (ValueError, KeyError, TypeError, AttributeError):
            continue
        if isinstance(plan, dict) and isinstance(plan.get("id"), str):
            found = since_moved_back([o for o in (outcome(x.raw, plan["id"]) for x in rows) if o is not None])
            if not found:
                return None
            first = [o.ratio for o in found if o.step == 0]
            back = found[-1].ratio != first[0] if first else found[-1].step > 0
            return found[-LOOK_BACK:], back
    return None
