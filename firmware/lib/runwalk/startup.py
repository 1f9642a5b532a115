# What the band does once at power-up (and again when a plan moves on): close
# the session a power cut left open, load the workout, say if it was refused.
# It lives apart from the app so that it, and the loaders it brings in (the
# validator, the log reader, the plan reader), leave the heap before a session
# starts; only their interned names stay behind.
import os

from . import cues, forget
from .store import CONFIG, GOOD, MAX_CONFIG_BYTES, PLAN
from .ticks import const

_LOADERS = const(("runwalk.config", "runwalk.workout", "runwalk.recovery", "runwalk.planload", "runwalk.startup"))


def boot(app):
    b = app.board
    from .store import OPEN_EXT, TMP_EXT

    try:
        names = os.listdir(app.store._logs())
    except OSError:
        names = []  # a flash too full even for /logs must still boot (a session will say FULL)
    # The log reader is needed only after a power cut (an open session, a
    # half-written file): on a normal boot it never takes heap, nor its names.
    for n in names:
        if n.endswith(OPEN_EXT) or n.endswith(TMP_EXT):
            _recover(app)
            forget(("runwalk.recovery",))  # before the config's modules come in: a lower peak
            break
    # An active plan's current step replaces config.json (plan.py, docs/plan-format.md).
    # Without /plan.json the plan's modules never take heap.
    r = None
    from .store import _exists

    if _exists(app.store.path(PLAN)):
        from .plan import Plan

        app.plan = p = Plan(app.store)
        r = plan_workout(p)
        b.note("plan", {"step": p.step, "of": p.total, "held": p.held, "error": p.error})
    take_workout(app, r)
    _ready(app)


def _recover(app):
    # A function of its own: only its frame refers to the recovery module, and
    # that is gone when it returns, so forget() frees the module.
    from .logfmt import END_FAULT, END_INTERRUPTED
    from .recovery import recover

    # After a watchdog reset the session did not lose its power: the firmware hung.
    recover(app.store, END_FAULT if getattr(app.board, "watchdog_reset", False) else END_INTERRUPTED)


def _ready(app):
    b = app.board
    w = app.workout
    app.gestures.double_enabled = False
    b.note("ready", {"workout": w.name, "segments": len(w), "error": app.error})
    if app.error is not None:
        app.cue(cues.ERROR, w.intensity, b.ticks_ms())
        app._apply_motor()


def fallback(app, e):
    """Boot raised e (app.boot_failed): the built-in workout, the error cue, and why in config.err."""
    why = "the band could not start (%s: %s); it runs its built-in workout" % (type(e).__name__, e)
    e = None
    # Whatever boot left half loaded (this module stays until it is done), the plan too.
    forget(_LOADERS[:-1] + ("runwalk.plan",))
    from .store import ERROR, write_atomic

    app.error = why
    try:
        write_atomic(app.store.path(ERROR), why.encode())
    except (OSError, MemoryError):
        pass
    take_workout(app, _default(), None)
    _ready(app)


def _count(steps):
    n = 0
    for st in steps:
        n += st["repeat"] * _count(st["steps"]) if "repeat" in st else 1
    return n


def _default():
    """The built-in workout and its config, trusted: built without the validator,
    which may be what did not fit."""
    import json

    from .segments import DEFAULT, Workout

    c = json.loads(DEFAULT)
    b = c["button"]
    return Workout(c["name"], _count(c["steps"]), c["warn_s"], c["intensity"], b["long_ms"], b["double_ms"],
                   c["steps"]), c


def next_plan_workout(app):
    """A session done moved the plan on: its next workout replaces this one."""
    forget(("runwalk.session",))  # start_session imports it again
    p = app.plan
    take_workout(app, plan_workout(p))
    app.board.note("plan", {"step": p.step, "of": p.total, "error": p.error})


def plan_workout(p):
    """(workout, cfg) of the step due of the plan p (a runwalk.plan.Plan), validated; None: config.json runs."""
    if p.on_hold():
        return None  # a one-off first: plan.json is not even read
    from . import planload

    cfg = p.take(planload.read(p.store))
    # The plan reader leaves before the validator comes in: never both in the heap.
    forget(("runwalk.planload",))
    if cfg is None:
        return None
    from . import workout as wk

    try:
        return wk.validate(cfg), cfg
    except wk.ConfigError as e:
        p.refuse(str(e))
        return None


def take_workout(app, planned, src=PLAN):
    """Make `planned` (a plan step's (workout, cfg), read from the file src) or else
    config.json the workout."""
    if planned is None:
        forget(("runwalk.planload",))
        from .config import load

        app.workout, app.cfg, app.error = load(app.store)
        src = CONFIG if app.error is None else GOOD
    else:
        app.workout, app.cfg = planned
    forget(_LOADERS)
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
    app.log_need = 1024 + (n if n < MAX_CONFIG_BYTES else MAX_CONFIG_BYTES) + 16 * len(w)
    app.gestures.long_ms = w.long_ms  # each workout brings its own button timings
    app.gestures.double_ms = w.double_ms
