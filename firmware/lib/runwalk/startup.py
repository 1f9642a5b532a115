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
    st = app.store
    from .store import PLAN, PLAN_HOLD, _exists

    if _exists(st.path(PLAN)):
        found = why = None
        if not _exists(st.path(PLAN_HOLD)):
            try:
                from .planstep import due

                found, r, why = due(st)
            except MemoryError as e:
                # A plan too large for this heap (the largest, below the sim's --heap 66k): the
                # band runs config.json, not the built-in workout, and the plan event says why.
                why = str(e)
            due = None  # type: ignore[assignment]  # (this frame's reference: forget() below frees it)
        # The plan's own state comes in last, once its readers and the validator are gone:
        # at boot runwalk.plan is never in the heap beside them.
        forget(("runwalk.planstep", "runwalk.planload", "runwalk.cfgstream", "runwalk.workout"))
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
    from .logfmt import END_FAULT, END_INTERRUPTED
    from .recovery import recover

    # After a watchdog reset the session did not lose its power: the firmware hung.
    recover(app.store, END_FAULT if getattr(app.board, "watchdog_reset", False) else END_INTERRUPTED)


def next_plan_workout(app):
    """A session done moved the plan on: its next workout replaces this one."""
    forget(("runwalk.session",))  # start_session imports it again
    p = app.plan
    r = None
    if p.id is None or p.active():
        from .planstep import plan_workout

        r = plan_workout(p)
        plan_workout = None
        forget(("runwalk.planstep",))
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
