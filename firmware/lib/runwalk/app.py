# The app loop: compute the next deadline, sleep until it or the button, handle
# what happened, repeat. No polling: with no session and no cue playing, the
# band sleeps until the button.
#
# The board object (boards/<name>.py, deployed as /lib/runwalk_board.py) provides:
#   ticks_ms()              the tick clock (time.ticks_ms on real boards)
#   sleep_until(deadline)   sleep until that tick (None: until the button);
#                           may return early, e.g. on a button edge
#   edge()                  the next queued button edge as (down, tick), or None
#   motor(level)            vibration strength in percent, 0 = off
#   battery_mv()            battery voltage in mV, or None if unknown
#   wall_s()                Unix time in seconds, or None if the clock was never set
#   uid()                   a short text that identifies this band
#   note(ev, fields)        a trace event (the virtual band records it; boards ignore it)
#   watchdog_reset          (optional) True if the watchdog reset the band: a session
#                           it left open ended in a fault, not a power cut
from . import VERSION, cues, logfmt
from .buttons import CLICK, LONG, Gestures
from .store import Store
from .ticks import const, ticks_diff, ticks_min

# After a session ends, presses are taken as the end of that one (a click while
# the "done" cue plays, one double click too many when skipping to the end),
# not as the start of the next.
_AFTER_END_MS = const(3000)


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

    # -- start-up -----------------------------------------------------------------

    def boot(self):
        """Close sessions a power cut left open, load the workout, say if it was refused."""
        # runwalk.startup and the loaders it brings in leave the heap when it is done.
        from . import startup

        startup.boot(self)

    # -- the out port of Session ---------------------------------------------------

    def cue(self, pattern, strength, t):
        # A click is known only double_ms after its release: its cue (pause,
        # resume) plays from now, whole, not from the release with its first
        # pulses already over.
        now = self.board.ticks_ms()
        if ticks_diff(now, t) > 0:
            t = now
        self.player.play(pattern, strength, t)
        self.board.note("cue", {"name": cues.NAMES.get(pattern, "battery"), "at": t})

    def cue_next(self, pattern, strength, t):
        self.player.play_next(pattern, strength, t)
        self.board.note("cue", {"name": cues.NAMES.get(pattern, "battery"), "at": t, "queued": True})

    def record(self, rtype, arg, t):
        s = self.session
        if self.writer is not None:
            if not self.writer.record(rtype, arg, t) and self.writer.failed is not None:
                self.board.note("log_error", {"error": str(self.writer.failed)})
        b = self.board
        if rtype == logfmt.SEG:
            i = s.index
            b.note("segment", {"index": i, "kind": s.w.kind_name(i), "label": s.w.label(i)})
        elif rtype == logfmt.PAUSE:
            b.note("session", {"what": "pause"})
        elif rtype == logfmt.RESUME:
            b.note("session", {"what": "resume"})
        elif rtype == logfmt.END:
            self.ended_at = t
            b.note("session", {"what": "end", "completed": arg == logfmt.END_COMPLETED,
                               "reason": logfmt.END_NAMES[arg]})
            self._close_log()
            # Only a session done moves a plan on, and only once (plan.py).
            if self.plan is not None and self.plan.ended(self.seq, arg, self.workout.steps):
                self.plan_moved = True

    # -- sessions -------------------------------------------------------------------

    def start_session(self, t):
        b = self.board
        w = self.workout
        st = self.store
        f = None
        try:
            # Room for the header (the steps as JSON) and 16 bytes a segment, pauses included.
            if st.make_room(512 + 16 * len(w)):
                self.seq = st.next_seq()
                f = st.open_log(self.seq)
        except OSError as e:  # e.g. no room left even for /logs itself
            b.note("log_error", {"error": str(e)})
        if f is not None:
            self.writer = logfmt.Writer(f, t, ticks_diff)
            info = {
                "seq": self.seq,
                "uid": b.uid(),
                "start": b.wall_s(),
                "name": w.name,
                "steps": self.cfg["steps"],
                "warn_s": w.warn_s,
                "fw": VERSION,
            }
            if self.plan is not None and self.plan.active():
                info["plan"] = self.plan.info()
            if not self.writer.header(info):
                # The flash had less room than it said: no session without its log.
                self.writer.close()
                self.writer = None
                st.drop_log(self.seq)
                f = None
        if f is None:
            b.note("full", {"free": st.free_bytes()})
            self.cue(cues.FULL, w.intensity, t)
            return
        # Imported at the first session, once the boot-only modules have left the heap.
        from .session import Session

        self.session = Session(w, self)
        b.note("session", {"what": "start", "seq": self.seq})
        self.gestures.double_enabled = True
        self.session.start(t)

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
        if self.plan_moved:
            self.plan_moved = False
            # The finished session's workout goes first, so loading the next one
            # peaks no higher than boot did.
            self.workout = self.cfg = None
            from . import startup

            startup.next_plan_workout(self)

    def stop(self, reason):
        """Close a running session (mpremote interrupted us, or a fault) and stop the motor."""
        s = self.session
        if s is not None and s.active():
            s.finish(self.board.ticks_ms(), reason)
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
            elif gesture == CLICK:
                self.start_session(t)
            elif gesture == LONG:
                self.cue(cues.battery(self.board.battery_mv()), self.workout.intensity, t)

    def _just_ended(self, t):
        e = self.ended_at
        if e is None:
            return False
        d = ticks_diff(t, e)
        if 0 <= d < _AFTER_END_MS:
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
        s = self.session
        d = ticks_min(g.next_deadline(), self.player.next_edge())
        if s is not None:
            d = ticks_min(d, s.next_deadline())
        return d

    def run(self):
        self.boot()
        b = self.board
        try:
            while True:
                b.sleep_until(self.step())
        except KeyboardInterrupt:
            self.stop(logfmt.END_HOST)
            b.note("interrupted", {})
            raise
        except Exception:
            self.stop(logfmt.END_FAULT)
            raise
