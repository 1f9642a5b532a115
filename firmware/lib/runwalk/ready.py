# The band's workout at boot, once runwalk.startup (power-cut recovery, the plan)
# has left the heap: config.json and its validator come in, then leave too.
# Also the way out when boot failed (fallback). Boot-only, like startup.
import os

from . import const, forget

_LOADERS = const(("runwalk.config", "runwalk.workout", "runwalk.planload"))
# The built-in workout, for a band with no config that validates (runwalk.config), or
# one whose start-up failed (fallback: built without the validator, which may be what
# did not fit). As JSON text: a long string stays out of the interned names, which the
# band keeps for good. Here, in a boot-only module: the band holds it only while it boots.
_DEFAULT = const(
    '{"schema": 1, "name": "Galloway 4:1", "steps": ['
    '{"kind": "walk", "s": 300, "label": "warmup"}, '
    '{"repeat": 8, "steps": [{"kind": "run", "s": 240}, {"kind": "walk", "s": 60}]}, '
    '{"kind": "walk", "s": 300, "label": "cooldown"}], '
    '"warn_s": 5, "intensity": 80, "button": {"long_ms": 1500, "double_ms": 400}}'
)
_BOOT_FAILED = const("the band could not start")  # how config.err begins when boot failed (runwalk config show)

# Other modules' constants, copied (tests/test_private_copies.py holds them to their
# sources): a module's public name would cost the band RAM for good.
_CONFIG = const("config.json")  # runwalk.store.CONFIG
_GOOD = const("config.good.json")  # runwalk.store.GOOD
_ERROR = const("config.err")  # runwalk.store.ERROR
_PLAN = const("plan.json")  # runwalk.store.PLAN
_MAX_CONFIG_BYTES = const(32768)  # runwalk.logfmt.MAX_CONFIG_BYTES
_CUE_ERROR = const(8)  # runwalk.cues.ERROR

if __debug__:  # the host and the tests; mpy-cross -O3 drops this block: each name would cost the band RAM
    BOOT_FAILED = _BOOT_FAILED
    DEFAULT = _DEFAULT


def take(app, planned, src=_PLAN):
    """Make `planned` (a plan step's (workout, cfg), read from the file src) the workout;
    None: config.json (loaded here); True: config.json, which App.boot loaded."""
    if planned is None:
        forget(("runwalk.planload",))
        from .config import load

        app.workout, app.cfg, app.error = load(app.store)
        planned = True
    if planned is True:
        src = _CONFIG if app.error is None else _GOOD
    else:
        app.workout, app.cfg = planned
    forget(_LOADERS)  # the validator leaves now: the count below takes no heap
    w = app.workout
    # Flash a session of it needs: its log header (a few fields, and the steps, which
    # the log never writes longer than the file they came from had them) and 16 bytes
    # a segment, pauses included. Known now, so the start cue never waits for it.
    n = 0
    if src is not None:
        try:
            n = os.stat(app.store.path(src))[6]
        except OSError:
            pass
    app.log_need = 512 + (n if n < _MAX_CONFIG_BYTES else _MAX_CONFIG_BYTES) + 16 * len(w)
    app.gestures.long_ms = w.long_ms  # each workout brings its own button timings
    app.gestures.double_ms = w.double_ms


def done(app):
    """Ready: say so (the trace), and give the error cue if the workout is not the one asked for."""
    b = app.board
    w = app.workout
    app.gestures.double_enabled = False
    b.note("ready", {"workout": w.name, "segments": len(w), "error": app.error})
    if app.error is not None:
        app.cue(_CUE_ERROR, w.intensity, b.ticks_ms())
        app._apply_motor()


def fallback(app, e):
    """Boot raised e (app.boot_failed): the built-in workout, the error cue, and why in config.err."""
    why = "%s (%s: %s); it runs its built-in workout" % (_BOOT_FAILED, type(e).__name__, e)
    e = None
    from .store import write_atomic

    app.error = why
    try:
        write_atomic(app.store.path(_ERROR), why.encode())
    except (OSError, MemoryError):
        pass
    take(app, _default(), None)
    done(app)


def _count(steps):
    n = 0
    for st in steps:
        n += st["repeat"] * _count(st["steps"]) if "repeat" in st else 1
    return n


def _default():
    """The built-in workout and its config, trusted: built without the validator,
    which may be what did not fit."""
    import json

    from .segments import Workout

    c = json.loads(_DEFAULT)
    b = c["button"]
    return Workout(c["name"], _count(c["steps"]), c["warn_s"], c["intensity"], b["long_ms"], b["double_ms"],
                   c["steps"]), c
