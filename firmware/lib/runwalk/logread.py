# Session log reader (format: docs/log-format.md, writer: runwalk.logfmt).
# Never raises on bad bytes: every good record is read and every unreadable
# stretch is reported.
import json

from .logfmt import (
    END,
    END_INTERRUPTED,
    HEADER,
    MAGIC,
    MAX_HEADER,
    NOTE,
    PAUSE,
    RESUME,
    SEG,
    SEG_SKIPPED,
    VERSION,
    crc8,
    encode,
)

# NOTE records (docs/log-format.md): the band writes none yet; readers name them.
NOTE_BATTERY_MV = 1
NOTE_LOG_FULL = 2
NOTE_NAMES = ("", "battery_mv", "log_full")


def _read_varint(data, i, end, max_bytes):
    v = 0
    shift = 0
    n = 0
    while i < end:
        b = data[i]
        i += 1
        v |= (b & 0x7F) << shift
        shift += 7
        n += 1
        if not b & 0x80:
            return v, i
        if n >= max_bytes:
            return None, i
    return None, -1  # ran out of data


def parse_record(data, i):
    """Parse the record at data[i]: (rtype, arg, t_ms, payload, next_i).

    Returns (None, why, 0, None, i) for a bad record: why is "truncated" when the
    data ends inside it, "corrupt" when its fields or checksum are wrong.
    """
    end = len(data)
    tag = data[i]
    rtype = tag & 0x0F
    arg = tag >> 4
    if rtype < HEADER or rtype > NOTE:
        return None, "corrupt", 0, None, i
    t, j = _read_varint(data, i + 1, end, 5)
    if j < 0:
        return None, "truncated", 0, None, i
    if t is None:
        return None, "corrupt", 0, None, i
    payload = None
    if rtype == HEADER:
        n, j = _read_varint(data, j, end, 3)
        if j < 0:
            return None, "truncated", 0, None, i
        if n is None or n > MAX_HEADER:
            return None, "corrupt", 0, None, i
        if j + n > end:
            return None, "truncated", 0, None, i
        payload = bytes(data[j : j + n])
        j += n
    elif rtype == NOTE:
        payload, j = _read_varint(data, j, end, 5)
        if j < 0:
            return None, "truncated", 0, None, i
        if payload is None:
            return None, "corrupt", 0, None, i
    if j >= end:
        return None, "truncated", 0, None, i
    if crc8(data, i, j) != data[j]:
        return None, "corrupt", 0, None, i
    return rtype, arg, t, payload, j + 1


def _resync(data, i):
    """The next offset after i where two records in a row (or one at the end) check out."""
    end = len(data)
    while i < end:
        r = parse_record(data, i)
        if r[0] is not None:
            j = r[4]
            if j == end or parse_record(data, j)[0] is not None:
                return i
        i += 1
    return end


def records(data, damage):
    """Yield (rtype, arg, t_ms, payload) for every good record of a log.

    `damage` is a list; a line is appended for every stretch that could not be
    read. Good records after a corrupt stretch are still returned.
    """
    end = len(data)
    if data[:3] != MAGIC[:3]:
        damage.append("not a runwalk log (bad magic)")
        return
    if end < 4 or data[3] != VERSION:
        damage.append("unsupported log version " + (str(data[3]) if end >= 4 else "(missing)"))
        return
    i = 4
    while i < end:
        r = parse_record(data, i)
        if r[0] is not None:
            yield r[0], r[1], r[2], r[3]
            i = r[4]
            continue
        if r[1] == "truncated" and _resync(data, i + 1) == end:
            damage.append("truncated: the last " + str(end - i) + " bytes are an incomplete record")
            return
        j = _resync(data, i + 1)
        damage.append("corrupt: bytes " + str(i) + "-" + str(j - 1) + " failed their checksum and were skipped")
        i = j


def scan(data):
    """What the band needs at boot: (good_len, ended, last_t_ms) of a log's bytes (scan_file)."""
    import io

    return scan_file(io.BytesIO(data))[:3]


def decode(data):
    """Decode a whole log into plain data (see docs/log-format.md).

    Never raises on bad bytes: what can be read is returned and every
    unreadable stretch is described in "damage".
    """
    damage = []
    header = None
    segs = []  # [kind, start_ms, end_ms or None, skipped]
    pauses = []  # [start_ms, end_ms or None]
    events = []  # (t_ms, name, arg)
    end_reason = None
    end_ms = None
    last_t = 0
    for rtype, arg, t, payload in records(data, damage):
        if t > last_t:
            last_t = t
        if rtype == HEADER:
            try:
                header = json.loads(payload)
            except (ValueError, RuntimeError):  # RuntimeError: CPython's RecursionError on deep nesting
                damage.append("header is not valid JSON")
            if not isinstance(header, dict):
                header = None
            continue
        if rtype == SEG:
            if segs and segs[-1][2] is None:
                segs[-1][2] = t
            segs.append([arg & 3, t, None, bool(arg & SEG_SKIPPED)])
            if arg & SEG_SKIPPED and len(segs) > 1:
                events.append((t, "skip", len(segs) - 2))
            events.append((t, "segment", len(segs) - 1))
        elif rtype == PAUSE:
            if pauses and pauses[-1][1] is None:
                pauses[-1][1] = t  # its resume was lost to damage: every pause gets an end
            pauses.append([t, None])
            events.append((t, "pause", 0))
        elif rtype == RESUME:
            if pauses and pauses[-1][1] is None:
                pauses[-1][1] = t
            events.append((t, "resume", 0))
        elif rtype == END:
            end_reason = arg
            end_ms = t
            events.append((t, "end", arg))
        elif rtype == NOTE:
            events.append((t, "note", (arg, payload)))
    stop = end_ms if end_ms is not None else last_t
    if segs and segs[-1][2] is None:
        segs[-1][2] = stop
    if pauses and pauses[-1][1] is None:
        pauses[-1][1] = stop
    return {
        "header": header,
        "segments": segs,
        "pauses": pauses,
        "events": events,
        "end": end_reason,
        "end_ms": end_ms,
        "damage": damage,
    }


