# The session log's HEADER record (docs/log-format.md), written a step at a time:
# the band never holds a workout's steps as one text, however long the workout
# (up to the config size limit, logfmt.MAX_CONFIG_BYTES). Imported at session
# start (App._commit) and dropped after it.
import json

from . import VERSION, const, ticks_diff
from .logfmt import Writer, _varint, crc8

# Other modules' constants, copied (tests/test_private_copies.py holds them to their
# sources): a module's public name would cost the band RAM for good.
_HEADER = const(1)  # runwalk.logfmt.HEADER
_MAGIC = const(b"RWL\x01")  # runwalk.logfmt.MAGIC
_MAX_HEADER = const(34816)  # runwalk.logfmt.MAX_HEADER


def _text(s):
    """s as a JSON string, never longer than config.json could have written it.

    Only what JSON requires is escaped; other characters stay as they are (UTF-8),
    where CPython's json would write an emoji as 12 bytes of escapes.
    """
    out = '"'
    for c in s:
        if c == '"' or c == "\\":
            out += "\\" + c
        elif c < " ":
            i = "\b\t\n\f\r".find(c)
            out += "\\" + "btnfr"[i] if i >= 0 else "\\u%04x" % ord(c)
        else:
            out += c
    return out + '"'


def _steps(steps):
    """A validated step list as compact JSON, in pieces: one step at a time."""
    yield "["
    sep = ""
    for st in steps:
        yield sep
        sep = ","
        if "repeat" in st:
            yield '{"repeat":%d,"steps":' % st["repeat"]
            yield from _steps(st["steps"])
        else:
            s = st["s"]
            yield '{"kind":"%s","s":%s' % (st["kind"], "null" if s is None else str(s))
            lab = st.get("label")
            if lab is not None:
                yield ',"label":' + _text(lab)
        yield "}"
    yield "]"


def _pieces(info, steps):
    head = json.dumps(info)
    if steps is None:
        yield head
        return
    yield head[:-1] + (", " if len(head) > 2 else "") + '"steps": '
    yield from _steps(steps)
    yield "}"


def write(w, info, steps):
    """Write the magic and the header (info, with steps as its "steps") through the
    logfmt.Writer w, counted in a first pass. False if it failed (w.failed says why)."""
    hold = getattr(steps, "hold", None)  # a long workout's runwalk.records.Steps: labels from its file
    if hold is None:
        return _write(w, info, steps)
    hold()
    try:
        return _write(w, info, steps)
    finally:
        steps.release()


def _write(w, info, steps):
    n = 0
    for p in _pieces(info, steps):
        n += len(p.encode())
    if n > _MAX_HEADER or w.failed is not None:
        return False
    pre = bytearray(_MAGIC)
    pre.append(_HEADER)  # arg 0
    _varint(pre, 0)  # at the session's start
    _varint(pre, n)
    c = crc8(pre, len(_MAGIC))
    f = w.f
    try:
        f.write(pre)
        for p in _pieces(info, steps):
            b = p.encode()
            c = crc8(b, 0, len(b), c)
            f.write(b)
        f.write(bytes((c,)))
        f.flush()
    except OSError as e:
        w.failed = e
        return False
    w.bytes += len(pre) + n + 1
    return True


def start(app):
    """Open the log of the session app has just started (its number app.seq, its
    time 0 app.t0) and write its header: app.writer. False if it cannot be recorded."""
    b = app.board
    w = app.workout
    st = app.store
    f = None
    try:
        st.save_seq(app.seq)
        f = st.open_log(app.seq)
    except (OSError, MemoryError) as e:  # (a file's buffer comes from the heap)
        b.note("log_error", {"error": str(e)})
    if f is None:
        return False
    # The app holds the file from now on: a Ctrl-C while the header is written finds it
    # there to close it (app._commit).
    app.writer = wr = Writer(f, app.t0, ticks_diff)
    ok = False
    try:
        info = {"seq": app.seq, "uid": b.uid(), "start": b.wall_s(), "name": w.name, "warn_s": w.warn_s,
                "fw": VERSION}
        if app.plan is not None and app.plan.active():
            info["plan"] = app.plan.info()
        ok = write(wr, info, w.steps)
    except MemoryError:
        pass
    if not ok:
        # The flash had less room than it said: no session without its log.
        app.writer = None
        wr.close()
        st.drop_log(app.seq)
        return False
    return True
