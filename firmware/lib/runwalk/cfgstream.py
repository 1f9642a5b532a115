# config.json read as it streams from its file (runwalk.config, at boot, for a
# long one): checked as it goes and held as records (runwalk.records), never decoded
# whole. Without the validator (runwalk.workout), whose messages alone take more
# heap than a long workout's records: it takes exactly the configs the validator
# takes (tests/test_whole_log.py holds them together) and leaves anything else to
# it (read() is None), which says what is wrong.
from . import const

# Records as runwalk.records reads them (its REC, NONE, REPEAT): not imported,
# so the reader and the records' reader are never in the heap together.
_REC = const(6)  # runwalk.records.REC
_NONE = const(0xFFFF)  # runwalk.records.NONE
_REPEAT = const(3)  # runwalk.records.REPEAT

# runwalk.workout's limits (tests/test_limits.py holds them to its): importing
# them would bring the validator into the heap. Folded by the compiler.
_MAX_SEGMENTS = const(2000)  # runwalk.workout.MAX_SEGMENTS
_MAX_SECONDS = const(86400)  # runwalk.workout.MAX_SECONDS
_MAX_LABEL = const(24)  # runwalk.workout.MAX_LABEL
_MAX_NAME = const(40)  # runwalk.workout.MAX_NAME
_MAX_REPEAT = const(999)  # runwalk.workout.MAX_REPEAT
_MAX_WARN_S = const(60)  # runwalk.workout.MAX_WARN_S
_DEFAULT_WARN_S = const(5)  # runwalk.workout.DEFAULT_WARN_S
_MAX_DEPTH = const(8)
_MIN_WARN_S = const(0)
_MIN_INTENSITY = const(10)
_MAX_INTENSITY = const(100)
_DEFAULT_INTENSITY = const(80)
_MIN_LONG_MS = const(500)
_MAX_LONG_MS = const(10000)
_DEFAULT_LONG_MS = const(1500)
_MIN_DOUBLE_MS = const(100)
_MAX_DOUBLE_MS = const(1000)
_DEFAULT_DOUBLE_MS = const(400)
_TOP = const(("schema", "name", "steps", "warn_s", "intensity", "button"))
_KINDS = const(("walk", "run", "sprint"))  # runwalk.segments.KINDS


def _only(d, keys):
    for k in d:
        if k not in keys:
            raise ValueError


def _int(d, k, lo, hi, default):
    v = d.get(k, default)
    if type(v) is not int or v < lo or v > hi:
        raise ValueError
    return v


def _text(v, hi):
    """A name or label as the validator takes it: text, at most hi characters,
    no control characters, hidden or direction-changing ones, or lone surrogates
    (runwalk.workout _odd_char says which)."""
    if not isinstance(v, str) or len(v) > hi:
        raise ValueError
    for c in v:
        o = ord(c)
        if o < 32 or 127 <= o < 160 or 0xD800 <= o < 0xE000 or o == 0xAD or o == 0x61C or o == 0x3164:
            raise ValueError
        if 0x200B <= o <= 0x206F and (o == 0x200B or 0x200E <= o <= 0x200F or 0x2028 <= o <= 0x202E or o >= 0x2060):
            raise ValueError
        if o == 0xFEFF or o == 0xFFA0:
            raise ValueError


def put(recs, i, kind, a, b, n):
    """Write record i (recs None: nothing): a step (kind, seconds or 0 if open,
    where its label is or None, its length in bytes) or a repeat block (REPEAT,
    passes, records in its body, 0)."""
    if recs is None:
        return
    if b is None:
        b = _NONE
    v = a | kind << 17 | n << 19
    o = _REC * i
    recs[o] = v & 255
    recs[o + 1] = (v >> 8) & 255
    recs[o + 2] = (v >> 16) & 255
    recs[o + 3] = v >> 24
    recs[o + 4] = b & 255
    recs[o + 5] = b >> 8


