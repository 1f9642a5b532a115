# The app loop: compute the next deadline, sleep until it or the button, handle
# what happened, repeat. No polling: with no session and no cue playing, the
# band sleeps until the button.
#
# The board object (boards/<name>.py, deployed as /lib/runwalk_board.py) provides:
#   ticks_ms()              the tick clock (time.ticks_ms on real boards)
#   sleep_until(deadline, may_power_off)
#                           sleep until that tick (None: until the button); may
#                           return early, e.g. on a button edge. may_power_off: no
#                           session open and nothing due, so the board may choose a
#                           sleep it wakes from by a reset (it decides which, and when)
#   edge()                  the next queued button edge as (down, tick), or None
#   motor(level)            vibration strength in percent, 0 = off
#   battery_mv()            battery voltage in mV, or None if unknown
#   wall_s()                Unix time in seconds, or None if the clock was never set
#   uid()                   a short text that identifies this band
#   note(ev, fields)        a trace event (the virtual band records it; boards ignore it)
#   watchdog_reset          (optional) True if the watchdog reset the band: a session
#                           it left open ended in a fault, not a power cut
from . import const, cues, forget, ticks_diff, ticks_min
from .buttons import Gestures
from .store import Store

# After a session ends, presses are taken as the end of that one (a click while
# the "done" cue plays, one double click too many when skipping to the end, a
# click to pause released just before the end), not as the start of the next.
_AFTER_END_MS = const(3000)

# Other modules' constants, copied (tests/test_private_copies.py holds them to their
# sources): a module's public name would cost the band RAM for good.
_CLICK = const(1)  # runwalk.buttons.CLICK
_LONG = const(3)  # runwalk.buttons.LONG
_SEG = const(2)  # runwalk.logfmt.SEG
_PAUSE = const(3)  # runwalk.logfmt.PAUSE
_RESUME = const(4)  # runwalk.logfmt.RESUME
_END = const(5)  # runwalk.logfmt.END
_END_COMPLETED = const(0)  # runwalk.logfmt.END_COMPLETED
_END_HOST = const(3)  # runwalk.logfmt.END_HOST
_END_FAULT = const(4)  # runwalk.logfmt.END_FAULT
_END_NAMES = const(("completed", "stopped", "interrupted", "host", "fault"))  # runwalk.logfmt.END_NAMES
_CUE_FULL = const(9)  # runwalk.cues.FULL


