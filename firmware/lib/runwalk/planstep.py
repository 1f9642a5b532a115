# The step of a plan that runs next, read and checked: runwalk.startup brings it in to
# read the plan (at boot, and when a session done moves the plan on) and drops it after.
# A module of its own so that neither startup's other work nor a plan's end (config.json
# again) has it in the heap. Boot-only, like startup; its readers (runwalk.planload,
# runwalk.cfgstream) and the validator come in one after the other, each gone before the next.
from . import forget


def plan_workout(p):
    """(workout, cfg) of the step due of the plan p (a runwalk.plan.Plan), validated; None: config.json runs."""
    if p.on_hold():
        return None  # a one-off first: plan.json is not even read
    found, r, why = due(p.store)
    p.take(found)
    if why is not None:
        p.refuse(why)
    return r


def due(store):
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
        from .store import PLAN

        path = store.path(PLAN)
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
