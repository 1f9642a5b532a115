# The band's files: config.json (atomic writes, last good copy) and /logs/.
#
# Crash safety rests on one primitive: rename, which littlefs (and POSIX)
# performs atomically. Files are written whole under a temporary name, closed
# (which commits them to flash), then renamed over their final name.
import os

from . import const

_CONFIG = const("config.json")
_GOOD = const("config.good.json")  # the last config that validated: never left without a workout
_ERROR = const("config.err")  # why config.json was rejected; `runwalk config show` reads it
_LOGS = const("logs")
_SEQ = const("logs/seq")
_OPEN_EXT = const(".open")  # the session being recorded (at most one)
_CLOSED_EXT = const(".rwl")  # a closed session: never rewritten
_PULLED_EXT = const(".rwp")  # a closed session the host has stored (renamed, not rewritten)
_TMP_EXT = const(".tmp")
_DAMAGED_EXT = const(".bad")  # an open log the band could not close (noise, no room): kept for the host
# A progression plan (docs/plan-format.md): the host writes PLAN and PLAN_HOLD,
# the band keeps its place in PLAN_POS (runwalk.plan owns it).
_PLAN = const("plan.json")
_PLAN_POS = const("plan.pos")
_PLAN_HOLD = const("plan.hold")  # a one-off config.json runs before the plan goes on
_MAX_PLAN_BYTES = const(32768)
_LOG_RESERVE = const(4096)  # free space kept for littlefs metadata beyond a session's needs

if __debug__:  # the host and the tests; mpy-cross -O3 drops this block: each name would cost the band RAM
    CONFIG = _CONFIG
    GOOD = _GOOD
    ERROR = _ERROR
    LOGS = _LOGS
    OPEN_EXT = _OPEN_EXT
    CLOSED_EXT = _CLOSED_EXT
    PULLED_EXT = _PULLED_EXT
    TMP_EXT = _TMP_EXT
    DAMAGED_EXT = _DAMAGED_EXT
    PLAN = _PLAN
    PLAN_POS = _PLAN_POS
    PLAN_HOLD = _PLAN_HOLD
    MAX_PLAN_BYTES = _MAX_PLAN_BYTES
    LOG_RESERVE = _LOG_RESERVE
    from .logfmt import MAX_CONFIG_BYTES  # noqa: F401  (re-exported: the validator's size limit)


def _exists(path):
    try:
        os.stat(path)
        return True
    except OSError:
        return False


def _remove(path):
    try:
        os.remove(path)
    except OSError:
        pass


def _read(path):
    with open(path, "rb") as f:
        return f.read()


def write_atomic(path, data):
    """Write data to path so that a power cut leaves the old or the new file, never half."""
    tmp = path + _TMP_EXT
    try:
        with open(tmp, "wb") as f:
            f.write(data)
    except OSError:
        _remove(tmp)  # a full flash: no half file left taking the room
        raise
    os.rename(tmp, path)


def seq_name(seq, ext):
    s = str(seq)
    return "0" * (6 - len(s)) + s + ext if len(s) < 6 else s + ext


class Store:
    def __init__(self, root="/"):
        if not root.endswith("/"):
            root += "/"
        self.root = root

    def path(self, name):
        return self.root + name

    # -- session logs -----------------------------------------------------------

    def _logs(self):
        p = self.path(_LOGS)
        try:
            if os.stat(p)[0] & 0x4000:
                return p
            # A file where the folder belongs: moved aside (kept), so sessions can be recorded.
            os.rename(p, p + _DAMAGED_EXT)
        except OSError:
            pass
        os.mkdir(p)
        return p

    def log_names(self):
        """Sorted names in /logs/ that hold sessions (open, closed or pulled)."""
        names = []
        for n in os.listdir(self._logs()):
            if n.endswith(_CLOSED_EXT) or n.endswith(_PULLED_EXT) or n.endswith(_OPEN_EXT):
                names.append(n)
        names.sort()
        return names

    def peek_seq(self):
        """The next session's number, never used before on this band, even after deletions
        (loghead.start keeps it on flash with save_seq)."""
        hi = 0
        try:
            with open(self.path(_SEQ), "rb") as f:
                hi = int(f.read(12))  # at most a number: a damaged file may hold anything
        except (OSError, ValueError):
            pass
        for n in os.listdir(self._logs()):  # every numbered name: set-aside (.bad) ones too
            try:
                v = int(n.split(".")[0])
            except ValueError:
                continue
            if v > hi:
                hi = v
        return hi + 1

    def save_seq(self, seq):
        try:
            write_atomic(self.path(_SEQ), str(seq).encode())
        except OSError:
            pass  # e.g. a directory in its place: the session's file name still carries its number

    def open_log(self, seq):
        return open(self._logs() + "/" + seq_name(seq, _OPEN_EXT), "wb")

    def drop_log(self, seq):
        """Remove a session log that never got its header (nothing was recorded)."""
        _remove(self.path(_LOGS + "/" + seq_name(seq, _OPEN_EXT)))

    def close_log(self, seq):
        """Make the open session closed: an atomic rename, nothing rewritten."""
        os.rename(
            self.path(_LOGS + "/" + seq_name(seq, _OPEN_EXT)),
            self.path(_LOGS + "/" + seq_name(seq, _CLOSED_EXT)),
        )

    def free_bytes(self):
        st = os.statvfs(self.root)
        # A full littlefs can report more free blocks than it has (the count
        # wraps below zero): that is no room at all.
        return st[0] * st[3] if st[3] <= st[2] else 0

    def make_room(self, need):
        """Free the oldest pulled sessions until `need` bytes fit. True if they do."""
        logs = self._logs() + "/"
        names = self.log_names()
        while self.free_bytes() < need + _LOG_RESERVE:
            victim = None
            for n in names:
                if n.endswith(_PULLED_EXT):
                    victim = n
                    break
            if victim is None:
                return False
            names.remove(victim)
            _remove(logs + victim)
        return True
