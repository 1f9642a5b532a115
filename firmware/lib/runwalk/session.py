# The session state machine: idle -> running <-> paused -> ended.
#
# It is driven by gestures and deadlines and talks to the outside only through
# `out`, an object with three methods:
#   out.cue(cue, strength, t)          play a cue (a runwalk.cues id) starting at tick t
#   out.cue_next(cue, strength, t)     play it right after the current one
#   out.record(rtype, arg, t)          append a log record (runwalk.logfmt types)
# Every boundary is computed from the previous boundary's deadline (never from
# the moment the loop woke up), so errors do not accumulate over a session.
from . import const, ticks_add, ticks_diff, ticks_min

_IDLE = const(0)
# Strength of the heads-up taps relative to the configured intensity (percent):
# gentler, so they never feel like the switch itself.
_WARN_SCALE = const(70)
_STRADDLE_MS = const(600)  # two presses' length, beyond the double-click window
# A session waits this long for the button at most (paused, or in an open segment), then
# ends by itself: 3 days. Ticks wrap (every 2**30 ms on a board): a wait over 6 days would
# read as a short one, and a forgotten session would stay open for good.
_WAIT_MS = const(259200000)
_RUNNING = const(1)
_PAUSED = const(2)
_ENDED = const(3)

# Other modules' constants, copied (tests/test_private_copies.py holds them to their
# sources): a module's public name would cost the band RAM for good.
_CLICK = const(1)  # runwalk.buttons.CLICK
_DOUBLE = const(2)  # runwalk.buttons.DOUBLE
_LONG = const(3)  # runwalk.buttons.LONG
_SEG = const(2)  # runwalk.logfmt.SEG
_PAUSE = const(3)  # runwalk.logfmt.PAUSE
_RESUME = const(4)  # runwalk.logfmt.RESUME
_END = const(5)  # runwalk.logfmt.END
_SEG_SKIPPED = const(4)  # runwalk.logfmt.SEG_SKIPPED
_END_COMPLETED = const(0)  # runwalk.logfmt.END_COMPLETED
_END_STOPPED = const(1)  # runwalk.logfmt.END_STOPPED
_CUE_WARN = const(3)  # runwalk.cues.WARN
_CUE_DONE = const(4)  # runwalk.cues.DONE
_CUE_START = const(5)  # runwalk.cues.START
_CUE_PAUSE = const(6)  # runwalk.cues.PAUSE
_CUE_RESUME = const(7)  # runwalk.cues.RESUME

if __debug__:  # the host and the tests; mpy-cross -O3 drops this block: each name would cost the band RAM
    RUNNING = _RUNNING
    PAUSED = _PAUSED
    ENDED = _ENDED