class _Stream:
    """config.json read as it streams from a binary file, 256 bytes at a time,
    checked as it goes and written into records (recs
    None: a first pass that only counts them). A ValueError for anything it
    cannot vouch for: not plainly valid, or JSON it does not take (a fraction,
    a \\u surrogate, a key twice); read() then leaves it to the validator."""

    def __init__(self, f, recs, at):
        self.f = f
        self.buf = bytearray(256)
        self.n = self.i = 0
        self.base = at  # the file offset of buf
        self.recs = recs
        self.nrec = 0
        self.at = self.end = 0  # where the last string read starts (its quote) and ends in the file
        self.label_at = self.label_end = 0  # the same for the last "label" read

    def raw(self):
        """The next byte, or -1 at the end."""
        if self.i >= self.n:
            self.base += self.n
            self.n = self.f.readinto(self.buf)
            self.i = 0
            if not self.n:
                return -1
        self.i += 1
        return self.buf[self.i - 1]

    def byte(self):
        """The next byte that is not white space, or -1 at the end."""
        c = self.raw()
        while c == 32 or c == 10 or c == 13 or c == 9:
            c = self.raw()
        return c

    def string(self):
        """After its opening quote: a string (str() checks its UTF-8, as json does)."""
        out = bytearray()
        self.at = self.base + self.i - 1
        while True:
            c = self.raw()
            if c == 34:
                self.end = self.base + self.i
                return str(bytes(out), "utf-8")
            if c < 32:
                raise ValueError
            if c == 92:
                c = self.raw()
                j = b'"\\/bfnrtu'.find(bytes((c,))) if c >= 0 else -1
                if j < 0:
                    raise ValueError
                if j == 8:
                    h = bytes((self.raw(), self.raw(), self.raw(), self.raw()))
                    for d in h:
                        if not (48 <= d <= 57 or 97 <= d <= 102 or 65 <= d <= 70):
                            raise ValueError
                    v = int(str(h, "ascii"), 16)
                    if 0xD800 <= v < 0xE000:
                        raise ValueError
                    out += chr(v).encode()
                    continue
                c = b'"\\/\b\f\n\r\t'[j]
            out.append(c)

    def value(self, c):
        """A value that starts with byte c (read). A list is never one the
        validator takes but as steps (read by steps())."""
        if c == 34:
            return self.string()
        if c == 123:
            return self.members(0)
        if c == 45 or 48 <= c <= 57:
            t = bytearray()
            if c == 45:
                t.append(c)
                c = self.raw()
            d = len(t)  # where the digits start
            while 48 <= c <= 57:
                t.append(c)
                c = self.raw()
            if c == 46 or c == 69 or c == 101:
                raise ValueError  # a fraction or an exponent: no field takes one
            if c >= 0:
                self.i -= 1
            if len(t) == d or (t[d] == 48 and len(t) > d + 1):
                raise ValueError
            return int(str(bytes(t), "ascii"))
        for word, v in ((b"true", True), (b"false", False), (b"null", None)):
            if c == word[0]:
                for x in word[1:]:
                    if self.raw() != x:
                        raise ValueError
                return v
        raise ValueError

    def members(self, depth):
        """After '{': the object's members as a dict; with depth, its "steps" are
        read as a step list of that depth, their place taken by their segments."""
        d = {}
        c = self.byte()
        if c == 125:
            return d
        while True:
            if c != 34:
                raise ValueError
            k = self.string()
            if k in d or self.byte() != 58:
                raise ValueError
            c = self.byte()
            if depth and k == "steps":
                if c != 91:
                    raise ValueError
                d[k] = self.steps(depth)
            else:
                d[k] = self.value(c)
                if k == "label":
                    self.label_at = self.at
                    self.label_end = self.end
            c = self.byte()
            if c == 125:
                return d
            if c != 44:
                raise ValueError
            c = self.byte()

    def steps(self, depth):
        """After '[': a step list; how many segments it flattens to."""
        if depth > _MAX_DEPTH:
            raise ValueError
        total = 0
        c = self.byte()
        while True:
            if c != 123:
                raise ValueError
            total += self.step(depth)
            if total > _MAX_SEGMENTS:
                raise ValueError
            c = self.byte()
            if c == 93:
                return total
            if c != 44:
                raise ValueError
            c = self.byte()

    def step(self, depth):
        """After '{': one step, its record (and its body's after it) written."""
        i = self.nrec
        self.nrec += 1
        st = self.members(depth + 1)
        if "repeat" in st:
            _only(st, ("repeat", "steps"))
            n = _int(st, "repeat", 1, _MAX_REPEAT, 0)
            put(self.recs, i, _REPEAT, n, self.nrec - i - 1, 0)
            return n * st["steps"]
        _only(st, ("kind", "s", "label"))
        s = st["s"]
        if st["kind"] not in _KINDS or s is not None and (type(s) is not int or s < 1 or s > _MAX_SECONDS):
            raise ValueError
        lab = st.get("label")
        b = None
        n = 0
        if lab is not None:
            _text(lab, _MAX_LABEL)
            b = self.label_at  # it stays in the file, as JSON (runwalk.records)
            n = self.label_end - b
        put(self.recs, i, _KINDS.index(st["kind"]), s or 0, b, n)
        return 1

    def top(self):
        if self.byte() != 123:
            raise ValueError
        cfg = self.members(1)
        if self.byte() != -1:
            raise ValueError
        return cfg


