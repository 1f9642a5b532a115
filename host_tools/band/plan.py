"""The plan on the band: /plan.json, /plan.pos and /plan.hold as the band keeps them (docs/plan-format.md).

`runwalk config push` (a one-off mid-plan), `runwalk plan ...` and `runwalk status` all read or
move the plan through here. The band moves the plan on by itself when a session is done; the
host writes plan.pos only when the runner says so (advance, repeat-week, back), always with the
newest session as `seq`, so no session already run can count later.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from runwalk import logread
from runwalk.plan import done
from runwalk.store import PLAN as _PLAN
from runwalk.store import PLAN_HOLD, PLAN_POS

from host_tools.band import bandfs
from host_tools.band.connection import Band, BandError
from host_tools.errors import RunwalkError
from host_tools.training import plans

PLAN = "/" + _PLAN
POS = "/" + PLAN_POS
HOLD = "/" + PLAN_HOLD  # config.json runs instead of the plan until one of its sessions is done
HOLD_NOTE = ("A plan is active on the band: this workout runs next, once; when it is done (it runs out, or for "
             "a workout with open segments a long press ends it) the plan goes on, and that session does not "
             "count for the plan. `runwalk plan advance` sets it aside.")


@dataclass
class OnBand:
    doc: dict[str, Any]
    step: int  # the next session to run, from 0 (= sessions: finished)
    held: bool  # a one-off (config.json) runs first

    @property
    def finished(self) -> bool:
        return self.step >= len(self.doc["sessions"])


def parse(raw: bytes, pos_raw: bytes | None, held: bool) -> OnBand:
    """The plan from the band's file contents; RunwalkError if the band cannot run it."""
    try:
        doc = plans.load_text(raw, "the band's plan.json", band=True)
    except RunwalkError as e:
        # The band skips such a plan and runs config.json: say how to get out of it.
        raise RunwalkError("%s; the band runs its config.json instead (`runwalk plan stop` removes the plan, "
                           "`runwalk plan push FILE` replaces it)" % e) from None
    pos = None
    if pos_raw is not None:
        try:
            pos = json.loads(pos_raw)
        except ValueError:
            pos = None
    step = 0
    if isinstance(pos, dict) and pos.get("id") == doc["id"] and type(pos.get("step")) is int and pos["step"] >= 0:
        step = pos["step"]
    return OnBand(doc, step, held)


def damaged(pos_raw: bytes | None) -> bool:
    """True if the band takes plan.pos as damaged (runwalk.planload.position): there, but not a JSON
    object of at most 320 bytes with text `id`, whole-number `step` (from 0) and `seq`."""
    if pos_raw is None:
        return False
    try:
        pos = json.loads(pos_raw) if len(pos_raw) <= 320 else None
    except (ValueError, RecursionError):
        return True
    return not (isinstance(pos, dict) and isinstance(pos.get("id"), str) and type(pos.get("step")) is int
                and pos["step"] >= 0 and type(pos.get("seq")) is int)


def recovered(doc: dict[str, Any], logs: list[tuple[dict[str, Any] | None, int | None]]) -> int:
    """Where the band finds its place in the plan doc when plan.pos is damaged (runwalk.planload,
    docs/plan-format.md): logs are the (header, END reason) of its newest closed sessions, newest
    first (8 at most): the step the newest one with a `plan` ran, plus one if it was done; 0 if that
    is another plan's or none has one."""
    for header, end in logs[:8]:
        ran = header.get("plan") if header else None
        if not isinstance(ran, dict):
            continue  # a one-off (config.json): further back
        step = ran.get("step")
        if ran.get("id") != doc["id"] or type(step) is not int or step < 0:
            return 0
        if step < len(doc["sessions"]):
            steps = doc["workouts"][doc["sessions"][step]["workout"]]["steps"]
            if end is not None and done(end, steps):
                return step + 1
        return step
    return 0


def read(band: Band) -> OnBand | None:
    """The band's plan, or None; RunwalkError for a plan.json the band cannot run."""
    raw = bandfs.read_file(band, PLAN)
    if raw is None:
        return None
    try:
        pos_raw = bandfs.read_file(band, POS)
    except BandError:
        pos_raw = b""  # a directory where plan.pos belongs: damaged, as the band takes it
    p = parse(raw, pos_raw, bandfs.exists(band, HOLD))
    if damaged(pos_raw):
        # The band found its place from its logs (and wrote plan.pos again, where it could).
        logs = []
        for f in sorted((f for f in bandfs.list_logs(band) if f.state in ("closed", "pulled")),
                        key=lambda f: f.seq, reverse=True)[:8]:
            try:
                d = logread.decode(bandfs.read_file(band, f.path) or b"")
            except (ValueError, KeyError, TypeError):
                d = {"header": None, "end": None}
            logs.append((d.get("header"), d.get("end")))
        p.step = recovered(p.doc, logs)
    return p


