# config.json on the band: load with fallback to the last good copy, save
# atomically. Used at boot and by the host tools; the band drops it afterwards.
import json
import os

from . import const, forget
from .store import _exists, _read, _remove, write_atomic


def __getattr__(name):
    # DEFAULT_CONFIG, the built-in workout (runwalk.ready) decoded, made when
    # asked for (the host's tools): at boot its JSON objects would take room from
    # a long config's records.
    if name == "DEFAULT_CONFIG":
        from .ready import _default

        return _default()[1]
    raise AttributeError(name)


# Files larger than this are read as a stream: decoded whole they take about 5
# times their size (64-bit), more than the stream reader's code (about 5 KB).
_STREAM_FROM = const(2048)

# Other modules' constants, copied (tests/test_private_copies.py holds them to their
# sources): a module's public name would cost the band RAM for good.
_CONFIG = const("config.json")  # runwalk.store.CONFIG
_GOOD = const("config.good.json")  # runwalk.store.GOOD
_ERROR = const("config.err")  # runwalk.store.ERROR
_MAX_CONFIG_BYTES = const(32768)  # runwalk.logfmt.MAX_CONFIG_BYTES


def _load_file(store, name):
    """Validate one config file: its Workout. A small file is decoded whole
    (json.load); a larger one is read as it streams (runwalk.cfgstream): the band
    never holds its text, nor its JSON objects, which for a file at the size limit
    take more than a 64 KB heap. Raises ConfigError (a ValueError) if invalid."""
    p = store.path(name)
    size = os.stat(p)[6]
    with open(p, "rb") as f:
        if _MAX_CONFIG_BYTES >= size > _STREAM_FROM:
            from .cfgstream import read

            r = read(f)
            read = None
            forget(("runwalk.cfgstream",))  # before the records' reader comes in: a lower peak
            if r is not None:
                from .records import workout

                return workout(r, p)
            f.seek(0)  # not plainly valid: the validator says why
        from . import workout as wk

        if size > _MAX_CONFIG_BYTES:
            raise wk.ConfigError("%s is %d bytes; the band reads at most %d" % (name, size, _MAX_CONFIG_BYTES))
        try:
            cfg = json.load(f)
        except (ValueError, RuntimeError) as e:  # RuntimeError: CPython's RecursionError on deep nesting
            raise wk.ConfigError("%s is not valid JSON (%s)" % (name, str(e) or "syntax error"))
    return wk.validate(cfg)


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
    """Return (workout, None, error). error is None, or why config.json was refused.
    (The None stands where the decoded config was: the workout holds its steps.)

    On a bad config.json the band falls back to the last good config (or
    the built-in one) and leaves the reason in config.err for the host.
    """
    error = None
    try:
        w = _load_file(store, _CONFIG)
    except OSError:
        error = "config.json is missing" if not _exists(store.path(_CONFIG)) else "config.json cannot be read"
    except ValueError as e:  # runwalk.workout.ConfigError
        error = str(e)
    except MemoryError:
        error = "config.json is too large for the band's memory"
    if error is None:
        good = store.path(_GOOD)
        try:
            if not _same(store.path(_CONFIG), good):
                write_atomic(good, _read(store.path(_CONFIG)))
        except (OSError, MemoryError):
            pass  # a full flash, or a small heap: the copy waits for the next boot, the workout runs now
        _remove(store.path(_ERROR))
        return w, None, None
    w = None
    try:
        w = _load_file(store, _GOOD)
    except (OSError, ValueError, MemoryError):
        pass
    if w is None:
        # The built-in workout, trusted: built without the validator, which leaves first
        # (on a tight heap, at a plan's end, there may be no room for both).
        forget(("runwalk.workout",))
        from .ready import _default

        w = _default()[0]
    try:
        write_atomic(store.path(_ERROR), error.encode())
    except (OSError, MemoryError):
        pass  # the band runs what it can; the reason is in the trace (ready) all the same
    return w, None, error


def save(store, text):
    """Validate config text, then store it atomically as config.json and as the good copy."""
    from . import workout

    if isinstance(text, str):
        text = text.encode()
    try:
        cfg = json.loads(text)
    except (ValueError, RuntimeError) as e:  # RuntimeError: CPython's RecursionError on deep nesting
        raise workout.ConfigError("config is not valid JSON (%s)" % (str(e) or "syntax error"))
    w = workout.validate(cfg)
    write_atomic(store.path(_GOOD), text)
    write_atomic(store.path(_CONFIG), text)
    _remove(store.path(_ERROR))
    return w
