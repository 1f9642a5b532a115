# The band's files: config.json (atomic writes, last good copy) and /logs/.
#
# Crash safety rests on one primitive: rename, which littlefs (and POSIX)
# performs atomically. Files are written whole under a temporary name, closed
# (which commits them to flash), then renamed over their final name.
import os

from . import logfmt
from . import workout as wk

CONFIG = "config.json"
GOOD = "config.good.json"  # the last config that validated: never left without a workout
ERROR = "config.err"  # why config.json was rejected; `runwalk config show` reads it
LOGS = "logs"
SEQ = "logs/seq"
OPEN_EXT = ".open"  # the session being recorded (at most one)
CLOSED_EXT = ".rwl"  # a closed session: never rewritten
PULLED_EXT = ".rwp"  # a closed session the host has stored (renamed, not rewritten)
TMP_EXT = ".tmp"
MAX_CONFIG_BYTES = 32768
LOG_RESERVE = 4096  # free space kept for littlefs metadata beyond a session's needs

DEFAULT_CONFIG = {
    "schema": 1,
    "name": "Galloway 4:1",
    "steps": [
        {"kind": "walk", "s": 300, "label": "warmup"},
        {"repeat": 8, "steps": [{"kind": "run", "s": 240}, {"kind": "walk", "s": 60}]},
        {"kind": "walk", "s": 300, "label": "cooldown"},
    ],
    "warn_s": 5,
    "intensity": 80,
    "button": {"long_ms": 1500, "double_ms": 400},
}


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
    tmp = path + TMP_EXT
    with open(tmp, "wb") as f:
        f.write(data)
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

    # -- config ---------------------------------------------------------------

    def _load_file(self, name):
        p = self.path(name)
        size = os.stat(p)[6]
        if size > MAX_CONFIG_BYTES:
            raise wk.ConfigError(
                name + " is " + str(size) + " bytes; the band reads at most " + str(MAX_CONFIG_BYTES)
            )
        import json

        text = _read(p)
        try:
            cfg = json.loads(text)
        except ValueError as e:
            raise wk.ConfigError(name + " is not valid JSON (" + (str(e) or "syntax error") + ")")
        return wk.validate(cfg), cfg, text

    def load_config(self):
        """Return (workout, cfg, error). error is None, or why config.json was refused.

        On a bad config.json the band falls back to the last good config (or
        the built-in one) and leaves the reason in config.err for the host.
        """
        error = None
        try:
            w, cfg, text = self._load_file(CONFIG)
        except OSError:
            error = "config.json is missing"
        except wk.ConfigError as e:
            error = str(e)
        except MemoryError:
            error = "config.json is too large for the band's memory"
        if error is None:
            good = self.path(GOOD)
            if not _exists(good) or _read(good) != text:
                write_atomic(good, text)
            _remove(self.path(ERROR))
            return w, cfg, None
        try:
            w, cfg, _ = self._load_file(GOOD)
        except (OSError, ValueError, MemoryError):
            cfg = DEFAULT_CONFIG
            w = wk.validate(cfg)
        try:
            write_atomic(self.path(ERROR), error.encode())
        except OSError:
            pass
        return w, cfg, error

    def save_config(self, text):
        """Validate config text, then store it atomically as config.json and as the good copy."""
        import json

        if isinstance(text, str):
            text = text.encode()
        try:
            cfg = json.loads(text)
        except ValueError as e:
            raise wk.ConfigError("config is not valid JSON (" + (str(e) or "syntax error") + ")")
        w = wk.validate(cfg)
        write_atomic(self.path(GOOD), text)
        write_atomic(self.path(CONFIG), text)
        _remove(self.path(ERROR))
        return w

    # -- session logs -----------------------------------------------------------

    def _logs(self):
        p = self.path(LOGS)
        if not _exists(p):
            os.mkdir(p)
        return p

    def log_names(self):
        """Sorted names in /logs/ that hold sessions (open, closed or pulled)."""
        names = []
        for n in os.listdir(self._logs()):
            if n.endswith(CLOSED_EXT) or n.endswith(PULLED_EXT) or n.endswith(OPEN_EXT):
                names.append(n)
        names.sort()
        return names

    def next_seq(self):
        """A session number never used before on this band, even after deletions."""
        hi = 0
        try:
            hi = int(_read(self.path(SEQ)))
        except (OSError, ValueError):
            pass
        for n in self.log_names():
            try:
                v = int(n.split(".")[0])
            except ValueError:
                continue
            if v > hi:
                hi = v
        seq = hi + 1
        write_atomic(self.path(SEQ), str(seq).encode())
        return seq

    def open_log(self, seq):
        return open(self.path(LOGS + "/" + seq_name(seq, OPEN_EXT)), "wb")

    def close_log(self, seq):
        """Make the open session closed: an atomic rename, nothing rewritten."""
        os.rename(
            self.path(LOGS + "/" + seq_name(seq, OPEN_EXT)),
            self.path(LOGS + "/" + seq_name(seq, CLOSED_EXT)),
        )

    def recover(self):
        """Close sessions a power cut left open. Returns their sequence numbers."""
        fixed = []
        logs = self._logs() + "/"
        for n in self.log_names():
            if not n.endswith(OPEN_EXT):
                continue
            stem = n[: -len(OPEN_EXT)]
            closed = logs + stem + CLOSED_EXT
            if _exists(closed) or _exists(logs + stem + PULLED_EXT):
                # Cut after the rename that closed it: the closed copy is complete.
                _remove(logs + n)
                continue
            data = _read(logs + n)
            good, ended, last_t = logfmt.scan(data)
            tmp = logs + stem + TMP_EXT
            with open(tmp, "wb") as f:
                if good < len(logfmt.MAGIC):
                    # Cut before even the header reached flash: an empty session.
                    f.write(logfmt.MAGIC)
                else:
                    f.write(memoryview(data)[:good])
                if not ended:
                    f.write(logfmt.encode(logfmt.END, logfmt.END_INTERRUPTED, last_t))
            del data
            os.rename(tmp, closed)
            _remove(logs + n)
            try:
                fixed.append(int(stem))
            except ValueError:
                pass
        for n in os.listdir(logs[:-1]):
            if n.endswith(TMP_EXT):
                _remove(logs + n)
        return fixed

    def free_bytes(self):
        st = os.statvfs(self.root)
        return st[0] * st[3]

    def make_room(self, need):
        """Free the oldest pulled sessions until `need` bytes fit. True if they do."""
        logs = self._logs() + "/"
        names = self.log_names()
        while self.free_bytes() < need + LOG_RESERVE:
            victim = None
            for n in names:
                if n.endswith(PULLED_EXT):
                    victim = n
                    break
            if victim is None:
                return False
            names.remove(victim)
            _remove(logs + victim)
        return True
