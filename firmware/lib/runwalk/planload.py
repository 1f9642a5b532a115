# Boot-only half of runwalk.plan: read plan.json and plan.pos, count a session
# a power cut kept from counting, find the current step's workout. A pure
# reader: it writes nothing and holds no state; runwalk.plan.Plan.take()
# adopts what read() found (runwalk.startup calls both).
import json
import os
from array import array

from . import const, logfmt
from .store import _exists

_TAIL = const(8)  # an END record is at most 8 bytes: tag, 6-byte varint, crc
_HEAD = const(512)  # a log's header up to its "steps" (the band writes "plan" before them)
_LOOK = const(8)  # logs looked at, newest first, for the plan's place when plan.pos is damaged
# plan.pos as anyone writes it is under 100 bytes (an id of 40 characters, two
# numbers); at most this much is read, and a longer file is damage: a damaged
# plan.pos never takes more heap than this.
_POS_MAX = const(320)

# The bytes of JSON's structure that the index looks at.
_QUOTE = const(34)  # "
_BACKSLASH = const(92)
_COMMA = const(44)
_COLON = const(58)
_OPEN_OBJECT = const(123)  # {
_CLOSE_OBJECT = const(125)  # }
_OPEN_ARRAY = const(91)  # [
_CLOSE_ARRAY = const(93)  # ]
_SPACE = const(32)
_TAB = const(9)
_LF = const(10)
_CR = const(13)

# Where the top-level value being read starts (an offset), or one of:
_NO_VALUE = const(-1)  # between top-level values
_VALUE_NEXT = const(-2)  # after a key's colon: the value starts at the next token
_KEY_MAX = const(16)  # longer top-level keys are not ours: kept cut short
_STREAM_FROM = const(2048)  # a longer workout is read as a stream (as runwalk.config does)

# Other modules' constants, copied (tests/test_private_copies.py holds them to their
# sources): a module's public name would cost the band RAM for good.
_END = const(5)  # runwalk.logfmt.END
_END_COMPLETED = const(0)  # runwalk.logfmt.END_COMPLETED
_END_STOPPED = const(1)  # runwalk.logfmt.END_STOPPED
_MAX_PLAN_BYTES = const(32768)  # runwalk.store.MAX_PLAN_BYTES
_OPEN_EXT = const(".open")  # runwalk.store.OPEN_EXT
_PLAN = const("plan.json")  # runwalk.store.PLAN
_PLAN_POS = const("plan.pos")  # runwalk.store.PLAN_POS


def position(store):
    """plan.pos: a dict with id (text), step and seq (ints); None if there is no
    plan.pos; False if it is there but damaged (not that JSON, too long, a directory)."""
    p = store.path(_PLAN_POS)
    try:
        with open(p, "rb") as f:
            b = f.read(_POS_MAX + 1)
        if len(b) > _POS_MAX:
            return False
        pos = json.loads(b)
        if isinstance(pos["id"], str) and type(pos["step"]) is int and pos["step"] >= 0 and type(pos["seq"]) is int:
            return pos
    except OSError:
        return False if _exists(p) else None
    except (ValueError, KeyError, TypeError, IndexError, MemoryError, RuntimeError):
        pass  # (RuntimeError: CPython's RecursionError on deep nesting)
    return False


def tail_end(buf):
    """The reason of the END record that ends buf, or None if buf does not end with one."""
    n = len(buf)
    i = 0
    while i <= n - 3:
        # Only the real record can start a varint that runs to the crc: the tag
        # before it has its high bit clear, so earlier starts break the chain.
        if buf[i] & 0x0F == _END:
            j = i + 1
            while j < n - 2 and buf[j] & 0x80:
                j += 1
            if j == n - 2 and not buf[j] & 0x80 and logfmt.crc8(buf, i, n - 1) == buf[n - 1]:
                return buf[i] >> 4
        i += 1
    return None


def _end_reason(path):
    """How the closed session at path ended (runwalk.logfmt END_*), or None if it cannot tell."""
    try:
        size = os.stat(path)[6]
        with open(path, "rb") as f:
            if size > _TAIL:
                f.seek(size - _TAIL)
            buf = f.read(_TAIL)
    except OSError:
        return None
    return tail_end(buf)


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


