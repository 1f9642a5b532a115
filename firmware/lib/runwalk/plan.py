# A progression plan on the band: /plan.json (written by the host) holds the
# plan's workouts and the order of its sessions; /plan.pos (written here, and
# by the host when the runner says so) holds where the runner is. The band
# runs the current step's workout and moves on exactly once per session done.
# Format: docs/plan-format.md.
#
# This module owns the plan's state and stays in RAM for the whole session, so
# it is kept small and loads nothing: runwalk.startup reads plan.json with
# runwalk.planload (boot-only, a pure reader) and hands the result to take().
#
# A session is done when it ran to its end (its last segment ran out, or was
# double-clicked away), or when its workout has an open segment and a long
# press ended it: such a workout has no set length, and the long press is how
# it ends (free mode). A timed workout ended early is not done.
#
# Crash safety: plan.pos is replaced atomically (old or new, never half), and
# it names the last session it counted ("seq"). The one moment a power cut
# can split is between a done session's log closing and plan.pos being
# written; at boot the newest closed log is checked (planload), so that
# session still counts, and counts once.
#
# plan.hold (written by the host when it pushes a one-off workout, such as the
# Magic Mile test, while a plan is active): config.json runs instead of the
# plan until a session of it is done; that session never counts for the plan.
import json

from . import const
from .store import _exists, _remove, write_atomic

_POS_MAX = const(320)  # plan.pos is read this much at most (runwalk.planload.position)

# Other modules' constants, copied (tests/test_private_copies.py holds them to their
# sources): a module's public name would cost the band RAM for good.
_END_COMPLETED = const(0)  # runwalk.logfmt.END_COMPLETED
_END_STOPPED = const(1)  # runwalk.logfmt.END_STOPPED
_PLAN_POS = const("plan.pos")  # runwalk.store.PLAN_POS
_PLAN_HOLD = const("plan.hold")  # runwalk.store.PLAN_HOLD


def open_ended(steps):
    """True if a workout's steps hold an open segment ("s": null)."""
    for s in steps:
        if "repeat" in s:
            if open_ended(s["steps"]):
                return True
        elif s["s"] is None:
            return True
    return False


def done(reason, steps):
    """Whether a session that ended for `reason` (runwalk.logfmt END_*) counts as done."""
    return reason == _END_COMPLETED or (reason == _END_STOPPED and open_ended(steps))


class Plan:
    def __init__(self, store):
        self.store = store
        self.id = None  # None: no plan is active
        self.step = 0  # the next session to run, 0-based
        self.total = 0
        self.seq = 0  # the last session counted (or the newest when the plan arrived)
        self.error = None
        self.held = False  # plan.hold: config.json runs until one of its sessions is done

    def active(self):
        return self.id is not None and self.step < self.total

    def info(self):
        """What the log header records: which plan and which step this session runs."""
        return {"id": self.id, "step": self.step, "of": self.total}

    def on_hold(self):
        """True if a one-off (config.json) runs before the plan: the plan's file is not read."""
        self.held = _exists(self.store.path(_PLAN_HOLD))
        if self.held:
            self.id = None
            self.error = None
        return self.held

    def take(self, found):
        """Adopt what runwalk.planload.read found; the config (a dict) of the step due, or None."""
        self.id, self.total, self.step, self.seq, moved, cfg, self.error = found
        if moved:
            self.save()
        if self.error is not None:
            self.id = None
        return cfg

    def refuse(self, why):
        """The step's workout did not validate: the band runs config.json and says why."""
        self.error = "plan.json session " + str(self.step + 1) + ": " + why
        self.id = None

    def save(self):
        text = json.dumps({"id": self.id, "step": self.step, "seq": self.seq})
        try:
            write_atomic(self.store.path(_PLAN_POS), text.encode())
        except OSError:
            pass  # a full flash, a directory at plan.pos: the next boot finds the place again (planload)

    def ended(self, seq, reason, steps):
        """A session ended: if it is done, move on. True if the workout due changed (load it again)."""
        return done(reason, steps) and self.completed(seq)

    def completed(self, seq):
        """A session is done: move to the next step, once. True if the workout due changed."""
        if self.held:
            self._release(seq)
            return True
        if not self.active() or seq <= self.seq:
            return False
        self.step += 1
        self.seq = seq
        self.save()
        return True

    def _release(self, seq):
        # The one-off session is done: the plan goes on, and that session never
        # counts for it (plan.pos first: a cut in between only runs it once more).
        p = self.store.path(_PLAN_POS)
        try:
            with open(p, "rb") as f:
                pos = json.loads(f.read(_POS_MAX))  # (a damaged one: its place is found at the next boot)
            pos["seq"] = seq
            write_atomic(p, json.dumps(pos).encode())
        except (OSError, ValueError, KeyError, TypeError, IndexError, MemoryError, RuntimeError):
            pass  # none: the plan starts afresh at the next boot; damaged: found again then
        _remove(self.store.path(_PLAN_HOLD))
        self.held = False
