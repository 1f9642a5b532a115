# Session log: a compact, append-only binary format (docs/log-format.md).
#
#   file    = MAGIC record*
#   record  = tag varint(t_ms) [payload] crc8
#   tag     = type (low 4 bits) | arg << 4
# t_ms is absolute (ms since the session start), so a damaged record never
# shifts the times of the records after it. The same reader serves the band
# (closing a session a power cut left open) and the host tools.
import json

MAGIC = b"RWL\x01"
VERSION = 1

HEADER = 1  # payload: varint(len) JSON object
SEG = 2  # arg: kind (bits 0-1) | SEG_SKIPPED
PAUSE = 3
RESUME = 4
END = 5  # arg: reason
NOTE = 6  # arg: what; payload: varint(value)

SEG_SKIPPED = 4  # the previous segment was ended early by a double click

END_COMPLETED = 0  # the last segment ran out
END_STOPPED = 1  # the runner ended it (long press)
END_INTERRUPTED = 2  # a power cut or crash left it open; closed at the next boot
END_HOST = 3  # a USB host (mpremote) interrupted it
END_FAULT = 4  # the firmware hit an error or the watchdog fired
END_NAMES = ("completed", "stopped", "interrupted", "host", "fault")

NOTE_BATTERY_MV = 1
NOTE_LOG_FULL = 2
NOTE_NAMES = ("", "battery_mv", "log_full")

TYPE_NAMES = ("", "header", "segment", "pause", "resume", "end", "note")

MAX_HEADER = 16384


def _make_table():
    t = bytearray(256)
    for i in range(256):
        c = i
        for _ in range(8):
            c = ((c << 1) ^ 0x07) & 0xFF if c & 0x80 else (c << 1) & 0xFF
        t[i] = c
    return bytes(t)


_CRC = _make_table()


def crc8(data, start=0, end=None):
    """CRC-8 (polynomial 0x07, as SMBus) over data[start:end]."""
    if end is None:
        end = len(data)
    c = 0
    t = _CRC
    for i in range(start, end):
        c = t[c ^ data[i]]
    return c


def _varint(buf, v):
    while v >= 0x80:
        buf.append((v & 0x7F) | 0x80)
        v >>= 7
    buf.append(v)


def encode(rtype, arg, t_ms, payload=None):
    """One record as bytes. payload: None, an int (varint) or bytes (length-prefixed)."""
    buf = bytearray()
    buf.append((rtype & 0x0F) | ((arg & 0x0F) << 4))
    _varint(buf, t_ms if t_ms > 0 else 0)
    if payload is not None:
        if isinstance(payload, int):
            _varint(buf, payload)
        else:
            _varint(buf, len(payload))
            buf.extend(payload)
    buf.append(crc8(buf))
    return buf


def header_bytes(info):
    return encode(HEADER, 0, 0, json.dumps(info).encode())


class Writer:
    """Appends records to an open binary file and flushes them to flash.

    Every record is a boundary event (segment, pause, resume, end), so each is
    flushed at once: a power cut loses at most the segment in progress.
    A write error (full flash) stops logging, never the workout.
    """

    def __init__(self, f, t0, ticks_diff):
        self.f = f
        self.t0 = t0
        self.ticks_diff = ticks_diff
        self.failed = None
        self.bytes = 0

    def _put(self, data):
        if self.failed is not None:
            return False
        try:
            self.f.write(data)
            self.f.flush()
            self.bytes += len(data)
            return True
        except OSError as e:
            self.failed = e
            return False

    def header(self, info):
        return self._put(MAGIC + header_bytes(info))

    def record(self, rtype, arg, t, payload=None):
        return self._put(encode(rtype, arg, self.ticks_diff(t, self.t0), payload))

    def close(self):
        try:
            self.f.close()
        except OSError as e:
            if self.failed is None:
                self.failed = e


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
    """What the band needs at boot: (good_len, ended, last_t_ms)."""
    ended = False
    last_t = 0
    good = len(MAGIC) if data[:4] == MAGIC else 0
    i = len(MAGIC)
    end = len(data)
    if good:
        while i < end:
            r = parse_record(data, i)
            if r[0] is None:
                break
            if r[0] == END:
                ended = True
            if r[2] > last_t:
                last_t = r[2]
            i = r[4]
            good = i
    return good, ended, last_t


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
            except ValueError:
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
