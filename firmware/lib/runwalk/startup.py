# What the band does once at power-up: close the session a power cut left open,
# and find the plan's workout if a plan is active (again when a plan moves on).
# It lives apart from the app so that it, and the loaders it brings in (the
# log recovery, the plan reader), leave the heap before config.json is loaded
# (runwalk.ready) and before a session starts; only their interned names stay.
import os

from . import const, forget

# Other modules' constants, copied (tests/test_private_copies.py holds them to their
# sources): a module's public name would cost the band RAM for good.
_END_INTERRUPTED = const(2)  # runwalk.logfmt.END_INTERRUPTED
_END_FAULT = const(4)  # runwalk.logfmt.END_FAULT
_OPEN_EXT = const(".open")  # runwalk.store.OPEN_EXT
_TMP_EXT = const(".tmp")  # runwalk.store.TMP_EXT
_PLAN = const("plan.json")  # runwalk.store.PLAN
_PLAN_HOLD = const("plan.hold")  # runwalk.store.PLAN_HOLD


def boot(app):
    """Recover, find the plan's workout: (workout, cfg), or None for config.json."""
    b = app.board
    try:
        names = os.listdir(app.store._logs())
    except OSError:
        names = []  # a flash too full even for /logs must still boot (a session will say FULL)
    # The log reader is needed only after a power cut (an open session, a
    # half-written file): on a normal boot it never takes heap, nor its names.
    for n in names:
        if n.endswith(_OPEN_EXT) or n.endswith(_TMP_EXT):
            _recover(app)
            forget(("runwalk.recovery",))  # before the config's modules come in: a lower peak
            break
    # An active plan's current step replaces config.json (plan.py, docs/plan-format.md).
    # Without /plan.json the plan's modules never take heap.
    r = None
    st = app.store
    from .store import _exists

    if _exists(st.path(_PLAN)):
        found = why = None
        if not _exists(st.path(_PLAN_HOLD)):
            try:
                found, r, why = _due(st)
            except MemoryError as e:
                # A plan too large for this heap (the largest, below the sim's --heap 65k): the
                # band runs config.json, not the built-in workout, and the plan event says why.
                why = str(e)
        # The plan's own state comes in last, once its readers and the validator are gone:
        # at boot runwalk.plan is never in the heap beside them.
        forget(("runwalk.planload", "runwalk.cfgstream", "runwalk.workout"))
        from .plan import Plan

        app.plan = p = Plan(st)
        if found is not None:
            p.take(found)
        else:
            p.on_hold()  # (held: plan.json was not read)
        if why is not None:
            p.refuse(why)
        b.note("plan", {"step": p.step, "of": p.total, "held": p.held, "error": p.error})
    return r  # the plan's (workout, cfg), or None: config.json (runwalk.ready.take)


def _recover(app):
    # A function of its own: only its frame refers to the recovery module, and
    # that is gone when it returns, so forget() frees the module.
    from .recovery import recover

    # After a watchdog reset the session did not lose its power: the firmware hung.
    recover(app.store, _END_FAULT if getattr(app.board, "watchdog_reset", False) else _END_INTERRUPTED)


def next_plan_workout(app):
    """A session done moved the plan on: its next workout replaces this one."""
    forget(("runwalk.session",))  # start_session imports it again
    p = app.plan
    r = None
    if p.id is None or p.active():
        r = plan_workout(p)
    n = {"step": p.step, "of": p.total, "error": p.error}
    if r is None and p.id is not None:
        # Its last session done: config.json again, without reading plan.json, and the
        # plan's state leaves the heap before config.json's loader comes in (the next
        # start reads plan.json again, and finds it over).
        p = app.plan = None
        forget(("runwalk.plan",))
    from .ready import take

    take(app, r)
    app.board.note("plan", n)


def plan_workout(p):
    """(workout, cfg) of the step due of the plan p (a runwalk.plan.Plan), validated; None: config.json runs."""
    if p.on_hold():
        return None  # a one-off first: plan.json is not even read
    found, r, why = _due(p.store)
    p.take(found)
    if why is not None:
        p.refuse(why)
    return r


def _due(store):
    """What runwalk.planload.read finds in the plan, the step's (workout, cfg) or None, and
    why that workout is refused (or None). Plan.take() adopts the first."""
    # Collected first: the reader's code then goes where the garbage was, not above it
    # (with a 30 KB plan at the sim's --heap 80k the import failed without).
    forget(())
    from . import planload

    found = planload.read(store)
    # The plan reader leaves before the validator comes in: never both in the heap
    # (this frame's reference goes first, or forget() could not free it).
    planload = None
    forget(("runwalk.planload",))
    cfg = found[5]
    if type(cfg) is tuple:
        # A long workout, (start, end) in plan.json: read as it streams, as a long
        # config.json is (runwalk.config), its labels left in the file.
        from .cfgstream import read
        path = store.path(_PLAN)
        with open(path, "rb") as f:
            cfg = read(f, cfg[0], cfg[1])
        read = None
        forget(("runwalk.cfgstream",))  # before the records' reader comes in: a lower peak
        if cfg is None:
            # (The validator would say why, but this workout decoded whole does not fit
            # a band's heap; the host checks a plan before it pushes it.)
            return found, None, "not a valid workout"
        from .records import workout

        cfg = workout(cfg, path)
        return found, (cfg, cfg), None
    if cfg is None:
        return found, None, None
    from . import workout as wk

    try:
        return found, (wk.validate(cfg), cfg), None
    except wk.ConfigError as e:
        return found, None, str(e)
