# Boot-only half of runwalk.plan: read plan.json and plan.pos, count a session
# a power cut kept from counting, find the current step's workout.
import json
import os
from array import array

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


class _Index:
    """Where things are in plan.json, found in one pass over the file in small chunks.

    A long plan (a year of sessions) does not fit a small heap once decoded
    whole, so the band decodes only what it needs: id, schema, one session
    and one workout, each read back from its offsets.
    """

    def __init__(self):
        self.tops = {}  # top-level key -> (start, end) of its value
        self.sessions = array("H")  # start, end of each session entry
        self.workouts = array("H")  # start, end of each workout


def _index(path):
    """Scan plan.json's JSON structure; raise ValueError where it is not JSON."""
    ix = _Index()
    depth = 0
    ins = False  # inside a string
    esc = False
    kb = None  # the top-level key being read
    key = b""
    v1 = -1  # start of the current top-level value (-2: expected next)
    el = -1  # start of the current element of the array being indexed
    arr = None  # that array (ix.sessions or ix.workouts)
    last = 0  # the last offset that was part of a token
    buf = bytearray(256)
    base = 0
    with open(path, "rb") as f:
        while True:
            n = f.readinto(buf)
            if not n:
                break
            for i in range(n):
                c = buf[i]
                o = base + i
                if ins:
                    last = o
                    if esc:
                        esc = False
                    elif c == 92:  # backslash
                        esc = True
                    elif c == 34:  # closing quote
                        ins = False
                        if kb is not None:
                            key = bytes(kb)
                            kb = None
                    elif kb is not None and len(kb) < 16:
                        kb.append(c)
                    continue
                if c == 32 or c == 10 or c == 13 or c == 9:
                    continue
                if c == 125 or c == 93:  # } ]
                    if depth == 2 and arr is not None and el >= 0:
                        arr.append(el)
                        arr.append(last + 1)
                        el = -1
                    elif depth == 1 and v1 >= 0:
                        ix.tops[key] = (v1, last + 1)
                        v1 = -1
                    depth -= 1
                    if depth < 0:
                        raise ValueError("plan.json is not valid JSON")
                    if depth == 1:
                        arr = None
                    last = o
                    continue
                if c == 44:  # ,
                    if depth == 2 and arr is not None and el >= 0:
                        arr.append(el)
                        arr.append(last + 1)
                        el = -1
                    elif depth == 1 and v1 >= 0:
                        ix.tops[key] = (v1, last + 1)
                        v1 = -1
                    continue
                if c == 58 and depth == 1:  # :
                    v1 = -2
                    continue
                if depth == 1:
                    if v1 == -2:
                        v1 = o
                        if c == 91:  # [
                            if key == b"sessions":
                                arr = ix.sessions
                            elif key == b"workouts":
                                arr = ix.workouts
                    elif c == 34:
                        kb = bytearray()
                elif depth == 2 and arr is not None and el < 0:
                    el = o
                if c == 34:
                    ins = True
                elif c == 123 or c == 91:  # { [
                    depth += 1
                last = o
            base += n
    if depth != 0 or ins:
        raise ValueError("plan.json is not valid JSON (it ends too soon)")
    return ix


def _value(path, span):
    with open(path, "rb") as f:
        f.seek(span[0])
        return json.loads(f.read(span[1] - span[0]))


def _read_plan(store):
    """(path, index, id) of plan.json; ValueError if the band cannot use it."""
    p = store.path(PLAN)
    if os.stat(p)[6] > MAX_PLAN_BYTES:
        raise ValueError("plan.json is larger than " + str(MAX_PLAN_BYTES) + " bytes")
    ix = _index(p)
    t = ix.tops
    if b"schema" not in t or _value(p, t[b"schema"]) != 1:
        raise ValueError("plan.json: schema must be 1")
    pid = _value(p, t[b"id"]) if b"id" in t else None
    if not isinstance(pid, str) or not pid:
        raise ValueError("plan.json: id must be text")
    if not ix.sessions or b"workouts" not in t:
        raise ValueError("plan.json: needs workouts and at least one session")
    return p, ix, pid


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
    p.id = plan[2]
    p.total = len(plan[1].sessions) // 2
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
    """The config (a dict) of the step due, or None; runwalk.plan validates it once this module is gone."""
    if p.step >= p.total:
        return None
    path, ix, _ = plan
    try:
        i = 2 * p.step
        entry = _value(path, (ix.sessions[i], ix.sessions[i + 1]))
        k = entry["workout"] if isinstance(entry, dict) else entry
        if type(k) is not int or k < 0 or 2 * k >= len(ix.workouts):
            raise ValueError("no workout " + str(k) + " in the plan")
        return _value(path, (ix.workouts[2 * k], ix.workouts[2 * k + 1]))
    except (KeyError, IndexError, TypeError, ValueError, OSError, MemoryError) as e:
        p.error = "plan.json session " + str(p.step + 1) + ": " + str(e)
        p.id = None
        return None
