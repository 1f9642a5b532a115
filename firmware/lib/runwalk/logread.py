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
    t, j = _read_varint(data, i + 1, end, 6)  # up to 2**42 ms: a session of any length (docs/log-format.md)
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
    """What the band needs at boot: (good_len, ended, last_t_ms) of a log's bytes (recovery.scan_file)."""
    import io

    from .recovery import scan_file

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


def recover(store, reason=END_INTERRUPTED):
    """Close sessions a power cut left open (runwalk.recovery, which the band imports alone)."""
    from .recovery import recover as r

    return r(store, reason)