def _index(path):
    """Where things are in plan.json, found in one pass over the file in small chunks:
    (top-level key -> (start, end) of its value, start and end of each session entry,
    the same of each workout). Raises ValueError where it is not JSON.

    A long plan (a year of sessions) does not fit a small heap once decoded whole, so
    the band decodes only what it needs: id, schema, one session and one workout, each
    read back from its offsets."""
    ix = ({}, array("H"), array("H"))
    depth = 0  # 1: inside the top-level object; 2: inside one of its values
    in_string = False
    escaped = False  # the byte before was a backslash inside a string
    key_bytes = None  # the top-level key being read (inside its quotes)
    key = b""  # the last top-level key read
    top = _NO_VALUE  # start of the current top-level value
    element = -1  # start of the current element of the array being indexed (-1: none yet)
    indexed = None  # that array's offsets: ix[1] (sessions) or ix[2] (workouts), else None
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
                if in_string:
                    last = o
                    if escaped:
                        escaped = False
                    elif c == _BACKSLASH:
                        escaped = True
                    elif c == _QUOTE:
                        in_string = False
                        if key_bytes is not None:
                            key = bytes(key_bytes)
                            key_bytes = None
                    elif key_bytes is not None and len(key_bytes) < _KEY_MAX:
                        key_bytes.append(c)
                    continue
                if c == _SPACE or c == _LF or c == _CR or c == _TAB:
                    continue
                closing = c == _CLOSE_OBJECT or c == _CLOSE_ARRAY
                if closing or c == _COMMA:
                    # A value ends here: an element of an indexed array, or a top-level value.
                    if depth == 2 and indexed is not None and element >= 0:
                        indexed.append(element)
                        indexed.append(last + 1)
                        element = -1
                    elif depth == 1 and top >= 0:
                        ix[0][key] = (top, last + 1)
                        top = _NO_VALUE
                    if closing:
                        depth -= 1
                        if depth < 0:
                            raise ValueError("plan.json is not valid JSON")
                        if depth == 1:
                            indexed = None
                        last = o
                    continue
                if c == _COLON and depth == 1:
                    top = _VALUE_NEXT
                    continue
                if depth == 1:
                    if top == _VALUE_NEXT:
                        top = o
                        if c == _OPEN_ARRAY:
                            if key == b"sessions":
                                indexed = ix[1]
                            elif key == b"workouts":
                                indexed = ix[2]
                    elif c == _QUOTE:
                        key_bytes = bytearray()
                elif depth == 2 and indexed is not None and element < 0:
                    element = o
                if c == _QUOTE:
                    in_string = True
                elif c == _OPEN_OBJECT or c == _OPEN_ARRAY:
                    depth += 1
                last = o
            base += n
    if depth != 0 or in_string:
        raise ValueError("plan.json is not valid JSON (it ends too soon)")
    return ix


def _value(path, span):
    # Never more than 2 KB decoded (a workout over that is read as a stream): damage can
    # make any value long.
    if span[1] - span[0] > _STREAM_FROM:
        raise ValueError("not valid JSON")
    with open(path, "rb") as f:
        f.seek(span[0])
        return json.loads(f.read(span[1] - span[0]))


def _read_plan(store):
    """(path, index, id) of plan.json; ValueError if the band cannot use it."""
    p = store.path(_PLAN)
    if os.stat(p)[6] > _MAX_PLAN_BYTES:
        raise ValueError("plan.json is larger than " + str(_MAX_PLAN_BYTES) + " bytes")
    ix = _index(p)
    t = ix[0]
    if b"schema" not in t or _value(p, t[b"schema"]) != 1:
        raise ValueError("plan.json: schema must be 1")
    pid = _value(p, t[b"id"]) if b"id" in t else None
    if not isinstance(pid, str) or not pid:
        raise ValueError("plan.json: id must be text")
    if not ix[1] or b"workouts" not in t:
        raise ValueError("plan.json: needs workouts and at least one session")
    return p, ix, pid


