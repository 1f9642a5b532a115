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
from .store import write_atomic

PLAN = "plan.json"
POS = "plan.pos"


class Plan:
    def __init__(self, store):
        self.store = store
        self.id = None  # None: no plan is active
        self.step = 0  # the next session to run, 0-based
        self.total = 0
        self.seq = 0  # the last session counted (or the newest when the plan arrived)
        self.error = None

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
        """A session ran to its end: move to the next step, once. Returns True if it moved."""
        if not self.active() or seq <= self.seq:
            return False
        self.step += 1
        self.seq = seq
        self.save()
        return True

    def boot(self):
        """Find the plan and its position. Returns (workout, cfg) of the step due, or None."""
        import os

        try:
            os.stat(self.store.path(PLAN))
        except OSError:
            return None  # no plan: planload never takes heap
        from . import planload

        return self._workout(planload.boot(self))

    def reload(self):
        """The workout of the step now due (after completed()), or None."""
        from . import planload

        return self._workout(planload.reload(self))

    def _workout(self, cfg):
        # The plan reader leaves before the validator comes in: never both in the heap.
        _drop("runwalk.planload")
        if cfg is None:
            return None
        from . import workout as wk

        try:
            return wk.validate(cfg, False), cfg  # the app fills it once the validator is gone
        except wk.ConfigError as e:
            self.error = "plan.json session " + str(self.step + 1) + ": " + str(e)
            self.id = None
            return None


def _drop(name):
    import gc
    import sys

    if name in sys.modules:
        del sys.modules[name]
        pkg = sys.modules.get("runwalk")
        short = name.split(".")[-1]
        if pkg is not None and short in pkg.__dict__:
            delattr(pkg, short)
    gc.collect()
