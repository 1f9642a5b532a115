# What the band does once at power-up (and again when a plan moves on): close
# the session a power cut left open, load the workout, say if it was refused.
# It lives apart from the app so that it, and the loaders it brings in (the
# validator, the log reader, the plan reader), leave the heap before a session
# starts; only their interned names stay behind.
from . import cues, forget
from .ticks import const

_LOADERS = const(("runwalk.config", "runwalk.workout", "runwalk.logread", "runwalk.planload", "runwalk.loghead",
                  "runwalk.startup"))


def boot(app):
    b = app.board
    import os

    from .store import OPEN_EXT, TMP_EXT

    try:
        names = os.listdir(app.store._logs())
    except OSError:
        names = []  # a flash too full even for /logs must still boot (a session will say FULL)
    # The log reader is needed only after a power cut (an open session, a
    # half-written file): on a normal boot it never takes heap, nor its names.
    for n in names:
        if n.endswith(OPEN_EXT) or n.endswith(TMP_EXT):
            from .logfmt import END_FAULT, END_INTERRUPTED
            from .logread import recover

            # After a watchdog reset the session did not lose its power: the firmware hung.
            recover(app.store, END_FAULT if getattr(b, "watchdog_reset", False) else END_INTERRUPTED)
            forget(("runwalk.logread",))  # before the config's modules come in: a lower peak
            break
    # An active plan's current step replaces config.json (plan.py, docs/plan-format.md).
    # Without /plan.json the plan's modules never take heap.
    r = None
    from .store import PLAN, _exists

    if _exists(app.store.path(PLAN)):
        from .plan import Plan

        app.plan = p = Plan(app.store)
        r = plan_workout(p)
        b.note("plan", {"step": p.step, "of": p.total, "held": p.held, "error": p.error})
    take_workout(app, r)
    _ready(app)


def _ready(app):
    b = app.board
    w = app.workout
    app.gestures.double_enabled = False
    b.note("ready", {"workout": w.name, "segments": len(w), "error": app.error})
    if app.error is not None:
        app.cue(cues.ERROR, w.intensity, b.ticks_ms())
        app._apply_motor()


def fallback(app, why):
    """Boot failed (app.boot_failed): the built-in workout, the error cue, and why in config.err."""
    forget(_LOADERS[:-1])  # whatever boot left half loaded (this module stays until it is done)
    from .config import DEFAULT_CONFIG
    from .store import ERROR, write_atomic
    from .workout import validate

    app.error = why
    try:
        write_atomic(app.store.path(ERROR), why.encode())
    except OSError:
        pass
    take_workout(app, (validate(DEFAULT_CONFIG), DEFAULT_CONFIG))
    _ready(app)


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


def take_workout(app, planned):
    """Make `planned` (a plan step's (workout, cfg)) or else config.json the workout."""
    if planned is None:
        forget(("runwalk.planload",))
        from .config import load

        app.workout, app.cfg, app.error = load(app.store)
    else:
        app.workout, app.cfg = planned
    forget(_LOADERS)  # the validator leaves before the header's counter comes in
    w = app.workout
    from .loghead import steps_len

    # Flash a session of it needs: the log header (its fields and the steps, no
    # longer than in config.json) and 16 bytes a segment, pauses included.
    # Counted now, not at the click: the start cue must not wait.
    app.log_need = 512 + steps_len(w.steps) + 16 * len(w)
    forget(("runwalk.loghead",))
    app.gestures.long_ms = w.long_ms  # each workout brings its own button timings
    app.gestures.double_ms = w.double_ms
