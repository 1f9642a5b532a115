# config.json on the band: load with fallback to the last good copy, save
# atomically. Used at boot and by the host tools; the band drops it afterwards.
import json
import os

from . import workout
from .store import CONFIG, ERROR, GOOD, MAX_CONFIG_BYTES, _exists, _read, _remove, write_atomic

# The built-in workout, for a band with no config that validates. As JSON text:
# a long string stays out of the interned names, which the band keeps for good.
DEFAULT_CONFIG = json.loads(
    '{"schema": 1, "name": "Galloway 4:1", "steps": ['
    '{"kind": "walk", "s": 300, "label": "warmup"}, '
    '{"repeat": 8, "steps": [{"kind": "run", "s": 240}, {"kind": "walk", "s": 60}]}, '
    '{"kind": "walk", "s": 300, "label": "cooldown"}], '
    '"warn_s": 5, "intensity": 80, "button": {"long_ms": 1500, "double_ms": 400}}'
)


def _load_file(store, name):
    p = store.path(name)
    size = os.stat(p)[6]
    if size > MAX_CONFIG_BYTES:
        raise workout.ConfigError("%s is %d bytes; the band reads at most %d" % (name, size, MAX_CONFIG_BYTES))
    text = _read(p)
    try:
        cfg = json.loads(text)
    except (ValueError, RuntimeError) as e:  # RuntimeError: CPython's RecursionError on deep nesting
        raise workout.ConfigError("%s is not valid JSON (%s)" % (name, str(e) or "syntax error"))
    return workout.validate(cfg), cfg, text


def load(store):
    """Return (workout, cfg, error). error is None, or why config.json was refused.

    On a bad config.json the band falls back to the last good config (or
    the built-in one) and leaves the reason in config.err for the host.
    """
    error = None
    try:
        w, cfg, text = _load_file(store, CONFIG)
    except OSError:
        error = "config.json is missing"
    except workout.ConfigError as e:
        error = str(e)
    except MemoryError:
        error = "config.json is too large for the band's memory"
    if error is None:
        good = store.path(GOOD)
        try:
            if not _exists(good) or _read(good) != text:
                write_atomic(good, text)
        except OSError:
            pass  # a full flash: the copy waits for the next boot, the workout runs now
        _remove(store.path(ERROR))
        return w, cfg, None
    try:
        w, cfg, _ = _load_file(store, GOOD)
    except (OSError, ValueError, MemoryError):
        cfg = DEFAULT_CONFIG
        w = workout.validate(cfg)
    try:
        write_atomic(store.path(ERROR), error.encode())
    except OSError:
        pass
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