def _settings(cfg):
    """The top level's fields as the validator takes them: (name, warn_s, intensity, long_ms, double_ms)."""
    _only(cfg, _TOP)
    if cfg["schema"] != 1 or type(cfg["schema"]) is not int:
        raise ValueError
    name = cfg.get("name", "Workout")
    _text(name, _MAX_NAME)
    if not name:
        raise ValueError
    b = cfg.get("button", {})
    if not isinstance(b, dict):
        raise ValueError
    _only(b, ("long_ms", "double_ms"))
    return (name, _int(cfg, "warn_s", _MIN_WARN_S, _MAX_WARN_S, _DEFAULT_WARN_S),
            _int(cfg, "intensity", _MIN_INTENSITY, _MAX_INTENSITY, _DEFAULT_INTENSITY),
            _int(b, "long_ms", _MIN_LONG_MS, _MAX_LONG_MS, _DEFAULT_LONG_MS),
            _int(b, "double_ms", _MIN_DOUBLE_MS, _MAX_DOUBLE_MS, _DEFAULT_DOUBLE_MS))


class _Span:
    """The part start..end of a binary file, read as a file of its own."""

    def __init__(self, f, start, end):
        self.f = f
        self.start = start
        self.end = end
        self.seek(0)

    def readinto(self, buf):
        n = self.f.readinto(buf)
        n = n if n < self.left else self.left
        self.left -= n
        return n

    def seek(self, o):
        self.left = self.end - self.start - o
        self.f.seek(self.start + o)


def read(f, at=0, end=0):
    """config.json, open as the binary file f (or the part at..end of it: a plan's workout),
    read as it streams in two passes
    (count the records, then fill them): never decoded whole. Labels stay in the
    file. None if it is not plainly valid (decode it, and the validator says
    why); else (name, segments, warn_s, intensity, long_ms, double_ms, records,
    their count)
    for a runwalk.segments.Workout of runwalk.records.Steps."""
    if end:
        f = _Span(f, at, end)
    try:
        s = _Stream(f, None, at)
        cfg = s.top()
        c = _settings(cfg)
        n = cfg["steps"]
        f.seek(0)
        s = _Stream(f, bytearray(_REC * s.nrec), at)
        s.top()  # the same text again: valid again
    except (ValueError, KeyError):
        return None
    return c[0], n, c[1], c[2], c[3], c[4], s.recs, s.nrec
