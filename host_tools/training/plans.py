"""Progression plans: from a start ratio to a target ratio over weeks (docs/plan-format.md).

Run time grows geometrically (each week by the same factor: early weeks, when
a runner is newest to it, add seconds, later weeks minutes), walk time and
session length change linearly, both rounded to values a runner would choose;
a session is whole repeats, rounded up, never shorter than its minutes.
The first week is exactly the start ratio and the last exactly the target.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from pathlib import Path
from typing import Any

from runwalk import store
from runwalk import workout as wk

from host_tools.errors import RunwalkError, UsageError
from host_tools.parse import clock
from host_tools.training import workouts
from host_tools.training.ratios import Ratio

SCHEMA = 1
MAX_PLAN_BYTES = store.MAX_PLAN_BYTES  # what the band reads
MAX_WEEKS = 52
MAX_PER_WEEK = 7
MIN_MINUTES = 5
MAX_MINUTES = 300
MAX_ID = 40


def nice(s: float) -> int:
    """Round to a value a runner would set: 5 s steps under a minute, then 15 s, 30 s, 1 min."""
    for limit, step in ((60, 5), (180, 15), (600, 30)):
        if s < limit:
            return max(5, int(s / step + 0.5) * step)
    return int(s / 60 + 0.5) * 60


def week_ratios(start: tuple[int, int], target: tuple[int, int], weeks: int) -> list[tuple[int, int]]:
    out = []
    for i in range(weeks):
        if i == weeks - 1:
            out.append(target)
        elif i == 0:
            out.append(start)
        else:
            f = i / (weeks - 1)
            run = start[0] * (target[0] / start[0]) ** f
            walk = start[1] + (target[1] - start[1]) * f
            out.append((nice(run), nice(walk)))
    return out


def _plan_id(doc: dict[str, Any]) -> str:
    body = json.dumps({k: v for k, v in doc.items() if k != "id"}, sort_keys=True).encode()
    return hashlib.sha1(body).hexdigest()[:12]


def build(
    start: tuple[int, int],
    target: tuple[int, int],
    weeks: int,
    per_week: int,
    minutes: int,
    start_minutes: int | None = None,
    warmup_s: int = workouts.DEFAULT_WARMUP_S,
    cooldown_s: int = workouts.DEFAULT_COOLDOWN_S,
    warn_s: int = workouts.DEFAULT_WARN_S,
) -> dict[str, Any]:
    """A plan: one workout per week, `per_week` sessions of it, `minutes` of run-walk at the end."""
    if not 1 <= weeks <= MAX_WEEKS:
        raise UsageError("--weeks must be from 1 to %d, got %d" % (MAX_WEEKS, weeks))
    if not 1 <= per_week <= MAX_PER_WEEK:
        raise UsageError("--per-week must be from 1 to %d, got %d" % (MAX_PER_WEEK, per_week))
    first = minutes if start_minutes is None else start_minutes
    for what, m in (("--minutes", minutes), ("--start-minutes", first)):
        if not MIN_MINUTES <= m <= MAX_MINUTES:
            raise UsageError("%s must be from %d to %d, got %d" % (what, MIN_MINUTES, MAX_MINUTES, m))
    docs: list[dict[str, Any]] = []
    sessions: list[dict[str, int]] = []
    for i, (run_s, walk_s) in enumerate(week_ratios(start, target, weeks)):
        f = i / (weeks - 1) if weeks > 1 else 1.0
        length_s = round(first + (minutes - first) * f) * 60
        # Whole repeats, rounded up: a session is never shorter than the minutes asked for.
        repeats = max(1, -(-length_s // (run_s + walk_s)))
        if repeats > wk.MAX_REPEAT:
            raise RunwalkError("week %d (%s) would need %d repeats for %d minutes; the band takes at most %d: "
                               "ask for fewer minutes or a longer ratio" % (
                                   i + 1, Ratio(run_s, walk_s).text(), repeats, length_s // 60, wk.MAX_REPEAT))
        name = "Week %d/%d %s" % (i + 1, weeks, Ratio(run_s, walk_s).text())
        cfg = workouts.from_ratio(run_s, walk_s, repeats, warmup_s, cooldown_s, warn_s, name=name[:wk.MAX_NAME])
        docs.append(cfg)
        sessions.extend({"workout": i, "week": i + 1} for _ in range(per_week))
    doc: dict[str, Any] = {
        "schema": SCHEMA,
        "id": "",
        "name": _name(start, target, weeks),
        "per_week": per_week,
        "workouts": docs,
        "sessions": sessions,
    }
    doc["id"] = _plan_id(doc)
    check(doc)
    return doc


def _name(start: tuple[int, int], target: tuple[int, int], weeks: int) -> str:
    """`30s:30s to 4m:1m in 8 weeks`; one ratio throughout, `4m:1m for 1 week` (a one-week plan runs only
    the target, and was named `30s:30s to 4m:1m in 1 week`)."""
    if weeks == 1 or start == target:
        return "%s for %d week%s" % (Ratio(*target).text(), weeks, "" if weeks == 1 else "s")
    return "%s to %s in %d weeks" % (Ratio(*start).text(), Ratio(*target).text(), weeks)


def check(doc: Any, source: str = "plan", band: bool = False) -> None:
    """Everything the band relies on, checked before the plan leaves the laptop (`band`: a plan read back from
    the band, whose workouts are checked as the band checks them: workouts.check)."""
    def bad(why: str) -> RunwalkError:
        return RunwalkError("%s is invalid: %s" % (source, why))

    if not isinstance(doc, dict):
        raise bad("it must be a JSON object")
    if "steps" in doc and "workouts" not in doc:
        raise RunwalkError("%s is a workout (config.json), not a plan; push it with `runwalk config push --file "
                           "%s`" % (source, source))
    allowed = {"schema", "id", "name", "per_week", "workouts", "sessions"}
    unknown = sorted(set(doc) - allowed)
    if unknown:
        raise bad("unknown key%s %s" % ("s" if len(unknown) > 1 else "", ", ".join(map(repr, unknown))))
    if doc.get("schema") != SCHEMA:
        raise bad("schema must be 1")
    pid = doc.get("id")
    if not isinstance(pid, str) or not 1 <= len(pid) <= MAX_ID:
        raise bad("id must be text of 1 to %d characters" % MAX_ID)
    ws = doc.get("workouts")
    if not isinstance(ws, list) or not ws:
        raise bad("workouts must be a non-empty list of workouts")
    for i, w in enumerate(ws):
        workouts.check(w, "%s workouts[%d]" % (source, i), band)
    ss = doc.get("sessions")
    if not isinstance(ss, list) or not ss:
        raise bad("sessions must be a non-empty list")
    for i, s in enumerate(ss):
        if not isinstance(s, dict) or set(s) - {"workout", "week"}:
            raise bad("sessions[%d] must be an object with 'workout' and 'week'" % i)
        k = s.get("workout")
        if type(k) is not int or not 0 <= k < len(ws):
            raise bad("sessions[%d].workout must be an index into workouts (0 to %d)" % (i, len(ws) - 1))
        wk = s.get("week", 1)
        if type(wk) is not int or wk < 1:
            raise bad("sessions[%d].week must be a week number from 1" % i)
    if len(to_bytes(doc)) > MAX_PLAN_BYTES:
        raise bad("it is larger than the %d bytes the band reads" % MAX_PLAN_BYTES)


def to_bytes(doc: dict[str, Any]) -> bytes:
    # UTF-8, not \u escapes: MicroPython's json leaves an escaped emoji as two lone surrogates.
    return (json.dumps(doc, separators=(",", ":"), ensure_ascii=False) + "\n").encode()


def load_text(data: bytes, source: str, band: bool = False) -> dict[str, Any]:
    doc = workouts.parse_json(data, source)
    check(doc, source, band)
    return doc


def load_file(path: str) -> dict[str, Any]:
    try:
        data = Path(path).read_bytes()
    except OSError as e:
        raise RunwalkError("cannot read %s: %s" % (path, e.strerror or e)) from None
    doc = load_text(data, path)
    check_shown(doc, path)
    return doc


def check_shown(doc: dict[str, Any], source: str) -> None:
    """The keys only the laptop reads (the band runs a plan without them), checked before a plan file
    goes anywhere: a `per_week` of "three" was pushed, and `plan show` then failed with a traceback,
    as `plan show --file` did for a `name` that was no text."""
    name = doc.get("name")
    if "name" in doc and not (isinstance(name, str) and name.strip()
                              and not any(unicodedata.category(c) in ("Cc", "Cs") for c in name)):
        raise RunwalkError("%s is invalid: name must be text, without control characters" % source)
    hidden = workouts.hidden_problem(name, "name") if isinstance(name, str) else None
    if hidden:
        raise RunwalkError("%s is invalid: name: %s" % (source, hidden))
    pw = doc.get("per_week")
    if "per_week" in doc and not (type(pw) is int and pw >= 1):
        raise RunwalkError("%s is invalid: per_week must be a whole number of sessions a week, from 1" % source)


def title(doc: dict[str, Any]) -> str:
    """The plan's name as `plan show` prints it (a plan put on the band by hand may have none)."""
    name = doc.get("name")
    return name if isinstance(name, str) and name.strip() else "The plan"


