# Boot-only half of runwalk.plan: read plan.json and plan.pos, count a session
# a power cut kept from counting, validate the current step's workout.
import json
import os

from . import logfmt
from .plan import PLAN, POS
from .store import _exists, _read

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


def _newest(store):
    """(seq, path) of the newest closed session, or (0, None)."""
    names = store.log_names()
    i = len(names) - 1
    while i >= 0:
        n = names[i]
        if not n.endswith(".open"):
            try:
                return int(n.split(".")[0]), store.path("logs/" + n)
            except ValueError:
                pass
        i -= 1
    return 0, None


def _read_plan(store):
    p = store.path(PLAN)
    if os.stat(p)[6] > MAX_PLAN_BYTES:
        raise ValueError("plan.json is larger than " + str(MAX_PLAN_BYTES) + " bytes")
    plan = json.loads(_read(p))
    if not isinstance(plan, dict) or plan.get("schema") != 1:
        raise ValueError("plan.json: schema must be 1")
    pid = plan.get("id")
    sessions = plan.get("sessions")
    if not isinstance(pid, str) or not pid:
        raise ValueError("plan.json: id must be text")
    if not isinstance(sessions, list) or not sessions or not isinstance(plan.get("workouts"), list):
        raise ValueError("plan.json: needs workouts and at least one session")
    return plan


def boot(p):
    p.id = None
    p.error = None
    store = p.store
    if not _exists(store.path(PLAN)):
        return None
    try:
        plan = _read_plan(store)
    except (OSError, ValueError, MemoryError) as e:
        p.error = str(e) or "plan.json is not valid JSON"
        return None
    p.id = plan["id"]
    p.total = len(plan["sessions"])
    pos = None
    try:
        pos = json.loads(_read(store.path(POS)))
    except (OSError, ValueError):
        pass
    newest, path = _newest(store)
    if not isinstance(pos, dict) or pos.get("id") != p.id:
        # A new plan: sessions run before it arrived never count.
        p.step = 0
        p.seq = newest
        p.save()
    else:
        step = pos.get("step", 0)
        seq = pos.get("seq", 0)
        p.step = step if type(step) is int and step >= 0 else 0
        p.seq = seq if type(seq) is int else newest
        if newest > p.seq:
            # Sessions after the last one counted all ran this step; only the
            # newest can be uncounted (a cut stops the band at once).
            if _ended_completed(path) and p.step < p.total:
                p.step += 1
            p.seq = newest
            p.save()
    return _load(p, plan)


def _load(p, plan):
    if p.step >= p.total:
        return None
    from . import workout as wk

    try:
        entry = plan["sessions"][p.step]
        k = entry["workout"] if isinstance(entry, dict) else entry
        cfg = plan["workouts"][k]
        return wk.validate(cfg, False), cfg  # the app fills it once this module is gone
    except (KeyError, IndexError, TypeError, wk.ConfigError) as e:
        p.error = "plan.json session " + str(p.step + 1) + ": " + str(e)
        p.id = None
        return None


def reload(p):
    try:
        plan = _read_plan(p.store)
    except (OSError, ValueError, MemoryError) as e:
        p.error = str(e)
        p.id = None
        return None
    return _load(p, plan)