class App:
    def __init__(self, board, root="/"):
        self.board = board
        self.store = Store(root)
        self.player = cues.Player()
        self.motor_level = 0
        self.session = None
        self.writer = None
        self.seq = 0
        self.workout = None
        self.cfg = None
        self.error = None
        self.gestures = Gestures()
        self.plan = None
        self.plan_moved = False  # a completed session moved the plan on: load its next workout
        self.ended_at = None  # tick the last session ended
        # Log records wait here until the step has set the motor: a cue never
        # waits on the flash (a slow write would make it late).
        self.held = []
        self.opening = False  # a session started this step: its log is opened after the motor
        self.t0 = 0  # tick the session started (the log's time 0)
        self.ending = None  # END reason of a session that ended this step
        self.log_need = 0  # flash bytes a session of this workout needs

    # -- start-up -----------------------------------------------------------------

    def boot(self):
        """Close sessions a power cut left open, load the workout, say if it was refused."""
        # Boot-only modules, each gone before the next comes in: runwalk.startup
        # (power-cut recovery, the plan), config.json's loader and validator, then
        # runwalk.ready (the ready event).
        from . import startup

        planned = startup.boot(self)
        startup = None  # (the last reference: forget() can free it)
        forget(("runwalk.startup",))
        if planned is None:
            # Loaded here, with neither start-up nor runwalk.ready in the heap: the
            # validator's peak is boot's.
            from .config import load

            self.workout, self.cfg, self.error = load(self.store)
            load = None
            forget(("runwalk.config", "runwalk.workout"))
            planned = True
        from . import ready

        ready.take(self, planned)
        ready.done(self)
        ready = None
        forget(("runwalk.ready",))
        self.preload()

    def preload(self):
        """Import what the first click needs now, not at the click (if the heap has room).
        Even on a small heap: loaded now, before the idle band's small objects spread over
        the heap, it fits where at the click it may not (at --heap 60k on the sim, say)."""
        try:
            from . import session  # noqa: F401
        except MemoryError:
            pass  # start_session tries again at the click

    def boot_failed(self, e):
        """boot() raised: run the built-in workout, give the error cue, keep the reason for the host."""
        self.plan = self.workout = self.cfg = None
        # Whatever boot left half loaded goes before the fallback comes in.
        forget(("runwalk.config", "runwalk.workout", "runwalk.planload", "runwalk.recovery", "runwalk.plan",
                "runwalk.startup", "runwalk.ready"))
        from . import ready

        ready.fallback(self, e)
        ready = None
        forget(("runwalk.ready",))

    # -- the out port of Session ---------------------------------------------------

    def cue(self, cue, strength, t):
        # A click is known only double_ms after its release: its cue (pause,
        # resume) plays from now, whole, not from the release with its first
        # pulses already over.
        now = self.board.ticks_ms()
        if ticks_diff(now, t) > 0:
            t = now
        self.player.play(cue, strength, t)
        self.board.note("cue", {"name": cues.name(cue), "at": t})

    def cue_next(self, cue, strength, t):
        self.player.play_next(cue, strength, t)
        self.board.note("cue", {"name": cues.name(cue), "at": t, "queued": True})

    def record(self, rtype, arg, t):
        s = self.session
        if self.writer is not None or self.opening:
            self.held.append((rtype, arg, t))  # written by _commit, once the motor is set
        b = self.board
        if rtype == _SEG:
            i = s.index
            b.note("segment", {"index": i, "kind": s.w.kind_name(i), "label": s.w.label(i)})
        elif rtype == _PAUSE:
            b.note("session", {"what": "pause"})
        elif rtype == _RESUME:
            b.note("session", {"what": "resume"})
        elif rtype == _END:
            self.ended_at = t
            b.note("session", {"what": "end", "completed": arg == _END_COMPLETED,
                               "reason": _END_NAMES[arg]})
            self.ending = arg

    def _commit(self):
        """Write this step's log records, now that the motor is set; close an ended session's log."""
        if self.opening:
            ok = False
            try:
                from .loghead import start  # (and gone again: it is needed once a session)

                ok = start(self)
                self.opening = False
                start = None
            except MemoryError:
                self.opening = False
            except KeyboardInterrupt:
                # The host stopped the app (mpremote's Ctrl-C) while the header was written:
                # close that file now (a handle left to the collector could write its stale
                # state back over the log), and keep `opening`, so that stop() writes the
                # log again from its start, whole, before the interrupt ends the app.
                wr = self.writer
                self.writer = None
                if wr is not None:
                    wr.close()
                raise
            forget(("runwalk.loghead",))
            if not ok:
                self._unrecorded()
                return
        h = self.held
        wr = self.writer
        while h:
            r = h[0]
            if wr is not None and not wr.record(r[0], r[1], r[2]) and wr.failed is not None:
                self.board.note("log_error", {"error": str(wr.failed)})
            h.pop(0)  # after the write: a Ctrl-C between them leaves the record for stop() to write
        e = self.ending
        if e is not None:
            self.ending = None
            self._close_log()
            # Only a session done moves a plan on, and only once (plan.py).
            if self.plan is not None and self.plan.ended(self.seq, e, self.workout.steps):
                self.plan_moved = True

    # -- sessions -------------------------------------------------------------------

    def start_session(self, t):
        """Start a session at tick t: the start cue now, its log right after (_commit, loghead.start)."""
        b = self.board
        w = self.workout
        st = self.store
        try:
            room = st.make_room(self.log_need)  # header and segments (runwalk.ready.take counts it)
            if room:
                self.seq = st.peek_seq()  # kept on flash by loghead.start, after the start cue
        except OSError as e:  # e.g. no room left even for /logs itself
            b.note("log_error", {"error": str(e)})
            room = False
        if not room:
            self._full(t)
            return
        try:
            # Imported at boot when the heap had room (preload); else now.
            from .session import Session

            s = Session(w, self)
        except MemoryError:
            self._full(t)
            return
        self.session = s
        self.held = []
        self.opening = True
        self.t0 = t
        b.note("session", {"what": "start", "seq": self.seq})
        self.gestures.double_enabled = True
        s.start(t)

    def _unrecorded(self):
        """The session just started cannot be recorded: it stops, and the flash-full cue says why."""
        self.session = None
        self.held = []
        self.ending = None
        self.gestures.double_enabled = False
        self.board.note("session", {"what": "end", "completed": False, "reason": "unrecorded"})
        self._full(self.board.ticks_ms())
        self._apply_motor()

    def _full(self, t):
        self.board.note("full", {"free": self.store.free_bytes()})
        self.cue(_CUE_FULL, self.workout.intensity, t)

    def _close_log(self):
        wr = self.writer
        if wr is None:
            return
        self.writer = None
        wr.close()
        try:
            self.store.close_log(self.seq)
        except OSError as e:
            self.board.note("log_error", {"error": str(e)})

    def _session_over(self):
        self.session = None
        self.gestures.double_enabled = False

    def _next_plan_workout(self):
        self.plan_moved = False
        # The finished session's workout goes first, so loading the next one
        # peaks no higher than boot did.
        self.workout = self.cfg = None
        from . import startup

        startup.next_plan_workout(self)
        startup = None
        forget(("runwalk.startup", "runwalk.ready"))
        self.preload()

    def stop(self, reason):
        """Close a running session (mpremote interrupted us, or a fault) and stop the motor."""
        s = self.session
        if s is not None and s.active():
            s.finish(self.board.ticks_ms(), reason)
        self._commit()
        self._close_log()
        self.session = None
        self.player.pattern = None
        self.player.level = 0
        self._apply_motor()

    # -- the loop -----------------------------------------------------------------------

    def _handle_gestures(self):
        g = self.gestures
        while True:
            x = g.take()
            if x is None:
                return
            gesture, t = x
            s = self.session
            self.board.note("gesture", {"name": ("", "click", "double", "long")[gesture], "at": t})
            if s is not None:
                s.gesture(gesture, t)
                if not s.active():
                    self._session_over()
            elif self._just_ended(t):
                pass
            elif gesture == _CLICK:
                self.start_session(t)
            elif gesture == _LONG:
                self.cue(cues.battery(self.board.battery_mv()), self.workout.intensity, t)

    def _just_ended(self, t):
        e = self.ended_at
        if e is None:
            return False
        d = ticks_diff(t, e)
        # d < 0: a click released just before the end, known for a click only double_ms
        # later, once the session had ended by itself: it was meant for that session.
        if -_AFTER_END_MS < d < _AFTER_END_MS:
            return True
        self.ended_at = None  # past (ticks wrap: a later press must never read as "just")
        return False

    def _apply_motor(self):
        if self.player.level != self.motor_level:
            self.motor_level = self.player.level
            self.board.motor(self.motor_level)

    def step(self):
        """Handle everything due now; return the next deadline (None: until the button)."""
        b = self.board
        g = self.gestures
        while True:
            e = b.edge()
            if e is None:
                break
            g.edge(e[0], e[1])
            self._handle_gestures()
        now = b.ticks_ms()
        g.tick(now)
        self._handle_gestures()
        s = self.session
        if s is not None:
            s.on_time(now)
            if not s.active():
                self._session_over()
        self.player.advance(now)
        self._apply_motor()
        self._commit()
        if self.plan_moved and self.session is None:
            self._next_plan_workout()
        s = self.session
        d = ticks_min(g.next_deadline(), self.player.next_edge())
        if s is not None:
            d = ticks_min(d, s.next_deadline())
        return d

    def run(self):
        b = self.board
        try:
            try:
                self.boot()
            except Exception as e:  # MemoryError too: on battery a band that raises here resets in a loop
                self.boot_failed(e)
            while True:
                d = self.step()
                b.sleep_until(d, d is None and self.session is None)
        except KeyboardInterrupt:
            recording = self.session is not None
            self.stop(_END_HOST)
            b.note("interrupted", {})
            if recording:  # the host that stopped the app reads this (runwalk says so)
                print("runwalk: session %d ended and saved" % self.seq)
            raise
        except Exception:
            self.stop(_END_FAULT)
            raise