def hold(band: Band) -> bool:
    """After a workout push: if a plan is active, let that workout run first (plan.hold). True if so."""
    if not bandfs.exists(band, PLAN):
        return False
    if not bandfs.exists(band, HOLD):
        bandfs.write_atomic(band, HOLD, b"")
    return True


def runs_note(band: Band) -> str | None:
    """What `config show` must say first when the band runs a plan's session rather than config.json."""
    if not bandfs.exists(band, PLAN) or bandfs.exists(band, HOLD):
        return None
    try:
        p = read(band)
    except RunwalkError as e:
        return "The band's plan is not run: %s." % str(e).replace("; the band runs", ", so the band runs", 1)
    if p is None or p.finished:
        return None  # finished: the band is back on config.json
    return ("A plan is active: the band runs the plan's next session, not this workout"
            " (`runwalk plan show` says which).")


def _newest(band: Band) -> bandfs.LogFile | None:
    closed = [f for f in bandfs.list_logs(band) if f.state != "open"]
    return max(closed, key=lambda f: f.seq) if closed else None


def _place(band: Band, doc: dict[str, Any], step: int, newest: bandfs.LogFile | None) -> None:
    # seq: the newest session, so nothing run before this moment counts for the plan later.
    pos = {"id": doc["id"], "step": step, "seq": newest.seq if newest else 0}
    bandfs.write_atomic(band, POS, json.dumps(pos).encode())


def place(band: Band, p: OnBand, step: int) -> None:
    """Put the runner at session `step` (from 0); a one-off waiting stays waiting."""
    _place(band, p.doc, step, _newest(band))


def _ran(band: Band, f: bandfs.LogFile | None) -> dict[str, Any] | None:
    """The plan step the session in f ran (its header's `plan`), or None."""
    if f is None:
        return None
    data = bandfs.read_file(band, f.path)
    try:
        plan = logread.decode(data or b"")["header"].get("plan")
    except (ValueError, KeyError, TypeError, AttributeError):
        return None
    return plan if isinstance(plan, dict) else None


def _ran_before(band: Band, p: OnBand, newest: bandfs.LogFile | None) -> int | None:
    """The number of a session before the newest that ran the plan's due step, among the band's last 8; or None."""
    older = sorted((f for f in bandfs.list_logs(band) if f.state != "open" and (newest is None or f.seq < newest.seq)),
                   key=lambda f: f.seq, reverse=True)[:8]
    for f in older:
        ran = _ran(band, f)
        if ran is not None and ran.get("id") == p.doc["id"] and ran.get("step") == p.step:
            return f.seq
    return None


def advance(band: Band, p: OnBand) -> str:
    """Move past the one-off waiting, or count the plan session the runner last ran; what is next."""
    newest = _newest(band)
    if p.held:
        _place(band, p.doc, p.step, newest)  # the one-off's sessions never count
        bandfs.remove_all(band, [HOLD])
        return "The one-off workout is set aside: the plan goes on. " + plans.where(p.doc, p.step)
    if p.finished:
        raise RunwalkError("the plan is already finished")
    ran = _ran(band, newest)
    if ran is None or ran.get("id") != p.doc["id"] or ran.get("step") != p.step:
        earlier = _ran_before(band, p, newest)
        if earlier is not None:
            # Run and ended early, then a one-off after it: only the band's last session counts (design), and
            # "has not been run yet" sent the runner looking for a session they had run.
            raise RunwalkError("session %d of the plan was run (session %d on the band), but session %d came after "
                               "it, so it cannot be counted any more: only the band's last session counts. Run it "
                               "again; if you end it early, `runwalk plan advance` then counts it"
                               % (p.step + 1, earlier, newest.seq if newest else 0))
        raise RunwalkError("session %d of the plan has not been run yet, so there is nothing to count (run it; "
                           "if you end it early, `runwalk plan advance` then counts it)" % (p.step + 1))
    _place(band, p.doc, p.step + 1, newest)
    return "Session %d counted. %s" % (p.step + 1, plans.where(p.doc, p.step + 1))