def read(store):
    """What plan.json and plan.pos say now, for runwalk.plan.Plan.take():
    (id, sessions, step, seq, moved, config of the step due or None, error or None).
    moved: plan.pos must be written (a new plan, or a session counted late)."""
    try:
        plan = _read_plan(store)
    except (OSError, ValueError, MemoryError) as e:
        why = str(e) or "not valid JSON"
        return None, 0, 0, 0, False, None, why if why.startswith("plan.json") else "plan.json: " + why
    pid = plan[2]
    total = len(plan[1][1]) // 2
    pos = position(store)  # (read 320 bytes at most)
    newest, path = _newest(store)
    moved = True
    if pos is False:
        # Damaged: the place the newest session of this plan left (its log's header).
        step = _recover(store, plan)
        seq = newest
    elif pos is None or pos["id"] != pid:
        # A new plan: sessions run before it arrived never count.
        step = 0
        seq = newest
    else:
        step = pos["step"]
        seq = pos["seq"]
        moved = newest > seq
        if moved:
            # Sessions after the last one counted all ran this step; only the
            # newest can be uncounted (a cut stops the band at once).
            if step < total and _was_done(_end_reason(path), plan, step):
                step += 1
            seq = newest
    if step >= total:
        return pid, total, step, seq, moved, None, None
    try:
        return pid, total, step, seq, moved, _workout(plan, step), None
    except (KeyError, IndexError, TypeError, ValueError, OSError, MemoryError) as e:
        return pid, total, step, seq, moved, None, "plan.json session " + str(step + 1) + ": " + str(e)


def _recover(store, plan):
    """Where plan.pos, damaged, had the runner: after the newest session that ran this
    plan (the "plan" its log's header names), if it was done, else at it; 0 if none did."""
    names = store.log_names()
    i = len(names)
    n = 0
    while i > 0 and n < _LOOK:
        i -= 1
        p = names[i]
        if p.endswith(_OPEN_EXT):
            continue
        n += 1
        p = store.path("logs/" + p)
        try:
            with open(p, "rb") as f:
                b = f.read(_HEAD)
            # The header's JSON (loghead): "plan" is a flat object, before "steps".
            j = b.find(b'"plan": {')
            if j < 0:
                continue  # a session of config.json (a one-off): look further back
            h = json.loads(b[j + 8:b.find(b"}", j) + 1])
            if h["id"] != plan[2]:
                return 0  # another plan ran last: this one has not started
            j = h["step"]
        except (OSError, ValueError, KeyError, TypeError, MemoryError):
            continue
        if type(j) is not int or j < 0:
            return 0
        return j + 1 if _was_done(_end_reason(p), plan, j) else j
    return 0


def _was_done(reason, plan, step):
    if reason != _END_STOPPED:
        return reason == _END_COMPLETED
    from .plan import done  # (here: at boot runwalk.plan comes in after this module left)

    try:  # a long press: done only if the step's workout is open-ended
        w = _workout(plan, step)
        if isinstance(w, dict):
            return done(reason, w["steps"])
        from .cfgstream import read  # (only after a cut, for a long workout ended by a long press)
        from .records import workout

        with open(plan[0], "rb") as f:
            return done(reason, workout(read(f, w[0], w[1]), plan[0]).steps)
    except (KeyError, IndexError, TypeError, ValueError, OSError, MemoryError):
        return False


def _workout(plan, step):
    """The config (a dict) of session `step`, runwalk.startup validates it once this
    module is gone; or for a long one, where it lies in plan.json, (start, end): startup
    reads it as it streams (runwalk.cfgstream), with neither this module nor the validator
    in the heap, its labels left in plan.json."""
    path, ix, _ = plan
    i = 2 * step
    entry = _value(path, (ix[1][i], ix[1][i + 1]))
    k = entry["workout"] if isinstance(entry, dict) else entry
    if type(k) is not int or k < 0 or 2 * k >= len(ix[2]):
        raise ValueError("no workout " + str(k) + " in the plan")
    span = (ix[2][2 * k], ix[2][2 * k + 1])
    if span[1] - span[0] > _STREAM_FROM:
        return span
    return _value(path, span)