def per_week(doc: dict[str, Any]) -> int:
    """Sessions a week, 0 if the plan does not say."""
    pw = doc.get("per_week")
    return pw if type(pw) is int and pw > 0 else 0


def is_plan(doc: Any) -> bool:
    return isinstance(doc, dict) and "sessions" in doc and "workouts" in doc


# -- what the runner reads ----------------------------------------------------------


def _summary(cfg: dict[str, Any]) -> tuple[str, int, int]:
    """(ratio text, repeats, total seconds) of a ratio workout; best effort for others."""
    w = workouts.check(cfg, band=True)  # a plan already checked, or the band's own: only shown here
    total = (workouts.total_ms(w) or 0) // 1000
    for step in cfg["steps"]:
        if "repeat" in step and len(step["steps"]) == 2 and all("kind" in s for s in step["steps"]):
            a, b = step["steps"]
            if a["s"] and b["s"]:
                return Ratio(a["s"], b["s"]).text(), step["repeat"], total
    return cfg.get("name", "workout"), 1, total


def ratio_text(cfg: dict[str, Any]) -> str:
    """The run:walk ratio of a plan's workout (its name if it has none)."""
    return _summary(cfg)[0]


def table(doc: dict[str, Any], step: int | None = None) -> list[list[str]]:
    """Rows: week, sessions, run:walk, repeats, total time; `>` marks the step due."""
    rows: list[list[str]] = []
    by_week: dict[int, list[int]] = {}
    for i, s in enumerate(doc["sessions"]):
        by_week.setdefault(s.get("week", 1), []).append(i)
    for week in sorted(by_week):
        idx = by_week[week]
        ratio, repeats, total = _summary(doc["workouts"][doc["sessions"][idx[0]]["workout"]])
        mark = ">" if step is not None and step in idx else ""
        first, last = idx[0] + 1, idx[-1] + 1
        rows.append([mark, str(week), "%d-%d" % (first, last) if last > first else str(first), ratio,
                     str(repeats), clock(total)])
    return rows


def where(doc: dict[str, Any], step: int) -> str:
    """One line: where the runner is in the plan."""
    n = len(doc["sessions"])
    if step >= n:
        return "%s: finished (%d of %d sessions done); the band runs its config.json" % (title(doc), n, n)
    s = doc["sessions"][step]
    week = s.get("week", 1)
    same = [i for i, x in enumerate(doc["sessions"]) if x.get("week", 1) == week]
    cfg = doc["workouts"][s["workout"]]
    ratio, repeats, total = _summary(cfg)
    return "%s: next is session %d of %d (week %d, session %d of %d): %s x %d, %s" % (
        title(doc), step + 1, n, week, same.index(step) + 1, len(same), ratio, repeats, clock(total))
