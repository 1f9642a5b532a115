# A progression plan on the band: /plan.json (written by the host) holds the
# plan's workouts and the order of its sessions; /plan.pos (written here, and
# by the host when the runner says so) holds where the runner is. The band
# runs the current step's workout and moves on exactly once per completed
# session. Format: docs/plan-format.md.
#
# Crash safety: plan.pos is replaced atomically (old or new, never half), and
# it names the last session it counted ("seq"). The one moment a power cut
# can split is between a completed session's log closing and plan.pos being
# written; at boot the newest closed log is checked, so that session still
# counts, and counts once.
import json
import os

from . import logfmt
from .store import _exists, _read, write_atomic

PLAN = "plan.json"
POS = "plan.pos"
MAX_PLAN_BYTES = 32768
TAIL = 8  # an END record is at most 7 bytes: tag, 5-byte varint, crc


def tail_end(buf):
    """The reason of the END record that ends buf, or None if buf does not end with one."""
    n = len(buf)
    i = 0
    while i <= n - 3:
        # Only the real record can start a varint that runs to the crc: the tag
        # before it has its high bit clear, so earlier starts break the chain.
        if buf[i] & 0x0F == logfmt.END:
            j = i + 1
            while j < n - 2 and buf[j] & 0x80:
                j += 1
            if j == n - 2 and not buf[j] & 0x80 and logfmt.crc8(buf, i, n - 1) == buf[n - 1]:
                return buf[i] >> 4
        i += 1
    return None


def _ended_completed(path):
    try:
        size = os.stat(path)[6]
        with open(path, "rb") as f:
            if size > TAIL:
                f.seek(size - TAIL)
            buf = f.read(TAIL)
    except OSError:
        return False
    return tail_end(buf) == logfmt.END_COMPLETED


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

    def _newest(self):
        """(seq, path) of the newest closed session, or (0, None)."""
        names = self.store.log_names()
        i = len(names) - 1
        while i >= 0:
            n = names[i]
            if not n.endswith(".open"):
                try:
                    return int(n.split(".")[0]), self.store.path("logs/" + n)
                except ValueError:
                    pass
            i -= 1
        return 0, None

    def _save(self):
        text = json.dumps({"id": self.id, "step": self.step, "seq": self.seq})
        write_atomic(self.store.path(POS), text.encode())

    def _read_plan(self):
        p = self.store.path(PLAN)
        if os.stat(p)[6] > MAX_PLAN_BYTES:
            raise ValueError("plan.json is larger than " + str(MAX_PLAN_BYTES) + " bytes")
        plan = json.loads(_read(p))
        if not isinstance(plan, dict) or plan.get("schema") != 1:
            raise ValueError("plan.json: schema must be 1")
        pid = plan.get("id")
        sessions = plan.get("sessions")
        workouts = plan.get("workouts")
        if not isinstance(pid, str) or not pid:
            raise ValueError("plan.json: id must be text")
        if not isinstance(sessions, list) or not sessions or not isinstance(workouts, list):
            raise ValueError("plan.json: needs workouts and at least one session")
        return plan

    def boot(self):
        """Find the plan and its position; count a session a power cut kept from counting.

        Returns (workout, cfg) of the step to run, or None (no plan, finished or refused).
        """
        self.id = None
        self.error = None
        if not _exists(self.store.path(PLAN)):
            return None
        try:
            plan = self._read_plan()
        except (OSError, ValueError, MemoryError) as e:
            self.error = str(e) or "plan.json is not valid JSON"
            return None
        self.id = plan["id"]
        self.total = len(plan["sessions"])
        pos = None
        try:
            pos = json.loads(_read(self.store.path(POS)))
        except (OSError, ValueError):
            pass
        newest, path = self._newest()
        if not isinstance(pos, dict) or pos.get("id") != self.id:
            # A new plan: sessions run before it arrived never count.
            self.step = 0
            self.seq = newest
            self._save()
        else:
            self.step = pos.get("step", 0)
            self.seq = pos.get("seq", 0)
            if type(self.step) is not int or self.step < 0:
                self.step = 0
            if type(self.seq) is not int:
                self.seq = newest
            if newest > self.seq:
                # Sessions after the last one counted all ran this step; only
                # the newest can be uncounted (a cut stops the band at once).
                if _ended_completed(path) and self.step < self.total:
                    self.step += 1
                self.seq = newest
                self._save()
        r = self._load(plan)
        del plan
        return r

    def _load(self, plan):
        if self.step >= self.total:
            return None
        from . import workout as wk

        try:
            entry = plan["sessions"][self.step]
            k = entry["workout"] if isinstance(entry, dict) else entry
            cfg = plan["workouts"][k]
            return wk.validate(cfg), cfg
        except (KeyError, IndexError, TypeError, wk.ConfigError) as e:
            self.error = "plan.json session " + str(self.step + 1) + ": " + str(e)
            self.id = None
            return None

    def completed(self, seq):
        """A session ran to its end: move to the next step, once. Returns True if it moved."""
        if not self.active() or seq <= self.seq:
            return False
        self.step += 1
        self.seq = seq
        self._save()
        return True

    def reload(self):
        """The workout of the step now due (after completed()), or None."""
        try:
            plan = self._read_plan()
        except (OSError, ValueError, MemoryError) as e:
            self.error = str(e)
            self.id = None
            return None
        return self._load(plan)
