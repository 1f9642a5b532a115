# What the band does once at power-up: close the session a power cut left open,
# and find the plan's workout if a plan is active (again when a plan moves on).
# It lives apart from the app so that it, and the loaders it brings in (the
# log recovery, the plan reader), leave the heap before config.json is loaded
# (runwalk.ready) and before a session starts; only their interned names stay.
import os

from . import forget


def boot(app):
    """Recover, find the plan's workout: (workout, cfg), or None for config.json."""
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
    from .store import PLAN, _exists

    if _exists(app.store.path(PLAN)):
        from .plan import Plan

        app.plan = p = Plan(app.store)
        try:
            r = plan_workout(p)
        except MemoryError as e:
            # A plan too large for this heap (the largest, below the sim's --heap 68k): the
            # band runs config.json, not the built-in workout, and the plan event says why.
            forget(("runwalk.planload", "runwalk.cfgstream"))
            p.refuse(str(e))
        b.note("plan", {"step": p.step, "of": p.total, "held": p.held, "error": p.error})
    return r  # the plan's (workout, cfg), or None: config.json (runwalk.ready.take)


def _recover(app):
    # A function of its own: only its frame refers to the recovery module, and
    # that is gone when it returns, so forget() frees the module.
    from .logfmt import END_FAULT, END_INTERRUPTED
    from .recovery import recover

    # After a watchdog reset the session did not lose its power: the firmware hung.
    recover(app.store, END_FAULT if getattr(app.board, "watchdog_reset", False) else END_INTERRUPTED)


def next_plan_workout(app):
    """A session done moved the plan on: its next workout replaces this one."""
    forget(("runwalk.session",))  # start_session imports it again
    p = app.plan
    # Its last session done: config.json again, without reading plan.json (which
    # would leave the plan reader's holes in the heap where config.json's loader goes).
    r = None if p.id is not None and not p.active() else plan_workout(p)
    from .ready import take

    take(app, r)
    app.board.note("plan", {"step": p.step, "of": p.total, "error": p.error})


def plan_workout(p):
    """(workout, cfg) of the step due of the plan p (a runwalk.plan.Plan), validated; None: config.json runs."""
    if p.on_hold():
        return None  # a one-off first: plan.json is not even read
    # Collected first: the reader's code then goes where the garbage was, not above it
    # (with a 30 KB plan at the sim's --heap 80k the import failed without).
    forget(())
    from . import planload

    cfg = p.take(planload.read(p.store))
    # The plan reader leaves before the validator comes in: never both in the heap
    # (this frame's reference goes first, or forget() could not free it).
    planload = None
    forget(("runwalk.planload",))
    if type(cfg) is tuple:
        # A long workout, (start, end) in plan.json: read as it streams, as a long
        # config.json is (runwalk.config), its labels left in the file.
        from .cfgstream import read
        from .store import PLAN

        path = p.store.path(PLAN)
        with open(path, "rb") as f:
            cfg = read(f, cfg[0], cfg[1])
        read = None
        forget(("runwalk.cfgstream",))  # before the records' reader comes in: a lower peak
        if cfg is None:
            # (The validator would say why, but this workout decoded whole does not fit
            # a band's heap; the host checks a plan before it pushes it.)
            p.refuse("not a valid workout")
            return None
        from .records import workout

        cfg = workout(cfg, path)
        return cfg, cfg
    if cfg is None:
        return None
    from . import workout as wk

    try:
        return wk.validate(cfg), cfg
    except wk.ConfigError as e:
        p.refuse(str(e))
        return None
