# The band's start-up sequence, driven from here rather than from App: a module
# that leaves the heap once the band is ready (App.boot), so none of its code
# stays there during sessions. Each module it brings in goes before the next
# comes: runwalk.startup (power-cut recovery, the plan), config.json's loader
# and validator, then runwalk.ready (the ready event).
from . import forget


def boot(app):
    """Close sessions a power cut left open, load the workout, say if it was refused."""
    from . import startup

    planned = startup.boot(app)
    startup = None  # (the last reference: forget() can free it)
    forget(("runwalk.startup",))
    if planned is None:
        # Loaded here, with neither start-up nor runwalk.ready in the heap: the
        # validator's peak is boot's.
        from .config import load

        app.workout, app.cfg, app.error = load(app.store)
        load = None
        forget(("runwalk.config", "runwalk.workout"))
        planned = True
    from . import ready

    ready.take(app, planned)
    ready.done(app)
    ready = None
    forget(("runwalk.ready",))


def failed(app, e):
    """App.boot raised e: run the built-in workout, give the error cue, keep the reason for the host."""
    app.plan = app.workout = app.cfg = None
    # Whatever boot left half loaded goes before the fallback comes in.
    forget(("runwalk.config", "runwalk.workout", "runwalk.planload", "runwalk.recovery", "runwalk.plan",
            "runwalk.startup", "runwalk.ready"))
    from . import ready

    ready.fallback(app, e)
    ready = None
    forget(("runwalk.ready",))
