# A progression plan on the band: /plan.json (written by the host) holds the
# plan's workouts and the order of its sessions; /plan.pos (written here, and
# by the host when the runner says so) holds where the runner is. The band
# runs the current step's workout and moves on exactly once per completed
# session. Format: docs/plan-format.md.
#
# This module stays in RAM for the whole session and is kept small: reading
# plan.json and checking logs is runwalk.planload, which the app drops after
# boot with the other boot-only modules.
#
# Crash safety: plan.pos is replaced atomically (old or new, never half), and
# it names the last session it counted ("seq"). The one moment a power cut
# can split is between a completed session's log closing and plan.pos being
# written; at boot the newest closed log is checked (planload), so that
# session still counts, and counts once.
#
# plan.hold (written by the host when it pushes a one-off workout, such as the
# Magic Mile test, while a plan is active): config.json runs instead of the
# plan until a session of it completes; that session never counts for the plan.
from .store import _exists, _read, _remove, write_atomic

PLAN = "plan.json"
POS = "plan.pos"
HOLD = "plan.hold"


class Plan:
    def __init__(self, store):
        self.store = store
        self.id = None  # None: no plan is active
        self.step = 0  # the next session to run, 0-based
        self.total = 0
        self.seq = 0  # the last session counted (or the newest when the plan arrived)
        self.error = None
        self.held = False  # plan.hold: config.json runs until one of its sessions completes

    def active(self):
        return self.id is not None and self.step < self.total

    def info(self):
        """What the log header records: which plan and which step this session runs."""
        return {"id": self.id, "step": self.step, "of": self.total}

    def save(self):
        import json

        text = json.dumps({"id": self.id, "step": self.step, "seq": self.seq})
        write_atomic(self.store.path(POS), text.encode())

    def completed(self, seq):
        """A session ran to its end: move to the next step, once. Returns True if the
        workout due changed (call reload())."""
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
        # The one-off session completed: the plan goes on, and that session never
        # counts for it (plan.pos first: a cut in between only runs it once more).
        import json

        try:
            pos = json.loads(_read(self.store.path(POS)))
            pos["seq"] = seq
            write_atomic(self.store.path(POS), json.dumps(pos).encode())
        except (OSError, ValueError, TypeError):
            pass  # no position yet: the plan starts afresh at the next boot
        _remove(self.store.path(HOLD))
        self.held = False

    def boot(self):
        """Find the plan and its position. Returns (workout, cfg) of the step due, or None."""
        self.held = False
        if not _exists(self.store.path(PLAN)):
            return None  # no plan: planload never takes heap
        if _exists(self.store.path(HOLD)):
            self.held = True
            self.id = None
            return None
        from . import planload

        return self._workout(planload.boot(self))

    def reload(self):
        """The workout now due (after completed() said it changed), or None."""
        return self.boot()

    def _workout(self, cfg):
        # The plan reader leaves before the validator comes in: never both in the heap.
        from .startup import forget

        forget(("runwalk.planload",))
        if cfg is None:
            return None
        from . import workout as wk

        try:
            return wk.validate(cfg), cfg
        except wk.ConfigError as e:
            self.error = "plan.json session " + str(self.step + 1) + ": " + str(e)
            self.id = None
            return None