class _Bytes:
    """A file read one byte at a time through a small buffer: the band never holds a
    whole log, whatever is in /logs (a 100 KB log, or noise)."""

    def __init__(self, f):
        self.f = f
        self.buf = bytearray(256)
        self.n = 0
        self.i = 0
        self.pos = 0  # file offset of the next byte
        self.crc = 0

    def next(self):
        """The next byte, summed into crc; -1 at the end of the file."""
        if self.i >= self.n:
            self.n = self.f.readinto(self.buf) or 0
            self.i = 0
            if not self.n:
                return -1
        b = self.buf[self.i]
        self.i += 1
        self.pos += 1
        self.crc = crc8(self.buf, self.i - 1, self.i, self.crc)
        return b

    def varint(self, max_bytes):
        """(value, ok); ok is False past max_bytes or at the end of the file."""
        v = 0
        shift = 0
        for _ in range(max_bytes):
            b = self.next()
            if b < 0:
                return 0, False
            v |= (b & 0x7F) << shift
            shift += 7
            if not b & 0x80:
                return v, True
        return 0, False


def scan_file(f):
    """scan() over an open file, without reading it into memory: (good_len, ended, last_t, at_end).

    good_len is 0 if the file does not start with the magic; at_end is True when
    reading stopped at the end of the file (a clean end, or a record cut short),
    False when it stopped at bytes that are not a record.
    """
    r = _Bytes(f)
    for m in MAGIC:
        b = r.next()
        if b != m:
            return 0, False, 0, b < 0
    good = r.pos
    ended = False
    last_t = 0
    while True:
        r.crc = 0
        tag = r.next()
        if tag < 0:
            return good, ended, last_t, True
        rtype = tag & 0x0F
        if rtype < HEADER or rtype > NOTE:
            return good, ended, last_t, False
        t, ok = r.varint(5)
        if ok and rtype == HEADER:
            n, ok = r.varint(3)
            if ok and n > MAX_HEADER:
                return good, ended, last_t, False
            while ok and n:
                ok = r.next() >= 0
                n -= 1
        elif ok and rtype == NOTE:
            _, ok = r.varint(5)
        c = r.crc
        if ok:
            ok = r.next() == c
        if not ok:
            return good, ended, last_t, r.n == 0
        good = r.pos
        if rtype == END:
            ended = True
        if t > last_t:
            last_t = t


def _copy(src, dst, n):
    """The first n bytes of the open file src into the open file dst, 256 at a time."""
    buf = bytearray(256)
    while n > 0:
        k = src.readinto(buf)
        if not k:
            break
        if k > n:
            k = n
        dst.write(memoryview(buf)[:k])
        n -= k


def recover(store, reason=END_INTERRUPTED):
    """Close sessions a power cut left open. Returns their sequence numbers.

    reason: the END record's reason (END_FAULT after a watchdog reset: the
    firmware hung). The good records are copied to a temporary file with an END
    record after them, which is then renamed over the closed name: a cut
    during recovery leaves the open file to recover again at the next boot.
    An open file that holds no log (noise, a directory) or that cannot be
    closed (no room for the copy) is renamed aside as damaged (DAMAGED_EXT):
    kept for the host, never read again at boot.
    """
    import os

    from . import store as st

    fixed = []
    logs = store._logs() + "/"
    for n in store.log_names():
        if not n.endswith(st.OPEN_EXT):
            continue
        stem = n[: -len(st.OPEN_EXT)]
        closed = logs + stem + st.CLOSED_EXT
        if st._exists(closed) or st._exists(logs + stem + st.PULLED_EXT):
            # Cut after the rename that closed it: the closed copy is complete.
            st._remove(logs + n)
            continue
        tmp = logs + stem + st.TMP_EXT
        try:
            with open(logs + n, "rb") as f:
                good, ended, last_t, at_end = scan_file(f)
                if good <= len(MAGIC) and at_end:
                    # Cut before its header reached flash: nothing was recorded, and a log
                    # without a header has no band or number: the host could not tell two apart.
                    good = -1
                elif good > len(MAGIC):
                    f.seek(0)
                    with open(tmp, "wb") as out:
                        _copy(f, out, good)
                        if not ended:
                            out.write(encode(END, reason, last_t))
            if good < 0:
                st._remove(logs + n)
                continue
            if good > len(MAGIC):
                os.rename(tmp, closed)
                st._remove(logs + n)
                try:
                    fixed.append(int(stem))
                except ValueError:
                    pass
                continue
        except OSError:
            st._remove(tmp)  # no room for the copy, or not a file: keep it as it is, aside
        try:
            os.rename(logs + n, logs + stem + st.DAMAGED_EXT)
        except OSError:
            pass
    try:
        for n in os.listdir(logs[:-1]):
            if n.endswith(st.TMP_EXT):
                st._remove(logs + n)
    except OSError:
        pass
    return fixed
