# The session log's HEADER record (docs/log-format.md), written a step at a time:
# the band never holds a workout's steps as one text, however long the workout
# (up to the config size limit, logfmt.MAX_CONFIG_BYTES). Imported at session
# start and dropped after it, with the start-up's count of a header (steps_len).
import json

from .logfmt import HEADER, MAGIC, MAX_HEADER, _varint, crc8


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


def _steps(steps, put):
    """Write a validated step list as compact JSON through put(str), one step at a time."""
    put("[")
    sep = ""
    for st in steps:
        put(sep)
        sep = ","
        if "repeat" in st:
            put('{"repeat":%d,"steps":' % st["repeat"])
            _steps(st["steps"], put)
        else:
            s = st["s"]
            put('{"kind":"%s","s":%s' % (st["kind"], "null" if s is None else str(s)))
            lab = st.get("label")
            if lab is not None:
                put(',"label":' + _text(lab))
        put("}")
    put("]")


def steps_len(steps):
    """Bytes the log header takes for these steps (Writer.header)."""
    n = _Sink(None)
    _steps(steps, n.put)
    return n.n


class _Sink:
    """Counts, or writes through a small buffer while it sums the CRC."""

    def __init__(self, f):
        self.f = f
        self.n = 0
        self.crc = 0
        self.buf = bytearray()

    def put(self, s):
        b = s.encode() if isinstance(s, str) else s
        self.n += len(b)
        if self.f is not None:
            self.crc = crc8(b, 0, len(b), self.crc)
            self.buf.extend(b)
            if len(self.buf) >= 256:
                self.drain()

    def raw(self, b):
        """Bytes that go out before the CRC is summed (the magic)."""
        self.drain()
        self.f.write(b)

    def drain(self):
        if self.buf:
            self.f.write(self.buf)
            self.buf = bytearray()


def write(w, info, steps):
    """Write the magic and the header through the logfmt.Writer w. False if it failed
    (w.failed says why) or the header is longer than MAX_HEADER."""
    head = json.dumps(info)
    tail = "}"
    if steps is not None:
        head = head[:-1] + (", " if len(head) > 2 else "") + '"steps": '
    else:
        tail = ""
    count = _Sink(None)
    count.put(head)
    if steps is not None:
        _steps(steps, count.put)
    count.put(tail)
    n = count.n
    if n > MAX_HEADER or w.failed is not None:
        return False
    pre = bytearray()
    pre.append(HEADER)  # arg 0
    _varint(pre, 0)  # at the session's start
    _varint(pre, n)
    out = _Sink(w.f)
    try:
        out.raw(MAGIC)
        out.put(pre)  # summed in the CRC, not counted in the payload's length
        out.put(head)
        if steps is not None:
            _steps(steps, out.put)
        out.put(tail)
        out.drain()
        w.f.write(bytes((out.crc,)))
        w.f.flush()
    except OSError as e:
        w.failed = e
        return False
    w.bytes += len(MAGIC) + len(pre) + n + 1
    return True
