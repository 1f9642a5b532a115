# config.json on the band: load with fallback to the last good copy, save
# atomically. Used at boot and by the host tools; the band drops it afterwards.
import json
import os

from . import workout
from .segments import DEFAULT
from .store import CONFIG, ERROR, GOOD, MAX_CONFIG_BYTES, _exists, _read, _remove, write_atomic

DEFAULT_CONFIG = json.loads(DEFAULT)  # the built-in workout (runwalk.segments)


def _load_file(store, name):
    """Validate one config file: (workout, cfg). Parsed from the file as it is read:
    the band never holds its text, only what it decodes to."""
    p = store.path(name)
    size = os.stat(p)[6]
    if size > MAX_CONFIG_BYTES:
        raise workout.ConfigError("%s is %d bytes; the band reads at most %d" % (name, size, MAX_CONFIG_BYTES))
    with open(p, "rb") as f:
        try:
            cfg = json.load(f)
        except (ValueError, RuntimeError) as e:  # RuntimeError: CPython's RecursionError on deep nesting
            raise workout.ConfigError("%s is not valid JSON (%s)" % (name, str(e) or "syntax error"))
    return workout.validate(cfg), cfg


def _same(a, b):
    """True if files a and b hold the same bytes (read 128 at a time: never whole)."""
    try:
        with open(a, "rb") as fa, open(b, "rb") as fb:
            while True:
                x = fa.read(128)
                if x != fb.read(128):
                    return False
                if not x:
                    return True
    except OSError:
        return False


def load(store):
    """Return (workout, cfg, error). error is None, or why config.json was refused.

    On a bad config.json the band falls back to the last good config (or
    the built-in one) and leaves the reason in config.err for the host.
    """
    error = None
    try:
        w, cfg = _load_file(store, CONFIG)
    except OSError:
        error = "config.json is missing" if not _exists(store.path(CONFIG)) else "config.json cannot be read"
    except workout.ConfigError as e:
        error = str(e)
    except MemoryError:
        error = "config.json is too large for the band's memory"
    if error is None:
        good = store.path(GOOD)
        try:
            if not _same(store.path(CONFIG), good):
                write_atomic(good, _read(store.path(CONFIG)))
        except (OSError, MemoryError):
            pass  # a full flash, or a small heap: the copy waits for the next boot, the workout runs now
        _remove(store.path(ERROR))
        return w, cfg, None
    w = None
    try:
        w, cfg = _load_file(store, GOOD)
    except (OSError, ValueError, MemoryError):
        pass
    if w is None:
        cfg = DEFAULT_CONFIG
        w = workout.validate(cfg)
    try:
        write_atomic(store.path(ERROR), error.encode())
    except (OSError, MemoryError):
        pass  # the band runs what it can; the reason is in the trace (ready) all the same
    return w, cfg, error


def save(store, text):
    """Validate config text, then store it atomically as config.json and as the good copy."""
    if isinstance(text, str):
        text = text.encode()
    try:
        cfg = json.loads(text)
    except (ValueError, RuntimeError) as e:  # RuntimeError: CPython's RecursionError on deep nesting
        raise workout.ConfigError("config is not valid JSON (%s)" % (str(e) or "syntax error"))
    w = workout.validate(cfg)
    write_atomic(store.path(GOOD), text)
    write_atomic(store.path(CONFIG), text)
    _remove(store.path(ERROR))
    return w
