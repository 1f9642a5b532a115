# Closing the sessions a power cut left open, at boot (docs/log-format.md).
# Apart from the log reader (runwalk.logread) so that the band loads only this:
# it reads a log through a 256-byte buffer, never whole, so no file in /logs,
# however long or whatever it holds, can exhaust a small heap.
from . import const
from .logfmt import crc8, encode

# Other modules' constants, copied (tests/test_private_copies.py holds them to their
# sources): a module's public name would cost the band RAM for good.
_END = const(5)  # runwalk.logfmt.END
_END_INTERRUPTED = const(2)  # runwalk.logfmt.END_INTERRUPTED
_HEADER = const(1)  # runwalk.logfmt.HEADER
_MAGIC = const(b"RWL\x01")  # runwalk.logfmt.MAGIC
_MAX_HEADER = const(34816)  # runwalk.logfmt.MAX_HEADER
_NOTE = const(6)  # runwalk.logfmt.NOTE
_OPEN_EXT = const(".open")  # runwalk.store.OPEN_EXT
_CLOSED_EXT = const(".rwl")  # runwalk.store.CLOSED_EXT
_PULLED_EXT = const(".rwp")  # runwalk.store.PULLED_EXT
_TMP_EXT = const(".tmp")  # runwalk.store.TMP_EXT
_DAMAGED_EXT = const(".bad")  # runwalk.store.DAMAGED_EXT


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
    for m in _MAGIC:
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
        if rtype < _HEADER or rtype > _NOTE:
            return good, ended, last_t, False
        t, ok = r.varint(6)  # (runwalk.logread: a session of any length)
        if ok and rtype == _HEADER:
            n, ok = r.varint(3)
            if ok and n > _MAX_HEADER:
                return good, ended, last_t, False
            while ok and n:
                ok = r.next() >= 0
                n -= 1
        elif ok and rtype == _NOTE:
            _, ok = r.varint(5)
        c = r.crc
        if ok:
            ok = r.next() == c
        if not ok:
            return good, ended, last_t, r.n == 0
        good = r.pos
        if rtype == _END:
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


def recover(store, reason=_END_INTERRUPTED):
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
        if not n.endswith(_OPEN_EXT):
            continue
        stem = n[: -len(_OPEN_EXT)]
        closed = logs + stem + _CLOSED_EXT
        if st._exists(closed) or st._exists(logs + stem + _PULLED_EXT):
            # Cut after the rename that closed it: the closed copy is complete.
            st._remove(logs + n)
            continue
        tmp = logs + stem + _TMP_EXT
        try:
            with open(logs + n, "rb") as f:
                good, ended, last_t, at_end = scan_file(f)
                if good <= len(_MAGIC) and at_end:
                    # Cut before its header reached flash: nothing was recorded, and a log
                    # without a header has no band or number: the host could not tell two apart.
                    good = -1
                elif good > len(_MAGIC):
                    f.seek(0)
                    with open(tmp, "wb") as out:
                        _copy(f, out, good)
                        if not ended:
                            out.write(encode(_END, reason, last_t))
            if good < 0:
                st._remove(logs + n)
                continue
            if good > len(_MAGIC):
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
            os.rename(logs + n, logs + stem + _DAMAGED_EXT)
        except OSError:
            pass
    try:
        for n in os.listdir(logs[:-1]):
            if n.endswith(_TMP_EXT):
                st._remove(logs + n)
    except OSError:
        pass
    return fixed