class Session:
    def __init__(self, workout, out):
        self.w = workout
        self.out = out
        self.state = _IDLE
        self.index = -1
        self.seg_end = None  # deadline of the current segment (None: open)
        self.warn_at = None  # deadline of the heads-up cue, if one is due
        self.heads_up = False  # the current segment ends with a heads-up (due or given)
        self.seg_start = 0  # tick at which the current segment began
        self.on_cue = False  # ... by itself, at its planned time (not skipped into)
        self.paused_at = 0
        self.left_end = None  # while paused: ms left in the segment
        self.left_warn = None  # while paused: ms left before the heads-up
        self.paused_ms = 0  # total time spent paused
        self.completed = False

    # -- what the low-power loop needs -------------------------------------

    def next_deadline(self):
        """The next tick at which the session must act, or None (it has ended)."""
        if self.state == _PAUSED:
            return ticks_add(self.paused_at, _WAIT_MS)
        if self.state != _RUNNING:
            return None
        e = self.seg_end
        return ticks_min(self.warn_at, ticks_add(self.seg_start, _WAIT_MS) if e is None else e)

    def active(self):
        return self.state == _RUNNING or self.state == _PAUSED

    # -- inputs -------------------------------------------------------------

    def start(self, t):
        self.state = _RUNNING
        self.out.cue(_CUE_START, self.w.intensity, t)
        self._enter(0, t, False)

    def gesture(self, g, t):
        """Apply a gesture that happened at tick t. Deadlines up to t first."""
        self.on_time(t)
        if self.state == _RUNNING:
            if g == _CLICK:
                # A click is known double_ms after its release: a change the band made by
                # then came first, so the pause starts with the new segment (whole), and the
                # log's times stay in order.
                if -self.w.double_ms - _STRADDLE_MS < ticks_diff(t, self.seg_start) < 0:
                    t = self.seg_start
                self._pause(t)
            elif g == _DOUBLE and not self._straddles(t):
                self._enter(self.index + 1, t, True)
            elif g == _LONG:
                self.finish(t, _END_STOPPED)
        elif self.state == _PAUSED:
            if g == _CLICK:
                self._resume(t)
            elif g == _LONG:
                self.finish(t, _END_STOPPED)
            # A double click while paused is ignored: resume first, then skip.

    def on_time(self, t):
        """Fire every deadline due by tick t, each at its own deadline."""
        while self.state == _RUNNING:
            w = self.warn_at
            e = self.seg_end
            if w is not None and ticks_diff(t, w) >= 0 and (e is None or ticks_diff(w, e) < 0):
                self.warn_at = None
                self.out.cue(_CUE_WARN, self.w.intensity * _WARN_SCALE // 100, w)
            elif e is not None and ticks_diff(t, e) >= 0:
                self._enter(self.index + 1, e, False)
            elif e is None and ticks_diff(t, self.seg_start) >= _WAIT_MS:
                # An open segment 3 days long: the runner forgot to end it.
                self.finish(ticks_add(self.seg_start, _WAIT_MS), _END_STOPPED)
            else:
                break
        if self.state == _PAUSED and ticks_diff(t, self.paused_at) >= _WAIT_MS:
            # Paused 3 days: the run ended where it was paused (no days-long pause in the
            # runner's exports), quietly: nobody is running.
            self.finish(self.paused_at, _END_STOPPED, False)

    def finish(self, t, reason, cue=True):
        """End the session at tick t: completed, stopped, or cut short by the host."""
        if not self.active():
            return
        if self.state == _PAUSED:
            self.paused_ms += ticks_diff(t, self.paused_at)
        self.state = _ENDED
        self.completed = reason == _END_COMPLETED
        self.seg_end = None
        self.warn_at = None
        self.out.record(_END, reason, t)
        if cue and (reason == _END_COMPLETED or reason == _END_STOPPED):
            self.out.cue(_CUE_DONE, self.w.intensity, t)

    # -- internals ------------------------------------------------------------

    def _enter(self, i, t, skipped):
        w = self.w
        if i >= len(w):
            # Past the last segment (or cutting it short): the workout is done.
            self.finish(t, _END_COMPLETED)
            return
        self.index = i
        kind = w.kind(i)
        dur = w.dur_ms(i)
        self.seg_end = None if dur is None else ticks_add(t, dur)
        self.seg_start = t
        self.on_cue = i > 0 and not skipped  # (the first begins with the runner's click)
        self.warn_at = None
        warn = w.warn_s * 1000
        if warn and dur is not None and dur >= 2 * warn and i + 1 < len(w) and w.kind(i + 1) != kind:
            self.warn_at = ticks_add(t, dur - warn)
        self.heads_up = self.warn_at is not None
        self.out.record(_SEG, kind | (_SEG_SKIPPED if skipped else 0), t)
        # A workout kind's cue is the kind itself (runwalk.cues).
        if i:
            self.out.cue(kind, self.w.intensity, t)
        else:
            self.out.cue_next(kind, self.w.intensity, t)

    def _pause(self, t):
        self.state = _PAUSED
        self.paused_at = t
        self.left_end = None if self.seg_end is None else ticks_diff(self.seg_end, t)
        self.left_warn = None if self.warn_at is None else ticks_diff(self.warn_at, t)
        self.out.record(_PAUSE, 0, t)
        self.out.cue(_CUE_PAUSE, self.w.intensity, t)

    def _straddles(self, t):
        # A double click that ends this soon after a change on cue began before it:
        # it was meant for the segment that has just ended by itself, so it skips
        # nothing (the skipped-into segment of a previous double click is fair game).
        # (0 <=: ticks wrap, so a segment days old can look negative.)
        return self.on_cue and 0 <= ticks_diff(t, self.seg_start) < self.w.double_ms + _STRADDLE_MS

    def _resume(self, t):
        self.state = _RUNNING
        self.paused_ms += ticks_diff(t, self.paused_at)
        self.seg_end = None if self.left_end is None else ticks_add(t, self.left_end)
        self.warn_at = None if self.left_warn is None else ticks_add(t, self.left_warn)
        self.out.record(_RESUME, 0, t)
        self.out.cue(_CUE_RESUME, self.w.intensity, t)
        if self.heads_up and self.warn_at is None:
            # The heads-up came before the pause (or the pause cut it short): the
            # change is still coming, so it comes again, right after the resume cue.
            self.out.cue_next(_CUE_WARN, self.w.intensity * _WARN_SCALE // 100, t)
