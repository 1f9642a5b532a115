# The haptic vocabulary as data. Each pattern alternates ON and OFF durations
# in ms, starting ON. The cues of a workout (segments, heads-up, start, pause,
# resume, done) pulse 150 ms or longer: shorter ones are missed through clothing
# while running. The error and flash-full cues buzz in 100 ms pulses on purpose:
# felt at the band's start or a click, not mid-run, and unlike any workout cue.
# Patterns differ in pulse count and rhythm, not only length, so they can be
# told apart by feel.
from . import const, ticks_add, ticks_diff

# A cue is a small int, its id: the session and the app name cues so, and only this
# module holds their patterns and their names (no module constant is left to the band
# as a name: each would cost its RAM for good). A workout kind's cue is the kind itself
# (runwalk.segments: walk 0, run 1, sprint 2).
_WALK = const(0)  # runwalk.segments.WALK
_RUN = const(1)  # runwalk.segments.RUN
_SPRINT = const(2)  # runwalk.segments.SPRINT
_WARN = const(3)
_DONE = const(4)
_START = const(5)
_PAUSE = const(6)
_RESUME = const(7)
_ERROR = const(8)
_FULL = const(9)
_BATTERY = const(10)  # 10 to 13: the battery check, one to four pulses (battery())

_PATTERNS = const((
    (900,),  # walk: one long
    (400, 200, 400),  # run: two long
    (150, 100, 150, 100, 150, 100, 600),  # sprint: three quick, one long
    (180, 220, 180, 220, 180),  # warn: three short taps, "change coming"
    (600, 300, 600, 300, 600),  # done: three long
    (150, 150, 150, 150, 700),  # start: two taps, one long, "go"
    (700, 250, 150),  # pause: long then tap
    (150, 250, 700),  # resume: tap then long
    (100, 100, 100, 100, 100, 100, 100, 100, 100),  # error: five rapid buzzes
    (100, 100, 100, 100, 100, 100, 1200),  # full: rapid buzz then very long, the flash is full
))
_NAMES = const(("walk", "run", "sprint", "warn", "done", "start", "pause", "resume", "error", "full"))
_BATTERY_PULSE = const(250)  # battery check: one to four 250 ms pulses, 350 ms apart
_BATTERY_GAP = const(350)

if __debug__:  # the host and the tests; mpy-cross -O3 drops this block: each name would cost the band RAM
    WALK = _WALK
    RUN = _RUN
    SPRINT = _SPRINT
    WARN = _WARN
    DONE = _DONE
    START = _START
    PAUSE = _PAUSE
    RESUME = _RESUME
    ERROR = _ERROR
    FULL = _FULL
    KIND_CUES = (_WALK, _RUN, _SPRINT)  # indexed by workout kind
    NAMES = _NAMES


def pattern(cue):
    """The cue's pattern: ON and OFF durations in ms, starting ON."""
    if cue < _BATTERY:
        return _PATTERNS[cue]
    return (_BATTERY_PULSE,) + (_BATTERY_GAP, _BATTERY_PULSE) * (cue - _BATTERY)


def name(cue):
    """The cue's name in the trace."""
    return _NAMES[cue] if cue < _BATTERY else "battery"


def battery(mv):
    """The battery check's cue for a cell at `mv` millivolts (None: unknown, as full).

    One pulse below 3500 mV, two from 3500, three from 3700, four from 3900.
    """
    n = 0
    for step in (3500, 3700, 3900):
        if mv is None or mv >= step:
            n += 1
    return _BATTERY + n


_CUE_GAP = const(400)  # pause between a cue and the one queued after it


class Player:
    """Plays haptic patterns as motor edges at absolute deadlines.

    A new cue replaces the one playing: the newest news is what the runner
    must feel. `play_next` queues one cue after the current one (the start
    cue, then the first segment's kind). The app asks `next_edge()` for the
    next deadline and calls `advance(now)` when it is reached; `level` is the
    motor strength to apply (0 = off).
    """

    def __init__(self):
        self.pattern = None
        self.step = 0
        self.edge_at = 0
        self.level = 0
        self.strength = 0
        self.queued = None
        self.queued_strength = 0

    def play(self, cue, strength, now):
        self.queued = None
        self.pattern = p = pattern(cue)
        self.strength = strength
        self.step = 0
        self.level = strength
        self.edge_at = ticks_add(now, p[0])

    def play_next(self, cue, strength, now):
        if self.pattern is None:
            self.play(cue, strength, now)
        else:
            self.queued = cue
            self.queued_strength = strength

    def next_edge(self):
        return self.edge_at if self.pattern is not None else None

    def advance(self, now):
        """Apply every edge due by `now`; return True if the motor level changed."""
        before = self.level
        p = self.pattern
        while p is not None and ticks_diff(now, self.edge_at) >= 0:
            self.step += 1
            if self.step >= len(p):
                self.level = 0
                if self.queued is not None:
                    # Wait _CUE_GAP off, then start the queued pattern (step -1).
                    self.pattern = p = pattern(self.queued)
                    self.strength = self.queued_strength
                    self.queued = None
                    self.step = -1
                    self.edge_at = ticks_add(self.edge_at, _CUE_GAP)
                else:
                    self.pattern = p = None
            else:
                self.level = 0 if self.step & 1 else self.strength
                # Chain from the previous edge, not from `now`: no drift.
                self.edge_at = ticks_add(self.edge_at, p[self.step])
        return self.level != before
