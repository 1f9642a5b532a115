# Session log: a compact, append-only binary format (docs/log-format.md).
#
#   file    = MAGIC record*
#   record  = tag varint(t_ms) [payload] crc8
#   tag     = type (low 4 bits) | arg << 4
# t_ms is absolute (ms since the session start), so a damaged record never
# shifts the times of the records after it. The reader is runwalk.logread (the
# host's); the band only closes a session a power cut left open (runwalk.recovery).
from . import const

# The one size limit. The validator refuses a config.json longer than this; the
# log header carries its steps (written no longer than config.json had them, see
# runwalk.loghead) and a few short fields; the reader takes any header up to MAX_HEADER.
_MAX_CONFIG_BYTES = const(32768)
_MAX_HEADER = const(_MAX_CONFIG_BYTES + 2048)

_MAGIC = const(b"RWL\x01")
_VERSION = const(1)

_HEADER = const(1)  # payload: varint(len) JSON object
_SEG = const(2)  # arg: kind (bits 0-1) | SEG_SKIPPED
_PAUSE = const(3)
_RESUME = const(4)
_END = const(5)  # arg: reason
_NOTE = const(6)  # arg: what; payload: varint(value)

_SEG_SKIPPED = const(4)  # the previous segment was ended early by a double click

_END_COMPLETED = const(0)  # the last segment ran out
_END_STOPPED = const(1)  # the runner ended it (long press)
_END_INTERRUPTED = const(2)  # a power cut or crash left it open; closed at the next boot
_END_HOST = const(3)  # a USB host (mpremote) interrupted it
_END_FAULT = const(4)  # the firmware hit an error or the watchdog fired
_END_NAMES = const(("completed", "stopped", "interrupted", "host", "fault"))

if __debug__:  # the host and the tests; mpy-cross -O3 drops this block: each name would cost the band RAM
    MAX_CONFIG_BYTES = _MAX_CONFIG_BYTES
    MAX_HEADER = _MAX_HEADER
    MAGIC = _MAGIC
    VERSION = _VERSION
    HEADER = _HEADER
    SEG = _SEG
    PAUSE = _PAUSE
    RESUME = _RESUME
    END = _END
    NOTE = _NOTE
    SEG_SKIPPED = _SEG_SKIPPED
    END_COMPLETED = _END_COMPLETED
    END_STOPPED = _END_STOPPED
    END_INTERRUPTED = _END_INTERRUPTED
    END_HOST = _END_HOST
    END_FAULT = _END_FAULT
    END_NAMES = _END_NAMES


def crc8(data, start=0, end=None, c=0):
    """CRC-8 (polynomial 0x07, as SMBus) over data[start:end], going on from c."""
    # Bitwise, not a 256-byte table: records are a few bytes, and RAM is scarcer than time.
    if end is None:
        end = len(data)
    for i in range(start, end):
        c ^= data[i]
        for _ in range(8):
            c = ((c << 1) ^ 0x07) & 0xFF if c & 0x80 else (c << 1) & 0xFF
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


if __debug__:  # the tests' and the bench's (the band writes its header with runwalk.loghead)

    def header_bytes(info):
        """A whole HEADER record of info."""
        import json

        return encode(_HEADER, 0, 0, json.dumps(info).encode())


class Writer:
    """Appends records to an open binary file and flushes them to flash.

    Every record is a boundary event (segment, pause, resume, end), so each is
    flushed at once: a power cut loses at most the segment in progress.
    A write error (full flash) stops logging, never the workout.
    """

    def __init__(self, f, t0, ticks_diff):
        self.f = f
        self.t0 = t0  # the tick of the last record
        self.ms = 0  # its time in the log: ms since the session began
        self.ticks_diff = ticks_diff
        self.failed = None
        self.bytes = 0

    def record(self, rtype, arg, t, payload=None):
        # Summed from record to record, each step far shorter than half the ticks' period
        # (about 6 days on a board): a session of any length keeps its times.
        self.ms += self.ticks_diff(t, self.t0)
        self.t0 = t
        if self.failed is not None:
            return False
        data = encode(rtype, arg, self.ms, payload)
        try:
            self.f.write(data)
            self.f.flush()
            self.bytes += len(data)
            return True
        except OSError as e:
            self.failed = e
            return False

    def close(self):
        try:
            self.f.close()
        except OSError as e:
            if self.failed is None:
                self.failed = e
